// Worker thread for decode-batch.ts: decodes one batch of packets to JSON text (the fast path).
import { parentPort, workerData } from 'node:worker_threads';
import { FastJson } from '../format/fast/message.js';
import { ByteWriter } from '../format/json-bytes.js';
import { newContext, schemaFor } from '../schema/index.js';
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
  const w = new ByteWriter(1 << 20);
  // Messages as ndjson lines, or as array elements joined by commas: the main thread adds the brackets.
  const json = new FastJson(w, b.json ? 'elements' : 'ndjson', countDiagnostics);
  for (let i = 0; i < b.protocols.length; i++) {
    const payload = b.data.subarray(b.offsets[i], b.offsets[i + 1]);
    const direction = DIRECTIONS[b.dirs[i]!];
    const time = captureTime(b.times[i]!);
    json.datagram(payload, schemaFor(b.protocols[i]!), ctx, { ...(time !== undefined ? { time } : {}), ...(direction ? { direction } : {}) });
  }
  const text = new Uint8Array(w.view());
  const result: BatchResult = { id: b.id, text, messages: json.messages, diagnostics: json.diagnostics };
  parentPort!.postMessage(result, [text.buffer]);
});
