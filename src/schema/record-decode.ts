// Bytes straight to flat records (the dump view), without building the full decoded message
// first: a table dump of 100,000 routes makes millions of short-lived objects otherwise.
// It reads the same tables with the same value decoders as decode.ts + record.ts, and
// test/unit/record-decode.test.ts checks that both give equal records for every fixture.
import { CONTROL_TYPES, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, looksLikeAttrs, printableText, toHex, type RawMessage } from '../codec/index.js';
import { decodeAttrValue, decodeMessage, structSize, structValue, walkStruct } from './decode.js';
import type { DecodedAttr, JsonValue } from './decoded.js';
import { attrDef, attrRecordValue, fieldKey, recordKey, toRecord, type FlatRecord } from './record.js';
import type { DecodeContext, Schema } from './types.js';
import { decodeScalar } from './values.js';

function align4(n: number): number {
  return (n + 3) & ~3;
}

function put(out: FlatRecord, key: string, value: JsonValue, repeated: { keys?: Set<string> }): void {
  if (repeated.keys?.has(key)) (out[key] as JsonValue[]).push(value);
  else if (key in out) {
    out[key] = [out[key], value];
    (repeated.keys ??= new Set()).add(key);
  } else out[key] = value;
}

function unknownValue(value: Uint8Array, nested: boolean, schema: Schema, ctx: DecodeContext): JsonValue {
  if (nested && looksLikeAttrs(value)) return recordAttrs(value, undefined, schema, ctx);
  const text = printableText(value);
  return text !== undefined && value.length > 1 ? text : toHex(value);
}

/** Attributes of a set as one flat record (nested sets as nested records). */
function recordAttrs(bytes: Uint8Array, setName: string | undefined, schema: Schema, ctx: DecodeContext): FlatRecord {
  const out: FlatRecord = {};
  const repeated: { keys?: Set<string> } = {};
  const set = setName ? schema.attrSets[setName] : undefined;
  let switched: string | undefined;
  if (set?.switch) {
    for (let off = 0; off + 4 <= bytes.length;) {
      const len = bytes[off] | (bytes[off + 1] << 8);
      if (len < 4 || off + len > bytes.length) break;
      if (((bytes[off + 2] | (bytes[off + 3] << 8)) & NLA_TYPE_MASK) === set.switch.attr) {
        switched = set.switch.sets[new TextDecoder().decode(bytes.subarray(off + 4, off + len)).replace(/\0+$/, '')];
      }
      off += align4(len);
    }
  }
  for (let off = 0; off + 4 <= bytes.length;) {
    const len = bytes[off] | (bytes[off + 1] << 8);
    if (len < 4 || off + len > bytes.length) break; // malformed: records carry no diagnostics
    const rawType = bytes[off + 2] | (bytes[off + 3] << 8);
    const type = rawType & NLA_TYPE_MASK;
    const value = bytes.subarray(off + 4, off + len);
    let def = set?.attrs[type];
    if (def && switched && set?.switch?.target === type) def = { ...def, nested: switched };
    if (!def) {
      put(out, `attr_${type}`, unknownValue(value, (rawType & NLA_F_NESTED) !== 0, schema, ctx), repeated);
    } else {
      const key = recordKey(def.name, attrDef(schema, def.name));
      let v: JsonValue;
      if (def.type === 'nest') v = recordAttrs(value, def.nested, schema, ctx);
      else if (def.type === 'struct' && def.struct && schema.structs[def.struct]) v = structValue(value, schema.structs[def.struct], schema, off + 4, []);
      else if (def.type === 'nest-array' || def.type === 'struct-list') {
        // Index-keyed children: rare and irregular, so take the general path for these.
        const d: DecodedAttr = { type, offset: off, len, name: def.name };
        decodeAttrValue({ type, nested: (rawType & NLA_F_NESTED) !== 0, netByteOrder: false, offset: off, len, value }, def, schema, ctx, d);
        v = attrRecordValue(d, schema, '', attrDef(schema, def.name));
      } else {
        v = decodeScalar(value, (rawType & NLA_F_NET_BYTEORDER) !== 0 ? { ...def, be: true } : def, schema).value;
      }
      put(out, key, v, repeated);
    }
    off += align4(len);
  }
  return out;
}

/** One flat record per data message, equal to toRecord(decodeMessage(m)); undefined for control messages. */
export function decodeRecord(m: RawMessage, schema: Schema, ctx: DecodeContext): FlatRecord | undefined {
  const h = m.header;
  if (CONTROL_TYPES[h.type]) return undefined;
  const resolved = schema.resolve?.(h.type, m.payload, ctx, h);
  const def = resolved ?? schema.messages[h.type];
  const s = resolved?.schema ?? schema;
  // Protocols that learn from what they decode, and bodies that are not attributes, take the general path.
  if (!def || schema.learn || def.payload || !def.attrs || m.truncated) return toRecord(decodeMessage(m, schema, ctx), s);
  const rec: FlatRecord = {};
  let off = 0;
  if (def.header && s.structs[def.header]) {
    const sdef = s.structs[def.header];
    const size = structSize(sdef, s);
    walkStruct(m.payload.subarray(0, size), sdef, s, 0, [], undefined, (f, _o, _z, value) => {
      rec[fieldKey(sdef, f.name)] = value;
    });
    off = align4(size);
  }
  if (off < m.payload.length) Object.assign(rec, recordAttrs(m.payload.subarray(off), def.attrs, s, ctx));
  return rec;
}
