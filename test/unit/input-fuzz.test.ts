// Seeded fuzz of decode's input side: corrupted pcapng blocks, capture records that are empty or
// all zeros, hex mixed with prose. Never an internal error, never a stack trace, exit 0 only when
// something decoded, 5 otherwise; the capture reader gives the same packets in any chunking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureFormatError, CaptureStream, readCapture } from '../../src/capture/pcap.js';
import { captureRecords, decodeInProcess, makeCase, pcapngCorrupt } from '../fuzz-inputs.js';
import { rng } from '../helpers.js';

const SEED = 0x1f0e5eed;

test('seeded fuzz: decode of hostile input exits 0 or 5, with one nlctl: line per problem and no internal error', async () => {
  const codes = new Map<number, number>();
  const started = Date.now();
  for (let i = 0; i < 600; i++) {
    const c = makeCase(SEED, i);
    const r = await decodeInProcess(c.bytes);
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    const where = `case ${i} (${c.kind}) ${Buffer.from(c.bytes.subarray(0, 64)).toString('hex')}: ${r.stderr.slice(0, 300)}`;
    assert.ok(r.code === 0 || r.code === 5, where);
    assert.ok(!/internal error|\n\s+at /.test(r.stderr), where);
    for (const line of r.stderr.split('\n').filter(Boolean)) assert.match(line, /^nlctl: /, where);
    if (r.code === 0) assert.ok(r.stdout.length > 0, `exit 0 with nothing decoded: ${where}`);
    else assert.match(r.stderr, /no netlink message decoded|not hex|odd number|strace|not a capture|not a byte|does not repeat|expand|bad byte|row has|no hex/, where);
  }
  assert.ok((codes.get(0) ?? 0) > 50 && (codes.get(5) ?? 0) > 50, `both outcomes seen: ${[...codes]}`);
  assert.ok(Date.now() - started < 120_000, 'fuzzing took too long: something loops');
});

test('seeded fuzz: capture readers give the same packets read whole or in random pieces', () => {
  const r = rng(SEED);
  for (let i = 0; i < 1500; i++) {
    const bytes = i % 2 ? pcapngCorrupt(r) : captureRecords(r);
    let whole;
    try {
      whole = readCapture(bytes);
    } catch (e) {
      assert.ok(e instanceof CaptureFormatError, `case ${i}: ${(e as Error).stack}`);
      continue;
    }
    for (const d of whole.diagnostics) assert.ok(d.offset >= 0 && d.offset <= bytes.length, `case ${i}: offset ${d.offset}`);
    const packets: Uint8Array[] = [];
    const s = new CaptureStream({ packet: (p) => packets.push(p.data), diagnostic: () => {} });
    for (let off = 0; off < bytes.length && !s.done;) {
      const n = 1 + Math.floor(r() * 300);
      s.push(bytes.subarray(off, off + n));
      off += n;
    }
    s.end();
    assert.deepEqual(packets.map((p) => Buffer.from(p).toString('hex')), whole.packets.map((p) => Buffer.from(p.data).toString('hex')), `case ${i}`);
  }
});
