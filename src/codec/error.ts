// NLMSG_ERROR payload (struct nlmsgerr) and NLMSG_DONE payload, with extended-ACK TLVs:
//
//   NLMSG_ERROR: | int error | echoed nlmsghdr (16) | echoed payload* | TLVs** |
//   NLMSG_DONE:  | int error | TLVs** |
//
//   *  only when the request failed and NETLINK_CAP_ACK is off (otherwise NLM_F_CAPPED is set)
//   ** only when NETLINK_EXT_ACK is on (NLM_F_ACK_TLVS is set): MSG, OFFS, COOKIE, POLICY, MISS_TYPE, MISS_NEST
// error is 0 for an ACK and -errno for a failure.
import { align4, NLMSG_HDRLEN } from './align.js';
import { parseAttrs, type RawAttr } from './attr.js';
import { cString, toHex, view } from './bytes.js';
import {
  NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY,
} from './constants.js';
import type { Diagnostic } from './diagnostics.js';
import { errnoInfo } from './errno.js';
import { decodeHeader, type NlMsgHeader } from './header.js';

export interface ExtAck {
  msg?: string;
  /** Offset of the offending attribute, counted from the start of the echoed request's header. */
  offset?: number;
  cookie?: string;
  policy?: Record<string, number | string>;
  missingType?: number;
  missingNest?: number;
  /** Filled by the schema layer: the attribute at `offset` (C name), its path by spec names, or a header field. */
  attr?: string;
  path?: string;
  field?: string;
  /** Filled by the schema layer: the attribute MISS_TYPE names (C name, spec path), and the nest MISS_NEST points at. */
  missing?: { attr?: string; path: string; nest?: { attr?: string; path: string } };
}

export interface NetlinkErrorPayload {
  /** 0 for an ACK, otherwise the positive errno. */
  errno: number;
  name?: string;
  text?: string;
  /** The echoed request's header, and its payload when the kernel sent it back. */
  request?: { header: NlMsgHeader; payload?: Uint8Array; bytes: Uint8Array };
  extack?: ExtAck;
  diagnostics: Diagnostic[];
}

const POLICY_ATTRS: Record<number, string> = {
  1: 'type', 2: 'min_value_s', 3: 'max_value_s', 4: 'min_value_u', 5: 'max_value_u',
  6: 'min_length', 7: 'max_length', 8: 'policy_idx', 9: 'policy_maxtype', 10: 'bitfield32_mask', 12: 'mask',
};

const POLICY_TYPES = ['invalid', 'flag', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'binary', 'string',
  'nul_string', 'nested', 'nested_array', 'bitfield32', 'sint', 'uint'];

function intValue(a: RawAttr): number | string | undefined {
  const v = view(a.value);
  switch (a.value.length) {
    case 1: return v.getUint8(0);
    case 2: return v.getUint16(0, true);
    case 4: return v.getUint32(0, true);
    case 8: {
      const big = v.getBigUint64(0, true);
      return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
    }
    default: return undefined;
  }
}

/** Decode extended-ACK TLVs; `base` is their offset within the message for diagnostics. */
export function decodeExtAck(bytes: Uint8Array, base: number, diagnostics: Diagnostic[]): ExtAck | undefined {
  const walk = parseAttrs(bytes, base);
  diagnostics.push(...walk.diagnostics);
  const ext: ExtAck = {};
  for (const a of walk.attrs) {
    const n = intValue(a);
    switch (a.type) {
      case NLMSGERR_ATTR_MSG: ext.msg = cString(a.value); break;
      case NLMSGERR_ATTR_OFFS: if (typeof n === 'number') ext.offset = n; break;
      case NLMSGERR_ATTR_COOKIE: ext.cookie = toHex(a.value); break;
      case NLMSGERR_ATTR_MISS_TYPE: if (typeof n === 'number') ext.missingType = n; break;
      case NLMSGERR_ATTR_MISS_NEST: if (typeof n === 'number') ext.missingNest = n; break;
      case NLMSGERR_ATTR_POLICY: {
        const policy: Record<string, number | string> = {};
        for (const p of parseAttrs(a.value, a.offset + 4).attrs) {
          const key = POLICY_ATTRS[p.type] ?? `attr_${p.type}`;
          const val = intValue(p);
          if (val === undefined) continue;
          policy[key] = key === 'type' && typeof val === 'number' ? (POLICY_TYPES[val] ?? val) : val;
        }
        ext.policy = policy;
        break;
      }
      default:
        diagnostics.push({ offset: a.offset, message: `unknown extended-ACK attribute ${a.type}` });
    }
  }
  return Object.keys(ext).length ? ext : undefined;
}

function errnoFields(error: number): Pick<NetlinkErrorPayload, 'errno' | 'name' | 'text'> {
  if (error === 0) return { errno: 0 };
  const info = errnoInfo(-error);
  return { errno: info.errno, name: info.name, text: info.text };
}

/** struct nlmsgerr's `int error`, before the echoed request (and a DONE's dump errno). */
export const NLMSGERR_ERRNO_LEN = 4;

/** Decode an NLMSG_ERROR payload. `flags` are the error message's own header flags; `base` its payload offset. */
export function decodeErrorPayload(payload: Uint8Array, flags: number, base = NLMSG_HDRLEN): NetlinkErrorPayload {
  const diagnostics: Diagnostic[] = [];
  if (payload.length < NLMSGERR_ERRNO_LEN) {
    diagnostics.push({ offset: base, message: `NLMSG_ERROR payload is ${payload.length} bytes, too short for the error code` });
    return { errno: 0, diagnostics };
  }
  const error = payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24);
  const result: NetlinkErrorPayload = { ...errnoFields(error), diagnostics };
  if (payload.length < NLMSGERR_ERRNO_LEN + NLMSG_HDRLEN) {
    diagnostics.push({ offset: base + NLMSGERR_ERRNO_LEN, message: 'NLMSG_ERROR payload too short for the echoed request header' });
    return result;
  }
  const header = decodeHeader(payload, NLMSGERR_ERRNO_LEN);
  // A successful ACK never echoes the payload; older kernels do not set NLM_F_CAPPED on it.
  const capped = (flags & NLM_F_CAPPED) !== 0 || error === 0;
  let echoedLen = NLMSG_HDRLEN;
  if (!capped) {
    echoedLen = Math.max(NLMSG_HDRLEN, Math.min(header.len, payload.length - NLMSGERR_ERRNO_LEN));
    if (header.len > payload.length - NLMSGERR_ERRNO_LEN) {
      diagnostics.push({ offset: base + NLMSGERR_ERRNO_LEN, message: `echoed request claims ${header.len} bytes, only ${payload.length - NLMSGERR_ERRNO_LEN} present` });
    }
  }
  const bytes = payload.subarray(NLMSGERR_ERRNO_LEN, NLMSGERR_ERRNO_LEN + echoedLen);
  result.request = { header, bytes, payload: capped ? undefined : bytes.subarray(NLMSG_HDRLEN) };
  const tlvStart = NLMSGERR_ERRNO_LEN + align4(echoedLen);
  if (flags & NLM_F_ACK_TLVS && tlvStart < payload.length) {
    result.extack = decodeExtAck(payload.subarray(tlvStart), base + tlvStart, diagnostics);
  }
  return result;
}

/** Decode an NLMSG_DONE payload: an optional int error (dumps) and optional extended-ACK TLVs. */
export function decodeDonePayload(payload: Uint8Array, flags: number, base = NLMSG_HDRLEN): NetlinkErrorPayload {
  const diagnostics: Diagnostic[] = [];
  if (payload.length < NLMSGERR_ERRNO_LEN) return { errno: 0, diagnostics };
  const error = payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24);
  const result: NetlinkErrorPayload = { ...errnoFields(error), diagnostics };
  if (flags & NLM_F_ACK_TLVS && payload.length > NLMSGERR_ERRNO_LEN) {
    result.extack = decodeExtAck(payload.subarray(NLMSGERR_ERRNO_LEN), base + NLMSGERR_ERRNO_LEN, diagnostics);
  }
  return result;
}
