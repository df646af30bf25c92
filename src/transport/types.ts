// What the request helpers need from a socket. NetlinkSocket implements it over the kernel;
// FakeTransport implements it in memory for tests.
import type { Datagram } from '../sys/socket.js';

export type { Datagram };

export type RecvEvent =
  | { kind: 'datagram'; datagram: Datagram }
  /** ENOBUFS: the receive queue overflowed and messages were dropped by the kernel. */
  | { kind: 'overrun' }
  | { kind: 'timeout' }
  /** wake() was called (Ctrl-C, SIGTERM, …). */
  | { kind: 'woken' };

export interface Destination {
  pid?: number;
  groups?: number;
}

export interface Transport {
  readonly protocol: number;
  readonly portId: number;
  send(bytes: Uint8Array, to?: Destination): void;
  /** Wait up to timeoutMs (< 0: forever) for the next event. */
  recv(timeoutMs: number): Promise<RecvEvent>;
  wake(): void;
  close(): void;
}
