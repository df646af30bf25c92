// Scalar values and fixed structs of the fast JSON path, specialised once per table entry: each
// ValueDef becomes a closure that writes the value's JSON straight from the bytes. What is not
// specialised here goes through the general decodeScalar, so every value reads exactly as the
// general decoder shows it; anything the general decoder would flag as a problem ends the fast
// path for the message (FALLBACK).
import { cString, printableText } from '../../codec/index.js';
import type { JsonValue, Schema, ValueDef, WireType } from '../../schema/index.js';
import { decodeScalar, flagList, formatIPv6, INT_SIZES, readIntAt } from '../../schema/values.js';
import { jsonBytes, type ByteWriter } from '../json-bytes.js';
import { intJson, intKind, putInt, wideInt } from './ints.js';

/** Thrown (never built per call) when a message must go to the general decoder. */
export const FALLBACK = new Error('left to the general decoder');

/**
 * Writes one value's JSON from b[s, e). Returns true when the value has a raw number behind it
 * (an enum or flag name), left in `raw.n`. `scope` holds the integer fields of enclosing structs.
 */
export type ScalarEmit = (w: ByteWriter, b: Uint8Array, s: number, e: number, scope?: Record<string, number>) => boolean;

/** The number behind the last value shown by name. */
export const raw = { n: 0 };

export const TRUE = Buffer.from('true');
export const COLON = Buffer.from(':');
export const COMMA = Buffer.from(',');
const QUOTE = 34;

/** Any small JSON value, as JSON.stringify writes it (values of the general decoder's rare paths). */
export function jsonValue(w: ByteWriter, v: JsonValue | undefined): void {
  if (typeof v === 'string') w.str(v);
  else if (typeof v === 'number') {
    if (Number.isFinite(v)) w.num(v);
    else w.ascii('null');
  } else if (typeof v === 'boolean') w.ascii(v ? 'true' : 'false');
  else if (v === null || v === undefined) w.ascii('null');
  else if (Array.isArray(v)) {
    w.byte(91);
    for (let i = 0; i < v.length; i++) {
      if (i) w.byte(44);
      jsonValue(w, v[i]);
    }
    w.byte(93);
  } else {
    w.byte(123);
    let first = true;
    for (const k of Object.keys(v)) {
      if (v[k] === undefined) continue;
      if (!first) w.byte(44);
      first = false;
      w.str(k);
      w.byte(58);
      jsonValue(w, v[k]);
    }
    w.byte(125);
  }
}

/** The general decoder's value, for what is not specialised: exact by construction. */
function general(def: ValueDef, schema: Schema): ScalarEmit {
  return (w, b, s, e, scope) => {
    const r = decodeScalar(b.subarray(s, e), def, schema, def.familyField !== undefined && scope ? scope[def.familyField] : undefined);
    if (r.problem) throw FALLBACK;
    jsonValue(w, r.value);
    if (r.raw === undefined) return false;
    if (typeof r.raw !== 'number') throw FALLBACK;
    raw.n = r.raw;
    return true;
  };
}

type Reader = (b: Uint8Array, o: number) => number | bigint;

function reader(type: WireType, be: boolean): Reader {
  switch (type) {
    case 'u8': return (b, o) => b[o]!;
    case 's8': return (b, o) => (b[o]! << 24) >> 24;
    case 'u16': return be ? (b, o) => (b[o]! << 8) | b[o + 1]! : (b, o) => b[o]! | (b[o + 1]! << 8);
    case 's16': return be ? (b, o) => (((b[o]! << 8) | b[o + 1]!) << 16) >> 16 : (b, o) => ((b[o]! | (b[o + 1]! << 8)) << 16) >> 16;
    case 'u32': return be
      ? (b, o) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
      : (b, o) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
    case 's32': return be
      ? (b, o) => (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!
      : (b, o) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    case 'u64':
      if (be) return (b, o) => readIntAt(b, o, type, be);
      // Two u32 halves, as readIntAt reads them: a number while exact, else a BigInt.
      return (b, o) => {
        const hi = (b[o + 4]! | (b[o + 5]! << 8) | (b[o + 6]! << 16) | (b[o + 7]! << 24)) >>> 0;
        if (hi === 0) return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
        return readIntAt(b, o, type, be);
      };
    default: return (b, o) => readIntAt(b, o, type, be);
  }
}

function ipv4(w: ByteWriter, b: Uint8Array, s: number): void {
  w.byte(QUOTE);
  w.uint(b[s]!); w.byte(46);
  w.uint(b[s + 1]!); w.byte(46);
  w.uint(b[s + 2]!); w.byte(46);
  w.uint(b[s + 3]!);
  w.byte(QUOTE);
}


/** Enum values below this are looked up by index. */
const SMALL_ENUM = 1024;

/** Pre-encoded renderings of a table's values, filled as values are met (bounded). */
const RENDER_CACHE = 4096;

/**
 * How intValue names an integer of `def`: by its enum, else (unless shown as hex) by its flags;
 * undefined for a number shown as such. The name is pre-encoded JSON; undefined where the table
 * has none (the number is shown, with no raw).
 */
export function intNames(def: ValueDef, schema: Schema): ((n: number) => Buffer | undefined) | undefined {
  if (def.enum) {
    const table = schema.enums[def.enum] ?? {};
    // Small values by index (a Map lookup per value cost more than the write), others by key.
    const small: (Buffer | undefined)[] = [];
    const other = new Map<number, Buffer>();
    for (const [k, name] of Object.entries(table)) {
      const n = Number(k);
      if (Number.isInteger(n) && n >= 0 && n < SMALL_ENUM) small[n] = jsonBytes(name);
      else other.set(n, jsonBytes(name));
    }
    return (n) => (n >= 0 && n < small.length ? small[n] : undefined) ?? other.get(n);
  }
  if (def.display === 'hex' || !def.flags) return undefined;
  const table = schema.flagSets[def.flags] ?? {};
  const lists = new Map<number, Buffer>();
  return (n) => {
    let list = lists.get(n);
    if (!list) {
      list = jsonBytes(flagList(n, table));
      if (lists.size < RENDER_CACHE) lists.set(n, list);
    }
    return list;
  };
}

/**
 * An integer of `size` bytes shown as intValue shows it: by enum name, as 0x hex, as flag names,
 * as an IPv4 address, or as a number.
 */
function intEmit(def: ValueDef, schema: Schema, type: WireType, size: number): ScalarEmit {
  const read = reader(type, def.be === true);
  const check = (s: number, e: number): void => {
    if (e - s !== size) throw FALLBACK;
  };
  // A name from a table (an enum's, or the list of flags), `,"raw":N` after it; the number alone
  // where the table has no name for it.
  const named = (nameOf: (n: number) => Buffer | undefined): ScalarEmit => (w, b, s, e) => {
    check(s, e);
    const n = read(b, s);
    if (typeof n !== 'number') throw FALLBACK;
    const name = nameOf(n);
    if (!name) {
      w.num(n);
      return false;
    }
    w.raw(name);
    raw.n = n;
    return true;
  };
  const nameOf = intNames(def, schema);
  if (nameOf) return named(nameOf);
  if (def.display === 'hex') {
    return (w, b, s, e) => {
      check(s, e);
      const n = read(b, s);
      w.byte(QUOTE);
      w.ascii('0x' + n.toString(16));
      w.byte(QUOTE);
      return false;
    };
  }
  if (def.display === 'ipv4' && size === 4) {
    return (w, b, s, e) => {
      check(s, e);
      ipv4(w, b, s);
      const n = read(b, s);
      if (typeof n !== 'number') throw FALLBACK;
      raw.n = n;
      return true;
    };
  }
  return (w, b, s, e) => {
    check(s, e);
    intJson(w, read(b, s));
    return false;
  };
}

/** A C string (to the first NUL), as cString decodes it. */
export function cStringJson(w: ByteWriter, b: Uint8Array, s: number, e: number): void {
  let end = s;
  while (end < e && b[end] !== 0) end++;
  if (!w.asciiBytes(b, s, end)) w.str(cString(b.subarray(s, e)));
}

function stringEmit(): ScalarEmit {
  return (w, b, s, e) => {
    cStringJson(w, b, s, e);
    return false;
  };
}

function hexString(w: ByteWriter, b: Uint8Array, s: number, e: number): void {
  w.byte(QUOTE);
  w.hex(b, s, e);
  w.byte(QUOTE);
}

/** Bytes shown as text when printable (printableText), else as hex. */
export function textOrHex(w: ByteWriter, b: Uint8Array, s: number, e: number): void {
  const t = printableText(b.subarray(s, e));
  if (t === undefined) hexString(w, b, s, e);
  else w.str(t);
}

function binaryEmit(def: ValueDef, schema: Schema): ScalarEmit {
  switch (def.display) {
    case undefined:
      return (w, b, s, e) => {
        hexString(w, b, s, e);
        return false;
      };
    case 'ipv4':
      return (w, b, s, e) => {
        if (e - s !== 4) throw FALLBACK;
        ipv4(w, b, s);
        return false;
      };
    case 'ipv6':
      return (w, b, s, e) => {
        if (e - s !== 16) throw FALLBACK;
        w.byte(QUOTE);
        w.ascii(formatIPv6(b.subarray(s, e)));
        w.byte(QUOTE);
        return false;
      };
    case 'addr':
      return (w, b, s, e) => {
        if (e - s === 4) ipv4(w, b, s);
        else if (e - s === 16) {
          w.byte(QUOTE);
          w.ascii(formatIPv6(b.subarray(s, e)));
          w.byte(QUOTE);
        } else hexString(w, b, s, e);
        return false;
      };
    case 'mac':
      return (w, b, s, e) => {
        w.byte(QUOTE);
        for (let i = s; i < e; i++) {
          if (i > s) w.byte(58);
          w.hex(b, i, i + 1);
        }
        w.byte(QUOTE);
        return false;
      };
    case 'text':
      return (w, b, s, e) => {
        textOrHex(w, b, s, e);
        return false;
      };
    default:
      return general(def, schema);
  }
}

/** A binary attribute holding back-to-back integers (decodeWide): a list of their values, no raw. */
function intArrayEmit(def: ValueDef, schema: Schema, type: WireType, size: number): ScalarEmit {
  const one = intEmit(def, schema, type, size);
  const kind = intKind({ ...def, type });
  if (kind) {
    // Plain numbers (sysctl arrays: IFLA_INET_CONF, IFLA_INET6_CONF): one loop, digits in place.
    return (w, b, s, e) => {
      if ((e - s) % size) throw FALLBACK;
      const need = 2 + ((e - s) / size) * 22;
      if (w.pos + need > w.buf.length) w.room(need);
      let buf = w.buf;
      let p = w.pos;
      buf[p++] = 91;
      for (let o = s; o < e; o += size) {
        if (o > s) buf[p++] = 44;
        const q = putInt(buf, p, b, o, kind);
        if (q >= 0) p = q;
        else {
          w.pos = p;
          wideInt(w, b, o);
          buf = w.buf;
          p = w.pos;
        }
      }
      buf[p++] = 93;
      w.pos = p;
      return false;
    };
  }
  return (w, b, s, e) => {
    if ((e - s) % size) throw FALLBACK;
    w.byte(91);
    for (let o = s; o < e; o += size) {
      if (o > s) w.byte(44);
      one(w, b, o, o + size);
    }
    w.byte(93);
    return false;
  };
}

/** uint/sint: 4 or 8 bytes. */
function wideEmit(def: ValueDef, schema: Schema): ScalarEmit {
  const signed = def.type === 'sint';
  const four = intEmit(def, schema, signed ? 's32' : 'u32', 4);
  const eight = intEmit(def, schema, signed ? 's64' : 'u64', 8);
  return (w, b, s, e, scope) => {
    if (e - s === 4) return four(w, b, s, e, scope);
    if (e - s === 8) return eight(w, b, s, e, scope);
    throw FALLBACK;
  };
}

/** A non-nested value of an attribute or a struct field. */
export function scalarEmit(def: ValueDef, schema: Schema): ScalarEmit {
  const size = INT_SIZES[def.type];
  if (size !== undefined) return intEmit(def, schema, def.type, size);
  if (def.type === 'uint' || def.type === 'sint') return wideEmit(def, schema);
  if (def.type === 'binary' && def.subType && INT_SIZES[def.subType]) return intArrayEmit(def, schema, def.subType, INT_SIZES[def.subType]!);
  if (def.type === 'bitfield32' || (def.type === 'binary' && def.subType)) return general(def, schema);
  switch (def.type) {
    case 'flag':
      return (w, _b, s, e) => {
        if (e !== s) throw FALLBACK;
        w.raw(TRUE);
        return false;
      };
    case 'string':
      return def.display === 'unix-path' ? general(def, schema) : stringEmit();
    case 'binary':
      return binaryEmit(def, schema);
    default:
      // Anything else (a kind of value added later) reads as the general decoder reads it.
      return general(def, schema);
  }
}
