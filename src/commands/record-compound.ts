// Writers for the compound values of dump records (nested sets, structs of integers, arrays of
// integers), compiled once per table entry like the scalar ones of record-emitters.ts. They write
// what record-decode.ts gives (then moveUnknown and JSON.stringify), or return false when the
// general code must: a repeated or unknown attribute in a nest, a value no writer covers.
import { NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from '../codec/index.js';
import { keyBytes } from '../format/records-bytes.js';
import type { AttrSet, Schema, StructDef, ValueDef } from '../schema/index.js';
import { setKeys } from '../schema/record-decode.js';
import { INT_SIZES } from '../schema/values.js';
import { intEmitter, intFields, plainEmit, remembered, scalarEmitter, type Emit } from './record-emitters.js';
import { leafLog } from './record-leaves.js';

/** Any value's writer: scalars, nests, structs of integers; undefined: the general code. */
export function valueEmitter(def: ValueDef, schema: Schema): Emit | undefined {
  if (def.type === 'nest') return def.nested && schema.attrSets[def.nested] ? remembered(nestEmitter(schema.attrSets[def.nested], schema)) : undefined;
  if (def.type === 'struct') return def.struct && schema.structs[def.struct] ? remembered(structEmitter(schema.structs[def.struct], schema)) : undefined;
  if (def.type === 'binary' && def.subType) return remembered(intArrayEmitter(def, schema));
  return scalarEmitter(def, schema);
}


/** decodeWide's arrays of integers: each element shown as intValue shows it. */
function intArrayEmitter(def: ValueDef, schema: Schema): Emit | undefined {
  const size = INT_SIZES[def.subType!];
  if (!size) return undefined;
  const element = intEmitter(def, def.subType!, schema);
  return (b, o, n, be, out) => {
    if (n % size) return false;
    out.byte(0x5b);
    for (let i = 0; i < n; i += size) {
      if (i) out.comma();
      if (!element(b, o + i, size, be, out)) return false;
    }
    out.byte(0x5d);
    return true;
  };
}

const STRUCTS = new WeakMap<StructDef, Emit | null>();

/** The kinds whose writers log their own values as leaves (record-leaves.ts): nests' attributes, structs' fields. */
export const CONTAINERS: ReadonlySet<string> = new Set(['nest', 'struct']);

/** structValue of a struct made of integers (and padding): fields by C name, up to where the bytes end. */
function structEmitter(sdef: StructDef, schema: Schema): Emit | undefined {
  let e = STRUCTS.get(sdef);
  if (e !== undefined) return e ?? undefined;
  const fields: { off: number; size: number; key: Uint8Array; emit: Emit; be: boolean }[] = [];
  const plain = intFields(sdef);
  if (!plain || plain.some(({ f }, i) => /^\d+$/.test(f.name) || plain.findIndex((x) => x.f.name === f.name) !== i)) {
    STRUCTS.set(sdef, null);
    return undefined;
  }
  for (const { f, off, size } of plain) fields.push({ off, size, key: keyBytes(f.name), emit: intEmitter(f, f.type, schema), be: Boolean(f.be) });
  e = (b, o, n, _be, out) => {
    out.byte(0x7b);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (f.off + f.size > n) break;
      if (i) out.comma();
      out.raw(f.key);
      const mark = out.pos;
      if (!f.emit(b, o + f.off, f.size, f.be, out)) return false;
      // Each field a leaf (record-leaves.ts): a cacheinfo's times change, its other fields do not.
      if (leafLog.on) leafLog.add(o + f.off, f.size, mark, out.pos, f.emit, f.be);
    }
    out.byte(0x7d);
    return true;
  };
  STRUCTS.set(sdef, e);
  return e;
}

interface NestPlan {
  keys: Uint8Array[];
  keyOf: Int32Array;
  emit: (Emit | undefined)[];
  /** Per type: the writer of a value written alone (record-leaves.ts), or undefined for a nest or a struct (their own values are the leaves). */
  leaf: (Emit | undefined)[];
  be: boolean[];
  seen: Int32Array;
  generation: number;
}

const NESTS = new WeakMap<AttrSet, NestPlan | null>();

function nestPlan(set: AttrSet, schema: Schema): NestPlan | null {
  let plan = NESTS.get(set);
  if (plan !== undefined) return plan;
  // Placed first: sets that nest themselves find their plan while it is being made.
  const names = setKeys(set, schema);
  const keyIndex = new Map<string, number>();
  const keys: Uint8Array[] = [];
  const keyOf = new Int32Array(NLA_TYPE_MASK + 1).fill(-1);
  const types = Object.keys(set.attrs).map(Number);
  for (const t of types) {
    const k = names[t];
    if (!keyIndex.has(k)) {
      keyIndex.set(k, keys.length);
      keys.push(keyBytes(k));
    }
    keyOf[t] = keyIndex.get(k)!;
  }
  if (keyIndex.has('unknown')) plan = null;
  else plan = { keys, keyOf, emit: [], leaf: [], be: [], seen: new Int32Array(keys.length), generation: 0 };
  NESTS.set(set, plan);
  if (plan) {
    for (const t of types) {
      const emit = (plan.emit[t] = valueEmitter(set.attrs[t], schema));
      plan.leaf[t] = emit && !CONTAINERS.has(set.attrs[t].type) ? plainEmit(emit) : undefined;
      plan.be[t] = Boolean(set.attrs[t].be);
    }
  }
  return plan;
}

/** recordAttrs of a nested set: keys in the order they come; repeated or unknown attributes: the general code. */
function nestEmitter(set: AttrSet, schema: Schema): Emit | undefined {
  return (b, o, n, _be, out) => {
    const plan = nestPlan(set, schema);
    if (!plan) return false;
    const gen = ++plan.generation;
    const end = o + n;
    out.byte(0x7b);
    let first = true;
    for (let off = o; off + 4 <= end;) {
      const len = b[off] | (b[off + 1] << 8);
      if (len < 4 || off + len > end) break;
      const raw = b[off + 2] | (b[off + 3] << 8);
      const type = raw & NLA_TYPE_MASK;
      const k = plan.keyOf[type];
      const emit = plan.emit[type];
      if (k < 0 || emit === undefined || plan.seen[k] === gen) return false;
      plan.seen[k] = gen;
      if (!first) out.comma();
      first = false;
      out.raw(plan.keys[k]);
      const be = plan.be[type] || (raw & NLA_F_NET_BYTEORDER) !== 0;
      const mark = out.pos;
      if (!emit(b, off + 4, len - 4, be, out)) return false;
      const leaf = plan.leaf[type];
      if (leafLog.on && leaf !== undefined) leafLog.add(off + 4, len - 4, mark, out.pos, leaf, be);
      off += (len + 3) & ~3;
    }
    out.byte(0x7d);
    return true;
  };
}
