// The one generic decoder: raw netlink messages + a protocol's tables → DecodedMessage.
// It never throws on bad bytes: problems become diagnostics at byte offsets, raw bytes stay visible.
import {
  align4, decodeDonePayload, decodeErrorPayload, flagContext, flagNames, looksLikeAttrs, NLMSG_DONE, NLMSG_ERROR,
  GENL_ID_CTRL, NLA_HDRLEN, NLM_F_DUMP, NLMSG_HDRLEN, NLMSGERR_ERRNO_LEN, parseAttrs, printableText, cStringGuess, splitMessages, toHex, CONTROL_TYPES, NETLINK_PROTOCOLS,
  type Diagnostic, type NetlinkErrorPayload, type RawMessage, type RawAttr,
} from '../codec/index.js';
import { makeHeader, type DecodedAttr, type DecodedField, type DecodedMessage, type JsonValue } from './decoded.js';
import type { DecodeContext, FieldDef, MessageDef, Schema, StructDef, ValueDef } from './types.js';
import { locateMissing, locateOffset } from './extack-locate.js';
import { selectFormatInBytes, type ByteLevel } from './selector.js';
import { decodeScalar, INT_SIZES, intValue, readIntAt } from './values.js';

export function newContext(): DecodeContext {
  return { genlFamilies: new Map([[GENL_ID_CTRL, 'nlctrl']]) };
}

function fieldSize(f: { type: string; size?: number; struct?: string }, schema: Schema): number {
  if (f.type === 'struct' && f.struct) return structSize(schema.structs[f.struct], schema);
  return INT_SIZES[f.type as keyof typeof INT_SIZES] ?? f.size ?? 0;
}

// Struct sizes are asked for on every message: computed once per table.
const STRUCT_SIZES = new WeakMap<StructDef, number>();

export function structSize(def: StructDef | undefined, schema: Schema): number {
  if (!def) return 0;
  let size = STRUCT_SIZES.get(def);
  if (size === undefined) {
    size = 0;
    for (const f of def.fields) size += (f.pad ?? 0) + fieldSize(f, schema);
    STRUCT_SIZES.set(def, size);
  }
  return size;
}

/** What walkStruct calls for each field: its table entry, where it is, its value as shown and its number. */
export type FieldVisit = (f: FieldDef, offset: number, size: number, value: JsonValue, raw: number | string | undefined) => void;

/**
 * Walk a fixed struct field by field; a short buffer yields the fields that fit and reports the
 * rest. `scope` holds integer fields of enclosing structs, for fields whose meaning depends on
 * one (familyField).
 */
export function walkStruct(bytes: Uint8Array, def: StructDef, schema: Schema, base: number, diags: Diagnostic[], scope: Record<string, number> | undefined, visit: FieldVisit): void {
  // Integer values seen so far, only kept for structs where a later field depends on one.
  const known = scope !== undefined || needsScope(def, schema) ? { ...scope } : undefined;
  const defs = def.fields;
  let off = 0;
  for (let i = 0; i < defs.length; i++) {
    const f = defs[i];
    off += f.pad ?? 0;
    const intSize = INT_SIZES[f.type];
    if (intSize !== undefined && off + intSize <= bytes.length && f.familyField === undefined) {
      // Integers, the bulk of every header, are read in place: no slice, no intermediate result.
      const n = readIntAt(bytes, off, f.type, f.be);
      if (!f.enum && !f.flags && !f.display && typeof n === 'number') visit(f, base + off, intSize, n, undefined);
      else {
        const r = intValue(n, f, schema, f.display === 'ipv4' ? bytes.subarray(off, off + intSize) : undefined);
        visit(f, base + off, intSize, r.value, r.raw);
      }
      if (known) known[f.name] = typeof n === 'number' ? n : Number(n);
      off += intSize;
      continue;
    }
    if (f.type === 'pad') {
      off += f.size ?? 0;
      continue;
    }
    // A trailing binary/string field without a size is a flexible array member: it takes the rest.
    const flexible = i === defs.length - 1 && f.size === undefined && (f.type === 'binary' || f.type === 'string');
    const size = flexible ? Math.max(0, bytes.length - off) : fieldSize(f, schema);
    if (off + size > bytes.length) {
      diags.push({ offset: base + off, message: `${def.name}.${f.name} needs ${size} byte(s), only ${Math.max(0, bytes.length - off)} left` });
      break;
    }
    const slice = bytes.subarray(off, off + size);
    if (f.type === 'struct' && f.struct && schema.structs[f.struct]) {
      visit(f, base + off, size, structValue(slice, schema.structs[f.struct], schema, base + off, diags, known), undefined);
    } else {
      const r = decodeScalar(slice, f, schema, f.familyField !== undefined && known ? known[f.familyField] : undefined);
      if (r.problem) diags.push({ offset: base + off, message: `${def.name}.${f.name}: ${r.problem}` });
      visit(f, base + off, size, r.value, r.raw);
      if (known) {
        const n = typeof r.raw === 'number' ? r.raw : typeof r.value === 'number' ? r.value : undefined;
        if (n !== undefined) known[f.name] = n;
      }
    }
    off += size;
  }
}

/** A struct as fields with their offsets and sizes (family headers: the hex layout needs them). */
export function decodeStruct(bytes: Uint8Array, def: StructDef, schema: Schema, base: number, diags: Diagnostic[], scope?: Record<string, number>): DecodedField[] {
  const fields: DecodedField[] = [];
  walkStruct(bytes, def, schema, base, diags, scope, (f, offset, size, value, raw) => {
    const field: DecodedField = { name: f.name, offset, size, value };
    if (raw !== undefined) field.raw = raw;
    fields.push(field);
  });
  return fields;
}

/** A struct as a plain object of values (attribute values like rtnl_link_stats64). */
export function structValue(bytes: Uint8Array, def: StructDef, schema: Schema, base: number, diags: Diagnostic[], scope?: Record<string, number>): { [k: string]: JsonValue } {
  const obj: { [k: string]: JsonValue } = {};
  walkStruct(bytes, def, schema, base, diags, scope, (f, _offset, _size, value) => {
    obj[f.name] = value;
  });
  return obj;
}

const NEEDS_SCOPE = new WeakMap<StructDef, boolean>();

/** Does any field (here or in a nested struct) read another field's value (familyField)? */
function needsScope(def: StructDef, schema: Schema): boolean {
  let needs = NEEDS_SCOPE.get(def);
  if (needs === undefined) {
    needs = def.fields.some((f) => f.familyField !== undefined || (f.type === 'struct' && f.struct !== undefined && schema.structs[f.struct] !== undefined && needsScope(schema.structs[f.struct], schema)));
    NEEDS_SCOPE.set(def, needs);
  }
  return needs;
}

export function structObject(fields: DecodedField[]): { [k: string]: JsonValue } {
  const obj: { [k: string]: JsonValue } = {};
  for (const f of fields) obj[f.name] = f.value;
  return obj;
}

/** Which tables decoded a message or a sub-message value: the YNL view reads them back. */
const TABLES_USED = new WeakMap<object, { schema: Schema; attrs?: string; header?: string }>();

export function tablesUsed(node: DecodedMessage | DecodedAttr): { schema: Schema; attrs?: string; header?: string } | undefined {
  return TABLES_USED.get(node);
}

/** A YNL sub-message: its format (fixed header, attribute set) is picked by a selector's value. */
function decodeSubMessage(a: RawAttr, def: ValueDef, schema: Schema, ctx: DecodeContext, out: DecodedAttr, diags: Diagnostic[], scope: ByteLevel | undefined): void {
  const picked = selectFormatInBytes(def, schema, scope);
  if (!('format' in picked)) {
    decodeUnknownAttr(a, schema, ctx, out);
    diags.push({ offset: a.offset, message: `${out.name ?? `attribute ${a.type}`}: ${picked.problem === 'no-format' ? `no format for ${def.selector} '${picked.value.text}' in sub-message ${def.subMessage}` : `selector ${def.selector} not found`}` });
    return;
  }
  const { format } = picked;
  let off = 0;
  TABLES_USED.set(out, { schema, attrs: format.attrs, header: format.header });
  if (format.header && schema.structs[format.header]) {
    const sdef = schema.structs[format.header];
    off = structSize(sdef, schema);
    out.value = structValue(a.value.subarray(0, off), sdef, schema, a.offset + NLA_HDRLEN, diags);
  }
  if (format.attrs && off < a.value.length) out.attrs = decodeAttrs(a.value.subarray(off), format.attrs, schema, ctx, a.offset + NLA_HDRLEN + off, diags, scope);
}

export function decodeAttrValue(a: RawAttr, def: ValueDef, schema: Schema, ctx: DecodeContext, out: DecodedAttr, scope?: ByteLevel): void {
  const diags: Diagnostic[] = [];
  if (def.type === 'nest' || def.type === 'nest-array' || def.type === 'indexed-array') {
    if (def.type !== 'nest') {
      // Each child's type is an index; its value is a nest of the named set (or, with depth > 1,
      // another index level), or for a YNL indexed-array of scalars one value of `subType`.
      const walk = parseAttrs(a.value, a.offset + NLA_HDRLEN);
      diags.push(...walk.diagnostics);
      const depth = def.depth ?? 1;
      const inner: ValueDef = def.type === 'indexed-array' && def.subType !== 'nest'
        ? { ...def, type: def.subType ?? 'binary', subType: undefined }
        : depth > 1 ? { type: 'nest-array', nested: def.nested, depth: depth - 1 } : { type: 'nest', nested: def.nested };
      out.attrs = walk.attrs.map((child) => {
        const d: DecodedAttr = { type: child.type, name: `[${child.type}]`, offset: child.offset, len: child.len };
        if (child.nested) d.nested_flag = true;
        decodeAttrValue(child, inner, schema, ctx, d, scope);
        return d;
      });
    } else {
      out.attrs = decodeAttrs(a.value, def.nested, schema, ctx, a.offset + NLA_HDRLEN, diags, scope);
    }
  } else if (def.type === 'sub-message') {
    decodeSubMessage(a, def, schema, ctx, out, diags, scope);
  } else if (def.type === 'struct' && def.struct && schema.structs[def.struct]) {
    out.value = structValue(a.value, schema.structs[def.struct], schema, a.offset + NLA_HDRLEN, diags);
  } else if (def.type === 'struct-list' && def.struct && schema.structs[def.struct]) {
    out.attrs = decodeStructList(a.value, def, schema.structs[def.struct], schema, ctx, a.offset + NLA_HDRLEN, diags);
  } else if (def.type === 'pad') {
    if (a.value.length) out.hex = toHex(a.value);
  } else {
    const r = decodeScalar(a.value, def, schema);
    out.value = r.value;
    if (r.raw !== undefined) out.raw = r.raw;
    if (r.problem) diags.push({ offset: a.offset, message: `${out.name ?? `attribute ${a.type}`}: ${r.problem}` });
  }
  if (diags.length) out.diagnostics = diags;
}

/**
 * Back-to-back structs each sized by a length field, the bytes after the struct being attributes
 * (RTA_MULTIPATH: struct rtnexthop + RTA_GATEWAY …). Each element becomes a child "[i]" whose
 * value is the struct and whose attrs are the trailing attributes.
 */
function decodeStructList(bytes: Uint8Array, def: ValueDef, sdef: StructDef, schema: Schema, ctx: DecodeContext, base: number, diags: Diagnostic[]): DecodedAttr[] {
  const out: DecodedAttr[] = [];
  const head = structSize(sdef, schema);
  let off = 0;
  for (let i = 0; off < bytes.length; i++) {
    const left = bytes.length - off;
    const fields = decodeStruct(bytes.subarray(off, off + Math.min(head, left)), sdef, schema, base + off, diags);
    const lenField = fields.find((f) => f.name === def.lengthField);
    const len = typeof lenField?.value === 'number' ? lenField.value : 0;
    if (left < head || len < head || len > left) {
      diags.push({ offset: base + off, message: `${sdef.name} element ${i}: length ${len} does not fit (${left} byte(s) left, header ${head})` });
      out.push({ type: -1, name: '(trailing bytes)', offset: base + off, len: left, hex: toHex(bytes.subarray(off)) });
      break;
    }
    const d: DecodedAttr = { type: i, name: `[${i}]`, offset: base + off, len, value: structObject(fields) };
    if (len > head) d.attrs = decodeAttrs(bytes.subarray(off + head, off + len), def.nested, schema, ctx, base + off + head, diags);
    out.push(d);
    off += align4(len);
  }
  return out;
}

/** Attributes with no table: nested ones are walked, the rest shown as hex (and text when printable). */
export function decodeUnknownAttr(a: RawAttr, schema: Schema, ctx: DecodeContext, out: DecodedAttr): void {
  if (a.nested && looksLikeAttrs(a.value)) {
    out.attrs = decodeAttrs(a.value, undefined, schema, ctx, a.offset + NLA_HDRLEN, []);
    return;
  }
  out.hex = toHex(a.value);
  const text = cStringGuess(a.value);
  if (text !== undefined) out.value = text;
}

/** Decode attributes of set `setName` (undefined: no table, generic TLV walk). */
export function decodeAttrs(bytes: Uint8Array, setName: string | undefined, schema: Schema, ctx: DecodeContext, base: number, diags: Diagnostic[], outer?: ByteLevel): DecodedAttr[] {
  const walk = parseAttrs(bytes, base);
  diags.push(...walk.diagnostics);
  const set = setName ? schema.attrSets[setName] : undefined;
  if (setName && !set) diags.push({ offset: base, message: `no attribute table '${setName}'` });
  const decoded: DecodedAttr[] = [];
  // Sub-messages look for their selector among these attributes and those around them.
  const scope: ByteLevel | undefined = set ? { set, b: bytes, s: 0, e: bytes.length, outer } : outer;
  for (const a of walk.attrs) {
    const def = set?.attrs[a.type];
    const d: DecodedAttr = { type: a.type, offset: a.offset, len: a.len };
    if (a.nested) d.nested_flag = true;
    if (a.netByteOrder) d.net_byteorder = true;
    if (def) {
      // A policy names no attribute: it only types it, and says so.
      if (def.typedBy) d.typed_by = def.typedBy;
      else d.name = def.name;
      if (def.spec !== undefined) d.spec_name = def.spec;
      // The wire's byte-order flag overrides the table.
      decodeAttrValue(a, a.netByteOrder ? { ...def, be: true } : def, schema, ctx, d, scope);
    } else {
      decodeUnknownAttr(a, schema, ctx, d);
    }
    decoded.push(d);
  }
  if (walk.trailing) decoded.push({ type: -1, name: '(trailing bytes)', offset: base + bytes.length - walk.trailing.length, len: walk.trailing.length, hex: toHex(walk.trailing) });
  return decoded;
}

function rawPayload(payload: Uint8Array, offset: number): DecodedMessage['payload'] {
  const text = printableText(payload);
  return { offset, hex: toHex(payload), ...(text !== undefined ? { text } : {}) };
}

/**
 * The fixed header a message of `length` payload bytes carries: its table's, or the short one its
 * protocol takes in its place in dump requests (Schema.shortHeader). Undefined when none is known.
 */
export function headerName(def: MessageDef, schema: Schema, length: number, flags: number): string | undefined {
  if (!def.header || !schema.structs[def.header]) return undefined;
  const short = schema.shortHeader;
  // The short header's table is looked up last: a protocol's tables load per family, when first used.
  if (short && length <= short.space && (flags & NLM_F_DUMP) === NLM_F_DUMP && length < structSize(schema.structs[def.header], schema) && schema.structs[short.struct]) return short.struct;
  return def.header;
}

/** Decode the body of a data message (not a control message) per its MessageDef. */
function decodeBody(m: RawMessage, def: MessageDef | undefined, schema: Schema, ctx: DecodeContext, out: DecodedMessage): void {
  const base = m.offset + NLMSG_HDRLEN;
  if (!def) {
    // Nothing known: a TLV walk when the bytes look like attributes, else raw bytes.
    if (m.payload.length && looksLikeAttrs(m.payload)) out.attrs = decodeAttrs(m.payload, undefined, schema, ctx, base, out.diagnostics);
    else if (m.payload.length) out.payload = rawPayload(m.payload, base);
    return;
  }
  let off = 0;
  TABLES_USED.set(out, { schema, attrs: def.attrs, header: def.header });
  const header = headerName(def, schema, m.payload.length, m.header.flags);
  if (header) {
    const sdef = schema.structs[header];
    const size = structSize(sdef, schema);
    const fields = decodeStruct(m.payload.subarray(0, size), sdef, schema, base, out.diagnostics);
    out.header = makeHeader(sdef.name, base, fields);
    off = align4(size);
  }
  const rest = m.payload.subarray(Math.min(off, m.payload.length));
  if (def.payload === 'binary' || (!def.attrs && !def.payload)) {
    if (rest.length) out.payload = rawPayload(rest, base + off);
    return;
  }
  if (def.payload === 'text' || def.payload === 'uevent') {
    out.payload = rawPayload(rest, base + off);
    return;
  }
  if (rest.length) out.attrs = decodeAttrs(rest, def.attrs, schema, ctx, base + off, out.diagnostics);
}

function decodeError(e: NetlinkErrorPayload, m: RawMessage, schema: Schema, ctx: DecodeContext): DecodedMessage['error'] {
  const out: NonNullable<DecodedMessage['error']> = { errno: e.errno };
  if (e.name) out.name = e.name;
  if (e.text) out.text = e.text;
  if (e.extack) out.extack = e.extack;
  if (e.request) {
    // Decode the echoed request in place, so offsets point into this capture.
    const echoedOffset = m.offset + NLMSG_HDRLEN + NLMSGERR_ERRNO_LEN;
    const raw: RawMessage = {
      offset: echoedOffset,
      header: e.request.header,
      payload: e.request.payload ?? new Uint8Array(0),
      bytes: e.request.bytes,
      truncated: false,
      diagnostics: [],
    };
    out.request = decodeMessage(raw, schema, ctx);
    if (out.extack?.offset !== undefined && e.request.payload) {
      const where = locateOffset(out.request, out.extack.offset);
      if (where) out.extack = { ...out.extack, ...where };
    }
    if (out.extack?.missingType !== undefined && e.request.payload) {
      const missing = locateMissing(out.request, tablesUsed, out.extack.missingType, out.extack.missingNest);
      if (missing) out.extack = { ...out.extack, missing };
    }
    if (!e.request.payload) {
      // A capped echo carries the request's header only: its body is not missing, just not sent.
      delete out.request.attrs;
      delete out.request.header;
      delete out.request.payload;
      out.request.diagnostics = [];
    }
  }
  return out;
}

export function decodeMessage(m: RawMessage, schema: Schema, ctx: DecodeContext): DecodedMessage {
  const h = m.header;
  const out: DecodedMessage = {
    protocol: schema.name,
    protocol_number: schema.protocol,
    offset: m.offset,
    len: h.len,
    type: h.type,
    flags: h.flags,
    flag_names: [],
    seq: h.seq,
    pid: h.pid,
    diagnostics: [...m.diagnostics],
  };
  if (m.truncated) out.truncated = true;
  if (CONTROL_TYPES[h.type]) {
    out.type_name = CONTROL_TYPES[h.type];
    out.flag_names = flagNames(h.flags, flagContext(h.type));
    if (h.type === NLMSG_ERROR || h.type === NLMSG_DONE) {
      const e = h.type === NLMSG_ERROR ? decodeErrorPayload(m.payload, h.flags, m.offset + NLMSG_HDRLEN) : decodeDonePayload(m.payload, h.flags, m.offset + NLMSG_HDRLEN);
      out.diagnostics.push(...e.diagnostics);
      if (h.type === NLMSG_ERROR || m.payload.length >= NLMSGERR_ERRNO_LEN) out.error = decodeError(e, m, schema, ctx);
    } else if (m.payload.length) {
      out.payload = rawPayload(m.payload, m.offset + NLMSG_HDRLEN);
    }
    return out;
  }
  const resolved = schema.resolve?.(h.type, m.payload, ctx, h);
  const def = resolved ?? schema.messages[h.type];
  const bodySchema = resolved?.schema ?? schema;
  if (resolved?.family) out.family = resolved.family;
  if (def?.name) out.type_name = def.name;
  if (def?.spec) out.op = def.spec;
  out.flag_names = flagNames(h.flags, flagContext(h.type, def && def.kind !== 'other' ? def.kind : undefined));
  decodeBody(m, def, bodySchema, ctx, out);
  schema.learn?.(out, ctx);
  return out;
}

/** Split a datagram and decode each message; datagram-level problems go on the last message. */
export function decodeDatagram(data: Uint8Array, schema: Schema, ctx: DecodeContext): DecodedMessage[] {
  // Some protocols (uevent) send datagrams with no nlmsghdr at all.
  if (schema.framing === 'raw' && schema.decodeRaw) return [schema.decodeRaw(data, ctx)];
  const split = splitMessages(data);
  const msgs = split.messages.map((m) => decodeMessage(m, schema, ctx));
  if (split.diagnostics.length) {
    if (msgs.length) msgs[msgs.length - 1].diagnostics.push(...split.diagnostics);
    else {
      msgs.push({
        protocol: schema.name, protocol_number: schema.protocol, offset: 0, len: data.length, type: -1, flags: 0, flag_names: [], seq: 0, pid: 0,
        payload: rawPayload(data, 0), diagnostics: split.diagnostics,
      });
    }
  }
  return msgs;
}

/** A schema with no tables, for protocols nlctl has no dissector for. */
export function emptySchema(protocol: number): Schema {
  return { protocol, name: NETLINK_PROTOCOLS[protocol] ?? String(protocol), messages: {}, structs: {}, attrSets: {}, enums: {}, flagSets: {} };
}
