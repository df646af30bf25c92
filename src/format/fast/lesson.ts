// What a protocol that learns (generic netlink: family ids from nlctrl's replies) is shown of a
// message the fast path wrote: its family, type name and top-level attributes with their scalar
// values, decoded by the general decoder's own value code when learn reads them. Schema.learn
// reads no more than that, so the message need not be decoded a second time, nests and all.
import { parseAttrs, type RawAttr } from '../../codec/index.js';
import { decodeAttrValue, decodeUnknownAttr, type AttrDef, type DecodeContext, type DecodedAttr, type DecodedMessage, type Schema } from '../../schema/index.js';

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

/** A top-level attribute whose value is decoded only when learn asks for it. */
class LessonAttr {
  private decoded?: DecodedAttr;

  constructor(readonly type: number, private readonly a: RawAttr, private readonly def: AttrDef | undefined, private readonly schema: Schema, private readonly ctx: DecodeContext) {}

  get value(): DecodedAttr['value'] {
    if (!this.decoded) {
      const a = this.a, def = this.def;
      const d: DecodedAttr = { type: a.type, offset: a.offset, len: a.len };
      if (!def) decodeUnknownAttr(a, this.schema, this.ctx, d);
      else if (!NESTS.has(def.type)) decodeAttrValue(a, a.netByteOrder ? { ...def, be: true } : def, this.schema, this.ctx, d);
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
  const set = l.set !== undefined ? l.schema.attrSets[l.set] : undefined;
  m.attrs = parseAttrs(l.b.subarray(l.s, l.e), l.abs).attrs.map((a) => new LessonAttr(a.type, a, set?.attrs[a.type], l.schema, ctx) as unknown as DecodedAttr);
  return m;
}
