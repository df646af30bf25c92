// Bytes straight to flat records (the dump view), without building the full decoded message
// first: a table dump of 100,000 routes makes millions of short-lived objects otherwise.
// It reads the same tables with the same value decoders as decode.ts + record.ts, and
// test/unit/record-decode.test.ts checks that both give equal records for every fixture.
import { align4, CONTROL_TYPES, NLA_F_NESTED, NLA_HDRLEN, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, looksLikeAttrs, cStringGuess, toHex, type RawMessage } from '../codec/index.js';
import { decodeAttrValue, decodeMessage, headerName, structSize, structValue, walkStruct } from './decode.js';
import type { DecodedAttr, JsonValue } from './decoded.js';
import { attrDef, attrRecordValue, fieldKey, recordKey, toRecord, type FlatRecord } from './record.js';
import type { ByteLevel } from './selector.js';
import type { AttrDef, AttrSet, DecodeContext, Schema, StructDef, WireType } from './types.js';
import { decodeScalar, flagList, INT_SIZES, jsonInt, readIntAt } from './values.js';

function put(out: FlatRecord, key: string, value: JsonValue, repeated: { keys?: Set<string> }): void {
  if (repeated.keys?.has(key)) (out[key] as JsonValue[]).push(value);
  else if (key in out) {
    out[key] = [out[key], value];
    (repeated.keys ??= new Set()).add(key);
  } else out[key] = value;
}

function unknownValue(value: Uint8Array, nested: boolean, schema: Schema, ctx: DecodeContext): JsonValue {
  if (nested && looksLikeAttrs(value)) return recordAttrs(value, undefined, schema, ctx);
  return cStringGuess(value) ?? toHex(value);
}

const SET_KEYS = new WeakMap<AttrSet, Record<number, string>>();

/** Record keys of a set's attributes by type, computed once per table. */
export function setKeys(set: AttrSet, schema: Schema): Record<number, string> {
  let keys = SET_KEYS.get(set);
  if (!keys) {
    keys = {};
    for (const [type, def] of Object.entries(set.attrs)) keys[Number(type)] = recordKey(def.name, attrDef(schema, def.name));
    SET_KEYS.set(set, keys);
  }
  return keys;
}

/** Attributes of a set as one flat record (nested sets as nested records). */
function recordAttrs(bytes: Uint8Array, setName: string | undefined, schema: Schema, ctx: DecodeContext, outer?: ByteLevel): FlatRecord {
  const out: FlatRecord = {};
  const repeated: { keys?: Set<string> } = {};
  const set = setName ? schema.attrSets[setName] : undefined;
  // Sub-messages find their selector among these attributes and those around them.
  const scope: ByteLevel | undefined = set ? { set, b: bytes, s: 0, e: bytes.length, outer } : outer;
  for (let off = 0; off + NLA_HDRLEN <= bytes.length;) {
    const len = bytes[off] | (bytes[off + 1] << 8);
    if (len < NLA_HDRLEN || off + len > bytes.length) break; // malformed: records carry no diagnostics
    const rawType = bytes[off + 2] | (bytes[off + 3] << 8);
    const type = rawType & NLA_TYPE_MASK;
    const value = bytes.subarray(off + NLA_HDRLEN, off + len);
    const def = set?.attrs[type];
    if (!def) {
      put(out, `attr_${type}`, unknownValue(value, (rawType & NLA_F_NESTED) !== 0, schema, ctx), repeated);
    } else {
      const key = setKeys(set!, schema)[type];
      put(out, key, recordAttrValue(bytes, off, len, rawType, def, set, schema, ctx, scope), repeated);
    }
    off += align4(len);
  }
  return out;
}

/**
 * The record value of the known attribute at `off` (header included) of a level of attributes
 * `bytes` of set `set`: what recordAttrs puts under its key. `scope` is this level (and the levels
 * around it), where a sub-message looks for its selector.
 */
export function recordAttrValue(
  bytes: Uint8Array, off: number, len: number, rawType: number, def: AttrDef, set: AttrSet | undefined, schema: Schema, ctx: DecodeContext,
  scope: ByteLevel | undefined = set ? { set, b: bytes, s: 0, e: bytes.length } : undefined,
): JsonValue {
  const type = rawType & NLA_TYPE_MASK;
  const value = bytes.subarray(off + NLA_HDRLEN, off + len);
  if (def.type === 'nest') return recordAttrs(value, def.nested, schema, ctx, scope);
  if (def.type === 'struct' && def.struct && schema.structs[def.struct]) return structValue(value, schema.structs[def.struct], schema, off + NLA_HDRLEN, []);
  if (def.type === 'nest-array' || def.type === 'struct-list' || def.type === 'indexed-array' || def.type === 'sub-message') {
    // Index-keyed children: rare and irregular, so take the general path for these.
    const d: DecodedAttr = { type, offset: off, len, name: def.name };
    decodeAttrValue({ type, nested: (rawType & NLA_F_NESTED) !== 0, netByteOrder: false, offset: off, len, value }, def, schema, ctx, d, scope);
    return attrRecordValue(d, schema, '', attrDef(schema, def.name));
  }
  return decodeScalar(value, (rawType & NLA_F_NET_BYTEORDER) !== 0 ? { ...def, be: true } : def, schema).value;
}

/** The record value of an attribute no table names (under attr_N, then `unknown`). */
export function unknownRecordValue(value: Uint8Array, rawType: number, schema: Schema, ctx: DecodeContext): JsonValue {
  return unknownValue(value, (rawType & NLA_F_NESTED) !== 0, schema, ctx);
}

/** A family header's integer fields, compiled once per table: where, how wide, and how shown. */
interface FieldPlan {
  key: string;
  off: number;
  type: WireType;
  be: boolean;
  enumTable?: Record<number, string>;
  flagTable?: Record<number, string>;
  hex: boolean;
}

const PLANS = new WeakMap<StructDef, FieldPlan[] | null>();

/** The plan of a struct made only of plain integers (most family headers), else null. */
function headerPlan(sdef: StructDef, schema: Schema): FieldPlan[] | null {
  let plan = PLANS.get(sdef);
  if (plan !== undefined) return plan;
  plan = [];
  let off = 0;
  for (const f of sdef.fields) {
    off += f.pad ?? 0;
    const size = INT_SIZES[f.type];
    // Anything but a plain integer (addresses, nested structs, family-dependent fields) goes the general way.
    if (size === undefined || f.familyField !== undefined || (f.display !== undefined && f.display !== 'hex')) {
      plan = null;
      break;
    }
    plan.push({
      key: fieldKey(sdef, f.name), off, type: f.type, be: Boolean(f.be),
      enumTable: f.enum ? schema.enums[f.enum] ?? {} : undefined,
      flagTable: f.flags ? schema.flagSets[f.flags] ?? {} : undefined,
      hex: f.display === 'hex',
    });
    off += size;
  }
  PLANS.set(sdef, plan);
  return plan;
}

function headerRecord(bytes: Uint8Array, sdef: StructDef, schema: Schema, rec: FlatRecord): void {
  const plan = headerPlan(sdef, schema);
  if (!plan) {
    walkStruct(bytes, sdef, schema, 0, [], undefined, (f, _o, _z, value) => {
      rec[fieldKey(sdef, f.name)] = value;
    });
    return;
  }
  for (const p of plan) {
    if (p.off + (INT_SIZES[p.type] ?? 0) > bytes.length) break;
    const n = readIntAt(bytes, p.off, p.type, p.be);
    if (p.enumTable) rec[p.key] = p.enumTable[Number(n)] ?? jsonInt(n);
    else if (p.hex) rec[p.key] = '0x' + n.toString(16);
    else if (p.flagTable) rec[p.key] = flagList(Number(n), p.flagTable);
    else rec[p.key] = jsonInt(n);
  }
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
  const header = headerName(def, s, m.payload.length, h.flags);
  if (header) {
    const sdef = s.structs[header];
    const size = structSize(sdef, s);
    headerRecord(m.payload.subarray(0, size), sdef, s, rec);
    off = align4(size);
  }
  if (off < m.payload.length) Object.assign(rec, recordAttrs(m.payload.subarray(off), def.attrs, s, ctx));
  return rec;
}
