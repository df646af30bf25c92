// The capture file listen and send write (src/commands/pcap-file.ts), records gathered in one
// reused buffer: on seeded datagrams (sizes up to past the snaplen, both directions, pkttypes,
// wire lengths, shared and new times, flushes between), the file is byte for byte the pcap that
// a writer built here from the format (libpcap's record header, the cooked header) makes, and
// for pcapng the header and records of PcapngWriter one after the other.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { PcapngWriter, PcapWriter, type PcapRecordInput } from '../../src/capture/pcap.js';
import { PcapFile } from '../../src/commands/pcap-file.js';
import { rng } from '../helpers.js';

const SNAPLEN = 262144;

interface Input { protocol: number; payload: Uint8Array; direction: 'in' | 'out'; timeNs: bigint; pktType?: number; wireLength?: number }

/** A pcap record as the format has it: ts_sec, ts_nsec, incl_len, orig_len, then the cooked header (big-endian) and the frame. */
function reference(d: Input): Uint8Array {
  const frame = 16 + d.payload.length;
  const incl = Math.min(frame, SNAPLEN);
  const out = new Uint8Array(16 + incl);
  const v = new DataView(out.buffer);
  v.setUint32(0, Number(d.timeNs / 1_000_000_000n), true);
  v.setUint32(4, Number(d.timeNs % 1_000_000_000n), true);
  v.setUint32(8, incl, true);
  v.setUint32(12, Math.max(frame, 16 + (d.wireLength ?? 0)), true);
  v.setUint16(16, d.pktType ?? (d.direction === 'out' ? 4 : 0));
  v.setUint16(18, 824); // ARPHRD_NETLINK; halen and the address stay 0
  v.setUint16(30, d.protocol);
  out.set(d.payload.subarray(0, incl - 16), 32);
  return out;
}

function inputs(r: () => number, n: number): Input[] {
  const out: Input[] = [];
  let timeNs = 0n;
  for (let i = 0; i < n; i++) {
    const size = r() < 0.01 ? SNAPLEN - 64 + Math.floor(r() * 200) : r() < 0.1 ? Math.floor(r() * 40000) : Math.floor(r() * 300);
    const payload = Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
    if (i === 0 || r() < 0.3) timeNs = BigInt(Math.floor(r() * 2 ** 32)) * 1_000_000_000n + BigInt(Math.floor(r() * 1e9));
    out.push({
      protocol: [0, 2, 4, 16, 25, 31][Math.floor(r() * 6)]!, payload, direction: r() < 0.5 ? 'in' : 'out', timeNs,
      pktType: r() < 0.1 ? 6 : undefined, wireLength: r() < 0.1 ? size + Math.floor(r() * 100000) : undefined,
    });
  }
  return out;
}

function written(path: string, ds: Input[], r: () => number): Buffer {
  const f = new PcapFile(path);
  for (const d of ds) {
    f.write(d.protocol, d.payload, d.direction, d.timeNs, d.pktType, d.wireLength);
    if (r() < 0.02) f.flush();
  }
  f.close();
  assert.equal(f.records, ds.length);
  return readFileSync(path);
}

test('pcap: the file is the header and each record as the format lays it out, across flushes and a reused buffer', () => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-pcap-file-`);
  try {
    const r = rng(0x70636170);
    const ds = inputs(r, 3000);
    const expected = Buffer.concat([new PcapWriter({ resolution: 'ns' }).header(), ...ds.map(reference)]);
    assert.ok(expected.length > 4 << 20, 'several buffers full');
    assert.ok(written(`${dir}/a.pcap`, ds, r).equals(expected));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pcapng: the file is the header and PcapngWriter\'s records, across flushes', () => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-pcap-file-`);
  try {
    const r = rng(0x6e677067);
    const ds = inputs(r, 1500);
    const w = new PcapngWriter();
    const rec = (d: Input) => w.record({ protocol: d.protocol, payload: d.payload, direction: d.direction, pktType: d.pktType, wireLength: d.wireLength, tsSec: Number(d.timeNs / 1_000_000_000n), tsNsec: Number(d.timeNs % 1_000_000_000n) });
    assert.ok(written(`${dir}/a.pcapng`, ds, r).equals(Buffer.concat([w.header(), ...ds.map(rec)])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PcapWriter.writeRecord over bytes already used is record(), whatever was there', () => {
  const r = rng(0x77726563);
  for (const resolution of ['us', 'ns'] as const) {
    const w = new PcapWriter({ resolution, snaplen: 100 });
    for (const d of inputs(r, 300)) {
      const p: PcapRecordInput = { ...d, payload: d.payload.subarray(0, 200), tsSec: Number(d.timeNs / 1_000_000_000n), tsNsec: Number(d.timeNs % 1_000_000_000n) };
      const at = Math.floor(r() * 50);
      const buf = new Uint8Array(at + w.recordSize(p.payload.length) + 7).fill(0xa5);
      assert.equal(w.writeRecord(buf, at, p), at + w.recordSize(p.payload.length));
      assert.deepEqual(buf.subarray(at, at + w.recordSize(p.payload.length)), w.record(p));
      assert.ok(buf.subarray(0, at).every((b) => b === 0xa5) && buf.subarray(at + w.recordSize(p.payload.length)).every((b) => b === 0xa5));
    }
  }
});
