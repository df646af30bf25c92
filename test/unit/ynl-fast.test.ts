// The YNL view straight from the bytes (ynl-fast.ts) must give what the general path gives
// (decodeMessage, then ynlMessage), as JSON text, key order included, on every fixture message
// read with the rt-* specs' own tables (as `dump --family rt-link` reads them) and on mutated ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { splitMessages, type RawMessage } from '../../src/codec/index.js';
import { jsonText } from '../../src/format/json.js';
import { decodeMessage, newContext, schemaFor, type Schema } from '../../src/schema/index.js';
import { ynlMessage } from '../../src/schema/ynl-json.js';
import { GENERAL, ynlFast } from '../../src/schema/ynl-fast.js';
import { specFamily } from '../../src/schema/ynl/index.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

const FAMILIES = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc'];

function messages(prefix: string): RawMessage[] {
  return readdirSync(fixturePath('dissect')).filter((f) => f.startsWith(prefix) && f.endsWith('.hex'))
    .flatMap((f) => hexFixture(`dissect/${f}`)).flatMap((x) => splitMessages(x.bytes).messages);
}

/** 'fast' when ynlFast gave the answer itself, 'general' when it handed it back; throws when they differ. */
function compare(m: RawMessage, schema: Schema, label: string): 'fast' | 'general' {
  const fast = ynlFast(m, schema, newContext());
  if (fast === GENERAL) return 'general';
  const want = ynlMessage(decodeMessage(m, schema, newContext()));
  assert.equal(fast === undefined ? 'undefined' : jsonText(fast), want === undefined ? 'undefined' : jsonText(want), label);
  return 'fast';
}

test('the YNL view from the bytes equals the general one on every rtnetlink fixture, by each rt spec', () => {
  const all = messages('route-');
  let fast = 0, general = 0;
  for (const name of FAMILIES) {
    const schema = specFamily(name)!.schema;
    for (const m of all) {
      const r = compare(m, schema, `${name} at ${m.offset}`);
      // Counted among the messages of this family's own types.
      if (schema.messages[m.header.type]?.attrs) r === 'fast' ? fast++ : general++;
    }
  }
  // Meaningful only if the fast path answered most of them itself.
  assert.ok(fast > 2 * general && fast > 60, `${fast} by the fast path, ${general} by the general one`);
});

test('protocols that learn from what they decode (generic netlink) take the general path', () => {
  for (const m of messages('genl-')) if (m.header.type >= 0x10) assert.equal(ynlFast(m, schemaFor(16), newContext()), GENERAL);
});

test('the YNL view from the bytes equals the general one on mutated messages (3,000 seeded cases)', () => {
  const next = rng(0x9a11);
  const all = messages('route-').filter((m) => m.header.type >= 0x10);
  let fast = 0;
  for (let i = 0; i < 3000; i++) {
    const m = all[Math.floor(next() * all.length)];
    const b = new Uint8Array(m.bytes);
    for (let k = 0; k < 3; k++) b[16 + Math.floor(next() * Math.max(1, b.length - 16))] = Math.floor(next() * 256);
    const mutated = splitMessages(b).messages[0];
    if (!mutated) continue;
    const schema = specFamily(FAMILIES[Math.floor(next() * FAMILIES.length)])!.schema;
    if (compare(mutated, schema, `case ${i}`) === 'fast') fast++;
  }
  assert.ok(fast > 150, `${fast} mutated messages answered by the fast path`);
});
