// A YNL sub-message's format is picked by the value of its selector, an attribute named by its
// spec name. The selector is looked for in the sub-message's own level of attributes, then in the
// levels around it, innermost first, as YNL's attribute scopes have it: the first level whose set
// defines the selector decides, and a level that defines it but does not carry it has no value.
// Decoding, the fast paths and the encoders each hold a level in their own shape (bytes, decoded
// attributes, command-line items, YNL objects); each passes how to read one attribute of it.
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../codec/index.js';
import type { AttrDef, AttrSet, Schema, SubMessageFormat, ValueDef } from './types.js';
import { decodeScalar } from './values.js';

/** A selector's value as the tables show it (an enum's name), and its number when it has one. */
export interface SelectorValue {
  text: string;
  raw?: string;
}

/** One level of a chain of attribute levels, innermost first. */
export interface Level<L> {
  set?: AttrSet;
  outer?: L;
}

/** What a sub-message's selector picks: a format, or why there is none. */
export type Selection =
  | { format: SubMessageFormat; value: SelectorValue }
  /** `undefined`: no level's set has the selector; `absent`: the level whose set has it does not carry it. */
  | { problem: 'undefined' | 'absent' }
  | { problem: 'no-format'; value: SelectorValue; known: string[] };

const BY_SPEC = new WeakMap<AttrSet, Map<string, [number, AttrDef]>>();

/** The attribute of `set` with spec name `spec` (the first one, as the set lists them). */
export function attrBySpec(set: AttrSet, spec: string): [number, AttrDef] | undefined {
  let index = BY_SPEC.get(set);
  if (!index) {
    index = new Map();
    for (const [n, def] of Object.entries(set.attrs)) if (def.spec !== undefined && !index.has(def.spec)) index.set(def.spec, [Number(n), def]);
    BY_SPEC.set(set, index);
  }
  return index.get(spec);
}

/**
 * The value of the attribute named `spec` in the chain from `level` outwards; `read` gives the
 * value of attribute `type` (entry `def`) in one level, undefined when the level lacks it.
 */
export function selectorValue<L extends Level<L>>(level: L | undefined, spec: string, read: (level: L, type: number, def: AttrDef) => SelectorValue | undefined): SelectorValue | 'undefined' | 'absent' {
  for (let l = level; l; l = l.outer) {
    const hit = l.set ? attrBySpec(l.set, spec) : undefined;
    if (hit) return read(l, hit[0], hit[1]) ?? 'absent';
  }
  return 'undefined';
}

/** The format of sub-message attribute `def` given the chain of levels it sits in. */
export function selectFormat<L extends Level<L>>(def: ValueDef, schema: Schema, level: L | undefined, read: (level: L, type: number, def: AttrDef) => SelectorValue | undefined): Selection {
  const value = def.selector !== undefined ? selectorValue(level, def.selector, read) : 'undefined';
  if (typeof value === 'string') return { problem: value };
  const formats = def.subMessage !== undefined ? schema.subMessages?.[def.subMessage] : undefined;
  // A selector is matched by the name the tables show, else by its number.
  const format = formats?.[value.text] ?? (value.raw !== undefined ? formats?.[value.raw] : undefined);
  return format ? { format, value } : { problem: 'no-format', value, known: Object.keys(formats ?? {}) };
}

/** A level of attributes as bytes: b[s, e) holds attributes of `set`. */
export interface ByteLevel extends Level<ByteLevel> {
  set: AttrSet;
  b: Uint8Array;
  s: number;
  e: number;
}

/** The value of the first attribute `type` in a level of bytes, decoded by its table entry. */
function byteValue(schema: Schema): (l: ByteLevel, type: number, def: AttrDef) => SelectorValue | undefined {
  return (l, type, def) => {
    const b = l.b;
    for (let off = l.s; off + NLA_HDRLEN <= l.e;) {
      const len = b[off] | (b[off + 1] << 8);
      if (len < NLA_HDRLEN || len > l.e - off) break;
      if (((b[off + 2] | (b[off + 3] << 8)) & NLA_TYPE_MASK) === type) {
        const r = decodeScalar(b.subarray(off + NLA_HDRLEN, off + len), def, schema);
        return { text: String(r.value), ...(r.raw !== undefined ? { raw: String(r.raw) } : {}) };
      }
      off += (len + 3) & ~3;
    }
    return undefined;
  };
}

/** The format of a sub-message being decoded, its levels of attributes as bytes. */
export function selectFormatInBytes(def: ValueDef, schema: Schema, level: ByteLevel | undefined): Selection {
  return selectFormat(def, schema, level, byteValue(schema));
}
