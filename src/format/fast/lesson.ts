// What a protocol that learns (generic netlink: family ids from nlctrl's replies) is shown of a
// message the fast path wrote: its family, type name and top-level attributes with their scalar
// values, decoded by the general decoder's own value code when learn reads them. Schema.learn
// reads no more than that, so the message need not be decoded a second time, nests and all.
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, type RawAttr } from '../../codec/index.js';
import { intKind, KIND_SIZE, readInt } from './ints.js';
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

/** What a lesson's attributes share: one object rather than five fields per attribute. */
interface Taught {
  b: Uint8Array;
  /** Datagram offset of b[0]. */
  base: number;
  set: AttrSet | undefined;
  schema: Schema;
  ctx: DecodeContext | undefined;
}

/**
 * A top-level attribute whose bytes and value are made only when learn asks for its value. One
 * set of them serves every lesson (learn keeps nothing of the message): a lesson per nlctrl
 * reply made a fifth of what a generic netlink decode allocated.
 */
class LessonAttr {
  type = 0;
  private rawType = 0;
  private off = 0;
  private len = 0;
  private decoded: DecodedAttr | undefined = undefined;

  constructor(private readonly t: Taught) {}

  reset(rawType: number, off: number, len: number): this {
    this.type = rawType & NLA_TYPE_MASK;
    this.rawType = rawType;
    this.off = off;
    this.len = len;
    this.decoded = undefined;
    return this;
  }

  get value(): DecodedAttr['value'] {
    if (!this.decoded) {
      const t = this.t;
      const plain = plainValue(t, this.type, this.rawType, this.off + NLA_HDRLEN, this.off + this.len);
      if (plain !== undefined) return plain;
      // The attribute as parseAttrs gives it (the general decoder's input).
      const a: RawAttr = {
        type: this.type, nested: (this.rawType & NLA_F_NESTED) !== 0, netByteOrder: (this.rawType & NLA_F_NET_BYTEORDER) !== 0,
        offset: t.base + this.off, len: this.len, value: t.b.subarray(this.off + NLA_HDRLEN, this.off + this.len),
      };
      const def = t.set?.attrs[a.type];
      const d: DecodedAttr = { type: a.type, offset: a.offset, len: a.len };
      if (!def) decodeUnknownAttr(a, t.schema, t.ctx!, d);
      else if (!NESTS.has(def.type)) decodeAttrValue(a, a.netByteOrder ? { ...def, be: true } : def, t.schema, t.ctx!, d);
      this.decoded = d;
    }
    return this.decoded.value;
  }
}

/**
 * The value of an attribute the fast path wrote as a plain integer or an ASCII C string, read
 * as it wrote it (the general decoder gives the same: the text was the same); undefined for
 * any other, which the general decoder then decodes. Learning reads a family's id and name per
 * nlctrl message: decoding them in general cost a tenth of a generic netlink decode.
 */
function plainValue(t: Taught, type: number, rawType: number, s: number, e: number): number | string | undefined {
  const def = t.set?.attrs[type];
  if (!def || rawType & NLA_F_NET_BYTEORDER) return undefined;
  const b = t.b;
  const kind = intKind(def);
  if (kind) return kind !== 7 && e - s === KIND_SIZE[kind & 15] ? readInt(b, s, kind) : undefined;
  if (def.type !== 'string' || def.display === 'unix-path') return undefined;
  let text = '';
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 0) break;
    if (c >= 0x80) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

const taught: Taught = { b: new Uint8Array(0), base: 0, set: undefined, schema: undefined as unknown as Schema, ctx: undefined };
const pool: LessonAttr[] = [];

/**
 * The message as learn sees it: top-level attributes, each with the value the general decoder
 * gives it. Valid until the next lesson.
 */
export function lessonMessage(l: Lesson, ctx: DecodeContext): DecodedMessage {
  const m = { diagnostics: [] } as unknown as DecodedMessage;
  if (l.family !== undefined) m.family = l.family;
  if (l.typeName !== undefined) m.type_name = l.typeName;
  if (l.e <= l.s) return m;
  const t = taught;
  t.b = l.b;
  t.base = l.abs - l.s;
  t.set = l.set !== undefined ? l.schema.attrSets[l.set] : undefined;
  t.schema = l.schema;
  t.ctx = ctx;
  // The attributes parseAttrs would find (it stops where one does not fit, as here), without
  // making their bytes: learn reads one or two of them.
  const attrs: DecodedAttr[] = [];
  const b = l.b, e = l.e;
  let off = l.s;
  while (e - off >= NLA_HDRLEN) {
    const len = b[off]! | (b[off + 1]! << 8);
    if (len < NLA_HDRLEN || len > e - off) break;
    const rawType = b[off + 2]! | (b[off + 3]! << 8);
    const a = pool[attrs.length] ??= new LessonAttr(t);
    attrs.push(a.reset(rawType, off, len) as unknown as DecodedAttr);
    off += (len + 3) & ~3;
  }
  m.attrs = attrs;
  return m;
}
