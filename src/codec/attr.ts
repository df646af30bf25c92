// struct nlattr, the type-length-value unit of netlink payloads:
//
//   0       2       4
//   +-------+-------+--------------------------+---------+
//   | len   | type  | value (len - 4 bytes)    | pad to 4|
//   +-------+-------+--------------------------+---------+
//
// len counts the 4-byte header but not the padding. The top two bits of type are flags:
// 0x8000 NLA_F_NESTED (value is more attributes), 0x4000 NLA_F_NET_BYTEORDER (value is big-endian).
import { align4, NLA_HDRLEN } from './align.js';
import { view } from './bytes.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from './constants.js';
import type { Diagnostic } from './diagnostics.js';

export interface RawAttr {
  /** Attribute type with the flag bits masked off. */
  type: number;
  nested: boolean;
  netByteOrder: boolean;
  /** Offset of the attribute header, relative to the start of the walked region's base. */
  offset: number;
  /** nla_len as found (header included). */
  len: number;
  value: Uint8Array;
}

export interface AttrWalk {
  attrs: RawAttr[];
  diagnostics: Diagnostic[];
  /** Bytes after the last well-formed attribute that could not be read as one. */
  trailing?: Uint8Array;
}

/**
 * Walk the attributes in `bytes`. `base` is added to every reported offset so that
 * diagnostics point into the enclosing message. Never throws; always terminates.
 */
export function parseAttrs(bytes: Uint8Array, base = 0): AttrWalk {
  const attrs: RawAttr[] = [];
  const diagnostics: Diagnostic[] = [];
  let off = 0;
  while (off < bytes.length) {
    const left = bytes.length - off;
    if (left < NLA_HDRLEN) {
      // Fewer than 4 bytes left: padding if zero, junk otherwise.
      if (bytes.subarray(off).some((b) => b !== 0)) {
        diagnostics.push({ offset: base + off, message: `${left} trailing byte(s), too short for an attribute` });
        return { attrs, diagnostics, trailing: bytes.subarray(off) };
      }
      break;
    }
    const len = bytes[off] | (bytes[off + 1] << 8);
    const rawType = bytes[off + 2] | (bytes[off + 3] << 8);
    if (len < NLA_HDRLEN) {
      diagnostics.push({ offset: base + off, message: `attribute length ${len} is shorter than its 4-byte header` });
      return { attrs, diagnostics, trailing: bytes.subarray(off) };
    }
    if (len > left) {
      diagnostics.push({ offset: base + off, message: `attribute type ${rawType & NLA_TYPE_MASK} claims ${len} bytes, only ${left} left` });
      return { attrs, diagnostics, trailing: bytes.subarray(off) };
    }
    attrs.push({
      type: rawType & NLA_TYPE_MASK,
      nested: (rawType & NLA_F_NESTED) !== 0,
      netByteOrder: (rawType & NLA_F_NET_BYTEORDER) !== 0,
      offset: base + off,
      len,
      value: bytes.subarray(off + NLA_HDRLEN, off + len),
    });
    off += align4(len);
  }
  return { attrs, diagnostics };
}

/** True when the bytes walk cleanly as attributes: the test for "does this payload look like TLVs". */
export function looksLikeAttrs(bytes: Uint8Array): boolean {
  if (bytes.length < NLA_HDRLEN) return false;
  const walk = parseAttrs(bytes);
  return walk.diagnostics.length === 0 && walk.attrs.length > 0;
}

/** An attribute to encode: a value, or children (nested). */
export interface AttrSpec {
  type: number;
  nested?: boolean;
  netByteOrder?: boolean;
  value?: Uint8Array;
  children?: AttrSpec[];
}

export function attrsLength(specs: AttrSpec[]): number {
  let len = 0;
  for (const s of specs) len += align4(NLA_HDRLEN + attrValueLength(s));
  return len;
}

function attrValueLength(s: AttrSpec): number {
  return s.children ? attrsLength(s.children) : (s.value?.length ?? 0);
}

/** Encode attributes with padding; nested specs (children) get NLA_F_NESTED. */
export function encodeAttrs(specs: AttrSpec[], out = new Uint8Array(attrsLength(specs)), offset = 0): Uint8Array {
  const v = view(out);
  let off = offset;
  for (const s of specs) {
    const valueLen = attrValueLength(s);
    if (NLA_HDRLEN + valueLen > 0xffff) throw new RangeError(`attribute type ${s.type} is ${valueLen} bytes, more than nla_len can hold`);
    let type = s.type & NLA_TYPE_MASK;
    if (s.children || s.nested) type |= NLA_F_NESTED;
    if (s.netByteOrder) type |= NLA_F_NET_BYTEORDER;
    v.setUint16(off, NLA_HDRLEN + valueLen, true);
    v.setUint16(off + 2, type, true);
    if (s.children) encodeAttrs(s.children, out, off + NLA_HDRLEN);
    else if (s.value) out.set(s.value, off + NLA_HDRLEN);
    off += align4(NLA_HDRLEN + valueLen);
  }
  return out;
}
