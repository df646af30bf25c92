// The last record a layout wrote, kept as a template: the messages of a dump often differ in a
// few values only (a route's dst, a link's name and index), and the record of such a message is
// the template's text with those values written again. Which values may change alone is the
// layout's to say (records-layout.ts): a key the filter, the family, a route's dst or a
// sub-message's selector reads sends the message down the whole path; one the shape's names and
// copies read has them written again as well.
import { NLA_TYPE_MASK } from '../codec/index.js';
import { sameBytes } from './record-emitters.js';

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
    if (this.bytes.length < n) this.bytes = new Uint8Array(n * 2);
    this.bytes.set(p.subarray(ps, pe));
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

  /**
   * How many values of p[ps..pe) differ from the template's (their keys in `diffs`), or -1 when
   * the message must take the whole path: its layout of bytes is not the template's, or a value
   * that others depend on differs. The first pass over the attributes (seen, at) is done.
   */
  diff(l: TemplateLayout, p: Uint8Array, ps: number, pe: number, gen: number): number {
    const b = this.bytes;
    let n = 0;
    this.tailDirty = false;
    const hend = l.attrsStart < pe - ps ? l.attrsStart : pe - ps;
    for (let i = 0; i < hend; i++) {
      if (p[ps + i] === b[i]) continue;
      // Past the header (its padding to 4) or between fields: not a value, take the whole path.
      const fi = i < l.fieldAtByte.length ? l.fieldAtByte[i]! : -1;
      if (fi < 0) return -1;
      const f = l.fields[fi];
      const k = f.key;
      // (A key both in the header and among the attributes is sensitive.)
      if (l.sensitive[k] || this.at[k] < 0) return -1;
      if (l.feedsTail[k]) this.tailDirty = true;
      this.diffs[n++] = k;
      i = f.off + f.size - 1;
    }
    // The attributes' headers are the template's: the same attributes at the same places.
    for (let off = ps + l.attrsStart; off + 4 <= pe;) {
      const r = off - ps;
      if (p[off] !== b[r] || p[off + 1] !== b[r + 1] || p[off + 2] !== b[r + 2] || p[off + 3] !== b[r + 3]) return -1;
      const len = p[off] | (p[off + 1] << 8);
      if (len < 4 || off + len > pe) {
        // Bytes the walk stops at: the same, or the whole path.
        for (let i = off; i < pe; i++) if (p[i] !== b[i - ps]) return -1;
        break;
      }
      if (!sameBytes(p, off + 4, b, r + 4, len - 4)) {
        const raw = p[off + 2] | (p[off + 3] << 8);
        const k = l.attrKey[raw & NLA_TYPE_MASK];
        if (k < 0 || l.sensitive[k] || this.at[k] < 0) return -1;
        if (l.feedsTail[k]) this.tailDirty = true;
        this.diffs[n++] = k;
        markSeen(l, k, gen, off, len, raw);
      }
      off += (len + 3) & ~3;
    }
    return n;
  }
}
