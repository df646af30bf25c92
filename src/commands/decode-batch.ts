// Large captures decode on worker threads: packets go out in batches, each worker decodes and
// serialises its batch to JSON text, and the text is written back in capture order. Used for
// ndjson/json output only, and only when no message depends on an earlier one (generic netlink
// learns family ids as it goes, so it stays on one thread).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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
  /** NDJSON lines, or JSON array elements joined by commas. */
  text: string;
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

/** How many threads to use: `jobs` when given, else one per core (at most 4) for enough packets. */
export function threadsFor(packets: Packet[], jobs?: number): number {
  if (typeof NLCTL_SEA !== 'undefined' && NLCTL_SEA) return 1;
  // Generic netlink learns family ids from earlier messages: it needs one thread, in order.
  if (packets.some((p) => p.protocol === 16)) return 1;
  if (jobs !== undefined) return jobs;
  return packets.length >= 4 * BATCH ? Math.min(availableParallelism(), 4) : 1;
}

/**
 * Decode `packets` on worker threads and write the results to `out` in order, as ndjson lines
 * or as the elements of one JSON array.
 */
export async function decodeParallel(packets: Packet[], format: 'ndjson' | 'json', out: Output, count: number): Promise<{ messages: number; diagnostics: number }> {
  const json = format === 'json';
  // Workers read the same specs (--spec, NLCTL_SPEC_PATH) as this thread.
  const specs = specConfig();
  const workers = Array.from({ length: count }, () => new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: { specs } }));
  const batches: Batch[] = [];
  for (let i = 0; i * BATCH < packets.length; i++) batches.push(toBatch(i, packets.slice(i * BATCH, (i + 1) * BATCH), json));
  const done = new Map<number, BatchResult>();
  let next = 0, written = 0, messages = 0, diagnostics = 0, elements = 0;
  if (json) out.write('[');
  try {
    await new Promise<void>((resolve, reject) => {
      const flushInOrder = () => {
        while (done.has(written)) {
          const r = done.get(written)!;
          done.delete(written++);
          messages += r.messages;
          diagnostics += r.diagnostics;
          if (r.text) {
            out.write(json && elements > 0 ? ',' + r.text : r.text);
            elements += r.messages;
          }
        }
        if (written === batches.length) resolve();
      };
      const feed = (w: Worker) => {
        if (next >= batches.length) return;
        const b = batches[next++];
        w.postMessage(b, [b.data.buffer, b.offsets.buffer, b.protocols.buffer, b.times.buffer, b.dirs.buffer]);
      };
      for (const w of workers) {
        w.on('message', (r: BatchResult) => {
          done.set(r.id, r);
          flushInOrder();
          feed(w);
        });
        w.on('error', reject);
        feed(w);
      }
      if (batches.length === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (json) out.write(']\n');
  return { messages, diagnostics };
}
