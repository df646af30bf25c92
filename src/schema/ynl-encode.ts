// Request attributes from JSON in the shape YNL's --json takes ({"header": {"dev-name": "lo"}}):
// keys are spec names (C names are accepted too), values as YNL prints them — names for enums
// and flags, addresses for display hints, hex for binary, objects for nests, structs and
// sub-messages, lists for multi-attrs and indexed-arrays.
import { concat, encodeAttrs, type AttrSpec } from '../codec/index.js';
import type { JsonValue } from './decoded.js';
import { structSize } from './decode.js';
import { encodeInt, encodeStruct, encodeValue, EncodeError } from './encode.js';
import { selectFormat, type Level, type SelectorValue } from './selector.js';
import type { AttrDef, AttrSet, Schema, ValueDef } from './types.js';
import { INT_SIZES } from './values.js';

type Obj = { [k: string]: JsonValue };

/** An attribute of a set by spec name, C name, or C name without the set's prefix. */
export function findSpecAttr(set: AttrSet, name: string): [number, AttrDef] | undefined {
  const upper = name.toUpperCase().replace(/-/g, '_');
  for (const [n, d] of Object.entries(set.attrs)) {
    if (d.spec === name || d.name === upper || d.name === set.prefix + upper) return [Number(n), d];
  }
  return undefined;
}

function known(set: AttrSet): string {
  const names = Object.values(set.attrs).filter((d) => d.type !== 'pad').map((d) => d.spec ?? d.name);
  return names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '');
}

const asText = (v: JsonValue): string => (Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** A struct from an object of its fields by spec or C name. */
function structBytes(name: string | undefined, v: JsonValue, schema: Schema, path: string): Uint8Array {
  const sdef = name ? schema.structs[name] : undefined;
  if (!sdef) throw new EncodeError(`${path}: no struct table '${name}'`);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new EncodeError(`${path}: give ${sdef.spec ?? sdef.name} as an object of its fields`);
  const values: Record<string, string> = {};
  const nested: [number, Uint8Array][] = [];
  let off = 0;
  for (const f of sdef.fields) {
    const size = f.type === 'struct' && f.struct ? structSize(schema.structs[f.struct], schema) : INT_SIZES[f.type] ?? f.size ?? 0;
    const fv = (v as Obj)[f.spec ?? f.name] ?? (v as Obj)[f.name];
    if (fv !== undefined && fv !== null) {
      if (f.type === 'struct') nested.push([off, structBytes(f.struct, fv, schema, `${path}.${f.spec ?? f.name}`)]);
      else values[f.name] = asText(fv);
    }
    off += (f.pad ?? 0) + size;
  }
  for (const k of Object.keys(v as Obj)) {
    if (!sdef.fields.some((f) => f.spec === k || f.name === k)) throw new EncodeError(`${path}: ${sdef.spec ?? sdef.name} has no field '${k}' (fields: ${sdef.fields.filter((f) => f.type !== 'pad').map((f) => f.spec ?? f.name).join(', ')})`);
  }
  const out = encodeStruct(sdef, values, schema, (d) => structSize(d, schema));
  for (const [o, b] of nested) out.set(b, o);
  return out;
}

function scalarBytes(def: ValueDef, v: JsonValue, schema: Schema, path: string): Uint8Array {
  try {
    if (def.type === 'uint' || def.type === 'sint') {
      const n = BigInt(typeof v === 'number' || /^-?\d+$/.test(String(v)) ? String(v) : encodeValueNumber(def, v, schema));
      const wide = def.type === 'uint' ? n > 0xffffffffn : n > 0x7fffffffn || n < -0x80000000n;
      return encodeInt(def.type === 'uint' ? (wide ? 'u64' : 'u32') : wide ? 's64' : 's32', n, def.be);
    }
    if (def.type === 'bitfield32') {
      const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v, selector: v }) as Obj;
      const word = (x: JsonValue | undefined) => encodeValue(asText(x ?? 0), { type: 'u32', flags: def.flags, enum: def.enum }, schema);
      return concat([word(o.value), word(o.selector)]);
    }
    if (def.type === 'binary' && def.subType && Array.isArray(v)) {
      return concat(v.map((x) => encodeValue(asText(x), { ...def, type: def.subType!, subType: undefined }, schema)));
    }
    if (def.type === 'flag') return new Uint8Array(0);
    if (def.type === 'pad') return new Uint8Array(0);
    return encodeValue(asText(v), def.display === 'hex' && def.type === 'binary' ? { ...def, display: undefined } : def, schema);
  } catch (e) {
    throw new EncodeError(`${path}: ${(e as Error).message}`);
  }
}

function encodeValueNumber(def: ValueDef, v: JsonValue, schema: Schema): string {
  const b = encodeValue(asText(v), { ...def, type: 'u64' }, schema);
  return new DataView(b.buffer, b.byteOffset).getBigUint64(0, !def.be).toString();
}

/** An object of attributes of `set`, in the chain of levels a sub-message's selector is looked for in. */
interface ObjLevel extends Level<ObjLevel> {
  set: AttrSet;
  obj: Obj;
}

/** The member of a level that gives attribute `type`, by any of its names. */
function memberValue(l: ObjLevel, type: number): SelectorValue | undefined {
  for (const [k, v] of Object.entries(l.obj)) if (v !== undefined && findSpecAttr(l.set, k)?.[0] === type) return { text: String(v) };
  return undefined;
}

function oneAttr(type: number, def: AttrDef, v: JsonValue, schema: Schema, path: string, level: ObjLevel): AttrSpec | undefined {
  switch (def.type) {
    case 'nest': {
      const set = def.nested ? schema.attrSets[def.nested] : undefined;
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new EncodeError(`${path}: a nest takes an object`);
      return { type, children: ynlAttrs(v as Obj, set, schema, path, level) };
    }
    case 'indexed-array': {
      if (!Array.isArray(v)) throw new EncodeError(`${path}: an indexed-array takes a list`);
      const set = def.nested ? schema.attrSets[def.nested] : undefined;
      return {
        type,
        children: v.map((item, i) => {
          if (def.subType === 'nest') {
            // As YNL prints them ({"1": {...}}) or plain objects.
            const o = item && typeof item === 'object' && !Array.isArray(item) ? (item as Obj) : {};
            const keys = Object.keys(o);
            const inner = keys.length === 1 && /^\d+$/.test(keys[0]) ? (o[keys[0]] as Obj) : o;
            return { type: keys.length === 1 && /^\d+$/.test(keys[0]) ? Number(keys[0]) : i, children: ynlAttrs(inner, set, schema, `${path}[${i}]`, level) };
          }
          return { type: i, value: scalarBytes({ ...def, type: def.subType ?? 'binary' }, item, schema, `${path}[${i}]`) };
        }),
      };
    }
    case 'sub-message': {
      const picked = selectFormat(def, schema, level, memberValue);
      if (!('format' in picked)) throw new EncodeError(`${path}: ${picked.problem === 'no-format' ? `no format for ${def.selector} '${picked.value.text}'` : `give ${def.selector} first (it picks the format)`}`);
      const { format } = picked;
      const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Obj;
      const parts: Uint8Array[] = [];
      const rest: Obj = { ...o };
      if (format.header) {
        const sdef = schema.structs[format.header];
        const hv: Obj = {};
        for (const f of sdef?.fields ?? []) for (const k of [f.spec, f.name]) if (k && k in rest) { hv[k] = rest[k]; delete rest[k]; }
        parts.push(structBytes(format.header, hv, schema, path));
      }
      if (format.attrs) parts.push(encodeAttrs(ynlAttrs(rest, schema.attrSets[format.attrs], schema, path, level)));
      return { type, nested: format.attrs !== undefined, value: concat(parts) };
    }
    case 'struct':
      return { type, value: structBytes(def.struct, v, schema, path) };
    case 'flag':
      return v === false || v === null ? undefined : { type, value: new Uint8Array(0) };
    default:
      return { type, value: scalarBytes(def, v, schema, path) };
  }
}

/** Attributes of `set` from a YNL-shaped object. */
export function ynlAttrs(obj: Obj, set: AttrSet | undefined, schema: Schema, path = '', outer?: ObjLevel): AttrSpec[] {
  if (!set) throw new EncodeError(`${path || 'request'}: no attribute table here`);
  const out: AttrSpec[] = [];
  const level: ObjLevel = { set, obj, outer };
  for (const [k, v] of Object.entries(obj)) {
    const hit = findSpecAttr(set, k);
    const p = path ? `${path}.${k}` : k;
    if (!hit) throw new EncodeError(`${p}: unknown attribute (known: ${known(set)})`);
    const [type, def] = hit;
    const values = def.multi && Array.isArray(v) ? v : [v];
    for (const item of values) {
      const a = oneAttr(type, def, item, schema, p, level);
      if (a) out.push(a);
    }
  }
  return out;
}

/** A fixed header from the fields of a YNL object (they sit beside the attributes); returns the rest. */
export function splitHeaderFields(obj: Obj, headerName: string | undefined, schema: Schema): { header?: Uint8Array; rest: Obj } {
  const sdef = headerName ? schema.structs[headerName] : undefined;
  if (!sdef) return { rest: obj };
  const hv: Obj = {};
  const rest: Obj = { ...obj };
  for (const f of sdef.fields) for (const k of [f.spec, f.name]) if (k && k in rest) { hv[k] = rest[k]; delete rest[k]; }
  return { header: structBytes(headerName, hv, schema, sdef.spec ?? sdef.name), rest };
}
