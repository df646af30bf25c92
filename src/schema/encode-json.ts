// Decoded JSON back to bytes: the inverse of decode.ts over the same tables, so that
// `nlctl decode -j | nlctl encode --from-json` reproduces the input and an edited JSON becomes
// a new message. Values are read as shown (names, addresses); `raw` wins when present; `hex`
// is taken as is; `len` keeps strings and odd-sized values exactly as long as they were.
import { align4, concat, encodeHeader, fromHex, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLMSG_HDRLEN } from '../codec/index.js';
import type { DecodedAttr, DecodedMessage, JsonValue } from './decoded.js';
import { structSize } from './decode.js';
import { encodeStruct, encodeValue, EncodeError } from './encode.js';
import type { AttrSet, Schema, StructDef, ValueDef } from './types.js';
import { INT_SIZES } from './values.js';

function asText(v: JsonValue | undefined): string {
  if (Array.isArray(v)) return v.map((x) => String(x)).join(',');
  if (v === true) return '';
  return String(v);
}

/** Fit `bytes` to exactly `want` bytes: strings lose or gain their NUL, the rest pad with zeros. */
function fit(bytes: Uint8Array, want: number | undefined): Uint8Array {
  if (want === undefined || want === bytes.length) return bytes;
  if (want < bytes.length) return bytes.subarray(0, want);
  const out = new Uint8Array(want);
  out.set(bytes);
  return out;
}

function structFromObject(def: StructDef, obj: Record<string, JsonValue>, schema: Schema): Uint8Array {
  const values: Record<string, string> = {};
  const nested: [number, Uint8Array][] = [];
  let off = 0;
  for (const f of def.fields) {
    off += f.pad ?? 0;
    const inner = f.type === 'struct' && f.struct ? schema.structs[f.struct] : undefined;
    const size = inner ? structSize(inner, schema) : INT_SIZES[f.type] ?? f.size ?? 0;
    const v = obj[f.name];
    if (v !== undefined && v !== null) {
      // A struct inside a struct (tc_htb_opt's tc_ratespec) is written in place.
      if (inner && typeof v === 'object' && !Array.isArray(v)) nested.push([off, structFromObject(inner, v as Record<string, JsonValue>, schema)]);
      else if (f.type === 'binary' && f.display === undefined && typeof v === 'string') values[f.name] = v;
      else if (f.type !== 'pad') values[f.name] = asText(v);
    }
    off += size;
  }
  const out = encodeStruct(def, values, schema, (d) => structSize(d, schema));
  for (const [at, bytes] of nested) out.set(bytes.subarray(0, out.length - at), at);
  return out;
}

function attrValue(a: DecodedAttr, def: ValueDef | undefined, schema: Schema): Uint8Array {
  const want = a.len - 4;
  if (a.hex !== undefined) return fit(fromHex(a.hex), want);
  if (a.value === undefined) return new Uint8Array(0);
  if (!def) throw new EncodeError(`attribute ${a.type} has no table: give its bytes as "hex"`);
  if (a.raw !== undefined && INT_SIZES[def.type]) return encodeValue(String(a.raw), { ...def, enum: undefined, flags: undefined, display: undefined }, schema);
  if (def.type === 'struct' && def.struct && schema.structs[def.struct] && typeof a.value === 'object' && !Array.isArray(a.value) && a.value !== null) {
    return fit(structFromObject(schema.structs[def.struct], a.value as Record<string, JsonValue>, schema), want);
  }
  if (def.type === 'binary' && def.display === undefined && typeof a.value === 'string' && !def.subType) return fit(fromHex(a.value), want);
  if (def.type === 'bitfield32' && a.value && typeof a.value === 'object' && !Array.isArray(a.value)) {
    const o = a.value as Record<string, JsonValue>;
    return encodeValue(`${asText(o.value)}/${asText(o.selector)}`, def, schema);
  }
  if (def.type === 'binary' && def.subType && Array.isArray(a.value)) return concat(a.value.map((x) => encodeValue(String(x), { ...def, type: def.subType!, subType: undefined }, schema)));
  return fit(encodeValue(asText(a.value), def, schema), want);
}

/** What the children of an index-typed attribute hold (nest-array levels, YNL indexed-arrays). */
function indexChild(def: ValueDef): ValueDef | undefined {
  if (def.type === 'nest-array') return (def.depth ?? 1) > 1 ? { type: 'nest-array', nested: def.nested, depth: (def.depth ?? 1) - 1 } : { type: 'nest', nested: def.nested };
  if (def.type === 'indexed-array') return def.subType === 'nest' ? { type: 'nest', nested: def.nested } : { ...def, type: def.subType ?? 'binary', subType: undefined };
  return undefined;
}

function encodeAttrList(attrs: DecodedAttr[], set: AttrSet | undefined, schema: Schema, childOf?: ValueDef): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const a of attrs) {
    if (a.type < 0) {
      if (a.hex) parts.push(fromHex(a.hex));
      continue;
    }
    const def = childOf ?? set?.attrs[a.type];
    let value: Uint8Array;
    if (def?.type === 'struct-list' && a.attrs) {
      value = encodeStructList(a.attrs, def, schema);
    } else if (def?.type === 'sub-message' && a.hex === undefined && (a.attrs || a.value !== undefined)) {
      value = encodeSubMessage(a, attrs, def, set, schema);
    } else if (a.attrs) {
      const inner = def ? indexChild(def) : undefined;
      const childSet = inner ? undefined : def?.nested ? schema.attrSets[def.nested] : undefined;
      value = encodeAttrList(a.attrs, childSet, schema, inner);
    } else value = attrValue(a, def, schema);
    const len = 4 + value.length;
    const head = new Uint8Array(4);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, len, true);
    dv.setUint16(2, a.type | (a.nested_flag ? NLA_F_NESTED : 0) | (a.net_byteorder ? NLA_F_NET_BYTEORDER : 0), true);
    parts.push(head, value, new Uint8Array(align4(len) - len));
  }
  return concat(parts);
}

/** A YNL sub-message: its format from the selector among the siblings (kind = "vxlan"). */
function encodeSubMessage(a: DecodedAttr, siblings: DecodedAttr[], def: ValueDef, set: AttrSet | undefined, schema: Schema): Uint8Array {
  const selType = set ? Object.entries(set.attrs).find(([, d]) => d.spec === def.selector)?.[0] : undefined;
  const sel = siblings.find((x) => String(x.type) === selType);
  const format = def.subMessage && sel ? schema.subMessages?.[def.subMessage]?.[String(sel.value)] ?? schema.subMessages?.[def.subMessage]?.[String(sel.raw)] : undefined;
  if (!format) throw new EncodeError(`${a.name ?? `attribute ${a.type}`}: no sub-message format for its selector ${def.selector}`);
  const head = format.header && schema.structs[format.header] && a.value && typeof a.value === 'object' && !Array.isArray(a.value)
    ? structFromObject(schema.structs[format.header], a.value as Record<string, JsonValue>, schema) : new Uint8Array(0);
  return concat([head, encodeAttrList(a.attrs ?? [], format.attrs ? schema.attrSets[format.attrs] : undefined, schema)]);
}

/** Back-to-back structs, each followed by attributes and sized by its length field (rtnexthop). */
function encodeStructList(items: DecodedAttr[], def: ValueDef, schema: Schema): Uint8Array {
  const sdef = def.struct ? schema.structs[def.struct] : undefined;
  if (!sdef || !def.lengthField) throw new EncodeError(`no struct table for a ${def.struct ?? 'struct'} list`);
  const parts: Uint8Array[] = [];
  for (const item of items) {
    if (item.type < 0) {
      if (item.hex) parts.push(fromHex(item.hex));
      continue;
    }
    const attrs = item.attrs ? encodeAttrList(item.attrs, def.nested ? schema.attrSets[def.nested] : undefined, schema) : new Uint8Array(0);
    const obj = { ...(item.value as Record<string, JsonValue>), [def.lengthField]: structSize(sdef, schema) + attrs.length };
    const head = structFromObject(sdef, obj, schema);
    parts.push(head, attrs);
  }
  return concat(parts);
}

function errorPayload(m: DecodedMessage, schema: Schema): Uint8Array {
  const e = m.error!;
  const code = new Uint8Array(4);
  new DataView(code.buffer).setInt32(0, -e.errno, true);
  const parts: Uint8Array[] = [code];
  if (e.request) parts.push(encodeDecodedMessage(e.request, schema, m.type === 2 ? 'echo' : 'full'));
  if (e.extack) {
    const x = e.extack;
    const tlv = (type: number, value: Uint8Array) => encodeAttrList([{ type, offset: 0, len: 4 + value.length, hex: Buffer.from(value).toString('hex') }], undefined, schema);
    const u32 = (n: number) => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, n, true);
      return b;
    };
    if (x.msg !== undefined) parts.push(tlv(1, new TextEncoder().encode(x.msg + '\0')));
    if (x.offset !== undefined) parts.push(tlv(2, u32(x.offset)));
    if (x.cookie !== undefined) parts.push(tlv(3, fromHex(x.cookie)));
    if (x.missingType !== undefined) parts.push(tlv(5, u32(x.missingType)));
    if (x.missingNest !== undefined) parts.push(tlv(6, u32(x.missingNest)));
  }
  return concat(parts);
}

/**
 * Encode one decoded message. `mode` 'echo' encodes an echoed request inside an ACK: only as
 * much as was decoded, with its original nlmsg_len.
 */
export function encodeDecodedMessage(m: DecodedMessage, outer: Schema, mode: 'full' | 'echo' = 'full'): Uint8Array {
  const parts: Uint8Array[] = [];
  if (m.error && (m.type === 2 || m.type === 3)) parts.push(errorPayload(m, outer));
  // A generic netlink family's message is written with that family's tables, found as the
  // decoder found them: by the family name and the command in genlmsghdr.
  let schema = outer;
  let def = outer.messages[m.type];
  const cmd = m.header?.raw?.cmd ?? m.header?.fields.cmd;
  if (m.family !== undefined && outer.resolve && typeof cmd === 'number') {
    const r = outer.resolve(m.type, Uint8Array.of(cmd), { genlFamilies: new Map([[m.type, m.family]]) }, { len: m.len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid });
    if (r) {
      def = r;
      schema = r.schema ?? outer;
    }
  }
  if (m.header) {
    const sdef = schema.structs[m.header.name];
    if (!sdef) throw new EncodeError(`no table for family header ${m.header.name}`);
    const obj: Record<string, JsonValue> = {};
    for (const [name, value] of Object.entries(m.header.fields)) obj[name] = m.header.raw?.[name] ?? value;
    const h = structFromObject(sdef, obj, schema);
    parts.push(h, new Uint8Array(align4(h.length) - h.length));
  }
  if (m.attrs) parts.push(encodeAttrList(m.attrs, def?.attrs ? schema.attrSets[def.attrs] : undefined, schema));
  if (m.payload) parts.push(fromHex(m.payload.hex));
  const body = concat(parts);
  // Keep the message's own nlmsg_len when it was given (it may exclude trailing padding).
  const len = m.len && m.len >= NLMSG_HDRLEN && (mode === 'echo' || m.len <= NLMSG_HDRLEN + body.length) ? m.len : NLMSG_HDRLEN + body.length;
  const out = new Uint8Array(mode === 'echo' ? NLMSG_HDRLEN + body.length : align4(Math.max(len, NLMSG_HDRLEN + body.length)));
  encodeHeader({ len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid }, out);
  out.set(body, NLMSG_HDRLEN);
  return out;
}
