// The pcapng writer: what it writes reads back through nlctl's own reader (protocol, pkttype,
// nanosecond times, payload, orig_len), and tshark reads the same frames with the comment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { CaptureStream, PcapngWriter, type CapturedPacket } from '../../src/capture/pcap.js';
import { requireTool } from '../helpers.js';

function file(): Uint8Array {
  const w = new PcapngWriter();
  const payload = Buffer.from('1400000003000200010000000000000000000000', 'hex'); // NLMSG_DONE
  return Buffer.concat([
    w.header(),
    w.record({ protocol: 16, payload, tsSec: 1796128336, tsNsec: 123456789, direction: 'in', pktType: 6, comment: 'nlctl: genl family table' }),
    w.record({ protocol: 0, payload: payload.subarray(0, 18), tsSec: 1796128337, tsNsec: 5, direction: 'out', wireLength: 20 }),
  ]);
}

test('pcapng records read back with their protocol, pkttype, nanosecond time and lengths', () => {
  const got: CapturedPacket[] = [];
  const problems: string[] = [];
  const s = new CaptureStream({ packet: (p) => got.push(p), diagnostic: (d) => problems.push(d.message) });
  s.push(file());
  s.end();
  assert.deepEqual(problems, []);
  assert.equal(got.length, 2);
  assert.deepEqual([got[0].netlink?.protocol, got[0].netlink?.pktType, got[0].netlink?.direction], [16, 6, 'in']);
  assert.deepEqual([got[0].tsSec, got[0].tsNsec], [1796128336, 123456789]);
  assert.equal(got[0].netlink?.payload.length, 20);
  assert.deepEqual([got[1].netlink?.protocol, got[1].netlink?.direction, got[1].tsNsec], [0, 'out', 5]);
  // Stored: cooked header and 18 bytes; on the wire: the 20 the datagram had.
  assert.deepEqual([got[1].data.length, got[1].origLen], [34, 36]);
});

test('tshark reads the pcapng: two frames, the comment on the first, times to the nanosecond', (t) => {
  if (!requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-pcapng-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(`${dir}/f.pcapng`, file());
  const rows = execFileSync('tshark', ['-r', `${dir}/f.pcapng`, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.time_epoch', '-e', 'frame.comment', '-e', 'netlink.family', '-e', 'frame.len', '-e', 'frame.cap_len'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
  assert.deepEqual(rows, ['1796128336.123456789|nlctl: genl family table|0x0010|36|36', '1796128337.000000005||0x0000|36|34']);
});
