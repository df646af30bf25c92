// A message layout compiled for the dump records' fast path (records-fast.ts): the family
// header's fields and the set's attributes, each with its key as bytes and its value writer, keys
// by index, and how the ip shape of the dump (ip-records.ts) touches them.
import { NLA_TYPE_MASK } from '../codec/index.js';
import { keyBytes } from '../format/records-bytes.js';
import { fieldKey, structSize, type AttrDef, type AttrSet, type JsonValue, type MessageDef, type Schema } from '../schema/index.js';
import { overviewOf } from '../schema/overview.js';
import { setKeys } from '../schema/record-decode.js';
import { INT_SIZES, intValue } from '../schema/values.js';
import { intEmitter, intFields, intReader, type Emit } from './record-emitters.js';
import { valueEmitter } from './record-compound.js';
import { SHAPE_OPS } from './ip-records.js';
import { markSeen, type Template } from './records-template.js';

export interface Field {
  off: number;
  size: number;
  key: number;
  keyBytes: Uint8Array;
  emit: Emit;
  be: boolean;
  /** The field's value in the message whose payload starts at `ps` of `b`. */
  value: (b: Uint8Array, ps: number) => JsonValue;
  /** `"key":value` by the field's bytes (as a little-endian integer), where they decide it alone. */
  pieces?: (Uint8Array | undefined)[];
}

export interface Attr {
  def: AttrDef;
  /** For integers: their size and reader. */
  size?: number;
  read?: (b: Uint8Array, o: number, be: boolean) => number | bigint;
  /** Not a nest, struct or list: recordAttrValue would call decodeScalar. */
  scalar: boolean;
  emit?: Emit;
  be: boolean;
  /** Record values of integers by number (not for values that depend on the bytes' order). */
  values: Map<number, JsonValue>;
  /** For integers of up to four bytes: `"key":value` by their bytes (as a little-endian integer). */
  pieces?: (Uint8Array | undefined)[];
  /** An unsigned integer of up to four bytes, in its own byte order, shown as its number: its record value is intAt's. */
  uint: boolean;
}

/** How a key is written: by its writer, from the shape run as code, as ip's family name, as a route's dst. */
export const K_PLAIN = 0, K_PROBE = 1, K_FAMILY = 2, K_DST = 3;

export interface LayoutOp {
  op: 'name' | 'copy' | 'route-dst';
  keyBytes: Uint8Array;
  keyIndex: number;
  /** The key index the value comes from (-1: not in this layout). */
  from: number;
  /** The `"key":value` written (null: none) by the bytes of `from`, in an attribute or in the header. */
  byAttr: Map<number, Uint8Array | null>;
  byField: Map<number, Uint8Array | null>;
}

export interface Layout {
  schema: Schema;
  set: AttrSet;
  fields: Field[];
  headerSize: number;
  /** Where the attributes begin in the payload. */
  attrsStart: number;
  attrs: (Attr | undefined)[];
  /** Key index of each attribute type (-1: no table entry). */
  attrKey: Int32Array;
  keys: string[];
  keyBytes: Uint8Array[];
  /** Per key index: the header field that has it (-1: none). */
  fieldOf: Int32Array;
  kind: Uint8Array;
  /** The shape as data (SHAPE_OPS), or undefined: the shape runs as code on the keys it reads. */
  ops?: LayoutOp[];
  probedKeys: number[];
  familyKey: number;
  dstLenKey: number;
  /** The key of kind K_DST (a route's dst, written with its prefix length), or -1. */
  dstKey: number;
  tableKey: number;
  devKey: number;
  // Per message, by key index (valid where seen[k] === generation): where the attribute is.
  seen: Int32Array;
  at: Int32Array;
  len: Int32Array;
  raw: Int32Array;
  done: Int32Array;
  unknownSeen: Int32Array;
  generation: number;
  /** Who filled the ops' caches (they hold its interface names) and the template. */
  owner?: object;
  /** Per key index, for the last record written: where its `"key":value` began and ended (valid where unitGen is the generation). */
  unitAt: Int32Array;
  unitEnd: Int32Array;
  unitGen: Int32Array;
  /** Per key index, for the last record written: the nest's leaves in record-leaves.ts's log (from -1: not a nest its writer wrote). */
  leafFrom: Int32Array;
  leafTo: Int32Array;
  /** The last record written, for the next messages that differ from it in a few values. */
  template?: Template;
  /** Keys whose values others depend on (the filter, the family, dst_len, a selector): a change takes the whole path. */
  sensitive: Uint8Array;
  /** Keys the shape's names and copies read: a change writes them again. */
  feedsTail: Uint8Array;
  /** Keys the shape's steps read (feedsTail's, a route's dst and dst_len): a templated record whose steps run again finds them. */
  tailReads: Uint8Array;
  /** Per byte of the family header: the field it belongs to (-1: padding). */
  fieldAtByte: Int32Array;
}

/** The kinds recordAttrValue hands to the general decoder. */
const COMPOUND = new Set(['nest-array', 'struct-list', 'indexed-array', 'sub-message']);

/** The layout of `def` for dump `what`, or null when the general path must take all its messages. */
export function compileLayout(def: MessageDef, s: Schema, what: string, probeKeys: Set<string>, devKeyName?: string): Layout | null {
  const set = def.attrs ? s.attrSets[def.attrs] : undefined;
  if (!set) return null;
  const keys: string[] = [];
  const index = new Map<string, number>();
  const keyIndex = (k: string) => {
    let i = index.get(k);
    if (i === undefined) {
      i = keys.length;
      keys.push(k);
      index.set(k, i);
    }
    return i;
  };
  const fields: Field[] = [];
  let headerSize = 0;
  const sdef = def.header ? s.structs[def.header] : undefined;
  if (sdef) {
    const plain = intFields(sdef);
    // Plain integers only (every family header of the dump shortcuts); anything else goes the general way.
    if (!plain) return null;
    for (const { f, off, size } of plain) {
      if (f.display !== undefined && f.display !== 'hex') return null;
      const key = fieldKey(sdef, f.name);
      if (index.has(key)) return null;
      const type = f.type, fo = off, be = Boolean(f.be);
      // Header values by number, for the filter and the shapes (flag lists are objects: made each time).
      const known: (JsonValue | undefined)[] = [];
      const read = intReader(type);
      const value = (b: Uint8Array, ps: number): JsonValue => {
        const n = read(b, ps + fo, be);
        if (typeof n !== 'number' || n < 0 || n >= 4096) return intValue(n, f, s).value;
        let v = known[n];
        if (v === undefined) {
          v = intValue(n, f, s).value;
          if (v === null || typeof v !== 'object') known[n] = v;
        }
        return v;
      };
      fields.push({ off, size, key: keyIndex(key), keyBytes: keyBytes(key), emit: intEmitter(f, type, s), be, value, pieces: size <= 4 ? [] : undefined });
    }
    headerSize = structSize(sdef, s);
  }
  const headerKeys = keys.length;
  const attrs: (Attr | undefined)[] = [];
  const attrKey = new Int32Array(NLA_TYPE_MASK + 1).fill(-1);
  const names = setKeys(set, s);
  for (const [t, a] of Object.entries(set.attrs)) {
    const scalar = !(a.type === 'nest' || (a.type === 'struct' && a.struct && s.structs[a.struct]) || COMPOUND.has(a.type));
    const size = INT_SIZES[a.type];
    attrs[Number(t)] = {
      def: a, scalar, emit: valueEmitter(a, s), be: Boolean(a.be), size, read: size === undefined ? undefined : intReader(a.type),
      values: a.display === 'ipv4' ? new NoCache() : new Map(),
      pieces: size !== undefined && size <= 4 ? [] : undefined,
      uint: (a.type === 'u8' || a.type === 'u16' || a.type === 'u32') && !a.be && !a.enum && !a.flags && a.display === undefined,
    };
    attrKey[Number(t)] = keyIndex(names[Number(t)]);
  }
  if (index.has('unknown')) return null;
  const n = keys.length;
  const fieldOf = new Int32Array(n).fill(-1);
  fields.forEach((f, i) => (fieldOf[f.key] = i));
  const kind = new Uint8Array(n);
  const ops = shapeOps(what, s, set, index, headerKeys);
  const probedKeys: number[] = [];
  if (!ops) {
    for (const [k, i] of index) {
      if (probeKeys.has(k)) {
        kind[i] = K_PROBE;
        probedKeys.push(i);
      }
    }
  } else {
    if (index.has('family')) kind[index.get('family')!] = K_FAMILY;
    if (ops.some((o) => o.op === 'route-dst') && index.has('dst')) kind[index.get('dst')!] = K_DST;
  }
  // A value the shape reads as code may be changed by it: written each time.
  for (const f of fields) if (kind[f.key] === K_PROBE) f.pieces = undefined;
  attrs.forEach((a, t) => {
    if (a && kind[attrKey[t]] === K_PROBE) a.pieces = undefined;
  });
  const at = (k: string) => index.get(k) ?? -1;
  const { sensitive, feedsTail, tailReads } = dependencies(s, set, attrKey, fieldOf, kind, ops, [at('family'), at('dst_len'), at('table'), devKeyName ? at(devKeyName) : -1]);
  const fieldAtByte = new Int32Array(headerSize).fill(-1);
  fields.forEach((f, i) => fieldAtByte.fill(i, f.off, f.off + f.size));
  return {
    schema: s, set, fields, headerSize, attrsStart: sdef ? (headerSize + 3) & ~3 : 0, attrs, attrKey, keys,
    keyBytes: keys.map((k) => keyBytes(k)), fieldOf, kind, ops, probedKeys,
    familyKey: at('family'), dstLenKey: at('dst_len'), dstKey: kind.indexOf(K_DST), tableKey: at('table'), devKey: devKeyName ? at(devKeyName) : -1,
    seen: new Int32Array(n), at: new Int32Array(n), len: new Int32Array(n), raw: new Int32Array(n), done: new Int32Array(n),
    unknownSeen: new Int32Array(NLA_TYPE_MASK + 1), generation: 0,
    unitAt: new Int32Array(n), unitEnd: new Int32Array(n), unitGen: new Int32Array(n), leafFrom: new Int32Array(n), leafTo: new Int32Array(n), sensitive, feedsTail, tailReads, fieldAtByte,
  };
}

/**
 * Which keys a template may not take a new value of alone (sensitive): the ones `reads` names,
 * the family, keys both in the header and among the attributes, the shape's own kinds, and
 * attributes a sub-message may take as its selector. And which the shape's names and copies read.
 */
function dependencies(s: Schema, set: AttrSet, attrKey: Int32Array, fieldOf: Int32Array, kind: Uint8Array, ops: LayoutOp[] | undefined, reads: number[]): { sensitive: Uint8Array; feedsTail: Uint8Array; tailReads: Uint8Array } {
  const n = kind.length;
  const sensitive = new Uint8Array(n), feedsTail = new Uint8Array(n);
  for (const k of reads) if (k >= 0) sensitive[k] = 1;
  for (let k = 0; k < n; k++) if (kind[k] !== K_PLAIN && kind[k] !== K_DST) sensitive[k] = 1;
  const selectors = overviewOf(s).selectors;
  for (const [t, a] of Object.entries(set.attrs)) {
    const k = attrKey[Number(t)];
    if (k < 0) continue;
    if (fieldOf[k] >= 0 || selectors.has(a.name) || (a.spec !== undefined && selectors.has(a.spec))) sensitive[k] = 1;
  }
  const tailReads = new Uint8Array(n);
  for (const op of ops ?? []) {
    if (op.from >= 0) feedsTail[op.from] = tailReads[op.from] = 1;
    if (op.op === 'route-dst' && op.keyIndex >= 0) tailReads[op.keyIndex] = 1;
  }
  // A route-dst step reads dst_len (reads[1]) too.
  if (ops?.some((op) => op.op === 'route-dst') && reads[1] >= 0) tailReads[reads[1]] = 1;
  return { sensitive, feedsTail, tailReads };
}

/** A map that keeps nothing: values that must be decoded every time. */
class NoCache extends Map<number, JsonValue> {
  override set(): this {
    return this;
  }
}

/**
 * The shape of `what` as steps over this layout's keys, or undefined when it cannot be: no steps
 * for it, a key it adds already taken, a route dst that is not a binary value of the attributes.
 */
function shapeOps(what: string, s: Schema, set: AttrSet, index: Map<string, number>, headerKeys: number): LayoutOp[] | undefined {
  const steps = SHAPE_OPS[what];
  if (!steps) return undefined;
  const ops: LayoutOp[] = [];
  for (const step of steps) {
    const k = index.get(step.key);
    if (step.op === 'route-dst') {
      if (k !== undefined) {
        if (k < headerKeys) return undefined;
        const keysByType = setKeys(set, s);
        const dsts = Object.entries(set.attrs).filter(([t]) => keysByType[Number(t)] === 'dst').map(([, a]) => a);
        if (!dsts.every((a) => a.type === 'binary' && !a.subType && a.display !== 'bitmap')) return undefined;
      }
      ops.push({ op: 'route-dst', keyBytes: keyBytes(step.key), keyIndex: k ?? -1, from: -1, byAttr: new Map(), byField: new Map() });
      continue;
    }
    if (k !== undefined) return undefined;
    ops.push({ op: step.op, keyBytes: keyBytes(step.key), keyIndex: -1, from: index.get(step.from) ?? -1, byAttr: new Map(), byField: new Map() });
  }
  return ops;
}

/** The first pass over the attributes: where each one is. The number of unknown ones, or -1: a key repeats (the general path). */
export function scanAttrs(l: Layout, p: Uint8Array, attrsStart: number, pe: number, gen: number): number {
  let unknown = 0;
  for (let off = attrsStart; off + 4 <= pe;) {
    const len = p[off] | (p[off + 1] << 8);
    if (len < 4 || off + len > pe) break;
    const raw = p[off + 2] | (p[off + 3] << 8);
    const type = raw & NLA_TYPE_MASK;
    const k = l.attrKey[type];
    if (k < 0) {
      if (l.unknownSeen[type] === gen) return -1;
      l.unknownSeen[type] = gen;
      unknown++;
    } else {
      if (l.seen[k] === gen) return -1;
      markSeen(l, k, gen, off, len, raw);
    }
    off += (len + 3) & ~3;
  }
  return unknown;
}
