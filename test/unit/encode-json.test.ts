// Seeded fuzzing of the JSON encoder: whatever the decoder makes of mutated fixtures, its JSON
// encodes back to bytes, without an error.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { splitMessages } from '../../src/codec/index.js';
import { decodeDatagram, newContext, schemaFor, type DecodedMessage } from '../../src/schema/index.js';
import { encodeDecodedMessage } from '../../src/schema/encode-json.js';
import { loadFixture } from './dissect-util.js';
import { rng } from '../helpers.js';

const FIXTURE_PROTOCOL: Record<string, number> = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

function fixtures(): { name: string; protocol: number; datagrams: Uint8Array[] }[] {
  const dir = new URL('../../../test/fixtures/dissect/', import.meta.url);
  return readdirSync(dir).filter((n) => n.endsWith('.hex')).sort().map((f) => {
    const protocol = FIXTURE_PROTOCOL[f.split('-')[0]];
    assert.notEqual(protocol, undefined, `fixture ${f}: unknown protocol prefix`);
    return { name: f, protocol, datagrams: loadFixture(f.replace(/\.hex$/, '')).map((d) => d.bytes) };
  });
}

/**
 * A fixture decodes cleanly when nothing in it is malformed. A value whose layout the kernel's
 * spec leaves out (tc's spec has no htb format for TCA_STATS_APP) is kept as hex and said; that is
 * a gap in the tables, not in the bytes, and the round trip still has to hold for it.
 */
const SPEC_GAP = /^[A-Z0-9_]+: no format for kind '[^']+' in sub-message /;
function hasProblems(m: DecodedMessage): boolean {
  const text = JSON.stringify(m, (k, v) => (k === 'diagnostics' ? (v as { message: string }[]).filter((d) => !SPEC_GAP.test(d.message)) : v));
  return m.truncated === true || /"diagnostics":\[\{/.test(text);
}

test('the JSON the decoder makes of mutated fixtures always encodes', () => {
  const r = rng(20261201);
  let cases = 0;
  for (const { name, protocol, datagrams } of fixtures()) {
    const schema = schemaFor(protocol);
    for (let round = 0; round < 60; round++) {
      const ctx = newContext();
      for (const original of datagrams) {
        const bytes = Uint8Array.from(original);
        for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
        const json: DecodedMessage[] = JSON.parse(JSON.stringify(decodeDatagram(bytes, schema, ctx)));
        for (const m of json) {
          cases++;
          try {
            encodeDecodedMessage(m, schema);
          } catch (e) {
            assert.fail(`${name} round ${round}, ${Buffer.from(bytes).toString('hex')}: ${(e as Error).message}`);
          }
        }
      }
    }
  }
  assert.ok(cases > 4000, `${cases} cases`);
});

test('every unmutated fixture datagram comes back byte for byte, in process', () => {
  for (const { name, protocol, datagrams } of fixtures()) {
    const schema = schemaFor(protocol);
    const ctx = newContext();
    for (const bytes of datagrams) {
      const json: DecodedMessage[] = JSON.parse(JSON.stringify(decodeDatagram(bytes, schema, ctx)));
      assert.ok(json.every((m) => !hasProblems(m)), `${name}: the fixture decodes cleanly`);
      const back = Buffer.concat(json.map((m) => encodeDecodedMessage(m, schema)));
      const last = splitMessages(bytes).messages.at(-1);
      const want = schema.framing === 'raw' || !last ? bytes : bytes.subarray(0, last.offset + ((last.header.len + 3) & ~3));
      assert.equal(back.toString('hex'), Buffer.from(want).toString('hex'), name);
    }
  }
});
