// Scalar values and fixed structs of the fast JSON path, specialised once per table entry: each
// ValueDef becomes a closure that writes the value's JSON straight from the bytes. What is not
// specialised here goes through the general decodeScalar, so every value reads exactly as the
// general decoder shows it; anything the general decoder would flag as a problem ends the fast
// path for the message (FALLBACK).
import { cString, printableText } from '../../codec/index.js';
import { structSize, type FieldDef, type JsonValue, type Schema, type StructDef, type ValueDef, type WireType } from '../../schema/index.js';
import { decodeScalar, flagList, formatIPv6, INT_SIZES, readIntAt } from '../../schema/values.js';
import { jsonBytes, putBytes, putUint, type ByteWriter } from '../json-bytes.js';

/** Thrown (never built per call) when a message must go to the general decoder. */
export const FALLBACK = new Error('left to the general decoder');

/**
 * Writes one value's JSON from b[s, e). Returns true when the value has a raw number behind it
 * (an enum or flag name), left in `raw.n`. `scope` holds the integer fields of enclosing structs.
 */
export type ScalarEmit = (w: ByteWriter, b: Uint8Array, s: number, e: number, scope?: Record<string, number>) => boolean;

/** The number behind the last value shown by name. */
export const raw = { n: 0 };

const TRUE = Buffer.from('true');
const COLON = Buffer.from(':');
const COMMA = Buffer.from(',');
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

/** An integer as a JSON value: numbers, or the general decoder's decimal string beyond 2^53. */
function intJson(w: ByteWriter, n: number | bigint): void {
  if (typeof n === 'number') w.num(n);
  else if (n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)) w.num(Number(n));
  else w.str(n.toString());
}

/** Pre-encoded renderings of a table's values, filled as values are met (bounded). */
const RENDER_CACHE = 4096;

/**
 * An integer of `size` bytes shown as intValue shows it: by enum name, as 0x hex, as flag names,
 * as an IPv4 address, or as a number.
 */
function intEmit(def: ValueDef, schema: Schema, type: WireType, size: number): ScalarEmit {
  const read = reader(type, def.be === true);
  const check = (s: number, e: number): void => {
    if (e - s !== size) throw FALLBACK;
  };
  if (def.enum) {
    const table = schema.enums[def.enum] ?? {};
    const names = new Map<number, Buffer>();
    for (const [k, name] of Object.entries(table)) names.set(Number(k), jsonBytes(name));
    return (w, b, s, e) => {
      check(s, e);
      const n = read(b, s);
      if (typeof n !== 'number') throw FALLBACK;
      const name = names.get(n);
      if (!name) {
        w.num(n);
        return false;
      }
      w.raw(name);
      raw.n = n;
      return true;
    };
  }
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
  if (def.flags) {
    const table = schema.flagSets[def.flags] ?? {};
    const lists = new Map<number, Buffer>();
    return (w, b, s, e) => {
      check(s, e);
      const n = read(b, s);
      if (typeof n !== 'number') throw FALLBACK;
      let list = lists.get(n);
      if (!list) {
        list = jsonBytes(flagList(n, table));
        if (lists.size < RENDER_CACHE) lists.set(n, list);
      }
      w.raw(list);
      raw.n = n;
      return true;
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
function stringEmit(): ScalarEmit {
  return (w, b, s, e) => {
    let end = s;
    while (end < e && b[end] !== 0) end++;
    if (!w.asciiBytes(b, s, end)) w.str(cString(b.subarray(s, e)));
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

/**
 * Integers shown as plain numbers (no enum, flags or display), written in place by putInt: the
 * bulk of every header and stats struct. 0 for any other value.
 */
const INT_KINDS: Record<string, number> = { u8: 1, u16: 2, u32: 3, s8: 4, s16: 5, s32: 6, u64: 7 };
const BE = 16;

export function intKind(def: ValueDef): number {
  if (def.enum || def.flags || def.display || def.familyField !== undefined) return 0;
  const k = INT_KINDS[def.type] ?? 0;
  if (!k || !def.be || k === 1 || k === 4) return k;
  return k === 7 ? 0 : k | BE;
}

/** The size of an integer kind. */
export const KIND_SIZE = [0, 1, 2, 4, 1, 2, 4, 8];

/**
 * The integer of `kind` at b[o], as digits at buf[p] (room for 22 bytes checked by the caller);
 * returns the end, or -1 for a u64 beyond 32 bits (the caller writes it through intJson).
 */
export function putInt(buf: Buffer, p: number, b: Uint8Array, o: number, kind: number): number {
  let n: number;
  switch (kind) {
    case 1: return putUint(buf, p, b[o]!);
    case 2: return putUint(buf, p, b[o]! | (b[o + 1]! << 8));
    case 2 | BE: return putUint(buf, p, (b[o]! << 8) | b[o + 1]!);
    case 3: return putUint(buf, p, (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
    case 3 | BE: return putUint(buf, p, ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0);
    case 4: n = (b[o]! << 24) >> 24; break;
    case 5: n = ((b[o]! | (b[o + 1]! << 8)) << 16) >> 16; break;
    case 5 | BE: n = (((b[o]! << 8) | b[o + 1]!) << 16) >> 16; break;
    case 6: n = b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24); break;
    case 6 | BE: n = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!; break;
    default: // u64, little-endian
      if ((b[o + 4]! | b[o + 5]! | b[o + 6]! | b[o + 7]!) !== 0) return -1;
      return putUint(buf, p, (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
  }
  if (n < 0) {
    buf[p++] = 45;
    n = -n;
  }
  return putUint(buf, p, n);
}

/** A u64 putInt left: through the general reading (a number while exact, else decimal text). */
export function wideInt(w: ByteWriter, b: Uint8Array, o: number): void {
  intJson(w, readIntAt(b, o, 'u64', false));
}

/** A struct as `{"field":value,…}`, and the raw numbers of fields shown by name (family headers). */
export interface StructEmit {
  size: number;
  /** Some field reads another's value (familyField), here or in a nested struct. */
  scoped: boolean;
  /** `"name":` of each field, by field index (for the raw object of a header). */
  keys: Buffer[];
  /** Writes the fields object; with `raws`, the raw numbers of named fields go there (in field order). */
  write(w: ByteWriter, b: Uint8Array, s: number, e: number, raws?: RawList, scope?: Record<string, number>): void;
}

/** Raw numbers of a header's fields shown by name: field indexes and numbers, reused per message. */
export interface RawList {
  count: number;
  fields: number[];
  values: number[];
}

interface FieldPlan {
  def: FieldDef;
  /** `"name":` */
  key: Buffer;
  /** `,"name":`, or `"name":` for the first field written */
  sep: Buffer;
  pad: number;
  /** Integer size, 0 for others. */
  int: number;
  emit?: ScalarEmit;
  nested?: StructEmit;
  size: number;
  flexible: boolean;
  skip?: number;
}

const STRUCTS = new WeakMap<Schema, Map<string, StructEmit | null>>();

/** A writer for a struct of plain integers only (stats and most headers): one tight loop. */
function plainInts(plans: FieldPlan[]): StructEmit['write'] | undefined {
  const seps: Buffer[] = [], offs: number[] = [], kinds: number[] = [];
  let off = 0, need = 0, room = 2;
  for (const p of plans) {
    off += p.pad;
    if (p.skip !== undefined) {
      off += p.skip;
      continue;
    }
    const kind = p.int ? intKind(p.def) : 0;
    if (!kind || p.nested) return undefined;
    seps.push(p.sep);
    offs.push(off);
    kinds.push(kind);
    room += p.sep.length + 22;
    off += p.int;
    need = off;
  }
  const n = seps.length;
  return (w, b, s, e) => {
    // Fields past the end are the general decoder's problem to report.
    if (e - s < need) throw FALLBACK;
    if (w.pos + room > w.buf.length) w.room(room);
    let buf = w.buf;
    let p = w.pos;
    buf[p++] = 123;
    for (let i = 0; i < n; i++) {
      p = putBytes(buf, p, seps[i]!);
      const q = putInt(buf, p, b, s + offs[i]!, kinds[i]!);
      if (q >= 0) p = q;
      else {
        w.pos = p;
        wideInt(w, b, s + offs[i]!);
        buf = w.buf;
        p = w.pos;
      }
    }
    buf[p++] = 125;
    w.pos = p;
  };
}

/** The struct writer for a table's struct, or undefined when it cannot be specialised. */
export function structEmit(name: string, schema: Schema): StructEmit | undefined {
  let cache = STRUCTS.get(schema);
  if (!cache) STRUCTS.set(schema, (cache = new Map()));
  if (cache.has(name)) return cache.get(name) ?? undefined;
  cache.set(name, null); // a struct holding itself stays with the general decoder
  const def = schema.structs[name];
  const emit = def ? compileStruct(def, schema) : undefined;
  cache.set(name, emit ?? null);
  return emit;
}

function compileStruct(def: StructDef, schema: Schema): StructEmit | undefined {
  const names = new Set<string>();
  const plans: FieldPlan[] = [];
  const fields = def.fields;
  let scoped = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.type === 'pad') {
      plans.push({ def: f, key: Buffer.alloc(0), sep: Buffer.alloc(0), pad: f.pad ?? 0, int: 0, size: 0, flexible: false, skip: f.size ?? 0 });
      continue;
    }
    // A repeated name would keep its first place with its last value: left to the general decoder.
    if (names.has(f.name)) return undefined;
    names.add(f.name);
    if (f.familyField !== undefined) scoped = true;
    const int = f.familyField === undefined ? INT_SIZES[f.type] ?? 0 : 0;
    const key = Buffer.concat([jsonBytes(f.name), COLON]);
    const plan: FieldPlan = { def: f, key, sep: names.size === 1 ? key : Buffer.concat([COMMA, key]), pad: f.pad ?? 0, int, size: 0, flexible: false };
    if (f.type === 'struct' && f.struct && schema.structs[f.struct]) {
      const nested = structEmit(f.struct, schema);
      if (!nested) return undefined;
      if (nested.scoped) scoped = true;
      plan.nested = nested;
      plan.size = nested.size;
    } else {
      plan.emit = scalarEmit(f, schema);
      plan.flexible = i === fields.length - 1 && f.size === undefined && (f.type === 'binary' || f.type === 'string');
      // As fieldSize reads it: a struct missing from the tables is 0 bytes.
      plan.size = f.type === 'struct' ? 0 : INT_SIZES[f.type] ?? f.size ?? 0;
    }
    plans.push(plan);
  }
  const size = structSize(def, schema);
  const plain = plainInts(plans);
  if (plain) return { size, scoped, keys: plans.map((p) => p.key), write: plain };
  const write = (w: ByteWriter, b: Uint8Array, s: number, e: number, raws?: RawList, outer?: Record<string, number>): void => {
    // Integer fields of this struct and those around it, for fields that read one (familyField).
    const scope = scoped || outer ? { ...outer } : undefined;
    const len = e - s;
    let off = 0;
    w.byte(123);
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i]!;
      off += p.pad;
      if (p.skip !== undefined) {
        off += p.skip;
        continue;
      }
      const size = p.flexible ? Math.max(0, len - off) : p.size;
      if (off + size > len) throw FALLBACK;
      w.raw(p.sep);
      if (p.nested) p.nested.write(w, b, s + off, s + off + size, undefined, scope);
      else if (p.emit!(w, b, s + off, s + off + size, scope) && raws) {
        raws.fields[raws.count] = i;
        raws.values[raws.count++] = raw.n;
      }
      if (scope && p.int) {
        const n = readIntAt(b, s + off, p.def.type, p.def.be);
        scope[p.def.name] = typeof n === 'number' ? n : Number(n);
      }
      off += size;
    }
    w.byte(125);
  };
  return { size, scoped, keys: plans.map((p) => p.key), write };
}
