// Every output format is a MessageWriter: it gets decoded messages one at a time (with their
// bytes, for the hex layout) and owns how and when they reach the output stream.
import type { DecodedMessage, FlatRecord } from '../schema/index.js';

/** A decoded message (with its bytes, for the hex layout), or a flat record (dumps, sockets). */
export type OutputItem = { message: DecodedMessage; bytes?: Uint8Array } | { record: FlatRecord };

export interface MessageWriter {
  write(item: OutputItem): void;
  /** Events that are not messages (overrun, truncation): shown inline, kept in JSON as events. */
  event?(event: OutputEvent): void;
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
