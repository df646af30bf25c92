// A datagram carries one or more netlink messages back to back, each padded to 4 bytes.
// splitMessages() walks them without trusting any length: a length that lies becomes a
// diagnostic and the walk stops, so it always terminates.
import { align4, NLMSG_HDRLEN } from './align.js';
import { decodeHeader, encodeHeader, type NlMsgHeader } from './header.js';
import type { Diagnostic } from './diagnostics.js';
import { GENL_HDRLEN } from './constants.js';

export interface RawMessage {
  /** Offset of the header within the datagram. */
  offset: number;
  header: NlMsgHeader;
  /** Bytes after the 16-byte header, up to nlmsg_len (or to the end, when truncated). */
  payload: Uint8Array;
  /** The whole message as found (header included). */
  bytes: Uint8Array;
  truncated: boolean;
  diagnostics: Diagnostic[];
}

export interface SplitResult {
  messages: RawMessage[];
  diagnostics: Diagnostic[];
}

export function splitMessages(data: Uint8Array): SplitResult {
  const messages: RawMessage[] = [];
  const diagnostics: Diagnostic[] = [];
  let off = 0;
  while (off < data.length) {
    const left = data.length - off;
    if (left < NLMSG_HDRLEN) {
      if (data.subarray(off).some((b) => b !== 0)) {
        diagnostics.push({ offset: off, message: `${left} trailing byte(s), too short for a netlink header` });
      }
      break;
    }
    const header = decodeHeader(data, off);
    // A zero-filled tail is buffer slack (a dumped receive buffer, padding), not a message.
    if (header.len === 0 && data.subarray(off).every((b) => b === 0)) break;
    if (header.len < NLMSG_HDRLEN) {
      diagnostics.push({ offset: off, message: `nlmsg_len ${header.len} is shorter than the 16-byte header` });
      break;
    }
    const truncated = header.len > left;
    const end = truncated ? data.length : off + header.len;
    const msgDiags: Diagnostic[] = [];
    if (truncated) msgDiags.push({ offset: off, message: `nlmsg_len ${header.len} but only ${left} bytes left: message truncated` });
    messages.push({
      offset: off,
      header,
      payload: data.subarray(off + NLMSG_HDRLEN, end),
      bytes: data.subarray(off, end),
      truncated,
      diagnostics: msgDiags,
    });
    if (truncated) break;
    off += align4(header.len);
  }
  return { messages, diagnostics };
}

/** Build one message: the header's len is computed; the payload is padded to 4 bytes. */
export function encodeMessage(h: Omit<NlMsgHeader, 'len'>, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const len = NLMSG_HDRLEN + payload.length;
  const out = new Uint8Array(align4(len));
  encodeHeader({ ...h, len }, out, 0);
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/** struct genlmsghdr (<linux/genetlink.h>): cmd, version, reserved. Requests to nlctrl carry version 1. */
export function genlHeader(cmd: number, version = 1): Uint8Array {
  return genlPayload(cmd, new Uint8Array(0), version);
}

/** A generic netlink payload: genlmsghdr, then the attributes `attrs` (encoded). */
export function genlPayload(cmd: number, attrs: Uint8Array, version = 1): Uint8Array {
  const out = new Uint8Array(GENL_HDRLEN + attrs.length);
  out[0] = cmd;
  out[1] = version;
  out.set(attrs, GENL_HDRLEN);
  return out;
}
