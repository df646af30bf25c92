// The values of the dump records' fast path (records-fast.ts) that it takes from the general code or
// from the message's other keys: family names, tables, the keys the shapes read, route dsts,
// attribute values the writers stepped aside for, unknown attributes.
import { NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from '../codec/index.js';
import type { JsonBytes } from '../format/records-bytes.js';
import type { DecodeContext, FlatRecord, JsonValue } from '../schema/index.js';
import { recordAttrValue, unknownRecordValue } from '../schema/record-decode.js';
import { decodeScalar } from '../schema/values.js';
import { tableId } from './dump-filter.js';
import { ipFamily, moveUnknown } from './ip-records.js';
import { K_PROBE, type Field, type Layout } from './records-layout.js';

export type FastResult = 'written' | 'skipped' | 'general';

export const VALUE_CACHE_MAX = 4096;
/** `"key":value` pieces are kept by the integer under them, for integers below this. */
export const PIECES_MAX = 4096;

/**
 * The bytes written since `mark`, to be written again for the same value; undefined when they
 * escape a NUL (the mark that sends a record to the general writer must be set each time).
 */
export function piece(out: JsonBytes, mark: number): Uint8Array | undefined {
  const b = out.buf, n = out.pos - mark;
  for (let i = mark; i + 5 < out.pos; i++) if (b[i] === 0x5c && b[i + 1] === 0x75 && b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30) return undefined;
  // Copied by hand: a few bytes, and no Buffer view (a Buffer's subarray is JavaScript V8 compiles in).
  const copy = new Uint8Array(n);
  for (let i = 0; i < n; i++) copy[i] = b[mark + i];
  return copy;
}

/** A little-endian unsigned integer of 1, 2 or 4 bytes. */
/** keptPiece's answer when it wrote the kept text. */
export const PIECE_WRITTEN = -2;

/**
 * The `"key":value` text kept in `pieces` for the unsigned value `v`, written to `out` when there
 * is one (PIECE_WRITTEN); else where to keep the text once it is written (`v`), or -1 for a value
 * too large to keep.
 */
export function keptPiece(pieces: (Uint8Array | undefined)[], v: number, out: JsonBytes): number {
  if (v >= PIECES_MAX) return -1;
  const got = pieces[v];
  if (got === undefined) return v;
  out.raw(got);
  return PIECE_WRITTEN;
}

export function uintAt(p: Uint8Array, o: number, size: number | undefined): number {
  return size === 1 ? p[o] : size === 2 ? p[o] | (p[o + 1] << 8) : (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24)) >>> 0;
}

export abstract class RecordValues {
  private readonly families = new Map<JsonValue, JsonValue>();
  private readonly tables = new Map<JsonValue, number | undefined>();
  /** What routeDst wrote after the address of the message of generation dstGen ("/len\"" or nothing). */
  protected dstSuffix = '';
  protected dstGen = -1;

  constructor(protected readonly ctx: DecodeContext) {}

  protected undo(out: JsonBytes, start: number): FastResult {
    out.pos = start;
    return 'general';
  }

  protected familyOf(v: JsonValue | undefined): JsonValue | undefined {
    if (v === undefined) return undefined;
    let f = this.families.get(v);
    if (f === undefined) {
      f = ipFamily(v) ?? null;
      this.families.set(v, f);
    }
    return f;
  }

  /** ip's family name of this message (undefined: the layout has no family key). */
  protected familyAt(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): JsonValue | undefined {
    return l.familyKey >= 0 ? this.familyOf(this.keyValue(l, l.familyKey, p, ps, pe, hlen, gen)) : undefined;
  }

  protected tableOf(v: JsonValue | undefined): number | undefined {
    if (typeof v === 'number') return v;
    if (!this.tables.has(v!)) this.tables.set(v!, tableId(v));
    return this.tables.get(v!);
  }

  /** The record's value under key `k` before shaping: the attribute's, else the header field's. */
  protected keyValue(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): JsonValue | undefined {
    if (k < 0) return undefined;
    if (l.seen[k] === gen) return this.attrValue(l, k, p, ps, pe);
    const f = l.fieldOf[k];
    if (f < 0 || l.fields[f].off + l.fields[f].size > hlen) return undefined;
    return l.fields[f].value(p, ps);
  }

  /**
   * The bytes under key `k` as an unsigned little-endian integer, when they are one of at most
   * four bytes in the order their table gives (what the key's value is a function of); else -1.
   */
  protected intAt(l: Layout, k: number, p: Uint8Array, ps: number, hlen: number, gen: number): number {
    if (k < 0) return -1;
    let o: number, n: number;
    if (l.seen[k] === gen) {
      const raw = l.raw[k];
      const a = l.attrs[raw & NLA_TYPE_MASK]!;
      n = l.len[k] - 4;
      if (a.pieces === undefined || n !== a.size || (raw & NLA_F_NET_BYTEORDER) !== 0) return -1;
      o = l.at[k] + 4;
    } else {
      const fi = l.fieldOf[k];
      if (fi < 0) return -1;
      const f = l.fields[fi];
      if (f.pieces === undefined || f.off + f.size > hlen) return -1;
      o = ps + f.off;
      n = f.size;
    }
    return n === 1 ? p[o] : n === 2 ? p[o] | (p[o + 1] << 8) : (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24)) >>> 0;
  }

  /** A route's dst as ip writes it (routeDst): the address, with "/len" unless it is a host route. */
  protected routeDst(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, out: JsonBytes): void {
    const n = Number(this.keyValue(l, l.dstLenKey, p, ps, pe, hlen, gen) ?? 0);
    const family = this.familyAt(l, p, ps, pe, hlen, gen);
    const host = family === 'inet6' || family === 'AF_INET6' ? 128 : family === 'inet' || family === 'AF_INET' ? 32 : -1;
    this.attrAt(l, k, p, ps, pe, out);
    this.dstGen = gen;
    this.dstSuffix = n === host ? '' : `/${n}"`;
    if (!this.dstSuffix) return;
    // The value is a JSON string (a binary attribute's always is): "/len" goes inside its quotes.
    out.pos--;
    out.ascii(this.dstSuffix);
  }

  /** The keys the shapes and the filter read, with the values the general path gives them. */
  protected probe(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): FlatRecord {
    const rec: FlatRecord = {};
    for (const f of l.fields) {
      if (f.off + f.size > hlen) break;
      if (l.kind[f.key] === K_PROBE && l.seen[f.key] !== gen) rec[l.keys[f.key]] = f.value(p, ps);
    }
    for (const k of l.probedKeys) if (l.seen[k] === gen) rec[l.keys[k]] = this.attrValue(l, k, p, ps, pe);
    return rec;
  }

  /** The record value of the attribute under key `k`, by the general code (integers cached by value). */
  protected attrValue(l: Layout, k: number, p: Uint8Array, ps: number, pe: number): JsonValue {
    const raw = l.raw[k];
    const type = raw & NLA_TYPE_MASK;
    const a = l.attrs[type]!;
    const at = l.at[k];
    let n: number | bigint | undefined;
    if (a.read !== undefined && l.len[k] - 4 === a.size) {
      n = a.read(p, at + 4, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0);
      const hit = typeof n === 'number' ? a.values.get(n) : undefined;
      if (hit !== undefined) return hit;
    }
    let v: JsonValue;
    if (a.scalar) {
      // What recordAttrValue does for a scalar, without its checks for the other kinds.
      v = decodeScalar(p.subarray(at + 4, at + l.len[k]), (raw & NLA_F_NET_BYTEORDER) !== 0 ? { ...a.def, be: true } : a.def, l.schema).value;
    } else {
      // The general code reads one level of attributes (a sub-message looks for its selector there).
      const start = ps + l.attrsStart;
      const level = p.subarray(start, pe);
      v = recordAttrValue(level, at - start, l.len[k], raw, a.def, l.set, l.schema, this.ctx);
      // The general path moves unknown attributes of nested records under `unknown` too.
      if (v && typeof v === 'object' && !Array.isArray(v)) moveUnknown(v);
    }
    if (typeof n === 'number' && a.values.size < VALUE_CACHE_MAX && (v === null || typeof v !== 'object')) a.values.set(n, v);
    return v;
  }

  /**
   * `"key":value` of a header field in a record written from a template (records-fast.ts's
   * field() for the keys a template writes again: never the shape's, the family or an
   * attribute's too). Apart from field(), so that V8 compiles the few cases a template meets,
   * not all of field()'s. False: a value the writers do not cover.
   */
  protected fieldAgain(f: Field, p: Uint8Array, ps: number, out: JsonBytes): boolean {
    const pieces = f.pieces;
    const v = pieces !== undefined ? keptPiece(pieces, uintAt(p, ps + f.off, f.size), out) : -1;
    if (v === PIECE_WRITTEN) return true;
    const mark = out.pos;
    out.raw(f.keyBytes);
    if (!f.emit(p, ps + f.off, f.size, f.be, out)) return false;
    if (v >= 0) pieces![v] = piece(out, mark);
    return true;
  }

  /** `"key":value` of an attribute in a record written from a template (records-fast.ts's attr() for the keys a template writes again). */
  protected attrAgain(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, out: JsonBytes): void {
    const raw = l.raw[k];
    const a = l.attrs[raw & NLA_TYPE_MASK]!;
    const at = l.at[k], n = l.len[k] - 4;
    const pieces = a.pieces;
    const v = pieces !== undefined && n === a.size && (raw & NLA_F_NET_BYTEORDER) === 0 ? keptPiece(pieces, uintAt(p, at + 4, n), out) : -1;
    if (v === PIECE_WRITTEN) return;
    const mark = out.pos;
    out.raw(l.keyBytes[k]);
    const value = out.pos;
    if (!a.emit?.(p, at + 4, n, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0, out)) {
      out.pos = value;
      out.value(this.attrValue(l, k, p, ps, pe));
    }
    if (v >= 0) pieces![v] = piece(out, mark);
  }

  /** The attribute's value under key `k`; true when its writer wrote it, false when the general code did. */
  protected attrAt(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, out: JsonBytes): boolean {
    const raw = l.raw[k];
    const a = l.attrs[raw & NLA_TYPE_MASK]!;
    const off = l.at[k];
    const mark = out.pos;
    if (a.emit?.(p, off + 4, l.len[k] - 4, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0, out)) return true;
    // A writer that stepped aside may have written part of the value.
    out.pos = mark;
    out.value(this.attrValue(l, k, p, ps, pe));
    return false;
  }

  /** Attributes no table names, by type number (an object with integer keys lists them in order). */
  protected unknowns(l: Layout, p: Uint8Array, start: number, end: number, out: JsonBytes): void {
    const found: [number, number, number, number][] = [];
    for (let off = start; off + 4 <= end;) {
      const len = p[off] | (p[off + 1] << 8);
      if (len < 4 || off + len > end) break;
      const raw = p[off + 2] | (p[off + 3] << 8);
      if (l.attrKey[raw & NLA_TYPE_MASK] < 0) found.push([raw & NLA_TYPE_MASK, off, len, raw]);
      off += (len + 3) & ~3;
    }
    found.sort((a, b) => a[0] - b[0]);
    out.byte(0x7b);
    found.forEach(([type, off, len, raw], i) => {
      if (i) out.comma();
      out.ascii(`"${type}":`);
      out.value(unknownRecordValue(p.subarray(off + 4, off + len), raw, l.schema, this.ctx));
    });
    out.byte(0x7d);
  }
}
