// json: one document at the end (an array of messages); ndjson: one line per message, written
// as it arrives — the streaming interface for scripts.
import type { DecodedMessage } from '../schema/index.js';
import type { MessageWriter, OutputEvent, OutputItem, Sink } from './types.js';

/** What a message becomes in JSON: itself, or a flat record (dump shortcuts); undefined skips it. */
export type JsonShape = (m: DecodedMessage) => unknown;
const asIs: JsonShape = (m) => m;

/**
 * One JSON array, written element by element as items come (a dump of 100,000 routes need not
 * be held in memory twice). Indented for a terminal, compact otherwise.
 */
export class JsonWriter implements MessageWriter {
  private count = 0;
  constructor(private readonly sink: Sink, private readonly shape: JsonShape = asIs, private readonly indent = 0) {}
  write(item: OutputItem): void {
    const v = 'record' in item ? item.record : this.shape(item.message);
    if (v !== undefined) this.element(v);
  }
  event(e: OutputEvent): void {
    this.element(e);
  }
  private element(v: unknown): void {
    const text = unquoteBig(this.indent ? '  ' + JSON.stringify(v, null, this.indent).replace(/\n/g, '\n  ') : JSON.stringify(v));
    this.sink.write((this.count++ === 0 ? '[' : ',') + (this.indent ? '\n' : '') + text);
  }
  end(): void {
    this.sink.write(this.count === 0 ? '[]\n' : `${this.indent ? '\n' : ''}]\n`);
  }
}

/** One compact JSON element as the json and ndjson writers print it. */
export function jsonText(v: unknown): string {
  return unquoteBig(JSON.stringify(v));
}

/** Numbers too large for a double, marked by the YNL view ("\u0000#123…"), printed as JSON numbers. */
export function unquoteBig(text: string): string {
  return text.includes('\\u0000#') ? text.replace(/"\\u0000#(-?\d+)"/g, '$1') : text;
}

export class NdjsonWriter implements MessageWriter {
  constructor(private readonly sink: Sink, private readonly shape: JsonShape = asIs) {}
  write(item: OutputItem): void {
    const v = 'record' in item ? item.record : this.shape(item.message);
    if (v !== undefined) this.sink.write(unquoteBig(JSON.stringify(v)) + '\n');
  }
  event(e: OutputEvent): void {
    this.sink.write(JSON.stringify(e) + '\n');
  }
  end(): void {}
}
