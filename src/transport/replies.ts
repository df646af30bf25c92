// The rules that say when the answer to a request is complete, in one place for request() and
// `nlctl send`: replies carry the request's sequence number; NLMSG_ERROR is the ACK or the
// error and always ends it; NLMSG_DONE ends a dump (then an ACK may still follow, when asked);
// a plain reply ends a request that asked for neither an ACK nor a dump.
import {
  decodeDonePayload, decodeErrorPayload, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR,
  NLMSG_NOOP, NLMSG_OVERRUN, type NetlinkErrorPayload,
} from '../codec/index.js';
import { NetlinkError } from '../errors.js';

/** What the tracker needs of a message: its header fields and its payload. */
export interface TrackedMessage {
  type: number;
  flags: number;
  seq: number;
  payload: Uint8Array;
}

/** How one message counted: not ours, a reply to show, or a control message (ACK, DONE, NOOP). */
export type TrackVerdict = 'unrelated' | 'reply' | 'control';

export class ReplyTracker {
  readonly wantAck: boolean;
  readonly wantDump: boolean;
  /** The final ACK or error, if one came. */
  ack?: NetlinkErrorPayload;
  /** The NLMSG_DONE payload of a dump. */
  done?: NetlinkErrorPayload;
  /** NLM_F_DUMP_INTR was set on a reply: the table changed during the dump. */
  interrupted = false;
  /** The kernel (or the peer) said no. */
  failure?: NetlinkError;
  /** The answer is complete. */
  finished = false;
  /** At least one message with our sequence number came. */
  answered = false;
  /** A reply carried NLM_F_MULTI: the end is NLMSG_DONE. */
  multipart = false;
  unrelated = 0;

  constructor(public seq: number, requestFlags: number, private readonly label: string) {
    this.wantAck = (requestFlags & NLM_F_ACK) !== 0;
    this.wantDump = (requestFlags & NLM_F_DUMP) === NLM_F_DUMP;
  }

  take(m: TrackedMessage): TrackVerdict {
    return this.takeParts(m.type, m.flags, m.seq, m.payload);
  }

  /** take() of a message given by its fields (no object per message, for dumps read in place). */
  takeParts(type: number, flags: number, seq: number, payload: Uint8Array): TrackVerdict {
    // Match by sequence number alone: a user-space peer may answer with any port id.
    if (seq !== this.seq) {
      this.unrelated++;
      return 'unrelated';
    }
    this.answered = true;
    if (flags & NLM_F_DUMP_INTR) this.interrupted = true;
    switch (type) {
      case NLMSG_ERROR: {
        const err = decodeErrorPayload(payload, flags);
        this.ack = err;
        if (err.errno !== 0) this.failure = new NetlinkError(this.label, err.errno, err.extack);
        this.finished = true;
        return 'control';
      }
      case NLMSG_DONE: {
        const done = decodeDonePayload(payload, flags);
        this.done = done;
        if (done.errno !== 0) this.failure = new NetlinkError(this.label, done.errno, done.extack);
        if (!this.wantAck || this.failure) this.finished = true;
        return 'control';
      }
      case NLMSG_NOOP:
      case NLMSG_OVERRUN:
        return 'control';
      default:
        if (flags & NLM_F_MULTI) this.multipart = true;
        else if (!this.wantAck && !this.wantDump) this.finished = true;
        return 'reply';
    }
  }
}
