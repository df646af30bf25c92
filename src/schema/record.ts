// Flatten a decoded message into one record per object (like `ip -j`): the family header's
// fields and the attributes by lower-case key. Used for tables and for dump JSON.
import type { DecodedAttr, DecodedMessage, JsonValue } from './decoded.js';
import { keyOf } from './define.js';
import { firstAttrNamed } from './overview.js';
import type { AttrDef, Schema, StructDef } from './types.js';

export type FlatRecord = { [k: string]: JsonValue };

const INDEX_NAME = /^\[\d+\]$/;

/** The attribute definition of a C name, for record keys set in the tables (`key`) and index handling. */
export function attrDef(schema: Schema, name: string): AttrDef | undefined {
  return firstAttrNamed(schema, name);
}

export function attrRecordValue(a: DecodedAttr, schema: Schema, setPrefix: string, def?: AttrDef): JsonValue {
  if (a.attrs) {
    // Index-typed children (nest-array, struct-list): a list, or an object by index when the indexes mean something.
    if (a.attrs.length && a.attrs.every((c) => c.name && INDEX_NAME.test(c.name))) {
      const values = a.attrs.map((c) => {
        const v = attrRecordValue(c, schema, setPrefix, def);
        const head = c.value;
        return c.attrs && head && typeof head === 'object' && !Array.isArray(head) && v && typeof v === 'object' && !Array.isArray(v) ? { ...head, ...v } : v;
      });
      if (!def?.indexed) return values;
      return Object.fromEntries(a.attrs.map((c, i) => [String(c.type), values[i]]));
    }
    return attrsToRecord(a.attrs, schema, setPrefix);
  }
  if (a.value !== undefined) return a.value;
  return a.hex ?? null;
}

// Record keys are asked for once per attribute of every message: remember them by name.
const keysByName = new Map<string, string>();
export function recordKey(name: string, def: AttrDef | undefined): string {
  if (def?.key) return def.key;
  let key = keysByName.get(name);
  if (key === undefined) {
    key = keyOf(name, name.slice(0, name.indexOf('_') + 1));
    keysByName.set(name, key);
  }
  return key;
}

/** Header field name → record key, per struct table. */
const fieldKeys = new WeakMap<StructDef, Map<string, string>>();
export function fieldKey(sdef: StructDef | undefined, name: string): string {
  if (!sdef) return name;
  let keys = fieldKeys.get(sdef);
  if (!keys) {
    keys = new Map(sdef.fields.map((f) => [f.name, f.key ?? f.name]));
    fieldKeys.set(sdef, keys);
  }
  return keys.get(name) ?? name;
}

function attrsToRecord(attrs: DecodedAttr[], schema: Schema, prefix = ''): FlatRecord {
  const out: FlatRecord = {};
  let repeated: Set<string> | undefined;
  for (const a of attrs) {
    if (a.type < 0) continue; // bytes that were not an attribute: diagnostics, not data
    const def = a.name ? attrDef(schema, a.name) : undefined;
    const key = a.name ? recordKey(a.name, def) : `attr_${a.type}`;
    const value = attrRecordValue(a, schema, prefix, def);
    // Repeated attributes become a list.
    if (repeated?.has(key)) (out[key] as JsonValue[]).push(value);
    else if (key in out) {
      out[key] = [out[key], value];
      (repeated ??= new Set()).add(key);
    } else out[key] = value;
  }
  return out;
}

/** One flat record per message: header fields by their table key, then attributes. */
export function toRecord(m: DecodedMessage, outer: Schema): FlatRecord {
  // A generic netlink family's messages are read with that family's own tables.
  const schema = (m.family !== undefined && outer.forFamily?.(m.family, (m.flags & 0x01) === 0)) || outer;
  const rec: FlatRecord = {};
  if (m.header) {
    const sdef = schema.structs[m.header.name];
    for (const name in m.header.fields) rec[fieldKey(sdef, name)] = m.header.fields[name];
  }
  if (m.attrs) Object.assign(rec, attrsToRecord(m.attrs, schema));
  return rec;
}
