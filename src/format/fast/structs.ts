// Fixed structs of the fast JSON path: a struct's fields compiled once per table into one writer
// (a tight loop for the all-integer headers and stats structs).
import { structSize, type FieldDef, type Schema, type StructDef } from '../../schema/index.js';
import { INT_SIZES, readIntAt } from '../../schema/values.js';
import { jsonBytes, putBytes, type ByteWriter } from '../json-bytes.js';
import { COLON, COMMA, FALLBACK, raw, scalarEmit, type ScalarEmit } from './values.js';
import { intKind, putInt, wideInt } from './ints.js';

/** A struct as `{"field":value,…}`, and the raw numbers of fields shown by name (family headers). */
export interface StructEmit {
  size: number;
  /** Some field reads another's value (familyField), here or in a nested struct. */
  scoped: boolean;
  /** `"name":` of each field, by field index (for the raw object of a header). */
  keys: Buffer[];
  /** Writes the fields object; with `raws`, the raw numbers of named fields go there (in field order). */
  write(w: ByteWriter, b: Uint8Array, s: number, e: number, raws?: RawList, scope?: Record<string, number>): void;
}

/** Raw numbers of a header's fields shown by name: field indexes and numbers, reused per message. */
export interface RawList {
  count: number;
  fields: number[];
  values: number[];
}

interface FieldPlan {
  def: FieldDef;
  /** `"name":` */
  key: Buffer;
  /** `,"name":`, or `"name":` for the first field written */
  sep: Buffer;
  pad: number;
  /** Integer size, 0 for others. */
  int: number;
  emit?: ScalarEmit;
  nested?: StructEmit;
  size: number;
  flexible: boolean;
  skip?: number;
}

const STRUCTS = new WeakMap<Schema, Map<string, StructEmit | null>>();

/** A writer for a struct of plain integers only (stats and most headers): one tight loop. */
function plainInts(plans: FieldPlan[]): StructEmit['write'] | undefined {
  const seps: Buffer[] = [], offs: number[] = [], kinds: number[] = [];
  let off = 0, need = 0, room = 2;
  for (const p of plans) {
    off += p.pad;
    if (p.skip !== undefined) {
      off += p.skip;
      continue;
    }
    const kind = p.int ? intKind(p.def) : 0;
    if (!kind || p.nested) return undefined;
    seps.push(p.sep);
    offs.push(off);
    kinds.push(kind);
    room += p.sep.length + 22;
    off += p.int;
    need = off;
  }
  const n = seps.length;
  return (w, b, s, e) => {
    // Fields past the end are the general decoder's problem to report.
    if (e - s < need) throw FALLBACK;
    if (w.pos + room > w.buf.length) w.room(room);
    let buf = w.buf;
    let p = w.pos;
    buf[p++] = 123;
    for (let i = 0; i < n; i++) {
      p = putBytes(buf, p, seps[i]!);
      const q = putInt(buf, p, b, s + offs[i]!, kinds[i]!);
      if (q >= 0) p = q;
      else {
        w.pos = p;
        wideInt(w, b, s + offs[i]!);
        buf = w.buf;
        p = w.pos;
      }
    }
    buf[p++] = 125;
    w.pos = p;
  };
}

/** The struct writer for a table's struct, or undefined when it cannot be specialised. */
export function structEmit(name: string, schema: Schema): StructEmit | undefined {
  let cache = STRUCTS.get(schema);
  if (!cache) STRUCTS.set(schema, (cache = new Map()));
  if (cache.has(name)) return cache.get(name) ?? undefined;
  cache.set(name, null); // a struct holding itself stays with the general decoder
  const def = schema.structs[name];
  const emit = def ? compileStruct(def, schema) : undefined;
  cache.set(name, emit ?? null);
  return emit;
}

function compileStruct(def: StructDef, schema: Schema): StructEmit | undefined {
  const names = new Set<string>();
  const plans: FieldPlan[] = [];
  const fields = def.fields;
  let scoped = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.type === 'pad') {
      plans.push({ def: f, key: Buffer.alloc(0), sep: Buffer.alloc(0), pad: f.pad ?? 0, int: 0, size: 0, flexible: false, skip: f.size ?? 0 });
      continue;
    }
    // A repeated name would keep its first place with its last value: left to the general decoder.
    if (names.has(f.name)) return undefined;
    names.add(f.name);
    if (f.familyField !== undefined) scoped = true;
    const int = f.familyField === undefined ? INT_SIZES[f.type] ?? 0 : 0;
    const key = Buffer.concat([jsonBytes(f.name), COLON]);
    const plan: FieldPlan = { def: f, key, sep: names.size === 1 ? key : Buffer.concat([COMMA, key]), pad: f.pad ?? 0, int, size: 0, flexible: false };
    if (f.type === 'struct' && f.struct && schema.structs[f.struct]) {
      const nested = structEmit(f.struct, schema);
      if (!nested) return undefined;
      if (nested.scoped) scoped = true;
      plan.nested = nested;
      plan.size = nested.size;
    } else {
      plan.emit = scalarEmit(f, schema);
      plan.flexible = i === fields.length - 1 && f.size === undefined && (f.type === 'binary' || f.type === 'string');
      // As fieldSize reads it: a struct missing from the tables is 0 bytes.
      plan.size = f.type === 'struct' ? 0 : INT_SIZES[f.type] ?? f.size ?? 0;
    }
    plans.push(plan);
  }
  const size = structSize(def, schema);
  const plain = plainInts(plans);
  if (plain) return { size, scoped, keys: plans.map((p) => p.key), write: plain };
  const write = (w: ByteWriter, b: Uint8Array, s: number, e: number, raws?: RawList, outer?: Record<string, number>): void => {
    // Integer fields of this struct and those around it, for fields that read one (familyField).
    const scope = scoped || outer ? { ...outer } : undefined;
    const len = e - s;
    let off = 0;
    w.byte(123);
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i]!;
      off += p.pad;
      if (p.skip !== undefined) {
        off += p.skip;
        continue;
      }
      const size = p.flexible ? Math.max(0, len - off) : p.size;
      if (off + size > len) throw FALLBACK;
      w.raw(p.sep);
      if (p.nested) p.nested.write(w, b, s + off, s + off + size, undefined, scope);
      else if (p.emit!(w, b, s + off, s + off + size, scope) && raws) {
        raws.fields[raws.count] = i;
        raws.values[raws.count++] = raw.n;
      }
      if (scope && p.int) {
        const n = readIntAt(b, s + off, p.def.type, p.def.be);
        scope[p.def.name] = typeof n === 'number' ? n : Number(n);
      }
      off += size;
    }
    w.byte(125);
  };
  return { size, scoped, keys: plans.map((p) => p.key), write };
}
