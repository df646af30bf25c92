// A decoded message as YNL's CLI prints it with --output-json: one object keyed by the spec's
// attribute names; enums and flags by name (flag lists sorted, as YNL prints its sets), display
// hints applied, nests as objects, multi-attrs and indexed-arrays as lists, sub-messages
// resolved, the fixed header's fields merged in. Scripts written against YNL read it unchanged.
import { tablesUsed } from './decode.js';
import type { DecodedAttr, DecodedMessage, JsonValue } from './decoded.js';
import type { AttrDef, AttrSet, Schema, StructDef } from './types.js';

type Obj = { [k: string]: JsonValue };

/** A struct value (fields by C name) with the spec's field names, nested structs too. */
export function structObject(value: JsonValue | undefined, sdef: StructDef | undefined, schema: Schema): JsonValue {
  if (!sdef || !value || typeof value !== 'object' || Array.isArray(value)) return value ?? null;
  const out: Obj = {};
  for (const f of sdef.fields) {
    if (f.type === 'pad' || !(f.name in value)) continue;
    const v = (value as Obj)[f.name];
    const key = f.spec ?? f.name;
    if (f.type === 'struct' && f.struct) out[key] = structObject(v, schema.structs[f.struct], schema);
    else out[key] = scalar(v, f);
  }
  return out;
}

/**
 * A 64-bit value beyond 2^53 is a decimal string in decoded messages; YNL prints it as a JSON
 * number. It travels marked, and the JSON writer unquotes it (exactly, digit for digit).
 */
export const BIG_NUMBER_MARK = '\u0000#';
const WIDE = new Set(['u64', 's64', 'uint', 'sint']);

/** Spaced hex, as YNL shows a binary with display-hint hex. */
const spacedHex = (hex: string): string => hex.replace(/(..)(?=.)/g, '$1 ');

export function scalar(v: JsonValue | undefined, def: { type: string; display?: string; flags?: string; enum?: string }): JsonValue {
  if (v === undefined) return null;
  if (typeof v === 'string' && WIDE.has(def.type) && !def.display && /^-?\d{16,}$/.test(v)) return BIG_NUMBER_MARK + v;
  if (Array.isArray(v) && def.flags && def.type !== 'binary') return [...v].sort();
  if (def.type === 'binary' && def.display === 'hex' && typeof v === 'string') return spacedHex(v);
  if (def.type === 'bitfield32' && v && typeof v === 'object' && !Array.isArray(v) && def.flags) {
    const o = v as Obj;
    return { value: Array.isArray(o.value) ? [...o.value].sort() : o.value, selector: Array.isArray(o.selector) ? [...o.selector].sort() : o.selector };
  }
  return v;
}

function unknownValue(a: DecodedAttr): JsonValue {
  if (a.attrs) return attrsObject(a.attrs, undefined, undefined);
  return a.hex ?? (typeof a.value === 'string' ? a.value : null);
}

function value(a: DecodedAttr, def: AttrDef, schema: Schema): JsonValue {
  switch (def.type) {
    case 'nest':
      return attrsObject(a.attrs ?? [], def.nested ? schema.attrSets[def.nested] : undefined, schema);
    case 'indexed-array':
      // YNL: a list of {index: object} for nests, a plain list for scalars.
      return (a.attrs ?? []).filter((c) => c.type >= 0).map((c) =>
        def.subType === 'nest'
          ? { [String(c.type)]: attrsObject(c.attrs ?? [], def.nested ? schema.attrSets[def.nested] : undefined, schema) }
          : scalar(c.value ?? c.hex, { ...def, type: def.subType ?? 'binary' }));
    case 'nest-array': {
      if (!def.typeValue) return (a.attrs ?? []).map((c) => attrsObject(c.attrs ?? [], def.nested ? schema.attrSets[def.nested] : undefined, schema));
      // nest-type-value: each level's type is a value (YNL reads the first at each level).
      const out: Obj = {};
      let node: DecodedAttr | undefined = a;
      for (const name of def.typeValue) {
        node = node?.attrs?.find((c) => c.type >= 0);
        if (!node) break;
        out[name] = node.type;
      }
      if (node) Object.assign(out, attrsObject(node.attrs ?? [], def.nested ? schema.attrSets[def.nested] : undefined, schema));
      return out;
    }
    case 'sub-message': {
      const used = tablesUsed(a);
      if (!used) return unknownValue(a);
      const out: Obj = {};
      if (used.header) Object.assign(out, structObject(a.value, schema.structs[used.header], schema) as Obj);
      if (used.attrs) Object.assign(out, attrsObject(a.attrs ?? [], schema.attrSets[used.attrs], schema));
      return out;
    }
    case 'struct':
      return structObject(a.value, def.struct ? schema.structs[def.struct] : undefined, schema);
    case 'flag':
      return true;
    default:
      if (a.value === undefined && a.hex !== undefined) return a.hex;
      return scalar(a.value, def);
  }
}

/** Attributes of a set as YNL's object: spec names, pad left out, unknown ones by number. */
export function attrsObject(attrs: DecodedAttr[], set: AttrSet | undefined, schema: Schema | undefined): Obj {
  const out: Obj = {};
  for (const a of attrs) {
    if (a.type < 0) continue;
    const def = set?.attrs[a.type];
    if (!def || !schema) {
      out[`UnknownAttr(${a.type})`] = unknownValue(a);
      continue;
    }
    if (def.type === 'pad') continue;
    // An attribute only the kernel's policy typed has no name: YNL's UnknownAttr(N), marked.
    const key = def.spec ?? (def.typedBy ? `PolicyAttr(${a.type})` : def.name);
    const v = value(a, def, schema);
    if (def.multi) ((out[key] ??= []) as JsonValue[]).push(v);
    else out[key] = v;
  }
  return out;
}

/**
 * Whether the view shows a message read with attribute set `set` and fixed header `header`: a
 * spec named one of them (generic netlink: every family's messages come from a spec).
 */
export function hasYnlView(schema: Schema, set: AttrSet | undefined, header: string | undefined): boolean {
  return Boolean(set?.spec || (header !== undefined && schema.structs[header]?.spec) || (header === 'genlmsghdr' && set));
}

/** The fixed header's fields (by C name) into `out` by their spec names; genlmsghdr is framing, not data: YNL shows only a struct after it. */
export function mergeHeaderFields(out: Obj, fields: { [k: string]: JsonValue }, hdr: StructDef, schema: Schema): void {
  if (hdr.name === 'genlmsghdr') {
    for (const f of hdr.fields) if (f.type === 'struct' && f.struct) Object.assign(out, structObject(fields[f.name], schema.structs[f.struct], schema) as Obj);
  } else Object.assign(out, structObject(fields, hdr, schema) as Obj);
}

/**
 * One data message as YNL prints it; undefined for control messages and for messages no spec
 * described (no spec names to key them by).
 */
export function ynlMessage(m: DecodedMessage): Obj | undefined {
  const used = tablesUsed(m);
  if (!used || m.error || m.type < 0x10) return undefined;
  const { schema } = used;
  const set = used.attrs ? schema.attrSets[used.attrs] : undefined;
  if (!hasYnlView(schema, set, used.header)) return undefined;
  const out = attrsObject(m.attrs ?? [], set, schema);
  const hdr = used.header ? schema.structs[used.header] : undefined;
  if (hdr && m.header) mergeHeaderFields(out, m.header.fields, hdr, schema);
  return out;
}
