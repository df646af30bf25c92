// The one receive loop of every live command (dump, send, listen): drain the socket in batches,
// wait (off the main thread) only when the queue is empty, and go back to the event loop between
// batches so that Ctrl-C, SIGTERM and a closed pipe are seen within one batch, however full
// the receive queue is.
import type { Datagram, Transport } from './types.js';

export interface ReceiveHandlers {
  /** One datagram; return true when nothing more is wanted. */
  datagram(dg: Datagram): boolean | void;
  /** ENOBUFS: the kernel dropped messages for this socket. */
  overrun?(): void;
  /** The queue is empty (a good moment to flush files); may hold the loop for backpressure. */
  idle?(): void | Promise<void>;
  /** Between batches: hold the loop while the output cannot take more (backpressure). */
  pause?(): Promise<void> | undefined;
}

export interface ReceiveOptions {
  /** When to give up, on the monotonic clock (deadlineIn(); Infinity: never). */
  deadline?: number;
  /** Checked between batches: a stop was asked for (signal, closed pipe). */
  stopped?: () => boolean;
  /** Ask for the next batch on another thread while this one is handled (Transport.drainAhead): for large dumps. */
  ahead?: boolean;
}

/**
 * The deadline `ms` from now for ReceiveOptions. The monotonic clock, not the wall clock: a clock
 * stepped forward (NTP, a virtual machine resumed) must not end a dump or a listen early.
 */
export function deadlineIn(ms: number): number {
  return performance.now() + ms;
}

export type ReceiveEnd = 'finished' | 'timeout' | 'woken' | 'stopped';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function receiveLoop(t: Transport, h: ReceiveHandlers, opts: ReceiveOptions = {}): Promise<ReceiveEnd> {
  const deadline = opts.deadline ?? Infinity;
  const stopped = opts.stopped ?? (() => false);
  const ahead = opts.ahead && t.drainAhead ? () => t.drainAhead!() : undefined;
  for (;;) {
    if (stopped()) return 'stopped';
    // Waiting for a batch asked for ahead goes back to the event loop as a yield does.
    const batch = ahead ? await ahead() : t.drain();
    if (batch.overrun) h.overrun?.();
    // What was read is handled whole: a stop takes effect at the next batch.
    for (const dg of batch.datagrams) if (h.datagram(dg)) return 'finished';
    if (batch.full || batch.overrun) {
      if (performance.now() >= deadline) return 'timeout';
      const held = h.pause?.();
      if (held) await held;
      else if (!ahead) await yieldToEventLoop();
      continue;
    }
    // The queue was emptied (a call that is not full is the last one): wait, rather than ask
    // again only to hear EAGAIN. A wait on a non-empty queue returns at once.
    if (batch.datagrams.length) {
      const held = h.pause?.();
      if (held) await held;
    }
    await h.idle?.();
    if (stopped()) return 'stopped';
    const left = deadline === Infinity ? -1 : deadline - performance.now();
    if (left <= 0 && deadline !== Infinity) return 'timeout';
    const state = await t.wait(left);
    if (state === 'woken') return stopped() ? 'stopped' : 'woken';
    // On 'timeout' the loop reads once more (something may have come at the last moment) and
    // then ends at the deadline check.
  }
}
