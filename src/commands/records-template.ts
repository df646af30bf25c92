// The last record a layout wrote, kept as a template: the messages of a dump often differ in a
// few values only (a route's dst, a link's name and index), and the record of such a message is
// the template's text with those values written again. Which values may change alone is the
// layout's to say (records-layout.ts): a key the filter, the family, a route's dst or a
// sub-message's selector reads sends the message down the whole path; one the shape's names and
// copies read has them written again as well.
import { NLA_TYPE_MASK } from '../codec/index.js';

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
  unitAt: Int32Array;
  unitEnd: Int32Array;
  unitGen: Int32Array;
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
   * what the walk stops at). Per word: its bytes' key when they share one, else -1.
   */
  private byteKey = new Int32Array(256);
  private wordKey = new Int32Array(64);
  /** Per key of an attribute: where it is in the payload, its length and raw type (for markSeen). */
  private readonly rel: Int32Array;
  private readonly alen: Int32Array;
  private readonly araw: Int32Array;
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

  /** Views of `out` between the values written again, made once (the same values change message after message). */
  private readonly views: (Uint8Array | undefined)[] = [];
  private readonly viewFrom: Int32Array;
  private readonly viewTo: Int32Array;

  constructor(keys: number) {
    this.at = new Int32Array(keys).fill(-1);
    this.end = new Int32Array(keys);
    this.diffs = new Int32Array(keys);
    this.rel = new Int32Array(keys);
    this.alen = new Int32Array(keys);
    this.araw = new Int32Array(keys);
    this.viewFrom = new Int32Array(keys + 1);
    this.viewTo = new Int32Array(keys + 1);
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
      this.wordKey = new Int32Array(this.bytes.length >> 2);
      this.scratch = new Int32Array(this.bytes.length >> 2);
    }
    this.bytes.set(p.subarray(ps, pe));
    this.mapBytes(l, n);
    if (this.out.length < end - start) this.out = new Uint8Array((end - start) * 2);
    this.out.set(out.subarray(start, end));
    this.views.length = 0;
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

  /** byteKey and wordKey of the n bytes just kept, by the walk diff() used to make byte by byte. */
  private mapBytes(l: TemplateLayout, n: number): void {
    const b = this.bytes, bk = this.byteKey;
    bk.fill(-1, 0, n);
    this.rel.fill(-1);
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
        bk.fill(k, off + 4, next);
        this.rel[k] = off;
        this.alen[k] = len;
        this.araw[k] = raw;
      }
      off = next;
    }
    for (let w = 0; w < n >> 2; w++) {
      const k = bk[w * 4];
      this.wordKey[w] = k >= 0 && bk[w * 4 + 1] === k && bk[w * 4 + 2] === k && bk[w * 4 + 3] === k ? k : -1;
    }
  }

  /**
   * The payload p[ps..pe) as 32-bit words: in place when aligned, else a copy. Returns the index
   * of its first word in `this.cur`, which it sets.
   */
  private wordsOf(p: Uint8Array, ps: number, pe: number): number {
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
    const b = this.bytes, tw = this.words, wk = this.wordKey, bk = this.byteKey;
    const nw = (pe - ps) >> 2;
    const base = this.wordsOf(p, ps, pe);
    const pw = this.cur;
    let n = 0, last = -1;
    for (let w = 0; w < nw; w++) {
      if (pw[base + w] === tw[w]) continue;
      let k = wk[w];
      if (k < 0) {
        // Bytes of several keys, or bytes that must be the same: which of them differ.
        for (let i = w * 4; i < w * 4 + 4; i++) {
          if (p[ps + i] === b[i]) continue;
          k = bk[i];
          if (k < 0) return -1;
          if (k !== last && (n = this.differs(l, k, n, ps, gen)) < 0) return -1;
          last = k;
        }
        continue;
      }
      if (k !== last && (n = this.differs(l, k, n, ps, gen)) < 0) return -1;
      last = k;
    }
    for (let i = nw * 4; i < pe - ps; i++) {
      if (p[ps + i] === b[i]) continue;
      const k = bk[i];
      if (k < 0) return -1;
      if (k !== last && (n = this.differs(l, k, n, ps, gen)) < 0) return -1;
      last = k;
    }
    return n;
  }

  /** The value of key k differs: the count of differing keys with it, or -1 when it may not change alone. */
  private differs(l: TemplateLayout, k: number, n: number, ps: number, gen: number): number {
    // (A key both in the header and among the attributes is sensitive.)
    if (l.sensitive[k] || this.at[k] < 0) return -1;
    if (l.feedsTail[k]) this.tailDirty = true;
    this.diffs[n] = k;
    const r = this.rel[k];
    if (r >= 0) {
      // markSeen, inline.
      l.seen[k] = gen;
      l.at[k] = ps + r;
      l.len[k] = this.alen[k];
      l.raw[k] = this.araw[k];
    }
    return n + 1;
  }
}
