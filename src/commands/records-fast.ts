// The dump records' fast path: for each message layout (family header + attribute set), a plan
// compiled once from the tables writes the ip-shaped record (ip-records.ts) as JSON bytes straight
// from the message, with no record object and no JSON.stringify. It gives exactly the text of the
// general path (decodeRecord → filter → ipRecord → jsonText); what it does not cover (repeated
// attributes, layouts with switches, odd values) goes through that general path, per message or
// per value. test/unit/records-fast.test.ts compares both byte for byte.
import { CONTROL_TYPES, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, type RawMessage } from '../codec/index.js';
import { JsonBytes } from '../format/records-bytes.js';
import { takeNul } from '../format/json-bytes.js';
import type { DecodeContext, FlatRecord, JsonValue, MessageDef, Schema } from '../schema/index.js';
import { recordAttrValue, unknownRecordValue } from '../schema/record-decode.js';
import { decodeScalar } from '../schema/values.js';
import type { RecordFilter } from './dump-filter.js';
import { tableId } from './dump-filter.js';
import { ipFamily, ipShape, moveUnknown, SHAPE_READS } from './ip-records.js';
import { compileLayout, K_DST, K_FAMILY, K_PLAIN, K_PROBE, type Layout } from './records-layout.js';

/** What a record of one dump shortcut needs: the shape's name, the filter, interface names. */
export interface RecordsPlan {
  what: string;
  schema: Schema;
  filter: RecordFilter;
  ctx: DecodeContext;
}

export type FastResult = 'written' | 'skipped' | 'general';

const LAYOUTS = new WeakMap<MessageDef, Map<string, Layout | null>>();
const VALUE_CACHE_MAX = 4096;
/** `"key":value` pieces are kept by the integer under them, for integers below this. */
const PIECES_MAX = 4096;

/**
 * The bytes written since `mark`, to be written again for the same value; undefined when they
 * escape a NUL (the mark that sends a record to the general writer must be set each time).
 */
function piece(out: JsonBytes, mark: number): Uint8Array | undefined {
  const b = out.buf;
  for (let i = mark; i + 5 < out.pos; i++) if (b[i] === 0x5c && b[i + 1] === 0x75 && b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30) return undefined;
  return new Uint8Array(b.subarray(mark, out.pos));
}

export class FastRecords {
  private readonly probeKeys: Set<string>;
  private readonly cacheKey: string;
  /** Messages written by the compiled plans, and by the general path (for tests and benchmarks). */
  fast = 0;
  general = 0;
  private lastDef?: MessageDef;
  private lastLayout: Layout | null = null;
  private readonly families = new Map<JsonValue, JsonValue>();
  private readonly tables = new Map<JsonValue, number | undefined>();

  constructor(private readonly plan: RecordsPlan) {
    this.probeKeys = new Set([...(SHAPE_READS[plan.what] ?? []), ...plan.filter.reads]);
    this.cacheKey = `${plan.what}\0${[...this.probeKeys].join(',')}`;
  }

  /** Whether the dump shortcut `what` has a fast path at all. */
  static covers(what: string): boolean {
    return SHAPE_READS[what] !== undefined;
  }

  private layout(def: MessageDef, s: Schema): Layout | null {
    let byPlan = LAYOUTS.get(def);
    if (!byPlan) LAYOUTS.set(def, (byPlan = new Map()));
    let l = byPlan.get(this.cacheKey);
    if (l === undefined || (l && l.schema !== s)) {
      l = compileLayout(def, s, this.plan.what, this.probeKeys, this.plan.filter.devKey);
      byPlan.set(this.cacheKey, l);
    }
    return l;
  }

  /** Write the record of `m` to `out`: written, skipped (control message or filtered out), or left to the general path. */
  write(m: RawMessage, out: JsonBytes): FastResult {
    return this.writeAt(m.payload, 0, m.payload.length, m.header.type, m.truncated, out);
  }

  /** write() for a message whose payload is `b[ps..pe)`, read in place (no message object). */
  writeAt(b: Uint8Array, ps: number, pe: number, type: number, truncated: boolean, out: JsonBytes): FastResult {
    const r = this.tryWrite(b, ps, pe, type, truncated, out);
    if (r === 'written') this.fast++;
    else if (r === 'general') this.general++;
    return r;
  }

  private tryWrite(p: Uint8Array, ps: number, pe: number, type: number, truncated: boolean, out: JsonBytes): FastResult {
    const { schema } = this.plan;
    if (CONTROL_TYPES[type]) return 'skipped';
    const def = schema.messages[type];
    if (!def || schema.resolve || schema.learn || def.payload || !def.attrs || truncated) return 'general';
    if (def !== this.lastDef) {
      this.lastLayout = this.layout(def, schema);
      this.lastDef = def;
    }
    const l: Layout | null = this.lastLayout;
    if (!l) return 'general';
    // Layouts are shared; the names and copies kept in them are this command's.
    if (l.owner !== this) {
      l.owner = this;
      if (l.ops) for (const op of l.ops) op.byAttr.clear(), op.byField.clear();
    }
    const gen = ++l.generation;
    const attrsStart = ps + l.attrsStart;
    const hasAttrs = attrsStart < pe;
    // First pass over the attributes: where each one is; repeated keys take the general path.
    let unknown = 0;
    if (hasAttrs) {
      for (let off = attrsStart; off + 4 <= pe;) {
        const len = p[off] | (p[off + 1] << 8);
        if (len < 4 || off + len > pe) break;
        const raw = p[off + 2] | (p[off + 3] << 8);
        const type = raw & NLA_TYPE_MASK;
        const k = l.attrKey[type];
        if (k < 0) {
          if (l.unknownSeen[type] === gen) return 'general';
          l.unknownSeen[type] = gen;
          unknown++;
        } else {
          if (l.seen[k] === gen) return 'general';
          l.seen[k] = gen;
          l.at[k] = off;
          l.len[k] = len;
          l.raw[k] = raw;
        }
        off += (len + 3) & ~3;
      }
    }
    const hlen = l.headerSize < pe - ps ? l.headerSize : pe - ps;
    const filter = this.plan.filter;
    let probe: FlatRecord | undefined, probed = 0;
    if (l.ops) {
      // The shape as data: the filter and the names from the values themselves.
      if (filter.table !== undefined && this.tableOf(this.keyValue(l, l.tableKey, p, ps, pe, hlen, gen)) !== filter.table) return 'skipped';
      if (filter.devIndex !== undefined && this.keyValue(l, l.devKey, p, ps, pe, hlen, gen) !== filter.devIndex) return 'skipped';
    } else {
      // The shape as code, run on the keys it reads, valued by the general code.
      probe = this.probe(l, p, ps, pe, hlen, gen);
      if (!filter.keep(probe)) return 'skipped';
      probed = Object.keys(probe).length;
      ipShape(this.plan.what, probe, filter.names);
    }
    const start = out.pos;
    takeNul();
    out.byte(0x7b);
    let first = true;
    const fields = l.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (f.off + f.size > hlen) break;
      if (!first) out.comma();
      first = false;
      const k = f.key;
      l.done[k] = gen;
      const pieces = f.pieces;
      // A header value not taken over by an attribute: its `"key":value` by the field's bytes.
      let v = -1;
      if (pieces !== undefined && l.seen[k] !== gen) {
        const o = ps + f.off;
        v = f.size === 1 ? p[o] : f.size === 2 ? p[o] | (p[o + 1] << 8) : (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24)) >>> 0;
        if (v < PIECES_MAX) {
          const piece = pieces[v];
          if (piece !== undefined) {
            out.raw(piece);
            continue;
          }
        } else v = -1;
      }
      const mark = out.pos;
      out.raw(f.keyBytes);
      const kind = l.kind[k];
      if (kind === K_PROBE) out.value(probe![l.keys[k]]);
      else if (kind === K_FAMILY && this.familyAt(l, p, ps, pe, hlen, gen) !== undefined) out.value(this.familyAt(l, p, ps, pe, hlen, gen));
      else if (l.seen[k] === gen) this.attrAt(l, k, p, ps, pe, out);
      else if (!f.emit(p, ps + f.off, f.size, f.be, out)) return this.undo(out, start);
      if (v >= 0) pieces![v] = piece(out, mark);
    }
    if (hasAttrs) {
      for (let off = attrsStart; off + 4 <= pe;) {
        const len = p[off] | (p[off + 1] << 8);
        if (len < 4 || off + len > pe) break;
        const raw = p[off + 2] | (p[off + 3] << 8);
        const k = l.attrKey[raw & NLA_TYPE_MASK];
        const at = off;
        off += (len + 3) & ~3;
        if (k < 0 || l.done[k] === gen) continue;
        if (!first) out.comma();
        first = false;
        const kind = l.kind[k];
        if (kind === K_PLAIN) {
          // An integer in its own byte order: its `"key":value` by its bytes.
          const a = l.attrs[raw & NLA_TYPE_MASK]!;
          const pieces = a.pieces;
          if (pieces !== undefined && len - 4 === a.size && (raw & NLA_F_NET_BYTEORDER) === 0) {
            const o = at + 4;
            const v = a.size === 1 ? p[o] : a.size === 2 ? p[o] | (p[o + 1] << 8) : (p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24)) >>> 0;
            if (v < PIECES_MAX) {
              const got = pieces[v];
              if (got !== undefined) out.raw(got);
              else {
                const mark = out.pos;
                out.raw(l.keyBytes[k]);
                this.attrAt(l, k, p, ps, pe, out);
                pieces[v] = piece(out, mark);
              }
              continue;
            }
          }
        }
        out.raw(l.keyBytes[k]);
        if (kind === K_PROBE) out.value(probe![l.keys[k]]);
        else if (kind === K_FAMILY) out.value(this.familyAt(l, p, ps, pe, hlen, gen)!);
        else if (kind === K_DST) this.routeDst(l, k, p, ps, pe, hlen, gen, out);
        else this.attrAt(l, k, p, ps, pe, out);
      }
    }
    if (unknown) {
      if (!first) out.comma();
      first = false;
      out.ascii('"unknown":');
      this.unknowns(l, p, attrsStart, pe, out);
    }
    // What the shapes add (dev names, metric …) comes last, after `unknown`, as in ipRecord.
    if (l.ops) {
      for (const op of l.ops) {
        if (op.op === 'route-dst') {
          if (l.seen[op.keyIndex] === gen) continue;
          const n = Number(this.keyValue(l, l.dstLenKey, p, ps, pe, hlen, gen) ?? 0);
          if (!first) out.comma();
          first = false;
          out.raw(op.keyBytes);
          out.value(n === 0 ? 'default' : `0/${n}`);
          continue;
        }
        // Names and copies by the integer they come from (an attribute's or a header field's).
        const src = this.intAt(l, op.from, p, ps, hlen, gen);
        const cache = src >= 0 ? (l.seen[op.from] === gen ? op.byAttr : op.byField) : undefined;
        const got = cache?.get(src);
        if (got === undefined) {
          const from = this.keyValue(l, op.from, p, ps, pe, hlen, gen);
          const v = op.op === 'copy' ? from : typeof from === 'number' ? filter.names.get(from) : undefined;
          if (v === undefined) {
            if (cache && cache.size < VALUE_CACHE_MAX) cache.set(src, null);
            continue;
          }
          if (!first) out.comma();
          first = false;
          const mark = out.pos;
          out.raw(op.keyBytes);
          out.value(v);
          const made = piece(out, mark);
          if (cache && made && cache.size < VALUE_CACHE_MAX) cache.set(src, made);
        } else if (got !== null) {
          if (!first) out.comma();
          first = false;
          out.raw(got);
        }
      }
    } else {
      const keys = Object.keys(probe!);
      for (let i = probed; i < keys.length; i++) {
        if (!first) out.comma();
        first = false;
        out.str(keys[i]);
        out.byte(0x3a);
        out.value(probe![keys[i]]);
      }
    }
    out.byte(0x7d);
    return takeNul() ? this.undo(out, start) : 'written';
  }

  private undo(out: JsonBytes, start: number): FastResult {
    out.pos = start;
    return 'general';
  }

  private familyOf(v: JsonValue | undefined): JsonValue | undefined {
    if (v === undefined) return undefined;
    let f = this.families.get(v);
    if (f === undefined) {
      f = ipFamily(v) ?? null;
      this.families.set(v, f);
    }
    return f;
  }

  /** ip's family name of this message (undefined: the layout has no family key). */
  private familyAt(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): JsonValue | undefined {
    return l.familyKey >= 0 ? this.familyOf(this.keyValue(l, l.familyKey, p, ps, pe, hlen, gen)) : undefined;
  }

  private tableOf(v: JsonValue | undefined): number | undefined {
    if (typeof v === 'number') return v;
    if (!this.tables.has(v!)) this.tables.set(v!, tableId(v));
    return this.tables.get(v!);
  }

  /** The record's value under key `k` before shaping: the attribute's, else the header field's. */
  private keyValue(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): JsonValue | undefined {
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
  private intAt(l: Layout, k: number, p: Uint8Array, ps: number, hlen: number, gen: number): number {
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
  private routeDst(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, out: JsonBytes): void {
    const n = Number(this.keyValue(l, l.dstLenKey, p, ps, pe, hlen, gen) ?? 0);
    const family = this.familyAt(l, p, ps, pe, hlen, gen);
    const host = family === 'inet6' || family === 'AF_INET6' ? 128 : family === 'inet' || family === 'AF_INET' ? 32 : -1;
    this.attrAt(l, k, p, ps, pe, out);
    if (n === host) return;
    // The value is a JSON string (a binary attribute's always is): "/len" goes inside its quotes.
    out.pos--;
    out.ascii(`/${n}"`);
  }

  /** The keys the shapes and the filter read, with the values the general path gives them. */
  private probe(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number): FlatRecord {
    const rec: FlatRecord = {};
    for (const f of l.fields) {
      if (f.off + f.size > hlen) break;
      if (l.kind[f.key] === K_PROBE && l.seen[f.key] !== gen) rec[l.keys[f.key]] = f.value(p, ps);
    }
    for (const k of l.probedKeys) if (l.seen[k] === gen) rec[l.keys[k]] = this.attrValue(l, k, p, ps, pe);
    return rec;
  }

  /** The record value of the attribute under key `k`, by the general code (integers cached by value). */
  private attrValue(l: Layout, k: number, p: Uint8Array, ps: number, pe: number): JsonValue {
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
      v = recordAttrValue(level, at - start, l.len[k], raw, a.def, l.set, l.schema, this.plan.ctx);
      // The general path moves unknown attributes of nested records under `unknown` too.
      if (v && typeof v === 'object' && !Array.isArray(v)) moveUnknown(v);
    }
    if (typeof n === 'number' && a.values.size < VALUE_CACHE_MAX && (v === null || typeof v !== 'object')) a.values.set(n, v);
    return v;
  }

  private attrAt(l: Layout, k: number, p: Uint8Array, ps: number, pe: number, out: JsonBytes): void {
    const raw = l.raw[k];
    const a = l.attrs[raw & NLA_TYPE_MASK]!;
    const off = l.at[k];
    const mark = out.pos;
    if (a.emit?.(p, off + 4, l.len[k] - 4, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0, out)) return;
    // A writer that stepped aside may have written part of the value.
    out.pos = mark;
    out.value(this.attrValue(l, k, p, ps, pe));
  }

  /** Attributes no table names, by type number (an object with integer keys lists them in order). */
  private unknowns(l: Layout, p: Uint8Array, start: number, end: number, out: JsonBytes): void {
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
      out.value(unknownRecordValue(p.subarray(off + 4, off + len), raw, l.schema, this.plan.ctx));
    });
    out.byte(0x7d);
  }
}
