// Every output format is a MessageWriter: it gets decoded messages one at a time (with their
// bytes, for the hex layout) and owns how and when they reach the output stream.
import type { DecodeContext, DecodedMessage, FlatRecord, Schema } from '../schema/index.js';

/** A decoded message (with its bytes, for the hex layout), or a flat record (dumps, sockets). */
export type OutputItem = { message: DecodedMessage; bytes?: Uint8Array } | { record: FlatRecord };

export interface MessageWriter {
  write(item: OutputItem): void;
  /** Events that are not messages (overrun, truncation): shown inline, kept in JSON as events. */
  event?(event: OutputEvent): void;
  /**
   * A datagram written straight from its bytes, as decodeDatagram and write() would show its
   * messages with `meta` (the fast JSON path, src/format/fast): how many messages it held.
   * Only writers that have such a path have it.
   */
  datagram?(data: Uint8Array, schema: Schema, ctx: DecodeContext, meta: CaptureMeta): number;
  end(): void;
}

export interface OutputEvent {
  event: 'overrun' | 'truncated' | 'dump_interrupted' | 'info';
  time?: string;
  message: string;
  /** overrun: messages the kernel dropped since the previous overrun event. */
  lost?: number;
  /** overrun: messages dropped so far (the kernel's counter for the socket). */
  lost_total?: number;
  /** How lost and lost_total were read: sock_diag (NETLINK_DIAG_MEMINFO) or proc (/proc/net/netlink). */
  lost_source?: string;
  /** overrun: overrun events so far. */
  overruns?: number;
}

export interface Sink {
  write(text: string): void;
}

export interface WriterOptions {
  color: boolean;
  sink: Sink;
  /** The output is a terminal: JSON is indented for reading. */
  tty?: boolean;
  /** Terminal width that tables must fit; undefined (piped) prints them in full. */
  width?: number;
}

/** Where and when a datagram was seen (captured, or received live): the meta of its messages. */
export interface CaptureMeta {
  time?: string;
  /**
   * The time as a whole second (0 ≤ second < 2^32) and its microseconds, when `time` is not
   * given: written as the text isoTimeOf makes of them, without making it.
   */
  second?: number;
  micros?: number;
  direction?: 'in' | 'out';
  /** Live traffic (listen): the sender's port id, the group it came on, its namespace's id. */
  from_pid?: number;
  group?: number;
  nsid?: number;
  /** A frame of nlctrl's replies that names the capture's generic netlink families. */
  family_table?: boolean;
}
