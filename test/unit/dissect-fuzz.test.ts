// Seeded fuzzing of every registered dissector: mutated real fixtures (byte flips, truncation, length
// fields that lie, spliced garbage) must decode without throwing, terminate, and stay JSON-serialisable.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { decodeDatagram, hasDissector, newContext, schemaFor, toRecord } from '../../src/schema/index.js';
import { loadFixture } from './dissect-util.js';
import { rng } from '../helpers.js';

const PROTOCOLS = [0, 4, 9, 12, 15, 16, 25];


const FIXTURE_PROTOCOL: Record<string, number> = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

function corpus(): { protocol: number; bytes: Uint8Array }[] {
  const dir = new URL('../../../test/fixtures/dissect/', import.meta.url);
  const out: { protocol: number; bytes: Uint8Array }[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.hex')).sort()) {
    const protocol = FIXTURE_PROTOCOL[f.split('-')[0]];
    assert.notEqual(protocol, undefined, `fixture ${f}: unknown protocol prefix`);
    for (const d of loadFixture(f.replace(/\.hex$/, ''))) out.push({ protocol, bytes: d.bytes });
  }
  return out;
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const pick = (n: number) => Math.floor(r() * n);
  switch (pick(6)) {
    case 0: { // flip a few bytes
      for (let i = 0, n = 1 + pick(8); i < n && b.length; i++) b[pick(b.length)] ^= 1 + pick(255);
      return b;
    }
    case 1: // truncate
      return b.subarray(0, pick(b.length + 1));
    case 2: { // nlmsg_len or an aligned u16 length that lies
      if (b.length < 4) return b;
      const at = pick(b.length >> 2) * 4;
      const lie = [0, 1, 3, 4, 15, 16, 17, 0xffff, b.length + 4, pick(0x10000)][pick(10)];
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (r() < 0.5 && at + 4 <= b.length) v.setUint32(at, r() < 0.3 ? 0xffffffff : lie, true);
      else v.setUint16(at, lie & 0xffff, true);
      return b;
    }
    case 3: { // splice in random bytes
      const junk = Uint8Array.from({ length: 1 + pick(24) }, () => pick(256));
      const at = pick(b.length + 1);
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, at));
      out.set(junk, at);
      out.set(b.subarray(at), at + junk.length);
      return out;
    }
    case 4: { // nested-attribute flag and type bits toggled on an aligned attribute header
      if (b.length < 24) return b;
      const at = 16 + pick((b.length - 16) >> 2) * 4;
      if (at + 4 <= b.length) b[at + 3] ^= [0x80, 0x40, 0xc0][pick(3)];
      return b;
    }
    default: // pure noise of the same length
      return Uint8Array.from(b, () => pick(256));
  }
}

test('every protocol has a registered dissector', () => {
  for (const p of PROTOCOLS) assert.ok(hasDissector(p), `protocol ${p}`);
});

test('seeded fuzz: mutated fixtures never throw and always terminate, under every dissector', () => {
  const r = rng(0x5eed1e55);
  const base = corpus();
  assert.ok(base.length > 50, `only ${base.length} datagrams in the fixtures`);
  const started = Date.now();
  let decoded = 0;
  const iterations = 4000;
  for (let i = 0; i < iterations; i++) {
    const src = base[Math.floor(r() * base.length)];
    const bytes = mutate(src.bytes, r);
    // Mostly its own protocol; sometimes another one's tables over the same bytes.
    const protocol = r() < 0.8 ? src.protocol : PROTOCOLS[Math.floor(r() * PROTOCOLS.length)];
    const schema = schemaFor(protocol);
    const ctx = newContext();
    let msgs;
    try {
      msgs = decodeDatagram(bytes, schema, ctx);
      for (const m of msgs) {
        JSON.stringify(m);
        JSON.stringify(toRecord(m, schema));
      }
    } catch (e) {
      assert.fail(`iteration ${i}, protocol ${protocol}, bytes ${Buffer.from(bytes).toString('hex')}: ${(e as Error).stack}`);
    }
    assert.ok(msgs.length <= bytes.length / 16 + 1, 'no more messages than the bytes can hold');
    decoded += msgs.length;
  }
  assert.ok(decoded > iterations / 2);
  assert.ok(Date.now() - started < 60_000, 'fuzzing took too long: something loops');
});

test('seeded fuzz: short and empty inputs', () => {
  const r = rng(42);
  for (const p of PROTOCOLS) {
    for (let len = 0; len < 64; len++) {
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      const msgs = decodeDatagram(bytes, schemaFor(p), newContext());
      for (const m of msgs) JSON.stringify(m);
    }
  }
});
