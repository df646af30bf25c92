// The dump records' fast path: for each message layout (family header + attribute set), a plan
// compiled once from the tables writes the ip-shaped record (ip-records.ts) as JSON bytes straight
// from the message, with no record object and no JSON.stringify. It gives exactly the text of the
// general path (decodeRecord → filter → ipRecord → jsonText); what it does not cover (repeated
// attributes, sub-messages, odd values) goes through that general path, per message or
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
import { compileLayout, K_DST, K_FAMILY, K_PROBE, type Layout } from './records-layout.js';

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
    const r = this.tryWrite(m, out);
    if (r === 'written') this.fast++;
    else if (r === 'general') this.general++;
    return r;
  }

  private tryWrite(m: RawMessage, out: JsonBytes): FastResult {
    const { schema } = this.plan;
    const h = m.header;
    if (CONTROL_TYPES[h.type]) return 'skipped';
    const def = schema.messages[h.type];
    if (!def || schema.resolve || schema.learn || def.payload || !def.attrs || m.truncated) return 'general';
    if (def !== this.lastDef) {
      this.lastLayout = this.layout(def, schema);
      this.lastDef = def;
    }
    const l: Layout | null = this.lastLayout;
    if (!l) return 'general';
    const p = m.payload;
    const gen = ++l.generation;
    const attrsStart = l.attrsStart;
    const hasAttrs = attrsStart < p.length;
    // First pass over the attributes: where each one is; repeated keys take the general path.
    let unknown = 0;
    if (hasAttrs) {
      for (let off = attrsStart; off + 4 <= p.length;) {
        const len = p[off] | (p[off + 1] << 8);
        if (len < 4 || off + len > p.length) break;
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
    const hlen = l.headerSize < p.length ? l.headerSize : p.length;
    const filter = this.plan.filter;
    let probe: FlatRecord | undefined, probed = 0, family: JsonValue | undefined;
    if (l.ops) {
      // The shape as data: the filter and the names from the values themselves.
      if (filter.table !== undefined && this.tableOf(this.keyValue(l, l.tableKey, p, hlen, gen)) !== filter.table) return 'skipped';
      if (filter.devIndex !== undefined && this.keyValue(l, l.devKey, p, hlen, gen) !== filter.devIndex) return 'skipped';
      if (l.familyKey >= 0) family = this.familyOf(this.keyValue(l, l.familyKey, p, hlen, gen));
    } else {
      // The shape as code, run on the keys it reads, valued by the general code.
      probe = this.probe(l, p, hlen, gen);
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
      out.raw(f.keyBytes);
      const k = f.key;
      l.done[k] = gen;
      const kind = l.kind[k];
      if (kind === K_PROBE) out.value(probe![l.keys[k]]);
      else if (kind === K_FAMILY && family !== undefined) out.value(family);
      else if (l.seen[k] === gen) this.attrAt(l, k, p, out);
      else if (!f.emit(p, f.off, f.size, f.be, out)) return this.undo(out, start);
    }
    if (hasAttrs) {
      for (let off = attrsStart; off + 4 <= p.length;) {
        const len = p[off] | (p[off + 1] << 8);
        if (len < 4 || off + len > p.length) break;
        const k = l.attrKey[(p[off + 2] | (p[off + 3] << 8)) & NLA_TYPE_MASK];
        off += (len + 3) & ~3;
        if (k < 0 || l.done[k] === gen) continue;
        if (!first) out.comma();
        first = false;
        out.raw(l.keyBytes[k]);
        const kind = l.kind[k];
        if (kind === K_PROBE) out.value(probe![l.keys[k]]);
        else if (kind === K_FAMILY) out.value(family!);
        else if (kind === K_DST) this.routeDst(l, k, p, hlen, gen, family, out);
        else this.attrAt(l, k, p, out);
      }
    }
    if (unknown) {
      if (!first) out.comma();
      first = false;
      out.ascii('"unknown":');
      this.unknowns(l, p, attrsStart, out);
    }
    // What the shapes add (dev names, metric …) comes last, after `unknown`, as in ipRecord.
    if (l.ops) {
      for (const op of l.ops) {
        let v: JsonValue | undefined;
        if (op.op === 'route-dst') {
          if (l.seen[op.keyIndex] === gen) continue;
          const n = Number(this.keyValue(l, l.dstLenKey, p, hlen, gen) ?? 0);
          v = n === 0 ? 'default' : `0/${n}`;
        } else {
          const from = this.keyValue(l, op.from, p, hlen, gen);
          v = op.op === 'copy' ? from : typeof from === 'number' ? filter.names.get(from) : undefined;
          if (v === undefined) continue;
        }
        if (!first) out.comma();
        first = false;
        out.raw(op.keyBytes);
        out.value(v);
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

  private tableOf(v: JsonValue | undefined): number | undefined {
    if (typeof v === 'number') return v;
    if (!this.tables.has(v!)) this.tables.set(v!, tableId(v));
    return this.tables.get(v!);
  }

  /** The record's value under key `k` before shaping: the attribute's, else the header field's. */
  private keyValue(l: Layout, k: number, p: Uint8Array, hlen: number, gen: number): JsonValue | undefined {
    if (k < 0) return undefined;
    if (l.seen[k] === gen) return this.attrValue(l, k, p);
    const f = l.fieldOf[k];
    if (f < 0 || l.fields[f].off + l.fields[f].size > hlen) return undefined;
    return l.fields[f].value(p);
  }

  /** A route's dst as ip writes it (routeDst): the address, with "/len" unless it is a host route. */
  private routeDst(l: Layout, k: number, p: Uint8Array, hlen: number, gen: number, family: JsonValue | undefined, out: JsonBytes): void {
    const n = Number(this.keyValue(l, l.dstLenKey, p, hlen, gen) ?? 0);
    const host = family === 'inet6' || family === 'AF_INET6' ? 128 : family === 'inet' || family === 'AF_INET' ? 32 : -1;
    this.attrAt(l, k, p, out);
    if (n === host) return;
    // The value is a JSON string (a binary attribute's always is): "/len" goes inside its quotes.
    out.pos--;
    out.ascii(`/${n}"`);
  }

  /** The keys the shapes and the filter read, with the values the general path gives them. */
  private probe(l: Layout, p: Uint8Array, hlen: number, gen: number): FlatRecord {
    const rec: FlatRecord = {};
    for (const f of l.fields) {
      if (f.off + f.size > hlen) break;
      if (l.kind[f.key] === K_PROBE && l.seen[f.key] !== gen) rec[l.keys[f.key]] = f.value(p);
    }
    for (const k of l.probedKeys) if (l.seen[k] === gen) rec[l.keys[k]] = this.attrValue(l, k, p);
    return rec;
  }

  /** The record value of the attribute under key `k`, by the general code (integers cached by value). */
  private attrValue(l: Layout, k: number, p: Uint8Array): JsonValue {
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
      const start = l.attrsStart;
      v = recordAttrValue(p.subarray(start), at - start, l.len[k], raw, a.def, l.set, l.schema, this.plan.ctx);
      // The general path moves unknown attributes of nested records under `unknown` too.
      if (v && typeof v === 'object' && !Array.isArray(v)) moveUnknown(v);
    }
    if (typeof n === 'number' && a.values.size < VALUE_CACHE_MAX && (v === null || typeof v !== 'object')) a.values.set(n, v);
    return v;
  }

  private attrAt(l: Layout, k: number, p: Uint8Array, out: JsonBytes): void {
    const raw = l.raw[k];
    const a = l.attrs[raw & NLA_TYPE_MASK]!;
    const off = l.at[k];
    const mark = out.pos;
    if (a.emit?.(p, off + 4, l.len[k] - 4, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0, out)) return;
    // A writer that stepped aside may have written part of the value.
    out.pos = mark;
    out.value(this.attrValue(l, k, p));
  }

  /** Attributes no table names, by type number (an object with integer keys lists them in order). */
  private unknowns(l: Layout, p: Uint8Array, start: number, out: JsonBytes): void {
    const found: [number, number, number, number][] = [];
    for (let off = start; off + 4 <= p.length;) {
      const len = p[off] | (p[off + 1] << 8);
      if (len < 4 || off + len > p.length) break;
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
