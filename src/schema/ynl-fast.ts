// The YNL view (ynl-json.ts) of a reply straight from its bytes, for `dump --family F -j`: the
// same object that ynlMessage(decodeMessage(m)) gives, without building the decoded message
// (offsets, names and diagnostics of every attribute) first. What it does not cover (unknown or
// malformed attributes, sub-messages, index-keyed lists, protocols that learn)
// it hands back to that general path. test/unit/ynl-fast.test.ts compares both on every fixture.
import { CONTROL_TYPES, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, type RawMessage } from '../codec/index.js';
import { structSize, structValue } from './decode.js';
import type { JsonValue } from './decoded.js';
import type { AttrSet, DecodeContext, Schema } from './types.js';
import { decodeScalar } from './values.js';
import { hasYnlView, mergeHeaderFields, scalar, structObject } from './ynl-json.js';

type Obj = { [k: string]: JsonValue };

/** The general path must decode this one. */
export const GENERAL = Symbol('general');

/** Attributes of a set as YNL's object, or GENERAL. */
function attrsObject(bytes: Uint8Array, set: AttrSet, schema: Schema): Obj | typeof GENERAL {
  const out: Obj = {};
  let off = 0;
  for (; off + 4 <= bytes.length;) {
    const len = bytes[off] | (bytes[off + 1] << 8);
    if (len < 4 || off + len > bytes.length) return GENERAL;
    const raw = bytes[off + 2] | (bytes[off + 3] << 8);
    const def = set.attrs[raw & NLA_TYPE_MASK];
    if (!def) return GENERAL;
    const value = bytes.subarray(off + 4, off + len);
    off += (len + 3) & ~3;
    if (def.type === 'pad') continue;
    let v: JsonValue;
    switch (def.type) {
      case 'nest': {
        const nested = def.nested ? schema.attrSets[def.nested] : undefined;
        if (!nested) return GENERAL;
        const o = attrsObject(value, nested, schema);
        if (o === GENERAL) return GENERAL;
        v = o;
        break;
      }
      case 'struct': {
        const sdef = def.struct ? schema.structs[def.struct] : undefined;
        if (!sdef) return GENERAL;
        v = structObject(structValue(value, sdef, schema, 0, []), sdef, schema);
        break;
      }
      case 'flag':
        v = true;
        break;
      case 'nest-array': case 'indexed-array': case 'sub-message': case 'struct-list':
        return GENERAL;
      default:
        // decodeAttrs reads with the wire's byte-order flag; the view shapes with the table's entry.
        v = scalar(decodeScalar(value, (raw & NLA_F_NET_BYTEORDER) !== 0 ? { ...def, be: true } : def, schema).value, def);
    }
    const key = def.spec ?? def.name;
    if (def.multi) ((out[key] ??= []) as JsonValue[]).push(v);
    else out[key] = v;
  }
  // Bytes left that cannot hold an attribute: the general path says what they are.
  return off < bytes.length ? GENERAL : out;
}

/**
 * ynlMessage(decodeMessage(m, schema, ctx)) from the bytes: the object, undefined where the view
 * shows nothing (control messages, messages no spec describes), or GENERAL.
 */
export function ynlFast(m: RawMessage, schema: Schema, ctx: DecodeContext): Obj | undefined | typeof GENERAL {
  const h = m.header;
  // Control messages show nothing; other types below 0x10 are left to the general path.
  if (h.type < 0x10) return CONTROL_TYPES[h.type] ? undefined : GENERAL;
  if (m.truncated || schema.learn) return GENERAL;
  const resolved = schema.resolve?.(h.type, m.payload, ctx, h);
  const def = resolved ?? schema.messages[h.type];
  const s = resolved?.schema ?? schema;
  if (!def || def.payload || !def.attrs) return GENERAL;
  const set = s.attrSets[def.attrs];
  const hdr = def.header ? s.structs[def.header] : undefined;
  if (!set || (def.header && !hdr)) return GENERAL;
  if (!hasYnlView(s, set, def.header)) return undefined;
  const size = hdr ? structSize(hdr, s) : 0;
  // A payload shorter than its header (rtgenmsg in a dump request, a cut header): the general path.
  if (m.payload.length < size) return GENERAL;
  const rest = m.payload.subarray(Math.min((size + 3) & ~3, m.payload.length));
  const out = rest.length ? attrsObject(rest, set, s) : {};
  if (out === GENERAL) return GENERAL;
  if (hdr) mergeHeaderFields(out, structValue(m.payload.subarray(0, size), hdr, s, 0, []), hdr, s);
  return out;
}
