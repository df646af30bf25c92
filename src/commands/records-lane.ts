// A template's lane: in a route dump most messages are the last record's but for their dst, a
// 4-byte address that neither the filter nor the shape's names read. The lane writes such a
// message as the template's text before the address, the address, and the text after it: one
// comparison of words and three writes, with none of diff()'s bookkeeping (records-template.ts).
// A datagram's run of such messages is written by one loop with no calls per message, the little
// code V8 must compile before a large dump is over.
import { NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from '../codec/index.js';
import { dottedQuad, IPV4_ROOM, type JsonBytes } from '../format/records-bytes.js';
import { writesDottedQuad, type Emit } from './record-emitters.js';
import type { Template, TemplateLane, TemplateLayout } from './records-template.js';

/** The header before a message's payload (struct nlmsghdr). */
const HEADER = 16;

/** What a lane reads of its layout (records-layout.ts's Layout has it): the first pass of the message just written. */
export type LaneLayout = Pick<TemplateLayout, 'seen' | 'at' | 'len' | 'raw' | 'sensitive' | 'feedsTail'> & {
  dstKey: number;
  keyBytes: Uint8Array[];
  attrs: ({ emit?: Emit; be: boolean } | undefined)[];
};

export class Lane implements TemplateLane {
  /** The lane's word among the payload's. */
  private readonly word: number;
  /** Whether its value is written as a dotted quad (run() writes it itself). */
  private readonly dotted: boolean;

  constructor(
    private readonly t: Template,
    /** Where the value is in the payload. */
    private readonly at: number,
    private readonly emit: Emit,
    private readonly be: boolean,
    /** The record's text before the value, and after it. */
    private readonly prefix: Uint8Array,
    private readonly suffix: Uint8Array,
    /** Whether the value's closing quote gives way to the suffix (a route's dst: "/len" follows the address). */
    private readonly trim: boolean,
  ) {
    this.word = at >> 2;
    this.dotted = writesDottedQuad(emit);
  }

  matches(p: Uint8Array, ps: number, pe: number): boolean {
    const t = this.t;
    const base = t.wordsOf(p, ps, pe);
    const pw = t.current, tw = t.payloadWords, lane = this.word;
    for (let w = 0, nw = t.len >> 2; w < nw; w++) if (pw[base + w] !== tw[w] && w !== lane) return false;
    return true;
  }

  write(p: Uint8Array, ps: number, out: JsonBytes): boolean {
    const mark = out.pos;
    out.raw(this.prefix);
    if (!this.emit(p, ps + this.at, 4, this.be, out)) {
      out.pos = mark;
      return false;
    }
    if (this.trim) out.pos--;
    out.raw(this.suffix);
    return true;
  }

  /**
   * The records of the messages from data[off] on that are the message before them but for the
   * lane's dotted quad (header words the same: length, type, flags, sequence number), each after
   * `lead` and before `trail` (0: none), until `end` or until `out` reaches `limit`. Returns how
   * many it wrote.
   */
  run(data: Uint8Array, off: number, end: number, out: JsonBytes, limit: number, lead: number, trail: number): number {
    const t = this.t;
    const step = t.len + HEADER;
    if (!this.dotted || off < step) return 0;
    // The message before, as words: its header is what the others must have.
    const h = t.wordsOf(data, off - step, off);
    if (!t.inPlace) return 0;
    const dw = t.current, tw = t.payloadWords, lane = this.word, nw = t.len >> 2;
    const len = dw[h], typeFlags = dw[h + 1], seq = dw[h + 2];
    if (len !== step) return 0;
    const prefix = this.prefix, suffix = this.suffix, trim = this.trim ? 1 : 0, at = HEADER + this.at;
    const room = prefix.length + IPV4_ROOM + suffix.length + 2;
    let n = 0;
    for (; off + step <= end && out.pos < limit; off += step, n++) {
      const m = off >> 2;
      if (dw[m] !== len || dw[m + 1] !== typeFlags || dw[m + 2] !== seq) break;
      let w = 0;
      while (w < nw && (dw[m + 4 + w] === tw[w] || w === lane)) w++;
      if (w < nw) break;
      if (out.pos + room > out.buf.length) out.room(room);
      const buf = out.buf;
      let p = out.pos;
      if (lead) buf[p++] = lead;
      buf.set(prefix, p);
      p = dottedQuad(buf, p + prefix.length, data, off + at) - trim;
      buf.set(suffix, p);
      p += suffix.length;
      if (trail) buf[p++] = trail;
      out.pos = p;
    }
    return n;
  }
}

/**
 * The lane of template `t`, just saved from the message at `ps` (generation `gen`), where it can
 * have one: the layout's route dst, when the filter and the shape's names do not read it
 * (fromTemplate()'s K_DST case, records-fast.ts).
 */
export function laneOf(l: LaneLayout, t: Template, ps: number, gen: number): Lane | undefined {
  const k = l.dstKey;
  if (k < 0 || l.seen[k] !== gen || l.len[k] !== 8 || l.sensitive[k] || l.feedsTail[k] || t.at[k] < 0) return undefined;
  const raw = l.raw[k];
  const a = l.attrs[raw & NLA_TYPE_MASK]!;
  const at = l.at[k] + 4 - ps;
  if (!a.emit || !t.soleWord(k, at)) return undefined;
  const suffix = Buffer.concat([Buffer.from(t.dstSuffix, 'latin1'), t.out.subarray(t.end[k], t.outLen)]);
  return new Lane(t, at, a.emit, a.be || (raw & NLA_F_NET_BYTEORDER) !== 0, t.out.slice(0, t.at[k] + l.keyBytes[k].length), suffix, t.dstSuffix !== '');
}
