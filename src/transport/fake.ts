// FakeTransport: plays the kernel in memory, at the message level, for tests of everything
// above the socket (request(), and whole commands through main()). A handler gets each sent
// message and returns the datagrams to deliver; tests may also deliver and overrun at will.
import { splitMessages, type RawMessage } from '../codec/index.js';
import type { Datagram } from '../sys/receive.js';
import type { Destination, DropCount, ReceiveBatch, Transport, TransportOptions, WaitResult } from './types.js';

export type FakeHandler = (msg: RawMessage, to: Destination, fake: FakeTransport) => Uint8Array[];

/** What the fake hands out per drain(), like one recvmmsg call. */
const FAKE_BATCH = 64;

type Queued = { datagram: Datagram } | { overrun: number };

export class FakeTransport implements Transport {
  readonly sent: { bytes: Uint8Array; to: Destination }[] = [];
  readonly joined: number[] = [];
  closed = false;
  /** The kernel's drop counter as the fake reports it. */
  dropped = 0;
  private readonly queue: Queued[] = [];
  private waiter?: (r: WaitResult) => void;
  private woken = false;

  constructor(
    private readonly handler: FakeHandler = () => [],
    readonly protocol = 0,
    readonly portId = 4242,
    readonly options: TransportOptions = {},
  ) {}

  send(bytes: Uint8Array, to: Destination = {}): void {
    this.sent.push({ bytes: new Uint8Array(bytes), to });
    for (const m of splitMessages(bytes).messages) {
      for (const d of this.handler(m, to, this)) this.deliver(d);
    }
  }

  /**
   * Queue a datagram as if the kernel had sent it (from port 0 unless told otherwise); `more`
   * sets what the receive call would tell besides (nsid, truncation, the time).
   */
  deliver(data: Uint8Array, fromPid = 0, group?: number, more: Partial<Omit<Datagram, 'data'>> = {}): void {
    const datagram: Datagram = {
      data: new Uint8Array(data), fromPid, fromGroups: 0, truncated: false, length: data.length, group, controlTruncated: false,
      timeNs: 1_700_000_000_000_000_000n, timeSource: 'read', ...more,
    };
    this.queue.push({ datagram });
    this.notify('readable');
  }

  /** The queue overflowed: `lost` messages dropped (added to the drop counter). */
  overrun(lost = 1): void {
    this.dropped += lost;
    this.queue.push({ overrun: lost });
    this.notify('readable');
  }

  /** Datagrams and overruns not drained yet. */
  get queued(): number {
    return this.queue.length;
  }

  private notify(r: WaitResult): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.(r);
  }

  drain(): ReceiveBatch {
    // An overrun is reported alone, before what follows it, as ENOBUFS is by recvmmsg.
    if (this.queue[0] && 'overrun' in this.queue[0]) {
      this.queue.shift();
      return { datagrams: [], overrun: true };
    }
    const datagrams: Datagram[] = [];
    while (datagrams.length < FAKE_BATCH && this.queue[0] && 'datagram' in this.queue[0]) {
      datagrams.push((this.queue.shift() as { datagram: Datagram }).datagram);
    }
    return { datagrams, overrun: false, full: this.queue.length > 0 };
  }

  wait(timeoutMs: number): Promise<WaitResult> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve('woken');
    }
    if (this.queue.length) return Promise.resolve('readable');
    return new Promise((resolve) => {
      const timer = timeoutMs >= 0 ? setTimeout(() => {
        this.waiter = undefined;
        resolve('timeout');
      }, timeoutMs) : undefined;
      this.waiter = (r) => {
        if (timer) clearTimeout(timer);
        resolve(r);
      };
    });
  }

  join(group: number): void {
    this.joined.push(group);
  }

  receiveBufferSize(): number {
    return this.options.rcvbuf ?? 212992;
  }

  drops(): DropCount {
    return { count: this.dropped, source: 'fake' };
  }

  wake(): void {
    if (this.waiter) this.notify('woken');
    else this.woken = true;
  }

  close(): void {
    this.closed = true;
  }
}
