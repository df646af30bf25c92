// Large captures decode on worker threads: packets go out in batches, each worker decodes and
// serialises its batch to JSON text, and the text is written back in capture order. Used for
// ndjson/json output only, and only when no message depends on an earlier one (generic netlink
// learns family ids as it goes, so it stays on one thread).
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { specConfig } from '../schema/ynl/loader.js';
import type { Output } from '../output.js';

export interface Packet {
  protocol: number;
  payload: Uint8Array;
  ns: bigint;
  direction?: 'in' | 'out';
}

/** One batch as flat typed arrays, so it moves to a worker without copying object by object. */
export interface Batch {
  id: number;
  json: boolean;
  data: Uint8Array<ArrayBuffer>;
  offsets: Uint32Array<ArrayBuffer>;
  protocols: Uint16Array<ArrayBuffer>;
  times: BigInt64Array<ArrayBuffer>;
  /** 0 unknown, 1 in, 2 out */
  dirs: Uint8Array<ArrayBuffer>;
}

export interface BatchResult {
  id: number;
  /** NDJSON lines, or JSON array elements joined by commas (UTF-8). */
  text: Uint8Array;
  messages: number;
  diagnostics: number;
}

const BATCH = 2000;

// True only in the single executable (scripts/build-sea.mjs defines it): there is no
// decode-worker.js file beside it for a Worker to load, so decoding stays on the main thread.
declare const NLCTL_SEA: boolean | undefined;

function toBatch(id: number, packets: Packet[], json: boolean): Batch {
  let size = 0;
  for (const p of packets) size += p.payload.length;
  const data = new Uint8Array(size);
  const offsets = new Uint32Array(packets.length + 1);
  const protocols = new Uint16Array(packets.length);
  const times = new BigInt64Array(packets.length);
  const dirs = new Uint8Array(packets.length);
  let off = 0;
  packets.forEach((p, i) => {
    data.set(p.payload, off);
    offsets[i] = off;
    off += p.payload.length;
    protocols[i] = p.protocol;
    times[i] = p.ns;
    dirs[i] = p.direction === 'in' ? 1 : p.direction === 'out' ? 2 : 0;
  });
  offsets[packets.length] = off;
  return { id, json, data, offsets, protocols, times, dirs };
}

/**
 * Workers pay only with cores to spare. On 2 cores, with the general decoder, 200 MB of capture
 * to ndjson took 13-20 s on one thread and 18-19 s with two workers (more CPU time, 2.5x the
 * memory: each worker is a V8 heap of its own), and 20 MB took twice as long with workers. With
 * the fast JSON path (src/format/fast), still on 2 cores: 70 MB (200,000 messages) took 8.4-12.5 s
 * wall, 2.2-2.3 s CPU on one thread against 13.8-17.6 s, 4.0-4.5 s CPU with --jobs 2, and 7 MB
 * (20,000) 1.5-2.5 s against 3.7-4.6 s (the machine was shared, so wall times are long: compare
 * side by side). The main thread's share (reading the capture, batching, copying the text back)
 * is now most of the work, so workers gain even less. Hence one thread unless there are at
 * least 4 cores and the input is large (not measured with the fast path: no such machine here).
 */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;
export const PARALLEL_MIN_CORES = 4;

/** How many threads to use: `jobs` when given, else one, or cores - 1 (at most 4) for a large input on 4+ cores. */
export function threadsFor(size: number | undefined, jobs?: number, cores = availableParallelism()): number {
  if (typeof NLCTL_SEA !== 'undefined' && NLCTL_SEA) return 1;
  if (jobs !== undefined) return jobs;
  if (cores < PARALLEL_MIN_CORES || size === undefined || size < PARALLEL_MIN_BYTES) return 1;
  return Math.min(cores - 1, 4);
}

/**
 * Decodes packets on worker threads as they are added, and writes the results to `out` in
 * order, as ndjson lines or as the elements of one JSON array. add() waits while enough batches
 * are in flight, so memory holds only a few batches.
 */
export class ParallelDecoder {
  private readonly idle: Worker[] = [];
  private pending: Packet[] = [];
  private readonly done = new Map<number, BatchResult>();
  private nextId = 0;
  private written = 0;
  private elements = 0;
  private messages = 0;
  private diagnostics = 0;
  private failure?: Error;
  private wake?: () => void;
  private readonly json: boolean;

  /** Starts `count` workers; worker_threads is loaded only here (~2 ms that one thread never needs). */
  static async start(format: 'ndjson' | 'json', out: Output, count: number): Promise<ParallelDecoder> {
    const { Worker } = await import('node:worker_threads');
    // Workers read the same specs (--spec, NLCTL_SPEC_PATH) as this thread.
    const specs = specConfig();
    return new ParallelDecoder(format, out, Array.from({ length: count }, () => new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: { specs } })));
  }

  private constructor(format: 'ndjson' | 'json', private readonly out: Output, private readonly workers: Worker[]) {
    this.json = format === 'json';
    for (const w of this.workers) {
      w.on('message', (r: BatchResult) => {
        this.done.set(r.id, r);
        this.idle.push(w);
        this.flushInOrder();
        this.wake?.();
      });
      w.on('error', (e) => {
        this.failure = e;
        this.wake?.();
      });
      this.idle.push(w);
    }
    if (this.json) out.write('[');
  }

  async add(p: Packet): Promise<void> {
    this.pending.push(p);
    if (this.pending.length >= BATCH) await this.send();
  }

  async finish(): Promise<{ messages: number; diagnostics: number }> {
    try {
      if (this.pending.length) await this.send();
      while (this.written < this.nextId) await this.waitForWorker();
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
    if (this.json) this.out.write(']\n');
    return { messages: this.messages, diagnostics: this.diagnostics };
  }

  private async send(): Promise<void> {
    // At most one finished batch waits per worker: output order is kept without piling up.
    while (!this.idle.length || this.done.size >= this.workers.length) await this.waitForWorker();
    const b = toBatch(this.nextId++, this.pending, this.json);
    this.pending = [];
    this.idle.pop()!.postMessage(b, [b.data.buffer, b.offsets.buffer, b.protocols.buffer, b.times.buffer, b.dirs.buffer]);
  }

  private waitForWorker(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.wake = () => {
        this.wake = undefined;
        if (this.failure) reject(this.failure);
        else resolve();
      };
    });
  }

  private flushInOrder(): void {
    while (this.done.has(this.written)) {
      const r = this.done.get(this.written)!;
      this.done.delete(this.written++);
      this.messages += r.messages;
      this.diagnostics += r.diagnostics;
      if (r.text.length) {
        if (this.json && this.elements > 0) this.out.write(',');
        this.out.writeBytes(r.text);
        this.elements += r.messages;
      }
    }
  }
}
