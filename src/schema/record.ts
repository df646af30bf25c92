// Flatten a decoded message into one record per object (like `ip -j`): the family header's
// fields and the attributes by lower-case key. Used for tables and for dump JSON.
import type { DecodedAttr, DecodedMessage, JsonValue } from './decoded.js';
import { keyOf } from './define.js';
import type { Schema } from './types.js';

export type FlatRecord = { [k: string]: JsonValue };

function attrRecordValue(a: DecodedAttr, schema: Schema, setPrefix: string): JsonValue {
  if (a.attrs) return attrsToRecord(a.attrs, schema, setPrefix);
  if (a.value !== undefined) return a.value;
  return a.hex ?? null;
}

function attrsToRecord(attrs: DecodedAttr[], schema: Schema, prefix = ''): FlatRecord {
  const out: FlatRecord = {};
  const repeated = new Set<string>();
  for (const a of attrs) {
    const key = a.name ? keyOf(a.name, a.name.slice(0, a.name.indexOf('_') + 1)) : `attr_${a.type}`;
    const value = attrRecordValue(a, schema, prefix);
    // Repeated attributes become a list.
    if (repeated.has(key)) (out[key] as JsonValue[]).push(value);
    else if (key in out) {
      out[key] = [out[key], value];
      repeated.add(key);
    } else out[key] = value;
  }
  return out;
}

/** One flat record per message: header fields by their table key, then attributes. */
export function toRecord(m: DecodedMessage, schema: Schema): FlatRecord {
  const rec: FlatRecord = {};
  if (m.header) {
    const sdef = schema.structs[m.header.name];
    for (const f of m.header.fields) {
      const key = sdef?.fields.find((d) => d.name === f.name)?.key ?? f.name;
      rec[key] = f.value;
    }
  }
  if (m.attrs) Object.assign(rec, attrsToRecord(m.attrs, schema));
  return rec;
}
