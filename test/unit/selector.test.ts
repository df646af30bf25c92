// The sub-message selector lookup (src/schema/selector.ts) on tables made up for the purpose:
// the selector is found in the sub-message's level or in an enclosing one, the first level
// whose set defines it decides (as YNL's attribute scopes do), and a missing selector or a
// value with no format is said, never guessed. The decoder and the three encoders use it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAttrs, encodeHeader, type AttrSpec } from '../../src/codec/index.js';
import { decodeAttrs, decodeDatagram, newContext, type DecodedAttr, type Schema } from '../../src/schema/index.js';
import { encodeDecodedMessage } from '../../src/schema/encode-json.js';
import { parseAttrSpecs } from '../../src/schema/encode.js';
import { ynlAttrs } from '../../src/schema/ynl-encode.js';
import { selectFormatInBytes, type ByteLevel } from '../../src/schema/selector.js';

const MSG = 0x20;

/**
 * `top` carries the selector (kind) and a nest `inner` whose sub-message `data` selects by it;
 * `shadow` defines a kind of its own, which it does not carry; `lonely` has a sub-message
 * whose selector no set around it defines. `kinds` is an enum selector keyed by number.
 */
const schema: Schema = {
  protocol: 99, name: 'toy',
  messages: { [MSG]: { name: 'T_MSG', kind: 'other', attrs: 'top' } },
  structs: {},
  attrSets: {
    top: { prefix: 'T_', attrs: {
      1: { name: 'T_KIND', spec: 'kind', type: 'string' },
      2: { name: 'T_INNER', spec: 'inner', type: 'nest', nested: 'inner' },
      3: { name: 'T_SHADOW', spec: 'shadow', type: 'nest', nested: 'shadow' },
      4: { name: 'T_LONELY', spec: 'lonely', type: 'nest', nested: 'lonely' },
    } },
    inner: { prefix: 'I_', attrs: {
      1: { name: 'I_ID', spec: 'id', type: 'u32' },
      2: { name: 'I_DATA', spec: 'data', type: 'sub-message', subMessage: 'sm', selector: 'kind' },
    } },
    shadow: { prefix: 'S_', attrs: {
      1: { name: 'S_KIND', spec: 'kind', type: 'string' },
      2: { name: 'S_DATA', spec: 'data', type: 'sub-message', subMessage: 'sm', selector: 'kind' },
    } },
    lonely: { prefix: 'L_', attrs: { 1: { name: 'L_DATA', spec: 'data', type: 'sub-message', subMessage: 'sm', selector: 'nosuch' } } },
    numbered: { prefix: 'N_', attrs: {
      1: { name: 'N_TYPE', spec: 'type', type: 'u8', enum: 'kinds' },
      2: { name: 'N_DATA', spec: 'data', type: 'sub-message', subMessage: 'sm', selector: 'type' },
    } },
    'foo-attrs': { prefix: 'F_', attrs: { 1: { name: 'F_X', spec: 'x', type: 'u32' } } },
  },
  enums: { kinds: { 1: 'foo', 2: 'two' } },
  flagSets: {},
  subMessages: { sm: { foo: { attrs: 'foo-attrs' }, 2: { attrs: 'foo-attrs' } } },
};

const str = (s: string): Uint8Array => new TextEncoder().encode(s + '\0');
const u32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
const level = (set: string, specs: AttrSpec[], outer?: ByteLevel): ByteLevel => {
  const b = encodeAttrs(specs);
  return { set: schema.attrSets[set], b, s: 0, e: b.length, outer };
};
const DATA: AttrSpec = { type: 2, children: [{ type: 1, value: u32(5) }] };

test('a selector in the enclosing level picks the format', () => {
  const outer = level('top', [{ type: 1, value: str('foo') }]);
  const picked = selectFormatInBytes(schema.attrSets.inner.attrs[2], schema, level('inner', [DATA], outer));
  assert.deepEqual(picked, { format: { attrs: 'foo-attrs' }, value: { text: 'foo' } });
});

test('the first level whose set defines the selector decides, even when it lacks it', () => {
  const outer = level('top', [{ type: 1, value: str('foo') }]);
  assert.deepEqual(selectFormatInBytes(schema.attrSets.shadow.attrs[2], schema, level('shadow', [DATA], outer)), { problem: 'absent' });
  assert.deepEqual(selectFormatInBytes(schema.attrSets.lonely.attrs[1], schema, level('lonely', [DATA], outer)), { problem: 'undefined' });
});

test('a value with no format is said with the formats there are; an enum selector also matches by number', () => {
  const outer = level('top', [{ type: 1, value: str('bar') }]);
  assert.deepEqual(selectFormatInBytes(schema.attrSets.inner.attrs[2], schema, level('inner', [DATA], outer)), { problem: 'no-format', value: { text: 'bar' }, known: ['2', 'foo'] });
  const named = level('numbered', [{ type: 1, value: Uint8Array.of(1) }, DATA]);
  assert.deepEqual(selectFormatInBytes(schema.attrSets.numbered.attrs[2], schema, named), { format: { attrs: 'foo-attrs' }, value: { text: 'foo', raw: '1' } });
  const byNumber = level('numbered', [{ type: 1, value: Uint8Array.of(2) }, DATA]);
  assert.deepEqual(selectFormatInBytes(schema.attrSets.numbered.attrs[2], schema, byNumber), { format: { attrs: 'foo-attrs' }, value: { text: 'two', raw: '2' } });
  const unnamed = level('numbered', [{ type: 1, value: Uint8Array.of(3) }, DATA]);
  assert.deepEqual(selectFormatInBytes(schema.attrSets.numbered.attrs[2], schema, unnamed), { problem: 'no-format', value: { text: '3' }, known: ['2', 'foo'] });
});

/** T_MSG { kind, inner { id, data { x } } } as a datagram. */
function message(kind: string): Uint8Array {
  const body = encodeAttrs([{ type: 1, value: str(kind) }, { type: 2, children: [{ type: 1, value: u32(9) }, DATA] }]);
  const out = new Uint8Array(16 + body.length);
  encodeHeader({ len: out.length, type: MSG, flags: 0, seq: 1, pid: 0 }, out);
  out.set(body, 16);
  return out;
}

const find = (attrs: DecodedAttr[] | undefined, name: string): DecodedAttr | undefined => attrs?.find((a) => a.name === name);

test('the decoder reads a sub-message by an enclosing selector, and says when it cannot', () => {
  const m = decodeDatagram(message('foo'), schema, newContext())[0];
  const data = find(find(m.attrs, 'T_INNER')?.attrs, 'I_DATA');
  assert.deepEqual(data?.attrs?.map((a) => [a.name, a.value]), [['F_X', 5]]);
  assert.equal(data?.diagnostics, undefined);

  const bad = decodeDatagram(message('bar'), schema, newContext())[0];
  const undecoded = find(find(bad.attrs, 'T_INNER')?.attrs, 'I_DATA');
  assert.deepEqual(undecoded?.diagnostics?.map((d) => d.message), ["I_DATA: no format for kind 'bar' in sub-message sm"]);
  // Its attributes are still shown, walked with no table.
  assert.deepEqual(undecoded?.attrs?.map((a) => [a.type, a.name]), [[1, undefined]]);

  const diags: { offset: number; message: string }[] = [];
  const attrs = decodeAttrs(encodeAttrs([{ type: 3, children: [DATA] }]), 'top', schema, newContext(), 0, diags);
  assert.deepEqual(attrs[0].attrs?.[0].diagnostics?.map((d) => d.message), ['S_DATA: selector kind not found']);
});

test('the JSON encoder finds an enclosing selector: decode then encode gives the bytes back', () => {
  const bytes = message('foo');
  const m = decodeDatagram(bytes, schema, newContext())[0];
  assert.deepEqual(encodeDecodedMessage(m, schema), bytes);
  const orphan = { ...m, attrs: m.attrs!.filter((a) => a.name !== 'T_KIND') };
  assert.throws(() => encodeDecodedMessage(orphan, schema), /I_DATA: no sub-message format for its selector kind/);
});

test('--attr and YNL JSON find an enclosing selector, and ask for it when it is missing', () => {
  const want = encodeAttrs([{ type: 1, value: str('foo') }, { type: 2, children: [{ type: 1, value: u32(9) }, DATA] }]);
  assert.deepEqual(encodeAttrs(parseAttrSpecs('kind=foo,inner={id=9,data={x=5}}', schema, 'top')), want);
  assert.deepEqual(encodeAttrs(ynlAttrs({ kind: 'foo', inner: { id: 9, data: { x: 5 } } }, schema.attrSets.top, schema)), want);
  assert.throws(() => parseAttrSpecs('inner={data={x=5}}', schema, 'top'), /I_DATA: give kind beside it/);
  assert.throws(() => parseAttrSpecs('kind=bar,inner={data={x=5}}', schema, 'top'), /I_DATA: no format for kind 'bar' \(known: 2, foo\)/);
  assert.throws(() => ynlAttrs({ inner: { data: { x: 5 } } }, schema.attrSets.top, schema), /inner\.data: give kind first/);
  // The nest's own set defines kind: an outer one does not stand in for it.
  assert.throws(() => ynlAttrs({ kind: 'foo', shadow: { data: { x: 5 } } }, schema.attrSets.top, schema), /shadow\.data: give kind first/);
});
