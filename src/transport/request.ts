// Request/response over a Transport: sequence numbers, matching replies to the request,
// multipart to NLMSG_DONE, ACKs and errors (with extended ACK), interrupted dumps.
import {
  decodeDonePayload, decodeErrorPayload, encodeHeader, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
  NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, splitMessages,
  type NetlinkErrorPayload, type RawMessage,
} from '../codec/index.js';
import { NetlinkError, TimeoutError } from '../errors.js';
import type { Destination, Transport } from './types.js';

let nextSeq = Math.floor(Date.now() / 1000) >>> 0;

/** A fresh sequence number (seconds since the epoch, then counting up, as iproute2 does). */
export function allocateSeq(): number {
  nextSeq = (nextSeq + 1) >>> 0;
  return nextSeq;
}

export interface RequestOptions {
  timeoutMs?: number;
  to?: Destination;
  /** Name used in error messages, e.g. "RTM_GETLINK". */
  label?: string;
  /** Handle each reply as it arrives instead of collecting them in `replies` (large dumps). */
  onReply?: (m: RawMessage) => void;
}

export interface RequestResult {
  /** Replies carrying our sequence number, in order (DONE and ACK excluded). */
  replies: RawMessage[];
  /** The final ACK or error, if one came. */
  ack?: NetlinkErrorPayload;
  /** The NLMSG_DONE payload of a dump. */
  done?: NetlinkErrorPayload;
  /** NLM_F_DUMP_INTR was set on a reply: the table changed during the dump. */
  interrupted: boolean;
  /** Messages that arrived meanwhile but were not ours (other seq, notifications). */
  unrelated: number;
  /** Receive-queue overruns seen while waiting. */
  overruns: number;
}

/**
 * Send `message` (its header's seq is overwritten with a fresh one when seq is 0) and collect
 * the answer. Ends at NLMSG_DONE for multipart replies, at the ACK/error when NLM_F_ACK was set,
 * else after the first non-multipart reply. Rejects with NetlinkError when the kernel says no.
 */
export async function request(t: Transport, message: Uint8Array, opts: RequestOptions = {}): Promise<RequestResult> {
  const msg = new Uint8Array(message);
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  let seq = dv.getUint32(8, true);
  if (seq === 0) {
    seq = allocateSeq();
    dv.setUint32(8, seq, true);
  }
  const flags = dv.getUint16(6, true) | NLM_F_REQUEST;
  dv.setUint16(6, flags, true);
  const wantAck = (flags & NLM_F_ACK) !== 0;
  const isDump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
  const label = opts.label ?? `request type ${dv.getUint16(4, true)}`;
  const timeoutMs = opts.timeoutMs ?? 5000;

  const result: RequestResult = { replies: [], interrupted: false, unrelated: 0, overruns: 0 };
  t.send(msg, opts.to);
  const deadline = Date.now() + timeoutMs;
  let multipart = false;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new TimeoutError(`${label}: no ${multipart ? 'end of dump' : 'reply'} within ${timeoutMs} ms`);
    const ev = await t.recv(left);
    if (ev.kind === 'timeout') continue;
    if (ev.kind === 'woken') throw new TimeoutError(`${label}: interrupted`);
    if (ev.kind === 'overrun') {
      result.overruns++;
      continue;
    }
    for (const m of splitMessages(ev.datagram.data).messages) {
      // Match by sequence number alone: a user-space peer may answer with any port id.
      if (m.header.seq !== seq) {
        result.unrelated++;
        continue;
      }
      if (m.header.flags & NLM_F_DUMP_INTR) result.interrupted = true;
      switch (m.header.type) {
        case NLMSG_ERROR: {
          const err = decodeErrorPayload(m.payload, m.header.flags);
          result.ack = err;
          if (err.errno !== 0) throw new NetlinkError(label, err.errno, err.extack);
          return result;
        }
        case NLMSG_DONE: {
          const done = decodeDonePayload(m.payload, m.header.flags);
          result.done = done;
          if (done.errno !== 0) throw new NetlinkError(label, done.errno, done.extack);
          if (!wantAck) return result;
          continue;
        }
        case NLMSG_NOOP:
        case NLMSG_OVERRUN:
          continue;
        default:
          if (opts.onReply) opts.onReply(m);
          else result.replies.push(m);
          // Some families (netdev) send dump replies without NLM_F_MULTI: a dump ends at NLMSG_DONE.
          if (m.header.flags & NLM_F_MULTI || isDump) multipart = true;
          else if (!wantAck) return result;
      }
    }
  }
}

/** Build the bytes of a request: header (len computed) + payload. */
export function buildRequest(type: number, flags: number, payload: Uint8Array, seq = 0, pid = 0): Uint8Array {
  const out = new Uint8Array(16 + payload.length + ((4 - (payload.length % 4)) % 4));
  encodeHeader({ len: 16 + payload.length, type, flags, seq, pid }, out);
  out.set(payload, 16);
  return out;
}
