// The dump records' fast path: for each message layout (family header + attribute set), a plan
// compiled once from the tables writes the ip-shaped record (ip-records.ts) as JSON bytes straight
// from the message, with no record object and no JSON.stringify. It gives exactly the text of the
// general path (decodeRecord → filter → ipRecord → jsonText); what it does not cover (repeated
// attributes, sub-messages, odd values) goes through that general path, per message or
// per value. test/unit/records-fast.test.ts compares both byte for byte.
import { CONTROL_TYPES, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, type RawMessage } from '../codec/index.js';
import { JsonBytes } from '../format/records-bytes.js';
import { takeNul } from '../format/json-bytes.js';
import type { DecodeContext, FlatRecord, MessageDef, Schema } from '../schema/index.js';
import type { RecordFilter } from './dump-filter.js';
import { ipShape, SHAPE_READS } from './ip-records.js';
import { compileLayout, scanAttrs, K_DST, K_FAMILY, K_PLAIN, K_PROBE, type Field, type Layout } from './records-layout.js';
import { CONTAINERS } from './record-compound.js';
import { leafLog } from './record-leaves.js';
import { laneOf } from './records-lane.js';
import { Template } from './records-template.js';
import { keptPiece, piece, PIECE_WRITTEN, RecordValues, uintAt, VALUE_CACHE_MAX, type FastResult } from './records-values.js';

export type { FastResult };

/** What a record of one dump shortcut needs: the shape's name, the filter, interface names. */
export interface RecordsPlan {
  what: string;
  schema: Schema;
  filter: RecordFilter;
  ctx: DecodeContext;
}

const LAYOUTS = new WeakMap<MessageDef, Map<string, Layout | null>>();

export class FastRecords extends RecordValues {
  private readonly probeKeys: Set<string>;
  private readonly cacheKey: string;
  /** Messages written by the compiled plans, and by the general path (for tests and benchmarks). */
  fast = 0;
  general = 0;
  /** Of the fast ones: written as the last record with a few values again (records-template.ts). */
  templated = 0;
  /** Of the templated ones: written by a run of replies alike (run()). */
  ran = 0;
  /** Values inside nests written again alone in templated records (record-leaves.ts). */
  leaves = 0;
  private lastDef?: MessageDef;
  private lastLayout: Layout | null = null;
  /** The message type lastLayout is for (-1: none), and what layoutOf says when it finds none. */
  private lastType = -1;
  private miss: FastResult = 'general';
  constructor(private readonly plan: RecordsPlan) {
    super(plan.ctx);
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

  /** write() for a message whose payload is `p[ps..pe)`, read in place (no message object). */
  writeAt(p: Uint8Array, ps: number, pe: number, type: number, truncated: boolean, out: JsonBytes): FastResult {
    let l = this.lastLayout;
    // The last message's layout while it is this command's: the checks of layoutOf passed for its type.
    if (type !== this.lastType || l === null || l.owner !== this || truncated) {
      l = this.layoutOf(type, truncated);
      if (l === null) {
        if (this.miss === 'general') this.general++;
        return this.miss;
      }
    }
    const gen = ++l.generation;
    // Most messages of a dump are the last one with a few values changed (the filter's keys not
    // among them: it kept the last one, it keeps this one).
    const t = l.template;
    if (t !== undefined && t.len === pe - ps) {
      // A route dump's messages most often differ in their dst alone: the lane writes those.
      const lane = t.lane;
      if (lane !== undefined && lane.matches(p, ps, pe) && lane.write(p, ps, out)) {
        this.fast++;
        this.templated++;
        return 'written';
      }
      const n = t.diff(l, p, ps, pe, gen);
      if (n >= 0) {
        // The shape's names and copies look at the whole first pass (in a generation of its own).
        let g = gen;
        if (t.tailDirty) t.seeTail(l, ps, (g = ++l.generation));
        if (this.fromTemplate(l, t, n, p, ps, pe, g, out)) {
          this.fast++;
          this.templated++;
          return 'written';
        }
        this.general++;
        return 'general';
      }
    }
    // The rest in a function of its own: the path above is the one taken message after message.
    const r = this.whole(l, p, ps, pe, l.headerSize < pe - ps ? l.headerSize : pe - ps, ++l.generation, out);
    if (r === 'written') this.fast++;
    else if (r === 'general') this.general++;
    return r;
  }

  /**
   * The records of the messages from data[off] on that are the one just written but for the
   * lane's value (Lane.run): after `lead`, before `trail`, until `out` reaches `limit`. Returns
   * how many were written.
   */
  run(data: Uint8Array, off: number, out: JsonBytes, limit: number, lead: number, trail: number): number {
    const l = this.lastLayout;
    const lane = this.lastType >= 0 && l !== null && l.owner === this ? l.template?.lane : undefined;
    if (lane === undefined) return 0;
    const n = lane.run(data, off, data.length, out, limit, lead, trail);
    this.fast += n;
    this.templated += n;
    this.ran += n;
    return n;
  }

  /** Make the plans for messages of `type` now (before the first of them comes). */
  prepare(type: number): void {
    this.layoutOf(type, false);
  }

  /** The layout for messages of `type`, made this command's; null when there is none (`miss` says why). */
  private layoutOf(type: number, truncated: boolean): Layout | null {
    const { schema } = this.plan;
    this.lastType = -1;
    this.miss = 'general';
    if (CONTROL_TYPES[type]) {
      this.miss = 'skipped';
      return null;
    }
    const def = schema.messages[type];
    if (!def || schema.resolve || schema.learn || def.payload || !def.attrs || truncated) return null;
    if (def !== this.lastDef) {
      this.lastLayout = this.layout(def, schema);
      this.lastDef = def;
    }
    const l: Layout | null = this.lastLayout;
    if (!l) return null;
    // Layouts are shared; the names and copies kept in them are this command's.
    if (l.owner !== this) {
      l.owner = this;
      if (l.ops) for (const op of l.ops) op.byAttr.clear(), op.byField.clear();
      if (l.template) l.template.len = -1;
    }
    this.lastType = type;
    return l;
  }

  /** The whole path: every key of the message written from its bytes (and kept as the next template). */
  private whole(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, out: JsonBytes): FastResult {
    const attrsStart = ps + l.attrsStart;
    const hasAttrs = attrsStart < pe;
    const unknown = hasAttrs ? scanAttrs(l, p, attrsStart, pe, gen) : 0;
    if (unknown < 0) return 'general';
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
      const mark = out.pos;
      if (!this.field(l, f, p, ps, pe, hlen, gen, probe, out)) return this.undo(out, start);
      l.unitAt[k] = mark - start;
      l.unitEnd[k] = out.pos - start;
      l.unitGen[k] = gen;
      l.leafFrom[k] = -1;
    }
    if (hasAttrs) {
      // The nests' leaves are logged for the template this record becomes (record-leaves.ts).
      leafLog.on = !probe;
      leafLog.n = 0;
      try {
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
          const mark = out.pos;
          const leaves = leafLog.n;
          const byWriter = this.attr(l, k, raw, at, len, p, ps, pe, hlen, gen, probe, out);
          if (!byWriter) leafLog.n = leaves;
          l.leafFrom[k] = byWriter && CONTAINERS.has(l.attrs[raw & NLA_TYPE_MASK]!.def.type) ? leaves : -1;
          l.leafTo[k] = leafLog.n;
          l.unitAt[k] = mark - start;
          l.unitEnd[k] = out.pos - start;
          l.unitGen[k] = gen;
        }
      } finally {
        leafLog.on = false;
      }
    }
    if (unknown) {
      if (!first) out.comma();
      first = false;
      out.ascii('"unknown":');
      this.unknowns(l, p, attrsStart, pe, out);
    }
    const tail = out.pos;
    const tailFirst = first;
    this.tail(l, p, ps, pe, hlen, gen, first, probe, probed, out);
    out.byte(0x7d);
    if (takeNul()) return this.undo(out, start);
    if (!probe) {
      const t = (l.template ??= new Template(l.keys.length));
      t.save(l, p, ps, pe, gen, out.buf, start, out.pos, tail - start, tailFirst, this.dstGen === gen ? this.dstSuffix : '');
      t.lane = laneOf(l, t, ps, gen);
    }
    return 'written';
  }

  /**
   * The record of a message that differs from the last one written only in values that may
   * change alone: diff() placed the attributes among them (the rest of the first pass is done
   * only for the shape's names and copies).
   */
  private fromTemplate(l: Layout, t: Template, n: number, p: Uint8Array, ps: number, pe: number, gen: number, out: JsonBytes): boolean {
    const start = out.pos;
    const hlen = l.headerSize < pe - ps ? l.headerSize : pe - ps;
    takeNul();
    let from = 0, pieces = 0;
    for (let i = 0; i < n; i++) {
      const k = t.diffs[i];
      const fi = l.fieldOf[k];
      if (t.leafFrom[k] >= 0) {
        // A nest or a struct: its leaves that differ, each written alone between the template's text.
        const leaves = t.leaves;
        for (let j = t.diffLeafFrom[i]; j < t.diffLeafTo[i]; j++) {
          const leaf = t.leafDiffs[j];
          out.raw(t.piece(pieces++, from, leaves.outAt[leaf]));
          if (!leaves.emit[leaf](p, ps + leaves.inAt[leaf], leaves.inLen[leaf], leaves.be[leaf] === 1, out)) {
            out.pos = start;
            return false;
          }
          from = leaves.outEnd[leaf];
          this.leaves++;
        }
        continue;
      }
      if (l.kind[k] === K_DST) {
        // The piece ends with the key ("dst":); dst_len and the family are the template's: so is
        // what follows the address.
        out.raw(t.piece(pieces++, from, t.at[k] + l.keyBytes[k].length));
        this.attrAt(l, k, p, ps, pe, out);
        if (t.dstSuffix) {
          out.pos--;
          out.ascii(t.dstSuffix);
        }
        from = t.end[k];
        continue;
      }
      out.raw(t.piece(pieces++, from, t.at[k]));
      if (fi >= 0) {
        if (!this.fieldAgain(l.fields[fi], p, ps, out)) {
          out.pos = start;
          return false;
        }
      } else this.attrAgain(l, k, p, ps, pe, out);
      from = t.end[k];
    }
    if (t.tailDirty) {
      out.raw(t.piece(pieces, from, t.tail));
      if (!this.namesAgain(l, p, gen, t.tailFirst, out)) this.tail(l, p, ps, pe, hlen, gen, t.tailFirst, undefined, 0, out);
      out.byte(0x7d);
    } else out.raw(t.piece(pieces, from, t.outLen));
    if (!takeNul()) return true;
    out.pos = start;
    return false;
  }

  /** `"key":value` of a header field; false: a value the writers do not cover. */
  private field(l: Layout, f: Field, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, probe: FlatRecord | undefined, out: JsonBytes): boolean {
    const k = f.key;
    const pieces = f.pieces;
    // A header value not taken over by an attribute: its `"key":value` by the field's bytes.
    const v = pieces !== undefined && l.seen[k] !== gen ? keptPiece(pieces, uintAt(p, ps + f.off, f.size), out) : -1;
    if (v === PIECE_WRITTEN) return true;
    const mark = out.pos;
    out.raw(f.keyBytes);
    const kind = l.kind[k];
    if (kind === K_PROBE) out.value(probe![l.keys[k]]);
    else if (kind === K_FAMILY && this.familyAt(l, p, ps, pe, hlen, gen) !== undefined) out.value(this.familyAt(l, p, ps, pe, hlen, gen));
    else if (l.seen[k] === gen) this.attrAt(l, k, p, ps, pe, out);
    else if (!f.emit(p, ps + f.off, f.size, f.be, out)) return false;
    if (v >= 0) pieces![v] = piece(out, mark);
    return true;
  }

  /** `"key":value` of the attribute at `at` (key index `k`); true when the value's own writer wrote it whole. */
  private attr(l: Layout, k: number, raw: number, at: number, len: number, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, probe: FlatRecord | undefined, out: JsonBytes): boolean {
    const kind = l.kind[k];
    if (kind === K_PLAIN) {
      // An integer in its own byte order: its `"key":value` by its bytes.
      const a = l.attrs[raw & NLA_TYPE_MASK]!;
      const pieces = a.pieces;
      if (pieces !== undefined && len - 4 === a.size && (raw & NLA_F_NET_BYTEORDER) === 0) {
        const v = keptPiece(pieces, uintAt(p, at + 4, a.size), out);
        if (v === PIECE_WRITTEN) return false;
        if (v >= 0) {
          const mark = out.pos;
          out.raw(l.keyBytes[k]);
          this.attrAt(l, k, p, ps, pe, out);
          pieces[v] = piece(out, mark);
          return false;
        }
      }
    }
    out.raw(l.keyBytes[k]);
    if (kind === K_PROBE) out.value(probe![l.keys[k]]);
    else if (kind === K_FAMILY) out.value(this.familyAt(l, p, ps, pe, hlen, gen)!);
    else if (kind === K_DST) this.routeDst(l, k, p, ps, pe, hlen, gen, out);
    else return this.attrAt(l, k, p, ps, pe, out);
    return false;
  }

  /**
   * tail() for a templated record whose shape only names interfaces by attributes that are plain
   * unsigned integers, or by keys the message lacks (a link's peer and master): the name by the
   * number, with none of tail()'s other cases for V8 to compile. False, with nothing written:
   * tail() must.
   */
  private namesAgain(l: Layout, p: Uint8Array, gen: number, first: boolean, out: JsonBytes): boolean {
    const ops = l.ops!;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i], k = op.from;
      if (op.op !== 'name') return false;
      if (k < 0) continue;
      if (l.seen[k] !== gen) {
        if (l.fieldOf[k] >= 0) return false;
        continue;
      }
      const a = l.attrs[l.raw[k] & NLA_TYPE_MASK]!;
      if (!a.uint || l.len[k] - 4 !== a.size || (l.raw[k] & NLA_F_NET_BYTEORDER) !== 0) return false;
    }
    const names = this.plan.filter.names;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i], k = op.from;
      if (k < 0 || l.seen[k] !== gen) continue;
      const v = names.get(uintAt(p, l.at[k] + 4, l.attrs[l.raw[k] & NLA_TYPE_MASK]!.size));
      if (v === undefined) continue;
      if (!first) out.comma();
      first = false;
      out.raw(op.keyBytes);
      out.str(v);
    }
    return true;
  }

  /** What the shapes add (dev names, metric …): last, after `unknown`, as in ipRecord. */
  private tail(l: Layout, p: Uint8Array, ps: number, pe: number, hlen: number, gen: number, first: boolean, probe: FlatRecord | undefined, probed: number, out: JsonBytes): void {
    const filter = this.plan.filter;
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
  }
}
