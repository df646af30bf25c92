// The one lookup over declared layouts (src/schema/layouts.ts): direction by NLM_F_REQUEST,
// payload-only layouts, selectors, empty messages, unlisted types within ranges, families.
// The layouts it is given are made up here; the protocols' own are checked by their dissect tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NLM_F_REQUEST } from '../../src/codec/index.js';
import { lookupLayout, type MessageLayouts } from '../../src/schema/layouts.js';
import { newContext } from '../../src/schema/index.js';
import type { MessageDef } from '../../src/schema/types.js';

const def = (name: string): MessageDef => ({ name, kind: 'other' });
const REQ = { flags: NLM_F_REQUEST };
const REPLY = { flags: 0 };
const bytes = (...b: number[]) => Uint8Array.from(b);

test('layouts: a reply layout applies to replies only, a payload-only one not to empty messages', () => {
  const l: MessageLayouts = { types: { 5: { reply: def('R') }, 6: { withPayload: true, request: def('Q') } } };
  const ctx = newContext();
  assert.equal(lookupLayout(l, 5, bytes(1), ctx, REPLY)?.name, 'R');
  assert.equal(lookupLayout(l, 5, bytes(1), ctx, REQ), undefined);
  assert.equal(lookupLayout(l, 6, bytes(1), ctx, REQ)?.name, 'Q');
  assert.equal(lookupLayout(l, 6, bytes(), ctx, REQ), undefined);
  assert.equal(lookupLayout(l, 7, bytes(1), ctx, REQ), undefined);
});

test('layouts: a selector byte picks the case; an unknown value has none', () => {
  const l: MessageLayouts = { types: { 20: { select: { offset: 1, cases: { 3: { request: def('Q3'), reply: def('R3') } } } } } };
  const ctx = newContext();
  assert.equal(lookupLayout(l, 20, bytes(0, 3), ctx, REQ)?.name, 'Q3');
  assert.equal(lookupLayout(l, 20, bytes(0, 3), ctx, REPLY)?.name, 'R3');
  assert.equal(lookupLayout(l, 20, bytes(0, 4), ctx, REQ), undefined);
});

test('layouts: empty messages and unlisted types within the ranges', () => {
  const l: MessageLayouts = {
    empty: { 9: { request: def('E'), reply: def('E') } },
    unknown: { known: { 100: def('listed') }, layout: def('text'), ranges: [[100, 199]] },
  };
  const ctx = newContext();
  assert.equal(lookupLayout(l, 9, bytes(), ctx, REPLY)?.name, 'E');
  assert.equal(lookupLayout(l, 9, bytes(1), ctx, REPLY), undefined);
  assert.equal(lookupLayout(l, 150, bytes(1), ctx, REPLY)?.name, 'text');
  assert.equal(lookupLayout(l, 100, bytes(1), ctx, REPLY), undefined);
  assert.equal(lookupLayout(l, 200, bytes(1), ctx, REPLY), undefined);
});

test('layouts: a family type with no tables keeps the fixed header and names the family it knows', () => {
  const l: MessageLayouts = {
    families: { fixed: { 16: 'ctrl' }, tables: () => undefined, header: 'hdr', unknownSet: 'none', cmdOffset: 0, cmdEnums: { request: 'a', reply: 'b' } },
  };
  // Learned ids first (a decoder's context starts with nlctrl's), then the fixed ones.
  const ctx = { genlFamilies: new Map([[30, 'learned']]) };
  assert.deepEqual(lookupLayout(l, 30, bytes(1), ctx, REPLY), { name: '', kind: 'other', header: 'hdr', attrs: 'none', family: 'learned' });
  assert.equal(lookupLayout(l, 16, bytes(1), ctx, REPLY)?.family, 'ctrl');
  assert.equal(lookupLayout(l, 31, bytes(1), ctx, REPLY)?.family, undefined);
});
