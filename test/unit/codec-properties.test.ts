// Properties over random input: encode → decode → encode is stable, and decoding arbitrary
// bytes never throws and always ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDonePayload, decodeErrorPayload, encodeAttrs, encodeMessage, parseAttrs, splitMessages, toHex, type AttrSpec,
} from '../../src/codec/index.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { randomBytes, rng } from '../helpers.js';

function randomTree(next: () => number, depth: number): AttrSpec[] {
  const n = Math.floor(next() * 4) + (depth === 0 ? 1 : 0);
  const out: AttrSpec[] = [];
  for (let i = 0; i < n; i++) {
    const type = Math.floor(next() * 0x3fff);
    if (depth < 3 && next() < 0.3) out.push({ type, children: randomTree(next, depth + 1) });
    else out.push({ type, netByteOrder: next() < 0.1, value: randomBytes(next, Math.floor(next() * 23)) });
  }
  return out;
}

function toSpecs(bytes: Uint8Array, nestedKnown: boolean): AttrSpec[] {
  return parseAttrs(bytes).attrs.map((a) =>
    a.nested && nestedKnown
      ? { type: a.type, children: toSpecs(a.value, true) }
      : { type: a.type, nested: a.nested, netByteOrder: a.netByteOrder, value: a.value },
  );
}

test('attributes: encode → decode → encode reproduces the bytes (2,000 random trees)', () => {
  const next = rng(0xa77);
  for (let i = 0; i < 2000; i++) {
    const bytes = encodeAttrs(randomTree(next, 0));
    const again = encodeAttrs(toSpecs(bytes, true));
    assert.equal(toHex(again), toHex(bytes), `case ${i}`);
  }
});

test('messages: encode → split → encode reproduces the bytes (2,000 random messages)', () => {
  const next = rng(0x5e9);
  for (let i = 0; i < 2000; i++) {
    const h = { type: Math.floor(next() * 0x10000), flags: Math.floor(next() * 0x10000), seq: Math.floor(next() * 2 ** 32), pid: Math.floor(next() * 2 ** 32) };
    const bytes = encodeMessage(h, encodeAttrs(randomTree(next, 0)));
    const [m] = splitMessages(bytes).messages;
    assert.deepEqual({ type: m.header.type, flags: m.header.flags, seq: m.header.seq, pid: m.header.pid }, h);
    assert.equal(toHex(encodeMessage(h, m.payload)), toHex(bytes));
  }
});

test('arbitrary bytes never throw past the decoders (5,000 seeded inputs)', () => {
  const next = rng(0xf022);
  const route = schemaFor(0);
  for (let i = 0; i < 5000; i++) {
    const len = Math.floor(next() * 96);
    const bytes = randomBytes(next, len);
    // Make some inputs plausible enough to get past the first length check.
    if (len >= 16 && next() < 0.7) {
      const dv = new DataView(bytes.buffer);
      dv.setUint32(0, Math.floor(next() * (len + 8)), true);
      dv.setUint16(4, [2, 3, 16, 20, 24][Math.floor(next() * 5)], true);
    }
    splitMessages(bytes);
    parseAttrs(bytes);
    decodeErrorPayload(bytes, Math.floor(next() * 0x400));
    decodeDonePayload(bytes, 0x200);
    decodeDatagram(bytes, route, newContext());
  }
});
