// Streaming decode gives what decoding the whole input at once gives: hex text cut into windows,
// datagrams decoded message by message as their bytes arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseHexDump, HexParseError } from '../../src/input/hex/index.js';
import { HexStream } from '../../src/input/hex/stream.js';
import { DatagramDecoder } from '../../src/commands/datagram-decoder.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { loadFixture } from './dissect-util.js';
import { rng } from '../helpers.js';

const HEX_DIR = new URL('../../../test/fixtures/hex/', import.meta.url);

test('HexStream with 1 and 2 KiB windows (cuts at blank lines, and inside long blocks) finds the bytes parseHexDump finds, for every hex fixture', () => {
  for (const window of [1024, 2048]) for (const f of readdirSync(HEX_DIR).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(new URL(f, HEX_DIR), 'utf8');
    let whole: Uint8Array[];
    try {
      whole = parseHexDump(text).map((c) => c.bytes);
    } catch (e) {
      assert.ok(e instanceof HexParseError, `${f} window ${window}`);
      assert.throws(() => { const s = new HexStream(() => {}, 256); s.push(text); s.end(); }, HexParseError, `${f} window ${window}`);
      continue;
    }
    // Chunks cut inside a block are joined again, as decode does.
    const streamed: number[][] = [];
    const s = new HexStream((c, continued) => {
      if (continued && streamed.length) streamed[streamed.length - 1]!.push(...c.bytes);
      else streamed.push(Array.from(c.bytes));
    }, window);
    for (let i = 0; i < text.length; i += 100) s.push(text.slice(i, i + 100));
    s.end();
    assert.deepEqual(streamed, whole.map((b) => Array.from(b)), `${f} window ${window}`);
  }
});

test('DatagramDecoder fed in pieces equals decodeDatagram, on fixtures joined into big datagrams and on mutations', () => {
  const base = [...loadFixture('route-addr-v4'), ...loadFixture('route-route'), ...loadFixture('route-neigh')].map((d) => d.bytes);
  const r = rng(0xdec0de);
  for (let round = 0; round < 200; round++) {
    const parts = Array.from({ length: 1 + Math.floor(r() * 12) }, () => base[Math.floor(r() * base.length)]!);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) { joined.set(p, off); off += p.length; }
    if (round % 3 === 0 && joined.length) joined[Math.floor(r() * joined.length)] ^= 1 + Math.floor(r() * 255);
    const cut = round % 5 === 0 ? joined.subarray(0, Math.floor(r() * joined.length)) : joined;
    const expected = JSON.stringify(decodeDatagram(cut, schemaFor(0), newContext()));
    const got: unknown[] = [];
    const dec = new DatagramDecoder(newContext(), (m) => got.push(m), 64);
    dec.begin(schemaFor(0));
    for (let i = 0; i < cut.length;) {
      const n = 1 + Math.floor(r() * 200);
      dec.push(cut.subarray(i, i + n));
      i += n;
    }
    dec.end();
    assert.equal(JSON.stringify(got), expected, `round ${round}`);
  }
});
