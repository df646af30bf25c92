// What a protocol that learns (generic netlink: family ids from nlctrl's replies) is shown of a
// message the fast path wrote: its family, type name and top-level attributes with their scalar
// values, decoded by the general decoder's own value code when learn reads them. Schema.learn
// reads no more than that, so the message need not be decoded a second time, nests and all.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, type RawAttr } from '../../codec/index.js';
import { decodeAttrValue, decodeUnknownAttr, type AttrSet, type DecodeContext, type DecodedAttr, type DecodedMessage, type Schema } from '../../schema/index.js';

/** Value types whose decoding is a nest of attributes, not a value: learn never reads them. */
const NESTS = new Set(['nest', 'nest-array', 'indexed-array', 'sub-message', 'struct-list']);

/** Where a taught message's top-level attributes are: b[s, e) under `set` of `schema`, b[s] at datagram offset `abs`. */
export interface Lesson {
  family: string | undefined;
  typeName: string | undefined;
  b: Uint8Array;
  s: number;
  e: number;
  abs: number;
  set: string | undefined;
  schema: Schema;
}

/** What a lesson's attributes share: one object per message rather than five fields per attribute. */
interface Taught {
  b: Uint8Array;
  /** Datagram offset of b[0]. */
  base: number;
  set: AttrSet | undefined;
  schema: Schema;
  ctx: DecodeContext;
}

/** A top-level attribute whose bytes and value are made only when learn asks for its value. */
class LessonAttr {
  private decoded: DecodedAttr | undefined = undefined;

  constructor(readonly type: number, private readonly rawType: number, private readonly off: number, private readonly len: number, private readonly t: Taught) {}

  get value(): DecodedAttr['value'] {
    if (!this.decoded) {
      const t = this.t;
      // The attribute as parseAttrs gives it (the general decoder's input).
      const a: RawAttr = {
        type: this.type, nested: (this.rawType & NLA_F_NESTED) !== 0, netByteOrder: (this.rawType & NLA_F_NET_BYTEORDER) !== 0,
        offset: t.base + this.off, len: this.len, value: t.b.subarray(this.off + NLA_HDRLEN, this.off + this.len),
      };
      const def = t.set?.attrs[a.type];
      const d: DecodedAttr = { type: a.type, offset: a.offset, len: a.len };
      if (!def) decodeUnknownAttr(a, t.schema, t.ctx, d);
      else if (!NESTS.has(def.type)) decodeAttrValue(a, a.netByteOrder ? { ...def, be: true } : def, t.schema, t.ctx, d);
      this.decoded = d;
    }
    return this.decoded.value;
  }
}

/** The message as learn sees it: top-level attributes, each with the value the general decoder gives it. */
export function lessonMessage(l: Lesson, ctx: DecodeContext): DecodedMessage {
  const m = { diagnostics: [] } as unknown as DecodedMessage;
  if (l.family !== undefined) m.family = l.family;
  if (l.typeName !== undefined) m.type_name = l.typeName;
  if (l.e <= l.s) return m;
  const t: Taught = { b: l.b, base: l.abs - l.s, set: l.set !== undefined ? l.schema.attrSets[l.set] : undefined, schema: l.schema, ctx };
  // The attributes parseAttrs would find (it stops where one does not fit, as here), without
  // making their bytes: learn reads one or two of them.
  const attrs: DecodedAttr[] = [];
  const b = l.b, e = l.e;
  let off = l.s;
  while (e - off >= NLA_HDRLEN) {
    const len = b[off]! | (b[off + 1]! << 8);
    if (len < NLA_HDRLEN || len > e - off) break;
    const rawType = b[off + 2]! | (b[off + 3]! << 8);
    attrs.push(new LessonAttr(rawType & NLA_TYPE_MASK, rawType, off, len, t) as unknown as DecodedAttr);
    off += (len + 3) & ~3;
  }
  m.attrs = attrs;
  return m;
}
