// A dump's records as objects for the writers that take objects (the table, pretty, indented
// JSON on a terminal), made from the JSON text of the compiled plans (records-fast.ts) and
// parsed, batch by batch: the general decoder builds every attribute of every message as objects
// first (a link's stats among them), several times slower on a large table. The plans write the
// general path's text byte for byte (test/unit/records-fast.test.ts), and a record is JSON
// values only, so JSON.parse gives back a record equal to the general one: the writers print
// what they printed from it.
import type { RawMessage } from '../codec/index.js';
import type { MessageWriter, OutputEvent, OutputItem } from '../format/index.js';
import type { FlatRecord } from '../schema/index.js';
import { RecordsJsonWriter, type ByteSink } from './records-writer.js';
import type { FastRecords } from './records-fast.js';

export class RecordObjects implements MessageWriter {
  /** Where the replies go: the records' JSON lines, handed back to parse() as they are flushed. */
  readonly bytes: RecordsJsonWriter;
  private readonly decoder = new TextDecoder();

  constructor(
    fast: FastRecords,
    general: (m: RawMessage) => FlatRecord | undefined,
    private readonly writer: MessageWriter,
  ) {
    const sink: ByteSink = { writeBytes: (b) => this.parse(b) };
    this.bytes = new RecordsJsonWriter(sink, fast, general, true);
  }

  /** Whole JSON lines (RecordsJsonWriter flushes between records), each a record for the writer. */
  private parse(lines: Uint8Array): boolean {
    const text = this.decoder.decode(lines);
    // JSON text has no raw newline inside a value: the lines are the records.
    const records = JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as FlatRecord[];
    for (const record of records) this.writer.write({ record });
    return true;
  }

  write(item: OutputItem): void {
    this.bytes.write(item);
  }

  /** After the records before it, which are handed on first. */
  event(e: OutputEvent): void {
    this.bytes.flush();
    this.writer.event?.(e);
  }

  end(): void {
    this.bytes.flush();
    this.writer.end();
  }
}
