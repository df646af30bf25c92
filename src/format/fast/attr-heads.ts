// The pieces of the fast path's attribute writers that write no value: the compiled tables' shapes,
// the fixed texts, the walk of attribute headers, and the two openings writeSet uses most (a plain
// integer whole, and the head of any other attribute of a table).
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../../codec/index.js';
import type { AttrDef, AttrSet } from '../../schema/index.js';
import type { ByteLevel } from '../../schema/selector.js';
import { putBytes, putUint, type ByteWriter } from '../json-bytes.js';
import { FALLBACK } from './values.js';
import { putInt, wideInt } from './ints.js';

/** The attributes around a value, innermost first: where a sub-message finds its selector. */
export type Scope = ByteLevel;

/**
 * Writes what follows an attribute's head: `,"value":…`, `,"attrs":[…]`, `,"hex":…`. A scalar
 * body (`scalar` set) writes only the value: its `,"value":` goes with the names before it.
 */
export type BodyEmit = ((w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number, scope: Scope | undefined) => void) & { scalar?: boolean };

/**
 * Values written by writeSet itself, without a body closure (the bulk of every capture: a call
 * per attribute fewer, and fewer functions for the engine to warm up and optimise): a nest, a C
 * string, a flag, an integer shown by name. OTHER: the body writes it.
 */
export const OTHER = 0, NEST = 1, STRING = 2, FLAG = 3, NAMED = 4;

export interface CompiledAttr {
  /** `{"type":N,"offset":` */
  head: Buffer;
  /** A value written from its own bytes alone (no attributes inside): a template may write it again. */
  leaf: boolean;
  /** `,"name":"X","spec_name":"y"`, and `,"value":` after them for a scalar value. */
  names: Buffer;
  /** The value's writer; undefined for an `op` other than OTHER (writeSet writes those). */
  body: BodyEmit | undefined;
  /** The same with the value read big-endian (NLA_F_NET_BYTEORDER on the wire). */
  beBody?: BodyEmit;
  def: AttrDef;
  /** `,"len":L` and `names`, L the length of a plain integer attribute (kind set). */
  lenNames: Buffer;
  /** A plain integer (intKind) written in place, and its size; 0 for any other value. */
  kind: number;
  size: number;
  op: number;
  /** NEST: the nested set (looked up on first use; null: none the fast path can write). */
  nest: CompiledSet | null | undefined;
  /** NAMED: the integer's readInt kind, and its name by number. */
  readKind: number;
  nameOf: ((n: number) => Buffer | undefined) | undefined;
}

export interface CompiledSet {
  /** By type: undefined until met, null when the set has no such attribute. */
  attrs: (CompiledAttr | null | undefined)[];
  set: AttrSet;
  /** The tables have sub-messages: attribute scopes are kept for their selectors. */
  scoped: boolean;
}

export const LEN = Buffer.from(',"len":');
export const NESTED = Buffer.from(',"nested_flag":true');
export const NETORDER = Buffer.from(',"net_byteorder":true');
export const VALUE = Buffer.from(',"value":');
export const RAW = Buffer.from(',"raw":');
export const ATTRS = Buffer.from(',"attrs":[');
export const HEX = Buffer.from(',"hex":"');

/** Heads of attributes with no table (`{"type":N,"offset":`) and of array children, by type. */
const UNKNOWN_HEADS: Buffer[] = [];
const INDEX_HEADS: Buffer[] = [];

export function unknownHead(type: number): Buffer {
  return UNKNOWN_HEADS[type] ??= Buffer.from(`{"type":${type},"offset":`);
}

export function indexHead(type: number): Buffer {
  return INDEX_HEADS[type] ??= Buffer.from(`{"type":${type},"name":"[${type}]","offset":`);
}


/** Bytes too few for an attribute: padding when zero, else a problem. */
export function trailingZeros(b: Uint8Array, s: number, e: number): void {
  for (let i = s; i < e; i++) if (b[i] !== 0) throw FALLBACK;
}

/**
 * The length of the attribute at b[off] (its header included), or 0 where fewer than 4 bytes are
 * left before e (padding: zeros). A length that does not fit ends the fast path. The walkers'
 * shared steps are small functions with no callback, for V8 to inline into the hot loops.
 */
export function attrLen(b: Uint8Array, off: number, e: number): number {
  const left = e - off;
  if (left < 4) {
    trailingZeros(b, off, e);
    return 0;
  }
  const len = b[off]! | (b[off + 1]! << 8);
  if (len < 4 || len > left) throw FALLBACK;
  return len;
}

/** What every attribute opens with: `{"type":N,"offset":AT,"len":LEN` (`head` up to the offset), `,"nested":true`; a comma before all but the first. */
export function attrOpen(w: ByteWriter, head: Buffer, first: boolean, at: number, len: number, rawType: number): void {
  if (!first) w.byte(44);
  w.raw(head);
  w.uint(at);
  w.raw(LEN);
  w.uint(len);
  if (rawType & NLA_F_NESTED) w.raw(NESTED);
}

/** Do b[s, e) walk cleanly as attributes, at least one (the codec's looksLikeAttrs, without allocating)? */
export function looksLikeAttrs(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 4) return false;
  let off = s;
  while (off < e) {
    const left = e - off;
    if (left < 4) {
      for (let i = off; i < e; i++) if (b[i] !== 0) return false;
      break;
    }
    const len = b[off]! | (b[off + 1]! << 8);
    if (len < 4 || len > left) return false;
    off += (len + 3) & ~3;
  }
  return true;
}


/** The commonest attribute, a plain integer with no flag bits, in one go: `{"type":N,"offset":O,"len":L,"name":…,"value":V}`. */
export function plainInt(w: ByteWriter, b: Uint8Array, off: number, at: number, c: CompiledAttr, first: boolean): void {
  const need = c.head.length + c.lenNames.length + 36;
  if (w.pos + need > w.buf.length) w.room(need);
  const buf = w.buf;
  let p = w.pos;
  if (!first) buf[p++] = 44;
  p = putUint(buf, putBytes(buf, p, c.head), at);
  p = putBytes(buf, p, c.lenNames);
  const q = putInt(buf, p, b, off + 4, c.kind);
  if (q >= 0) {
    buf[q] = 125;
    w.pos = q + 1;
  } else {
    w.pos = p;
    wideInt(w, b, off + 4);
    w.byte(125);
  }
}

/** Any other attribute of a table opens in one go too: `{"type":N,"offset":O,"len":L`, its flags, then its names (and `,"value":` for a scalar). */
export function openAttr(w: ByteWriter, c: CompiledAttr, first: boolean, at: number, len: number, rawType: number): void {
  const need = c.head.length + c.names.length + NESTED.length + NETORDER.length + 24;
  if (w.pos + need > w.buf.length) w.room(need);
  const buf = w.buf;
  let p = w.pos;
  if (!first) buf[p++] = 44;
  p = putUint(buf, putBytes(buf, p, c.head), at);
  p = putUint(buf, putBytes(buf, p, LEN), len);
  if (rawType & NLA_F_NESTED) p = putBytes(buf, p, NESTED);
  if (rawType & NLA_F_NET_BYTEORDER) p = putBytes(buf, p, NETORDER);
  w.pos = putBytes(buf, p, c.names);
}
