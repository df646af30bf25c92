// Scalar values and fixed structs of the fast JSON path, specialised once per table entry: each
// ValueDef becomes a closure that writes the value's JSON straight from the bytes. What is not
// specialised here goes through the general decodeScalar, so every value reads exactly as the
// general decoder shows it; anything the general decoder would flag as a problem ends the fast
// path for the message (FALLBACK).
import { cString, printableText } from '../../codec/index.js';
import { structSize, type FieldDef, type JsonValue, type Schema, type StructDef, type ValueDef, type WireType } from '../../schema/index.js';
import { decodeScalar, flagList, formatIPv6, INT_SIZES, readIntAt } from '../../schema/values.js';
import { jsonBytes, type ByteWriter } from '../json-bytes.js';

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
    case 'u16': return be ? (b, o) => (b[o]! << 8) | b[o + 1]! : (b, o) => b[o]! | (b[o + 1]! << 8);
    case 'u32': return be
      ? (b, o) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
      : (b, o) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
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
      return (w, b, s, e) => {
        hexString(w, b, s, e);
        return false;
      };
  }
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
      plans.push({ def: f, key: Buffer.alloc(0), pad: f.pad ?? 0, int: 0, size: 0, flexible: false, skip: f.size ?? 0 });
      continue;
    }
    // A repeated name would keep its first place with its last value: left to the general decoder.
    if (names.has(f.name)) return undefined;
    names.add(f.name);
    if (f.familyField !== undefined) scoped = true;
    const int = f.familyField === undefined ? INT_SIZES[f.type] ?? 0 : 0;
    const plan: FieldPlan = { def: f, key: Buffer.concat([jsonBytes(f.name), COLON]), pad: f.pad ?? 0, int, size: 0, flexible: false };
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
  const write = (w: ByteWriter, b: Uint8Array, s: number, e: number, raws?: RawList, outer?: Record<string, number>): void => {
    // Integer fields of this struct and those around it, for fields that read one (familyField).
    const scope = scoped || outer ? { ...outer } : undefined;
    const len = e - s;
    let off = 0;
    let first = true;
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
      if (!first) w.byte(44);
      first = false;
      w.raw(p.key);
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
