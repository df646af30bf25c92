// A message layout compiled for the dump records' fast path (records-fast.ts): the family
// header's fields and the set's attributes, each with its key as bytes and its value writer, keys
// by index, and how the ip shape of the dump (ip-records.ts) touches them.
import { NLA_TYPE_MASK } from '../codec/index.js';
import { keyBytes } from '../format/records-bytes.js';
import { fieldKey, structSize, type AttrDef, type AttrSet, type JsonValue, type MessageDef, type Schema } from '../schema/index.js';
import { setKeys } from '../schema/record-decode.js';
import { INT_SIZES, intValue } from '../schema/values.js';
import { intEmitter, intFields, intReader, type Emit } from './record-emitters.js';
import { valueEmitter } from './record-compound.js';
import { SHAPE_OPS } from './ip-records.js';

export interface Field {
  off: number;
  size: number;
  key: number;
  keyBytes: Uint8Array;
  emit: Emit;
  be: boolean;
  value: (b: Uint8Array) => JsonValue;
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
}

/** How a key is written: by its writer, from the shape run as code, as ip's family name, as a route's dst. */
export const K_PLAIN = 0, K_PROBE = 1, K_FAMILY = 2, K_DST = 3;

export interface LayoutOp {
  op: 'name' | 'copy' | 'route-dst';
  keyBytes: Uint8Array;
  keyIndex: number;
  /** The key index the value comes from (-1: not in this layout). */
  from: number;
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
      const value = (b: Uint8Array): JsonValue => {
        const n = read(b, fo, be);
        if (typeof n !== 'number' || n < 0 || n >= 4096) return intValue(n, f, s).value;
        let v = known[n];
        if (v === undefined) {
          v = intValue(n, f, s).value;
          if (v === null || typeof v !== 'object') known[n] = v;
        }
        return v;
      };
      fields.push({ off, size, key: keyIndex(key), keyBytes: keyBytes(key), emit: intEmitter(f, type, s), be, value });
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
  const at = (k: string) => index.get(k) ?? -1;
  return {
    schema: s, set, fields, headerSize, attrsStart: sdef ? (headerSize + 3) & ~3 : 0, attrs, attrKey, keys,
    keyBytes: keys.map((k) => keyBytes(k)), fieldOf, kind, ops, probedKeys,
    familyKey: at('family'), dstLenKey: at('dst_len'), tableKey: at('table'), devKey: devKeyName ? at(devKeyName) : -1,
    seen: new Int32Array(n), at: new Int32Array(n), len: new Int32Array(n), raw: new Int32Array(n), done: new Int32Array(n),
    unknownSeen: new Int32Array(NLA_TYPE_MASK + 1), generation: 0,
  };
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
      ops.push({ op: 'route-dst', keyBytes: keyBytes(step.key), keyIndex: k ?? -1, from: -1 });
      continue;
    }
    if (k !== undefined) return undefined;
    ops.push({ op: step.op, keyBytes: keyBytes(step.key), keyIndex: -1, from: index.get(step.from) ?? -1 });
  }
  return ops;
}
