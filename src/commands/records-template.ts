// The last record a layout wrote, kept as a template: the messages of a dump often differ in a
// few values only (a route's dst, a link's name and index), and the record of such a message is
// the template's text with those values written again. Which values may change alone is the
// layout's to say (records-layout.ts): a key the filter, the family, a route's dst or a
// sub-message's selector reads sends the message down the whole path; one the shape's names and
// copies read has them written again as well.
import { NLA_TYPE_MASK } from '../codec/index.js';
import type { JsonBytes } from '../format/records-bytes.js';
import { LeafLog, leafLog } from './record-leaves.js';

/** What a template reads of its layout (records-layout.ts's Layout has it). */
/** The attribute of key `k` stands at `off` in this message (generation `gen`): the per-message arrays. */
export function markSeen(l: Pick<TemplateLayout, 'seen' | 'at' | 'len' | 'raw'>, k: number, gen: number, off: number, len: number, raw: number): void {
  l.seen[k] = gen;
  l.at[k] = off;
  l.len[k] = len;
  l.raw[k] = raw;
}

export interface TemplateLayout {
  attrsStart: number;
  headerSize: number;
  fields: { off: number; size: number; key: number }[];
  fieldAtByte: Int32Array;
  attrKey: Int32Array;
  seen: Int32Array;
  at: Int32Array;
  len: Int32Array;
  raw: Int32Array;
  sensitive: Uint8Array;
  feedsTail: Uint8Array;
  tailReads: Uint8Array;
  unitAt: Int32Array;
  unitEnd: Int32Array;
  unitGen: Int32Array;
  leafFrom: Int32Array;
  leafTo: Int32Array;
}

/** The one value a template's messages may differ in alone, written without diff(): records-lane.ts's Lane. */
export interface TemplateLane {
  /** Whether p[ps..pe) (of the template's length) is the template's payload but for the lane's value. */
  matches(p: Uint8Array, ps: number, pe: number): boolean;
  /** The record of a message matches() took; false, with nothing written, when the value's writer stepped aside. */
  write(p: Uint8Array, ps: number, out: JsonBytes): boolean;
  /** The records of the messages alike from data[off] on, written at once: how many (Lane.run). */
  run(data: Uint8Array, off: number, end: number, out: JsonBytes, limit: number, lead: number, trail: number): number;
}

export class Template {
  /** Payload length of the message (-1: none kept). */
  len = -1;
  private bytes = new Uint8Array(256);
  /** The payload as 32-bit words (compared a word at a time: most words of a dump's messages are the same). */
  private words = new Int32Array(this.bytes.buffer);
  /**
   * Per byte of the payload: the key whose value it is part of (an attribute's padding counts as
   * its value), or -1 for the bytes that must be the same (attribute headers, header padding,
   * what the walk stops at).
   */
  private byteKey = new Int32Array(256);
  /**
   * Per byte of a nest written by its writer: the leaf whose value it is (the nest's
   * own bytes, its attributes' headers and padding, have the key -1: they must be the same);
   * -1 elsewhere.
   */
  private byteLeaf = new Int32Array(256);
  /** Per word: the key of its four bytes when they are of one key and leaf, else -1. */
  private wordKey = new Int32Array(64);
  /** Per key index: its leaves in `leaves` (from..to), from -1: a key written as one value. */
  readonly leafFrom: Int32Array;
  private readonly leafTo: Int32Array;
  /** The leaves (record-leaves.ts): their bytes relative to the payload, their text relative to `out`. */
  readonly leaves = new LeafLog();
  /** Filled by diff(): the leaves whose values differ, and for the i-th key of `diffs`, its leaves there (from..to). */
  leafDiffs = new Int32Array(16);
  readonly diffLeafFrom: Int32Array;
  readonly diffLeafTo: Int32Array;
  private leafDiffCount = 0;
  /** Per key of an attribute: where it is in the payload, its length and raw type (for markSeen). */
  private readonly rel: Int32Array;
  private readonly alen: Int32Array;
  private readonly araw: Int32Array;
  /** The keys the shape's steps read that are attributes of the message (presentCount of them). */
  private readonly present: Int32Array;
  private presentCount = 0;
  /** The datagram last compared, as words (null: not 4-byte aligned), and a copy for payloads that are not aligned. */
  private lastData?: Uint8Array;
  private lastWords: Int32Array | null = null;
  private scratch = new Int32Array(64);
  /** The words diff() compares: lastWords or scratch. */
  private cur: Int32Array = this.scratch;
  out = new Uint8Array(1024);
  outLen = 0;
  /** Per key index: where its `"key":value` is in `out` (-1: not written as a unit). */
  readonly at: Int32Array;
  readonly end: Int32Array;
  /** Where what the shape adds begins in `out`, and whether a key came before it. */
  tail = 0;
  tailFirst = false;
  /** Filled by diff(): the keys whose values differ, in the order of the record. */
  readonly diffs: Int32Array;
  tailDirty = false;
  /** What follows a route's dst address (dst_len and the family do not change in a template's messages). */
  dstSuffix = '';

  /** The one value this template's messages may differ in alone, if it has one. */
  lane?: TemplateLane;

  /** Views of `out` between the values written again, made once (the same values change message after message). */
  private readonly views: (Uint8Array | undefined)[] = [];
  private viewFrom: Int32Array;
  private viewTo: Int32Array;

  constructor(keys: number) {
    this.at = new Int32Array(keys).fill(-1);
    this.end = new Int32Array(keys);
    this.diffs = new Int32Array(keys);
    this.rel = new Int32Array(keys);
    this.alen = new Int32Array(keys);
    this.araw = new Int32Array(keys);
    this.present = new Int32Array(keys);
    this.viewFrom = new Int32Array(keys + 1);
    this.viewTo = new Int32Array(keys + 1);
    this.leafFrom = new Int32Array(keys).fill(-1);
    this.leafTo = new Int32Array(keys);
    this.diffLeafFrom = new Int32Array(keys);
    this.diffLeafTo = new Int32Array(keys);
  }

  /** The text of `out` from..to, as the i-th piece of a record (a view kept for the next record). */
  piece(i: number, from: number, to: number): Uint8Array {
    const v = this.views[i];
    if (v !== undefined && this.viewFrom[i] === from && this.viewTo[i] === to) return v;
    this.viewFrom[i] = from;
    this.viewTo[i] = to;
    return (this.views[i] = this.out.subarray(from, to));
  }

  /** Keep the record just written (out[start..end)) of the payload p[ps..pe) as the template. */
  save(l: TemplateLayout, p: Uint8Array, ps: number, pe: number, gen: number, out: Uint8Array, start: number, end: number, tail: number, tailFirst: boolean, dstSuffix: string): void {
    const n = pe - ps;
    if (this.bytes.length < n) {
      this.bytes = new Uint8Array((n * 2 + 3) & ~3);
      this.words = new Int32Array(this.bytes.buffer);
      this.byteKey = new Int32Array(this.bytes.length);
      this.byteLeaf = new Int32Array(this.bytes.length);
      this.wordKey = new Int32Array(this.bytes.length >> 2);
      this.scratch = new Int32Array(this.bytes.length >> 2);
    }
    this.bytes.set(p.subarray(ps, pe));
    this.saveLeaves(l, ps, gen, start);
    this.mapBytes(l, n);
    if (this.out.length < end - start) this.out = new Uint8Array((end - start) * 2);
    this.out.set(out.subarray(start, end));
    this.views.length = 0;
    this.lane = undefined;
    this.len = n;
    this.outLen = end - start;
    this.tail = tail;
    this.tailFirst = tailFirst;
    this.dstSuffix = dstSuffix;
    for (let k = 0; k < this.at.length; k++) {
      this.at[k] = l.unitGen[k] === gen ? l.unitAt[k] : -1;
      this.end[k] = l.unitEnd[k];
    }
  }

  /** The leaves of the record's nests, from the log of the record just written (positions made relative to the payload and the record). */
  private saveLeaves(l: TemplateLayout, ps: number, gen: number, start: number): void {
    const log = leafLog, own = this.leaves;
    own.n = 0;
    for (let k = 0; k < this.leafFrom.length; k++) {
      this.leafFrom[k] = -1;
      if (l.unitGen[k] !== gen || l.leafFrom[k] < 0) continue;
      this.leafFrom[k] = own.n;
      for (let j = l.leafFrom[k]; j < l.leafTo[k]; j++) own.add(log.inAt[j] - ps, log.inLen[j], log.outAt[j] - start, log.outEnd[j] - start, log.emit[j], log.be[j] === 1);
      this.leafTo[k] = own.n;
    }
    const count = own.n;
    if (this.leafDiffs.length < count) this.leafDiffs = new Int32Array(count);
    // A piece before each key and each leaf, and one after them.
    if (this.viewFrom.length < this.leafFrom.length + count + 1) {
      this.viewFrom = new Int32Array(this.leafFrom.length + count + 1);
      this.viewTo = new Int32Array(this.viewFrom.length);
    }
  }

  /** byteKey, byteLeaf and wordKey of the n bytes just kept. */
  private mapBytes(l: TemplateLayout, n: number): void {
    const b = this.bytes, bk = this.byteKey, bl = this.byteLeaf;
    bk.fill(-1, 0, n);
    bl.fill(-1, 0, n);
    this.rel.fill(-1);
    this.presentCount = 0;
    const hend = l.attrsStart < n ? l.attrsStart : n;
    for (let i = 0; i < hend && i < l.headerSize; i++) {
      const fi = i < l.fieldAtByte.length ? l.fieldAtByte[i] : -1;
      if (fi >= 0) bk[i] = l.fields[fi].key;
    }
    for (let off = l.attrsStart; off + 4 <= n;) {
      const len = b[off] | (b[off + 1] << 8);
      if (len < 4 || off + len > n) break;
      const raw = b[off + 2] | (b[off + 3] << 8);
      const k = l.attrKey[raw & NLA_TYPE_MASK];
      const next = Math.min(n, off + ((len + 3) & ~3));
      if (k >= 0) {
        if (this.leafFrom[k] < 0) bk.fill(k, off + 4, next);
        else {
          // A nest: its leaves' bytes are its values; the rest of it must be the same.
          for (let j = this.leafFrom[k]; j < this.leafTo[k]; j++) {
            const from = this.leaves.inAt[j], to = Math.min(n, from + this.leaves.inLen[j]);
            bk.fill(k, from, to);
            bl.fill(j, from, to);
          }
        }
        this.rel[k] = off;
        this.alen[k] = len;
        this.araw[k] = raw;
        if (l.tailReads[k]) this.present[this.presentCount++] = k;
      }
      off = next;
    }
    for (let w = 0; w < n >> 2; w++) {
      const k = bk[w * 4], leaf = bl[w * 4];
      let one = k >= 0;
      for (let x = 1; x < 4 && one; x++) one = bk[w * 4 + x] === k && bl[w * 4 + x] === leaf;
      this.wordKey[w] = one ? k : -1;
    }
  }

  /** Whether key `k`'s bytes are the 4 at payload offset `at` and nothing else, a word of one value (not a nest's leaf). */
  soleWord(k: number, at: number): boolean {
    if ((at & 3) !== 0 || (this.len & 3) !== 0 || this.wordKey[at >> 2] !== k || this.leafFrom[k] >= 0) return false;
    for (let i = 0; i < this.len; i++) if ((this.byteKey[i] === k) !== (i >= at && i < at + 4)) return false;
    return true;
  }

  /** The payload as 32-bit words (the lane compares with them). */
  get payloadWords(): Int32Array {
    return this.words;
  }

  /** The words wordsOf() set: in place (true) or a copy of a payload that was not 4-byte aligned. */
  get inPlace(): boolean {
    return this.cur === this.lastWords;
  }

  /** The words wordsOf() set. */
  get current(): Int32Array {
    return this.cur;
  }

  /**
   * The payload p[ps..pe) as 32-bit words: in place when aligned, else a copy. Returns the index
   * of its first word in `current`, which it sets.
   */
  wordsOf(p: Uint8Array, ps: number, pe: number): number {
    if (p !== this.lastData) {
      this.lastData = p;
      this.lastWords = (p.byteOffset & 3) === 0 ? new Int32Array(p.buffer, p.byteOffset, p.length >> 2) : null;
    }
    if (this.lastWords !== null && (ps & 3) === 0) {
      this.cur = this.lastWords;
      return ps >> 2;
    }
    new Uint8Array(this.scratch.buffer).set(p.subarray(ps, pe));
    this.cur = this.scratch;
    return 0;
  }

  /**
   * How many values of p[ps..pe) differ from the template's (their keys in `diffs`), or -1 when
   * the message must take the whole path: its layout of bytes is not the template's, or a value
   * that others depend on differs. The first pass over the attributes (seen, at) is done.
   */
  diff(l: TemplateLayout, p: Uint8Array, ps: number, pe: number, gen: number): number {
    this.tailDirty = false;
    this.leafDiffCount = 0;
    const b = this.bytes, tw = this.words, bk = this.byteKey, bl = this.byteLeaf;
    const len = pe - ps, nw = len >> 2;
    const base = this.wordsOf(p, ps, pe);
    const pw = this.cur;
    // The key and the leaf (-1: none) the last differing bytes were in.
    let n = 0, last = -1, lastLeaf = -1;
    // Whole words, then the bytes past the last one (a payload whose length is not a multiple of 4).
    for (let w = 0; w < nw || (w === nw && (len & 3) !== 0); w++) {
      if (w < nw && pw[base + w] === tw[w]) continue;
      const k = w < nw ? this.wordKey[w] : -1;
      if (k >= 0) {
        // A word of one value (most of them): its key and leaf at once.
        const leaf = bl[w * 4];
        if (k === last && leaf === lastLeaf) continue;
        if ((n = this.differs(l, k, leaf, k !== last, n, ps, gen)) < 0) return -1;
        last = k;
        lastLeaf = leaf;
        continue;
      }
      // Which bytes of the word differ, and whose they are.
      const end = w < nw ? w * 4 + 4 : len;
      for (let i = w * 4; i < end; i++) {
        if (p[ps + i] === b[i]) continue;
        const k = bk[i], leaf = bl[i];
        if (k < 0) return -1;
        if (k === last && leaf === lastLeaf) continue;
        if ((n = this.differs(l, k, leaf, k !== last, n, ps, gen)) < 0) return -1;
        last = k;
        lastLeaf = leaf;
      }
    }
    return n;
  }

  /**
   * The first pass over the attributes the shape's steps read, for a message diff() matched (its
   * attributes stand where the template's do), in generation `gen`: the steps read keys that did
   * not change too.
   */
  seeTail(l: TemplateLayout, ps: number, gen: number): void {
    for (let i = 0; i < this.presentCount; i++) {
      const k = this.present[i];
      l.seen[k] = gen;
      l.at[k] = ps + this.rel[k];
      l.len[k] = this.alen[k];
      l.raw[k] = this.araw[k];
    }
  }

  /**
   * The value of key k (a new one: `isNew`), or its leaf `leaf` (-1: none), differs: the count of
   * differing keys with it, or -1 when it may not change alone.
   */
  private differs(l: TemplateLayout, k: number, leaf: number, isNew: boolean, n: number, ps: number, gen: number): number {
    if (isNew) {
      // (A key both in the header and among the attributes is sensitive.)
      if (l.sensitive[k] || this.at[k] < 0) return -1;
      if (l.feedsTail[k]) this.tailDirty = true;
      this.diffs[n] = k;
      this.diffLeafFrom[n] = this.leafDiffCount;
      n++;
      const r = this.rel[k];
      if (r >= 0) {
        // markSeen, inline.
        l.seen[k] = gen;
        l.at[k] = ps + r;
        l.len[k] = this.alen[k];
        l.raw[k] = this.araw[k];
      }
    }
    if (leaf >= 0) this.leafDiffs[this.leafDiffCount++] = leaf;
    this.diffLeafTo[n - 1] = this.leafDiffCount;
    return n;
  }
}
