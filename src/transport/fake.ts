// FakeTransport: answers requests in memory, at the message level, for tests of everything
// above the socket. A handler gets each sent message and returns the datagrams to deliver.
import { splitMessages, type RawMessage } from '../codec/index.js';
import type { Destination, RecvEvent, Transport } from './types.js';

export type FakeHandler = (msg: RawMessage, to: Destination) => Uint8Array[];

export class FakeTransport implements Transport {
  readonly sent: { bytes: Uint8Array; to: Destination }[] = [];
  private readonly queue: RecvEvent[] = [];
  private waiter?: (ev: RecvEvent) => void;

  constructor(private readonly handler: FakeHandler = () => [], readonly protocol = 0, readonly portId = 4242) {}

  send(bytes: Uint8Array, to: Destination = {}): void {
    this.sent.push({ bytes: new Uint8Array(bytes), to });
    for (const m of splitMessages(bytes).messages) {
      for (const d of this.handler(m, to)) this.deliver(d);
    }
  }

  /** Queue a datagram as if the kernel had sent it (from port 0 unless told otherwise). */
  deliver(data: Uint8Array, fromPid = 0, group?: number): void {
    this.push({
      kind: 'datagram',
      datagram: { data: Buffer.from(data), fromPid, fromGroups: 0, truncated: false, length: data.length, group, controlTruncated: false },
    });
  }

  overrun(): void {
    this.push({ kind: 'overrun' });
  }

  private push(ev: RecvEvent): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(ev);
    } else this.queue.push(ev);
  }

  recv(timeoutMs: number): Promise<RecvEvent> {
    const ev = this.queue.shift();
    if (ev) return Promise.resolve(ev);
    return new Promise((resolve) => {
      const timer = timeoutMs >= 0 ? setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'timeout' });
      }, timeoutMs) : undefined;
      this.waiter = (e) => {
        if (timer) clearTimeout(timer);
        resolve(e);
      };
    });
  }

  wake(): void {
    this.push({ kind: 'woken' });
  }

  close(): void {}
}
