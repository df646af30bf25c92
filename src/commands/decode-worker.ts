// Worker thread for decode-batch.ts: decodes one batch of packets to JSON text.
import { parentPort, workerData } from 'node:worker_threads';
import { decodeDatagram, newContext, schemaFor } from '../schema/index.js';
import { configureSpecs } from '../schema/ynl/loader.js';
import type { Batch, BatchResult } from './decode-batch.js';
import { countDiagnostics } from './diagnostics-count.js';
import { captureTime } from './decode-time.js';

const DIRECTIONS = [undefined, 'in', 'out'] as const;

// The specs the main thread was given; messages wait in the port's queue meanwhile.
const specs = (workerData as { specs?: { files: string[]; specPath?: string } } | undefined)?.specs;
if (specs) await configureSpecs(specs.files, specs.specPath ? { NLCTL_SPEC_PATH: specs.specPath } : {});

parentPort?.on('message', (b: Batch) => {
  const ctx = newContext();
  const parts: string[] = [];
  let messages = 0, diagnostics = 0;
  for (let i = 0; i < b.protocols.length; i++) {
    const payload = b.data.subarray(b.offsets[i], b.offsets[i + 1]);
    const direction = DIRECTIONS[b.dirs[i]];
    const time = captureTime(b.times[i]);
    for (const m of decodeDatagram(payload, schemaFor(b.protocols[i]), ctx)) {
      m.meta = direction ? { time, direction } : { time };
      messages++;
      diagnostics += countDiagnostics(m);
      parts.push(JSON.stringify(m));
    }
  }
  const result: BatchResult = { id: b.id, text: b.json ? parts.join(',') : parts.length ? parts.join('\n') + '\n' : '', messages, diagnostics };
  parentPort!.postMessage(result);
});
