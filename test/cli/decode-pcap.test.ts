// decode --pcap: whatever decode reads (hex in its many shapes, strace text with and without hex
// dumps, another capture) written as a capture that tshark opens with one frame per datagram and
// nothing malformed, and that nlctl decodes back to the same messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fixturePath, requireTool, runNlctl } from '../helpers.js';

type Msg = Record<string, any>;

const INPUTS = [
  ...readdirSync(fixturePath('strace')).filter((f) => f.endsWith('.txt')).map((f) => `strace/${f}`),
  ...readdirSync(fixturePath('hex')).filter((f) => f.endsWith('.txt')).map((f) => `hex/${f}`),
  ...readdirSync(fixturePath('pcap')).filter((f) => /\.pcap(ng)?$/.test(f) && f !== 'lo-udp.pcap').map((f) => `pcap/${f}`),
];

/** What the input alone knows: capture metadata (times, directions) and strace's line notes differ by nature. */
function comparable(m: Msg): Msg {
  const c = structuredClone(m);
  delete c.meta;
  // strace's own notes, and the capture's word for the same cut (its frame is shorter than nlmsg_len).
  c.diagnostics = c.diagnostics.filter((d: { message: string }) => !/^strace line \d+:|^nlmsg_len \d+ but only \d+ bytes left/.test(d.message));
  return c;
}

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
}

test('every hex, strace and capture fixture written by decode --pcap: tshark agrees on the frames, nlctl on the messages', (t) => {
  if (!requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-decode-pcap-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.ok(INPUTS.filter((f) => f.startsWith('strace/')).length >= 7 && INPUTS.filter((f) => f.startsWith('hex/')).length >= 30);
  for (const [i, file] of INPUTS.entries()) {
    // Every other output as pcapng (chosen by the name), the rest as pcap.
    const out = `${dir}/${file.replace('/', '_')}.${i % 2 ? 'pcapng' : 'pcap'}`;
    const r = runNlctl(['-j', 'decode', fixturePath(file), '--pcap', out]);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const direct: Msg[] = JSON.parse(r.stdout);
    // Offsets count from the start of each datagram: a datagram's first message is at 0.
    const datagrams = direct.filter((m) => m.offset === 0).length;
    const records = Number(/(\d+) record\(s\) in /.exec(r.stderr)?.[1]);
    assert.equal(records, datagrams, `${file}: one record per datagram`);
    const frames = tshark(['-r', out, '-T', 'fields', '-e', 'frame.number']).trim().split('\n').filter(Boolean);
    assert.equal(frames.length, datagrams, `${file}: tshark's frame count`);
    const verbose = tshark(['-r', out, '-V']);
    assert.doesNotMatch(verbose, /Malformed|Expert Info \((Error|Warning)/, `${file}: tshark finds nothing malformed`);
    assert.equal(tshark(['-r', out, '-q', '-z', 'expert,warn']).includes('Errors'), false, `${file}: no expert errors`);
    const back = runNlctl(['-j', 'decode', out]);
    assert.equal(back.code, 0, `${file}: ${back.stderr}`);
    const again: Msg[] = JSON.parse(back.stdout);
    assert.equal(again.length, direct.length, `${file}: message count`);
    direct.forEach((m, i) => assert.deepEqual(comparable(again[i]), comparable(m), `${file}: message ${i}`));
  }
});

test('a datagram strace cut short is a short frame to tshark (orig_len says how long it was), not a malformed one', (t) => {
  if (!requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-decode-pcap-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = runNlctl(['-j', 'decode', fixturePath('strace/ip-link-default.txt'), '--pcap', `${dir}/d.pcap`]);
  assert.equal(r.code, 0, r.stderr);
  const cut = (JSON.parse(r.stdout) as Msg[]).filter((m) => m.truncated);
  assert.ok(cut.length > 0, 'the default strace rendering cuts the links short');
  const lens = tshark(['-r', `${dir}/d.pcap`, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len']).trim().split('\n').map((l) => l.split('\t').map(Number));
  const short = lens.filter(([len, cap]) => len > cap);
  assert.equal(short.length, cut.length);
  // The frame's length is the cooked header and what the message's nlmsg_len says.
  for (const [i, m] of cut.entries()) assert.equal(short[i][0], 16 + m.offset + m.len);
});

test('decode --pcap refuses to overwrite its own input', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-decode-pcap-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = fixturePath('pcap/rtnl-getlink.pcap');
  const r = runNlctl(['decode', src, '--pcap', src]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^nlctl: --pcap .*rtnl-getlink\.pcap: that is the input being decoded\n$/);
});
