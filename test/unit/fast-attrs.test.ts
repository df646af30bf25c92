// The values the fast JSON path's writeSet writes itself (nests, C strings, flags, integers shown
// by enum or flag names) and the end of a dump (NLMSG_DONE, its errno text kept by raw value),
// against the general decoder byte for byte: seeded random attributes under a table made for
// them, with every integer width, byte order, flag bit and length that does not fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessage } from '../../src/codec/index.js';
import type { AttrDef, Schema } from '../../src/schema/index.js';
import { same, type Datagram } from '../fast-compare.js';
import { rng } from '../helpers.js';

const INTS = ['u8', 'u16', 'u32', 's8', 's16', 's32'] as const;
const SIZE = { u8: 1, u16: 2, u32: 4, s8: 1, s16: 2, s32: 4 } as const;

/** Attribute types 1..: one entry per integer width, byte order and naming, then strings, flags and nests. */
function tables(): Schema {
  const top: Record<number, AttrDef> = {};
  let t = 1;
  for (const type of INTS) {
    for (const be of [false, true]) {
      top[t++] = { name: `T_${type}_ENUM${be ? '_BE' : ''}`, spec: `${type}-enum`, type, be, enum: 'small' };
      top[t++] = { name: `T_${type}_WIDE_ENUM${be ? '_BE' : ''}`, type, be, enum: 'wide' };
      top[t++] = { name: `T_${type}_FLAGS${be ? '_BE' : ''}`, type, be, flags: 'bits' };
      top[t++] = { name: `T_${type}_HEX_FLAGS`, type, be, flags: 'bits', display: 'hex' };
    }
  }
  top[t++] = { name: 'T_STRING', spec: 'string', type: 'string' };
  top[t++] = { name: 'T_PATH', type: 'string', display: 'unix-path' };
  top[t++] = { name: 'T_FLAG', type: 'flag' };
  top[t++] = { name: 'T_NEST', spec: 'nest', type: 'nest', nested: 'inner' };
  top[t++] = { name: 'T_NEST_NO_SET', type: 'nest', nested: 'missing' };
  top[t++] = { name: 'T_NEST_ANY', type: 'nest' };
  top[t++] = { name: 'T_U32', type: 'u32' };
  return {
    protocol: 99,
    name: 'fast-attrs',
    messages: { 0x20: { name: 'T_MSG', kind: 'new', attrs: 'top' } },
    structs: {},
    attrSets: { top: { prefix: 'T_', attrs: top }, inner: { prefix: 'T_', attrs: { 1: top[1]!, 2: { name: 'T_INNER_STRING', type: 'string' }, 3: { name: 'T_INNER', type: 'nest', nested: 'inner' } } } },
    // Small values, one past the index limit, a negative one, and keys that are not plain numbers.
    enums: {
      small: { 0: 'zero', 1: 'one', 7: 'seven', 255: 'ff', 1023: 'last-small' },
      wide: { 1024: 'first-wide', 65535: 'ffff', [-1]: 'minus-one', [-128]: 'minus-128', 0x7fffffff: 'max' },
    },
    flagSets: { bits: { 1: 'a', 2: 'b', 0x80: 'h', 0x8000: 'p', 0x80000000: 'top' } },
  };
}

const TABLES = tables();
const TYPES = Object.keys(TABLES.attrSets.top!.attrs).map(Number);
const EDGES = [0, 1, 7, 255, 1023, 1024, 0x80, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 31 - 1];

function attr(type: number, value: Uint8Array, flags: number): Uint8Array {
  const a = new Uint8Array(4 + value.length + ((4 - (value.length % 4)) % 4));
  new DataView(a.buffer).setUint16(0, 4 + value.length, true);
  new DataView(a.buffer).setUint16(2, type | flags, true);
  a.set(value, 4);
  return a;
}

function value(def: AttrDef, r: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(r() * n);
  const size = SIZE[def.type as keyof typeof SIZE];
  // One case in eight a length that does not fit the type.
  const len = r() < 0.125 ? pick(9) : size ?? pick(12);
  const out = new Uint8Array(len);
  if (size !== undefined && len === size) {
    const n = r() < 0.7 ? EDGES[pick(EDGES.length)]! : pick(2 ** 32);
    for (let i = 0; i < size; i++) out[def.be ? size - 1 - i : i] = (n >>> (8 * i)) & 0xff;
  } else if (def.type === 'string') {
    const text = ['eth0', 'wlan-😀', 'a"b\\c', '', 'x\u0001y', 'tab\there'][pick(6)]!;
    const bytes = new TextEncoder().encode(text);
    const s = new Uint8Array(Math.max(len, bytes.length + (r() < 0.8 ? 1 : 0)));
    s.set(bytes);
    if (r() < 0.2 && s.length) s[pick(s.length)] = [0, 0xff, 0x80][pick(3)]!;
    return s;
  } else for (let i = 0; i < len; i++) out[i] = pick(256);
  return out;
}

function attrs(r: () => number, depth: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++) {
    const type = TYPES[Math.floor(r() * TYPES.length)]!;
    const def = TABLES.attrSets.top!.attrs[type]!;
    const flags = [0, 0, 0, 0x8000, 0x4000, 0xc000][Math.floor(r() * 6)]!;
    const body = def.type === 'nest' && depth < 2 && r() < 0.8 ? attrs(r, depth + 1) : value(def, r);
    parts.push(attr(r() < 0.05 ? 200 : type, body, flags));
  }
  return Buffer.concat(parts);
}

test('nests, strings, flags and named integers written by writeSet read as the general decoder reads them (3,000 seeded messages)', () => {
  const r = rng(0x61747472);
  const ds: Datagram[] = [];
  let messages = 0, general = 0;
  for (let i = 0; i < 3000; i++) {
    ds.push({ protocol: 99, bytes: encodeMessage({ type: 0x20, flags: 0, seq: i, pid: 0 }, attrs(r, 0)) });
    if (ds.length === 25) {
      const n = same(ds, `messages ${i - 24}..${i}: ${ds.map((d) => Buffer.from(d.bytes).toString('hex')).join(' ')}`, () => TABLES);
      messages += n.messages;
      general += n.general;
      ds.length = 0;
    }
  }
  // Messages with a problem go to the general decoder; the rest must be the fast path's own.
  assert.ok(general < messages / 2, `${general} of ${messages} messages left to the general decoder`);
});

test('NLMSG_DONE of every length and errno, with and without extended ACK, twice over (the second time from the kept text)', () => {
  const r = rng(0x646f6e65);
  const ds: Datagram[] = [];
  for (let i = 0; i < 600; i++) {
    const len = [0, 2, 4, 4, 4, 8, 12][Math.floor(r() * 7)]!;
    const payload = new Uint8Array(len);
    const errno = [0, -1, -2, -16, -22, -95, -4095, 5, 0x7fffffff, -0x80000000][Math.floor(r() * 10)]!;
    if (len >= 4) new DataView(payload.buffer).setInt32(0, errno, true);
    for (let j = 4; j < len; j++) payload[j] = Math.floor(r() * 256);
    const flags = [0, 2, 0x200, 0x202, 0x100][Math.floor(r() * 5)]!;
    const bytes = encodeMessage({ type: 3, flags, seq: i, pid: 0 }, payload);
    ds.push({ protocol: [0, 16, 4][i % 3]!, bytes }, { protocol: [0, 16, 4][i % 3]!, bytes });
  }
  same(ds, 'NLMSG_DONE cases');
});
