// Request/response over a Transport: sequence numbers, matching replies to the request,
// multipart to NLMSG_DONE, ACKs and errors (with extended ACK), interrupted dumps.
import { decodeHeader, encodeHeader, encodeMessage, NLM_F_REQUEST, NLMSG_HDRLEN, NLMSG_MIN_TYPE, splitMessages, type NetlinkErrorPayload, type RawMessage } from '../codec/index.js';
import { TimeoutError } from '../errors.js';
import { deadlineIn, receiveLoop } from './receive-loop.js';
import { ReplyTracker } from './replies.js';
import type { Destination, Transport } from './types.js';

/** nlmsg_seq's place in struct nlmsghdr (see codec/header.ts). */
const NLMSG_SEQ_OFFSET = 8;

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
  /**
   * onReply for a reply read in place: the message is data[off..off+len), whole (its length
   * checked), of nlmsg_type `type`. No message object is made: the way for the largest dumps.
   * `data` is the datagram's own (ReceiveBatch): it may be kept. A datagram whose messages are not
   * all whole goes to onReply as splitMessages gives them.
   */
  onReplyAt?: (data: Uint8Array, off: number, len: number, type: number) => void;
  /**
   * After onReplyAt, while the answer goes on: the messages from data[off] on that it takes at
   * once, as many as it likes, from the first. It takes only messages whose first 12 header bytes
   * (length, type, flags, sequence number) are those of the message before them: the tracker would
   * say of each what it said of that one. Returns how many it took.
   */
  onRunAt?: (data: Uint8Array, off: number) => number;
  /** Checked between received batches: stop waiting (a signal, a closed pipe). */
  stopped?: () => boolean;
  /** Receive the next batch on another thread while one is handled (large dumps; see receiveLoop). */
  ahead?: boolean;
  /** Called once the request is sent (with `ahead`, while its first replies are received on a thread): work to do meanwhile, awaited before a reply is handled. */
  sent?: () => void | Promise<void>;
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
  /** The wait was ended by `stopped` (or wake()) before the answer was complete. */
  stopped: boolean;
}

/**
 * Send `message` (its header's seq is overwritten with a fresh one when seq is 0) and collect
 * the answer. Ends at NLMSG_DONE for multipart replies, at the ACK/error when NLM_F_ACK was set,
 * else after the first non-multipart reply. Rejects with NetlinkError when the kernel says no.
 */
export async function request(t: Transport, message: Uint8Array, opts: RequestOptions = {}): Promise<RequestResult> {
  const msg = new Uint8Array(message);
  const header = decodeHeader(msg);
  const seq = header.seq || allocateSeq();
  const flags = header.flags | NLM_F_REQUEST;
  encodeHeader({ ...header, seq, flags }, msg);
  const label = opts.label ?? `request type ${header.type}`;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const tracker = new ReplyTracker(seq, flags, label);
  const result: RequestResult = { replies: [], interrupted: false, unrelated: 0, overruns: 0, stopped: false };

  const onReplyAt = opts.onReplyAt;
  const split = (data: Uint8Array, skip: number): boolean => {
    const messages = splitMessages(data).messages;
    for (let i = skip; i < messages.length; i++) {
      const m = messages[i];
      const h = m.header;
      if (tracker.take({ type: h.type, flags: h.flags, seq: h.seq, payload: m.payload }) === 'reply') {
        if (opts.onReply) opts.onReply(m);
        else result.replies.push(m);
      }
      if (tracker.finished) return true;
    }
    return false;
  };
  t.send(msg, opts.to);
  if (opts.ahead) t.readAhead?.();
  await opts.sent?.();
  const end = await receiveLoop(t, {
    datagram: (dg) => (onReplyAt ? inPlace(dg.data, tracker, onReplyAt, opts.onRunAt, split) : split(dg.data, 0)),
    overrun: () => void result.overruns++,
  }, { deadline: deadlineIn(timeoutMs), stopped: opts.stopped, ahead: opts.ahead });
  Object.assign(result, { ack: tracker.ack, done: tracker.done, interrupted: tracker.interrupted, unrelated: tracker.unrelated });
  if (tracker.failure) throw tracker.failure;
  if (end === 'timeout') throw new TimeoutError(`${label}: no ${tracker.multipart ? 'end of dump' : 'reply'} within ${timeoutMs} ms`);
  if (end === 'woken' && !opts.stopped) throw new TimeoutError(`${label}: interrupted`);
  result.stopped = end !== 'finished';
  return result;
}

const NO_PAYLOAD = new Uint8Array(0);

/**
 * The messages of a datagram read in place, while each is whole (splitMessages's walk for well-
 * formed datagrams); from the first that is not, splitMessages takes the rest. True when the
 * answer is complete.
 */
function inPlace(data: Uint8Array, tracker: ReplyTracker, onReplyAt: NonNullable<RequestOptions['onReplyAt']>, onRunAt: RequestOptions['onRunAt'], split: (data: Uint8Array, skip: number) => boolean): boolean {
  let done = 0;
  for (let off = 0; off < data.length; done++) {
    const len = (data[off] | (data[off + 1] << 8) | (data[off + 2] << 16) | (data[off + 3] << 24)) >>> 0;
    if (data.length - off < NLMSG_HDRLEN || len < NLMSG_HDRLEN || len > data.length - off) return split(data, done);
    const type = data[off + 4] | (data[off + 5] << 8);
    const flags = data[off + 6] | (data[off + 7] << 8);
    const seq = (data[off + 8] | (data[off + 9] << 8) | (data[off + 10] << 16) | (data[off + 11] << 24)) >>> 0;
    // Only the control messages' payloads are read (ACK, DONE: an errno and maybe an extended ACK).
    const payload = type < NLMSG_MIN_TYPE ? data.subarray(off + NLMSG_HDRLEN, off + len) : NO_PAYLOAD;
    const reply = tracker.takeParts(type, flags, seq, payload) === 'reply';
    if (reply) onReplyAt(data, off, len, type);
    if (tracker.finished) return true;
    off += (len + 3) & ~3;
    if (reply && onRunAt !== undefined && off < data.length) {
      // The run's messages are whole (their length is this one's) and the same to the tracker.
      const n = onRunAt(data, off);
      off += n * ((len + 3) & ~3);
      done += n;
    }
  }
  return false;
}

/** Give a message in `bytes` a new sequence number, in place (e.g. each send of a --repeat). */
export function setSequence(bytes: Uint8Array, seq: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(NLMSG_SEQ_OFFSET, seq >>> 0, true);
}

/** Build the bytes of a request: header (len computed) + payload. */
export function buildRequest(type: number, flags: number, payload: Uint8Array, seq = 0, pid = 0): Uint8Array {
  return encodeMessage({ type, flags, seq, pid }, payload);
}
