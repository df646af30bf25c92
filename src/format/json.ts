// json: one document at the end (an array of messages); ndjson: one line per message, written
// as it arrives — the streaming interface for scripts.
import type { DecodedMessage } from '../schema/index.js';
import type { MessageWriter, OutputEvent, OutputItem, Sink } from './types.js';

/** What a message becomes in JSON: itself, or a flat record (dump shortcuts); undefined skips it. */
export type JsonShape = (m: DecodedMessage) => unknown;
const asIs: JsonShape = (m) => m;

export class JsonWriter implements MessageWriter {
  private readonly items: unknown[] = [];
  /** `indent`: pretty-printed for people at a terminal; compact (and much faster) for pipes. */
  constructor(private readonly sink: Sink, private readonly shape: JsonShape = asIs, private readonly indent = 0) {}
  write(item: OutputItem): void {
    const v = 'record' in item ? item.record : this.shape(item.message);
    if (v !== undefined) this.items.push(v);
  }
  event(e: OutputEvent): void {
    this.items.push(e);
  }
  end(): void {
    this.sink.write(JSON.stringify(this.items, null, this.indent || undefined) + '\n');
  }
}

export class NdjsonWriter implements MessageWriter {
  constructor(private readonly sink: Sink, private readonly shape: JsonShape = asIs) {}
  write(item: OutputItem): void {
    const v = 'record' in item ? item.record : this.shape(item.message);
    if (v !== undefined) this.sink.write(JSON.stringify(v) + '\n');
  }
  event(e: OutputEvent): void {
    this.sink.write(JSON.stringify(e) + '\n');
  }
  end(): void {}
}
