// What commands and the request helpers need from a socket. NetlinkSocket implements it over the
// kernel; FakeTransport implements it in memory for tests.
import type { Datagram } from '../sys/receive.js';

export type { Datagram };

/** What one receive call brought, without waiting. */
export interface ReceiveBatch {
  /** Datagrams in arrival order (empty: nothing was queued), each with data of its own: a transport never reuses it, so it may be kept. */
  datagrams: Datagram[];
  /** ENOBUFS: the receive queue overflowed and the kernel dropped messages. */
  overrun: boolean;
  /** The call was filled to its limit: more may be queued (otherwise the queue was emptied). */
  full?: boolean;
}

export type WaitResult = 'readable' | 'woken' | 'timeout';

export interface Destination {
  pid?: number;
  groups?: number;
}

/** The kernel's count of messages it dropped for one socket, and where the number was read. */
export interface DropCount {
  count: number;
  source: 'sock_diag' | 'proc' | 'fake';
}

export interface Transport {
  readonly protocol: number;
  readonly portId: number;
  send(bytes: Uint8Array, to?: Destination): void;
  /** Whatever one batch call brings now (many datagrams per call), never waiting. */
  drain(): ReceiveBatch;
  /**
   * drain(), and when the batch filled every slot, the next one asked for at once on another
   * thread: the kernel writes a dump's next messages while this batch is handled. Optional (a
   * transport without it is drained); a drain() or wait() after it sees what the thread brought.
   */
  drainAhead?(): Promise<ReceiveBatch>;
  /** Ask for the next batch on another thread now, for drainAhead (e.g. right after a dump request is sent). */
  readAhead?(): void;
  /** Wait up to timeoutMs (< 0: forever) until something is queued, or until wake(). */
  wait(timeoutMs: number): Promise<WaitResult>;
  join(group: number): void;
  /** The receive buffer size the kernel granted (SO_RCVBUF). */
  receiveBufferSize(): number;
  /**
   * Messages the kernel dropped for this socket so far; undefined when it cannot be read. Read
   * again at most every 100 ms unless `fresh`: null when it was not read again yet.
   */
  drops(fresh?: boolean): DropCount | undefined | null;
  /** End a wait at once (Ctrl-C, SIGTERM, a closed pipe). */
  wake(): void;
  close(): void;
}

export interface TransportOptions {
  /** Port id to bind (0: let the kernel choose). */
  pid?: number;
  /** Legacy bind-time group mask (groups 1–32). Prefer join(). */
  groups?: number;
  /** Network namespace to open the socket in: a name under /run/netns or a path. */
  netns?: string;
  /** SO_RCVBUF (or SO_RCVBUFFORCE when root) in bytes. */
  rcvbuf?: number;
  /** NETLINK_EXT_ACK: the kernel explains errors in text (default on). */
  extAck?: boolean;
  /** NETLINK_GET_STRICT_CHK: the kernel validates dump requests strictly. */
  strict?: boolean;
  /** NETLINK_CAP_ACK: errors do not echo the whole request. */
  capAck?: boolean;
  /** NETLINK_PKTINFO: learn the group each multicast arrived on. */
  pktinfo?: boolean;
  /** NETLINK_LISTEN_ALL_NSID: receive multicasts from every peer namespace, with its nsid. */
  allNsid?: boolean;
  /** NETLINK_NO_ENOBUFS: do not report overruns (off by default: nlctl wants to know). */
  noEnobufs?: boolean;
  /** false: datagrams the kernel does not stamp get no read time (a dump shows none; the first costs ~1 ms). */
  receiveTimes?: boolean;
  /**
   * Datagrams one receive call may bring (default 64): more for a listener, whose queue a
   * flood keeps full (each call costs an FFI crossing and a syscall; a slot is 64 KiB of
   * address space, its pages touched only as far as datagrams reach).
   */
  batch?: number;
  /**
   * Datagrams are views of the receive memory, not copies (sys/receive.ts ReceiverOptions.views):
   * for a reader that is done with each batch before the one after next is received.
   */
  views?: boolean;
}

/** How commands open sockets: the kernel's in real use, a fake in tests. */
export type TransportFactory = (protocol: number, opts?: TransportOptions) => Transport;
