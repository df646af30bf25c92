// `dump <shortcut> -j` and `--format ndjson` written as bytes: the array (or the lines) of the
// JSON writers of format/json.ts, each record from the compiled plans of records-fast.ts or, where
// they step aside, from the general record given as text. Handed to stdout in large writes.
import { NLMSG_HDRLEN, splitMessages, type RawMessage } from '../codec/index.js';
import { jsonText } from '../format/json.js';
import { JsonBytes } from '../format/records-bytes.js';
import type { MessageWriter, OutputEvent, OutputItem } from '../format/index.js';
import type { FlatRecord } from '../schema/index.js';
import type { FastRecords, FastResult } from './records-fast.js';

/** Where the bytes go (Output.writeBytes). */
export interface ByteSink {
  /** True when the sink is done with the bytes (they may be overwritten). */
  writeBytes(bytes: Uint8Array): boolean;
}

/** Bytes gathered before a write to the stream (after the first few, from FIRST_FLUSH up). */
const FLUSH_BYTES = 256 * 1024;
const FIRST_FLUSH = 4096;

export class RecordsJsonWriter implements MessageWriter {
  private readonly buf = new JsonBytes(FLUSH_BYTES + 64 * 1024);
  private count = 0;
  private scheduled = false;
  /** Where the buffer is handed to the sink (the first record: at once). */
  private flushAt = 0;

  constructor(
    private readonly sink: ByteSink,
    private readonly fast: FastRecords,
    /** The general path: the shaped record of a message, or undefined when it shows none. */
    private readonly general: (m: RawMessage) => FlatRecord | undefined,
    private readonly ndjson: boolean,
  ) {}

  /** Make the records' plans for messages of `type` now (FastRecords.prepare). */
  prepare(type: number): void {
    this.fast.prepare(type);
  }

  message(m: RawMessage): void {
    const b = this.buf;
    const mark = b.pos;
    if (!this.ndjson) b.byte(this.count === 0 ? 0x5b : 0x2c);
    this.after(mark, this.fast.write(m, b), m);
  }

  /** message() for the whole message data[off..off+len), read in place (request's onReplyAt). */
  messageAt(data: Uint8Array, off: number, len: number, type: number): void {
    const b = this.buf;
    const mark = b.pos;
    if (!this.ndjson) b.byte(this.count === 0 ? 0x5b : 0x2c);
    const r = this.fast.writeAt(data, off + NLMSG_HDRLEN, off + len, type, false, b);
    if (r === 'written') {
      // after() for the record written, the case of nearly every message of a large dump.
      this.count++;
      if (this.ndjson) b.byte(0x0a);
      if (b.pos >= this.flushAt) this.flush();
      else if (!this.scheduled) this.schedule();
      return;
    }
    // The general path takes the message as splitMessages gives it.
    this.after(mark, r, r === 'general' ? splitMessages(data.subarray(off, off + len)).messages[0] : undefined);
  }

  /**
   * After messageAt(): the records of the messages from data[off] on that differ from the one
   * before only in the lane's value (FastRecords.run), written at once. Returns how many.
   */
  runAt(data: Uint8Array, off: number): number {
    if (this.count === 0) return 0;
    const b = this.buf;
    const n = this.fast.run(data, off, b, this.flushAt, this.ndjson ? 0 : 0x2c, this.ndjson ? 0x0a : 0);
    if (n === 0) return 0;
    this.count += n;
    this.written();
    return n;
  }

  private after(mark: number, r: FastResult, m: RawMessage | undefined): void {
    const b = this.buf;
    if (r === 'general') {
      const rec = this.general(m!);
      if (rec === undefined) b.pos = mark;
      else b.utf8(jsonText(rec));
    }
    if (r === 'skipped' || b.pos === mark) {
      b.pos = mark;
      return;
    }
    this.count++;
    if (this.ndjson) b.byte(0x0a);
    this.written();
  }

  /** A record made elsewhere, as JsonWriter and NdjsonWriter print it. */
  write(item: OutputItem): void {
    if (!('record' in item)) throw new TypeError('RecordsJsonWriter writes records, not messages');
    this.buf.utf8((this.ndjson ? '' : this.count === 0 ? '[' : ',') + jsonText(item.record) + (this.ndjson ? '\n' : ''));
    this.count++;
    this.written();
  }

  /** Events as JsonWriter and NdjsonWriter print them. */
  event(e: OutputEvent): void {
    if (this.ndjson) this.buf.utf8(JSON.stringify(e) + '\n');
    else this.buf.utf8((this.count++ === 0 ? '[' : ',') + jsonText(e));
    this.written();
  }

  end(): void {
    if (!this.ndjson) this.buf.ascii(this.count === 0 ? '[]\n' : ']\n');
    this.flush();
  }

  private written(): void {
    if (this.buf.pos >= this.flushAt) this.flush();
    else if (!this.scheduled) this.schedule();
  }

  /** A slow dump still reaches the reader as the event loop goes idle. */
  private schedule(): void {
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Hand what is gathered to the sink now (also before an event written elsewhere: records-objects.ts). */
  flush(): void {
    // The first record is handed over at once, then writes grow to FLUSH_BYTES. The first few
    // also run the flush and the scheduling while V8 still learns the writer's loop: code it
    // compiles without them throws itself away at the first full buffer.
    this.flushAt = this.flushAt < FLUSH_BYTES / 4 ? Math.max(FIRST_FLUSH, this.flushAt * 4) : FLUSH_BYTES;
    this.scheduled = false;
    const b = this.buf;
    if (!b.pos) return;
    // Reused when the stream wrote it through; else the stream keeps it and a new one takes its place.
    if (this.sink.writeBytes(b.buf.subarray(0, b.pos))) b.pos = 0;
    else b.take();
  }
}
