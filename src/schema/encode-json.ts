// Decoded JSON back to bytes: the inverse of decode.ts over the same tables, so that
// `nlctl decode -j | nlctl encode --from-json` reproduces the input and an edited JSON becomes
// a new message. Values are read as shown (names, addresses); `raw` gives the number when it
// agrees with the name (else the two disagree: an error); `hex` is taken as is; `len` keeps strings and odd-sized values exactly as long as they were.
import {
  align4, concat, encodeHeader, fromHex, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
  NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ERRNO_LEN,
} from '../codec/index.js';
import type { DecodedAttr, DecodedMessage, JsonValue } from './decoded.js';
import { newContext, structSize } from './decode.js';
import { encodeValue, EncodeError } from './encode.js';
import { encodeUevent } from './encode-uevent.js';
import { selectFormat, type Level, type SelectorValue } from './selector.js';
import type { AttrSet, FieldDef, MessageDef, Schema, StructDef, ValueDef } from './types.js';
import { INT_SIZES } from './values.js';

/** Errors from the value encoder name the attribute or field they are about. */
function named<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EncodeError && !e.message.startsWith(`${what}:`)) throw new EncodeError(`${what}: ${e.message}`);
    throw e;
  }
}

function asText(v: JsonValue | undefined): string {
  if (Array.isArray(v)) return v.map((x) => String(x)).join(',');
  if (v === true) return '';
  return String(v);
}

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fit `bytes` to exactly `want` bytes: strings lose or gain their NUL, the rest pad with zeros. */
function fit(bytes: Uint8Array, want: number | undefined): Uint8Array {
  if (want === undefined || want < 0 || want === bytes.length) return bytes;
  if (want < bytes.length) return bytes.subarray(0, want);
  const out = new Uint8Array(want);
  out.set(bytes);
  return out;
}

function hexBytes(text: string, what: string): Uint8Array {
  try {
    return fromHex(text);
  } catch {
    throw new EncodeError(`${what}: '${text.length > 40 ? text.slice(0, 40) + '…' : text}' is not hex bytes`);
  }
}

/** Bit n-1 set for every number n (the inverse of bitmapList). */
function bitmapBytes(v: JsonValue, want: number | undefined, what: string): Uint8Array {
  if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1)) {
    throw new EncodeError(`${what}: expected a list of bit numbers (1, 2, …)`);
  }
  const nums = v as number[];
  const out = new Uint8Array(Math.max(want ?? 0, Math.ceil(Math.max(0, ...nums) / 8)));
  for (const n of nums) out[(n - 1) >> 3] |= 1 << ((n - 1) & 7);
  return out;
}

/** "@name" is an abstract socket name (leading NUL, further NULs shown as '@'), as unixPath() shows it. */
function unixPathBytes(v: string): Uint8Array {
  if (v.startsWith('@')) return concat([new Uint8Array(1), new TextEncoder().encode(v.slice(1).replace(/@/g, '\0'))]);
  return new TextEncoder().encode(v + '\0');
}

/**
 * One value's bytes. `want` is the size it had on the wire when known (attribute length, field
 * size): it tells a hex rendering of a wrong-sized value from the value itself.
 */
function valueBytes(v: JsonValue, raw: number | string | undefined, def: ValueDef, schema: Schema, want: number | undefined, what: string): Uint8Array {
  // uint/sint take the width they had on the wire (4 or 8 bytes).
  const intSize = INT_SIZES[def.type] ?? (def.type === 'uint' || def.type === 'sint' ? (want === 8 ? 8 : 4) : undefined);
  if (intSize !== undefined) {
    // An integer of the wrong size was shown as its hex bytes.
    if (want !== undefined && want !== intSize && typeof v === 'string') return fit(hexBytes(v, what), want);
    if (raw !== undefined) return fit(agreeingRaw(v, raw, def, schema), intSize);
    return fit(encodeValue(asText(v), def, schema), intSize);
  }
  if (def.type === 'struct' && def.struct && schema.structs[def.struct] && isObject(v)) {
    return fit(structFromObject(schema.structs[def.struct], v, schema), want);
  }
  if (def.type === 'flag') return encodeValue(v === true ? '' : asText(v), def, schema);
  if (typeof v !== 'string' && def.display !== 'bitmap') throw new EncodeError(`${what}: expected a string, got ${JSON.stringify(v)}`);
  switch (def.display) {
    case 'bitmap': return bitmapBytes(v, want, what);
    case 'unix-path': return fit(unixPathBytes(v as string), want);
    case 'text': {
      // Printable bytes were shown as text (trailing NULs dropped), others as hex: only hex is longer than the value.
      const asUtf8 = new TextEncoder().encode(v as string);
      return fit(want !== undefined && asUtf8.length > want ? hexBytes(v as string, what) : asUtf8, want);
    }
    case undefined:
      if (def.type === 'binary') return fit(hexBytes(v as string, what), want);
  }
  return fit(encodeValue(v as string, def, schema), want);
}

/**
 * The number behind a name (`raw`), once it agrees with the value shown: an edit of one but not
 * the other would otherwise be dropped without a word.
 */
function agreeingRaw(v: JsonValue, raw: number | string, def: ValueDef, schema: Schema): Uint8Array {
  const fromRaw = encodeValue(String(raw), { type: def.type, be: def.be }, schema);
  let fromValue: Uint8Array | undefined;
  try {
    fromValue = encodeValue(asText(v), def, schema);
  } catch {
    fromValue = undefined;
  }
  // A name that two numbers share reads back as either of them.
  const sameName = def.enum !== undefined && schema.enums[def.enum]?.[Number(raw)] === v;
  if (sameName || (fromValue && Buffer.compare(fromValue, fromRaw) === 0)) return fromRaw;
  // Flag bits the table has no name for are in `raw` only: the named ones must still agree.
  if (def.flags && fromValue) {
    const known = Object.keys(schema.flagSets[def.flags] ?? {}).reduce((m, b) => m | BigInt(b), 0n);
    const asInt = (b: Uint8Array) => BigInt('0x' + (Buffer.from(def.be ? b : Uint8Array.from(b).reverse()).toString('hex') || '0'));
    if ((asInt(fromRaw) & known) === asInt(fromValue)) return fromRaw;
  }
  throw new EncodeError(`value ${JSON.stringify(v)} and raw ${JSON.stringify(raw)} disagree: change one and drop the other`);
}

/** A struct from its decoded object: fields by name, nested structs, and a flexible last field. */
function structFromObject(def: StructDef, obj: { [k: string]: JsonValue }, schema: Schema, raws?: { [k: string]: number | string }): Uint8Array {
  const parts: Uint8Array[] = [];
  def.fields.forEach((f: FieldDef, i) => {
    if (f.pad) parts.push(new Uint8Array(f.pad));
    const flexible = i === def.fields.length - 1 && f.size === undefined && (f.type === 'binary' || f.type === 'string');
    const size = f.type === 'struct' && f.struct ? structSize(schema.structs[f.struct], schema) : INT_SIZES[f.type] ?? f.size ?? 0;
    const raw = raws?.[f.name];
    const v = obj[f.name] ?? (raw !== undefined ? raw : undefined);
    if (v === undefined || v === null) {
      if (!flexible) parts.push(new Uint8Array(size));
      return;
    }
    const what = `${def.name}.${f.name}`;
    const bytes = named(what, () => valueBytes(v, raw, f, schema, flexible ? undefined : size, what));
    if (!flexible && bytes.length > size) throw new EncodeError(`${def.name}.${f.name} holds ${size} bytes, got ${bytes.length}`);
    parts.push(flexible ? bytes : fit(bytes, size));
  });
  return concat(parts);
}

/** A family header: the numbers behind names (`raw`) are used where they agree with the names. */
function headerFromDecoded(h: NonNullable<DecodedMessage['header']>, schema: Schema): Uint8Array {
  const sdef = schema.structs[h.name];
  if (!sdef) throw new EncodeError(`no table for family header ${h.name}`);
  return structFromObject(sdef, h.fields, schema, isObject(h.raw as JsonValue | undefined) ? h.raw : undefined);
}

/** The header's bytes from its numbers alone, for choosing tables; empty when they do not encode. */
function probeHeader(h: NonNullable<DecodedMessage['header']>, schema: Schema): Uint8Array {
  const sdef = schema.structs[h.name];
  if (!sdef || !isObject(h.fields)) return new Uint8Array(0);
  try {
    return structFromObject(sdef, { ...h.fields, ...(isObject(h.raw as JsonValue | undefined) ? h.raw : {}) }, schema);
  } catch {
    return new Uint8Array(0);
  }
}

function attrValue(a: DecodedAttr, def: ValueDef | undefined, schema: Schema): Uint8Array {
  // An attribute added by hand may leave out its length: its value then sets it.
  const want = Number.isInteger(a.len) ? a.len - NLA_HDRLEN : undefined;
  const what = a.name ?? (def as { name?: string } | undefined)?.name ?? `attribute ${a.type}`;
  if (a.hex !== undefined) return fit(hexBytes(a.hex, what), want);
  if (a.value === undefined) return new Uint8Array(0);
  if (!def) throw new EncodeError(`${what} has no table: give its bytes as "hex"`);
  if (def.type === 'bitfield32' && isObject(a.value)) {
    const o = a.value;
    return named(what, () => encodeValue(`${asText(o.value)}/${asText(o.selector)}`, def, schema));
  }
  // A binary attribute holding back-to-back scalars (YNL's sub-type), shown as a list.
  if (def.type === 'binary' && def.subType && Array.isArray(a.value)) {
    const item: ValueDef = { ...def, type: def.subType, subType: undefined };
    return fit(concat(a.value.map((x) => named(what, () => encodeValue(String(x), item, schema)))), want);
  }
  return fit(named(what, () => valueBytes(a.value!, a.raw, def, schema, want, what)), want);
}

/** What the children of an index-typed attribute hold (nest-array levels, YNL indexed-arrays). */
function indexChild(def: ValueDef): ValueDef | undefined {
  if (def.type === 'nest-array') return (def.depth ?? 1) > 1 ? { type: 'nest-array', nested: def.nested, depth: (def.depth ?? 1) - 1 } : { type: 'nest', nested: def.nested };
  if (def.type === 'indexed-array') return def.subType === 'nest' || !def.subType ? { type: 'nest', nested: def.nested } : { ...def, type: def.subType, subType: undefined };
  return undefined;
}

/** A sub-message: its format picked by the sibling the spec names as selector (kind=vxlan for data). */
function encodeSubMessage(a: DecodedAttr, def: ValueDef, schema: Schema, level: AttrLevel | undefined): Uint8Array {
  const picked = selectFormat(def, schema, level, levelValue);
  if (!('format' in picked)) throw new EncodeError(`${a.name ?? `attribute ${a.type}`}: no sub-message format for its selector ${def.selector}`);
  const { format } = picked;
  const head = format.header && schema.structs[format.header] && isObject(a.value) ? structFromObject(schema.structs[format.header], a.value, schema) : new Uint8Array(0);
  const inner = format.attrs ? schema.attrSets[format.attrs] : undefined;
  return concat([head, encodeAttrList(a.attrs ?? [], defsOf(inner), schema, inner, level)]);
}

/** A list of decoded attributes of `set`, in the chain of levels a sub-message's selector is looked for in. */
interface AttrLevel extends Level<AttrLevel> {
  attrs: DecodedAttr[];
}

function levelValue(l: AttrLevel, type: number): SelectorValue | undefined {
  const x = l.attrs.find((y) => y.type === type);
  return x && x.value !== undefined ? { text: String(x.value), ...(x.raw !== undefined ? { raw: String(x.raw) } : {}) } : undefined;
}

/** The table entry of each attribute of set `set`. */
const defsOf = (set: AttrSet | undefined) => (type: number): ValueDef | undefined => set?.attrs[type];

function encodeAttrList(attrs: DecodedAttr[], defOf: (type: number) => ValueDef | undefined, schema: Schema, set?: AttrSet, outer?: AttrLevel): Uint8Array {
  if (!Array.isArray(attrs)) throw new EncodeError(`"attrs" must be a list of attributes, got ${JSON.stringify(attrs)}`);
  const level: AttrLevel | undefined = set ? { set, attrs, outer } : outer;
  const parts: Uint8Array[] = [];
  for (const a of attrs) {
    if (!isObject(a as unknown as JsonValue)) throw new EncodeError(`an attribute must be an object, got ${JSON.stringify(a)}`);
    if (a.type < 0) {
      if (a.hex) parts.push(hexBytes(a.hex, a.name ?? 'trailing bytes'));
      continue;
    }
    if (a.len !== undefined && !(Number.isInteger(a.len) && a.len >= NLA_HDRLEN && a.len <= 0xffff)) throw new EncodeError(`${a.name ?? `attribute ${a.type}`}: len ${a.len} is not ${NLA_HDRLEN}-65535`);
    if (!Number.isInteger(a.type) || a.type > NLA_TYPE_MASK) throw new EncodeError(`attribute type ${a.type} does not fit in 14 bits (0-16383)`);
    let def = defOf(a.type);
    // The wire's byte-order flag overrides the table, as in the decoder.
    if (def && a.net_byteorder) def = { ...def, be: true };
    let value: Uint8Array;
    if (def?.type === 'struct-list' && a.attrs) {
      value = encodeStructList(a.attrs, def, schema);
    } else if (def?.type === 'sub-message' && a.hex === undefined && (a.attrs || a.value !== undefined)) {
      value = encodeSubMessage(a, def, schema, level);
    } else if ((def?.type === 'nest-array' || def?.type === 'indexed-array') && a.attrs) {
      const inner = indexChild(def)!;
      value = encodeAttrList(a.attrs, () => inner, schema, undefined, level);
    } else if (a.attrs) {
      const childSet = def?.nested ? schema.attrSets[def.nested] : undefined;
      value = encodeAttrList(a.attrs, defsOf(childSet), schema, childSet, level);
    } else value = attrValue(a, def, schema);
    const len = NLA_HDRLEN + value.length;
    if (len > 0xffff) throw new EncodeError(`${a.name ?? `attribute ${a.type}`} is ${value.length} bytes, more than nla_len can hold`);
    const head = new Uint8Array(NLA_HDRLEN);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, len, true);
    dv.setUint16(2, a.type | (a.nested_flag ? NLA_F_NESTED : 0) | (a.net_byteorder ? NLA_F_NET_BYTEORDER : 0), true);
    parts.push(head, value, new Uint8Array(align4(len) - len));
  }
  return concat(parts);
}

/** Back-to-back structs, each followed by attributes and sized by its length field (rtnexthop). */
function encodeStructList(items: DecodedAttr[], def: ValueDef, schema: Schema): Uint8Array {
  const sdef = def.struct ? schema.structs[def.struct] : undefined;
  if (!sdef || !def.lengthField) throw new EncodeError(`no struct table for a ${def.struct ?? 'struct'} list`);
  const parts: Uint8Array[] = [];
  for (const item of items) {
    if (item.type < 0) {
      if (item.hex) parts.push(hexBytes(item.hex, 'trailing bytes'));
      continue;
    }
    const set = def.nested ? schema.attrSets[def.nested] : undefined;
    const attrs = item.attrs ? encodeAttrList(item.attrs, defsOf(set), schema, set) : new Uint8Array(0);
    const obj = { ...(item.value as Record<string, JsonValue>), [def.lengthField]: structSize(sdef, schema) + attrs.length };
    const head = structFromObject(sdef, obj, schema);
    parts.push(head, attrs);
  }
  return concat(parts);
}

function errorPayload(m: DecodedMessage, schema: Schema): Uint8Array {
  const e = m.error!;
  const code = new Uint8Array(NLMSGERR_ERRNO_LEN);
  new DataView(code.buffer).setInt32(0, -e.errno, true);
  const parts: Uint8Array[] = [code];
  if (e.request) parts.push(encodeDecodedMessage(e.request, schema, m.type === NLMSG_ERROR ? 'echo' : 'full'));
  if (e.extack) {
    const x = e.extack;
    const tlv = (type: number, value: Uint8Array) => encodeAttrList([{ type, offset: 0, len: NLA_HDRLEN + value.length, hex: Buffer.from(value).toString('hex') }], () => undefined, schema);
    const u32 = (n: number) => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, n, true);
      return b;
    };
    if (x.msg !== undefined) parts.push(tlv(NLMSGERR_ATTR_MSG, new TextEncoder().encode(x.msg + '\0')));
    if (x.offset !== undefined) parts.push(tlv(NLMSGERR_ATTR_OFFS, u32(x.offset)));
    if (x.cookie !== undefined) parts.push(tlv(NLMSGERR_ATTR_COOKIE, fromHex(x.cookie)));
    if (x.missingType !== undefined) parts.push(tlv(NLMSGERR_ATTR_MISS_TYPE, u32(x.missingType)));
    if (x.missingNest !== undefined) parts.push(tlv(NLMSGERR_ATTR_MISS_NEST, u32(x.missingNest)));
  }
  return concat(parts);
}

/** Header fields must fit nlmsghdr: a number that does not would be masked silently. */
function checkHeader(m: DecodedMessage): void {
  const fits = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
  for (const [field, max] of [['type', 0xffff], ['flags', 0xffff], ['seq', 0xffffffff], ['pid', 0xffffffff]] as const) {
    if (!fits(m[field], max)) throw new EncodeError(`${field} ${JSON.stringify(m[field])} is not a whole number from 0 to ${max}`);
  }
  if (m.header !== undefined && !(isObject(m.header as unknown as JsonValue) && isObject(m.header.fields))) throw new EncodeError('"header" must be an object with "name" and "fields"');
  if (m.payload !== undefined && typeof m.payload?.hex !== 'string') throw new EncodeError('"payload" must be an object with "hex"');
  if (m.error !== undefined && !(isObject(m.error as unknown as JsonValue) && Number.isInteger(m.error.errno))) throw new EncodeError('"error" must be an object with a whole-number "errno"');
}

/**
 * The table for a message's body. Like the decoder, ask the protocol's resolver (sock_diag picks
 * by the header's family byte, generic netlink by the family the JSON names).
 */
function bodyTables(m: DecodedMessage, schema: Schema, head: Uint8Array): { def: MessageDef | undefined; schema: Schema } {
  const ctx = newContext();
  if (m.family !== undefined) ctx.genlFamilies.set(m.type, m.family);
  const probe = m.payload ? concat([head, hexBytes(m.payload.hex, 'payload')]) : head;
  const resolved = schema.resolve?.(m.type, probe, ctx, { len: m.len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid });
  return { def: resolved ?? schema.messages[m.type], schema: resolved?.schema ?? schema };
}

/**
 * Encode one decoded message. `mode` 'echo' encodes an echoed request inside an ACK: only as
 * much as was decoded, with its original nlmsg_len.
 */
export function encodeDecodedMessage(m: DecodedMessage, schema: Schema, mode: 'full' | 'echo' = 'full'): Uint8Array {
  // Datagrams without nlmsghdr (uevent), and bytes that were no message at all.
  if (schema.framing === 'raw') return encodeUevent(m, schema);
  if (m.type === -1 && m.payload) return hexBytes(m.payload.hex, 'payload');
  checkHeader(m);
  const parts: Uint8Array[] = [];
  if (m.error && (m.type === NLMSG_ERROR || m.type === NLMSG_DONE)) parts.push(errorPayload(m, schema));
  // The header's numbers tell the resolver which tables the message uses (the command names of a
  // genl family among them); then the header is encoded again, names checked, with those tables.
  const tables = bodyTables(m, schema, m.header ? probeHeader(m.header, schema) : new Uint8Array(0));
  const head = m.header ? headerFromDecoded(m.header, tables.schema) : new Uint8Array(0);
  if (m.header) parts.push(head, new Uint8Array(align4(head.length) - head.length));
  if (m.attrs) {
    const set = tables.def?.attrs ? tables.schema.attrSets[tables.def.attrs] : undefined;
    parts.push(encodeAttrList(m.attrs, defsOf(set), tables.schema, set));
  }
  if (m.payload) parts.push(hexBytes(m.payload.hex, 'payload'));
  let body = concat(parts);
  const computed = NLMSG_HDRLEN + body.length;
  let len = computed;
  if (mode === 'echo' || m.truncated) {
    // As much as was there, under the length the message claimed.
    if (m.len >= NLMSG_HDRLEN) len = m.len;
    const out = new Uint8Array(computed);
    encodeHeader({ len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid }, out);
    out.set(body, NLMSG_HDRLEN);
    return out;
  }
  // Keep the message's own nlmsg_len when what lies beyond it is only zeros: padding it
  // excludes, or the zero-filled rest of a family header the message was too short for.
  if (m.len >= NLMSG_HDRLEN && m.len <= computed && body.subarray(m.len - NLMSG_HDRLEN).every((b) => b === 0)) {
    len = m.len;
    body = body.subarray(0, align4(len) - NLMSG_HDRLEN);
  }
  const out = new Uint8Array(align4(NLMSG_HDRLEN + body.length));
  encodeHeader({ len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid }, out);
  out.set(body, NLMSG_HDRLEN);
  return out;
}
