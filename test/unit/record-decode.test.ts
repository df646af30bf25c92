// The fast record path (bytes → flat records) must agree with the general one
// (decodeMessage → toRecord) on every fixture message and on mutated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { CONTROL_TYPES, splitMessages } from '../../src/codec/index.js';
import { decodeMessage, decodeRecord, newContext, schemaFor, toRecord } from '../../src/schema/index.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

const PROTOCOL_OF: Record<string, number> = { route: 0, genl: 16, diag: 4, nf: 12, audit: 9, test: 25 };

function fixtures(): { protocol: number; bytes: Uint8Array; file: string }[] {
  const out: { protocol: number; bytes: Uint8Array; file: string }[] = [];
  for (const dir of ['codec', 'dissect']) {
    for (const f of readdirSync(fixturePath(dir)).filter((x) => x.endsWith('.hex'))) {
      const protocol = dir === 'codec' ? 0 : PROTOCOL_OF[f.split('-')[0]];
      if (protocol === undefined) continue;
      for (const { bytes } of hexFixture(`${dir}/${f}`)) out.push({ protocol, bytes, file: `${dir}/${f}` });
    }
  }
  return out;
}

function compare(protocol: number, bytes: Uint8Array, label: string): number {
  const schema = schemaFor(protocol);
  const a = newContext(), b = newContext();
  let n = 0;
  for (const m of splitMessages(bytes).messages) {
    const general = decodeMessage(m, schema, a);
    const fast = decodeRecord(m, schema, b);
    if (CONTROL_TYPES[general.type]) {
      assert.equal(fast, undefined, `${label}: control message`);
      continue;
    }
    if (fast === undefined) continue;
    const resolved = schema.resolve?.(m.header.type, m.payload, a, m.header);
    assert.deepEqual(fast, toRecord(general, resolved?.schema ?? schema), `${label} at ${m.offset}`);
    n++;
  }
  return n;
}

test('fast records equal general records on every fixture', () => {
  let n = 0;
  for (const f of fixtures()) n += compare(f.protocol, f.bytes, f.file);
  assert.ok(n > 50, `${n} messages compared`);
});

test('fast records equal general records on mutated fixtures (3,000 seeded cases)', () => {
  const next = rng(0x7ec0);
  const all = fixtures();
  for (let i = 0; i < 3000; i++) {
    const f = all[Math.floor(next() * all.length)];
    const bytes = new Uint8Array(f.bytes);
    // Flip bytes past the nlmsghdr so messages stay framed but their bodies change.
    for (let k = 0; k < 3; k++) {
      const at = 16 + Math.floor(next() * Math.max(1, bytes.length - 16));
      if (at < bytes.length) bytes[at] = Math.floor(next() * 256);
    }
    compare(f.protocol, bytes, `${f.file} case ${i}`);
  }
});
