// The framing steps of the fast JSON path's datagram loop (message.ts): a message's header read
// into one reused object, the message as the general decoder takes it, and whether a datagram
// splits into whole messages.
import type { NlMsgHeader, RawMessage } from '../../codec/index.js';

/**
 * The header of the message at data[off], in one object reused for every message (one per
 * message was a tenth of what a decode allocated): valid until the next message.
 */
const HEADER: NlMsgHeader = { len: 0, type: 0, flags: 0, seq: 0, pid: 0 };

export function headerAt(data: Uint8Array, off: number): NlMsgHeader {
  HEADER.len = (data[off]! | (data[off + 1]! << 8) | (data[off + 2]! << 16) | (data[off + 3]! << 24)) >>> 0;
  HEADER.type = data[off + 4]! | (data[off + 5]! << 8);
  HEADER.flags = data[off + 6]! | (data[off + 7]! << 8);
  HEADER.seq = (data[off + 8]! | (data[off + 9]! << 8) | (data[off + 10]! << 16) | (data[off + 11]! << 24)) >>> 0;
  HEADER.pid = (data[off + 12]! | (data[off + 13]! << 8) | (data[off + 14]! << 16) | (data[off + 15]! << 24)) >>> 0;
  return HEADER;
}

/** The message at data[off] as splitMessages gives it, for the general decoder. */
export function rawMessage(data: Uint8Array, off: number, len: number, h: NlMsgHeader): RawMessage {
  return { offset: off, header: h, payload: data.subarray(off + 16, off + len), bytes: data.subarray(off, off + len), truncated: false, diagnostics: [] };
}

/**
 * Does the datagram split into whole messages with nothing left over (no diagnostics from
 * splitMessages)? Otherwise the general decoder takes all of it: its problems go on the last message.
 */
export function wellFramed(b: Uint8Array): boolean {
  for (let off = 0; off < b.length;) {
    const left = b.length - off;
    if (left < 16) return zerosFrom(b, off);
    const len = (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
    if (len === 0 && zerosFrom(b, off)) return true;
    if (len < 16 || len > left) return false;
    off += len + ((4 - (len % 4)) % 4);
  }
  return true;
}

function zerosFrom(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
