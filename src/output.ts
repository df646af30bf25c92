// Where data goes: stdout, written as it comes, and a note when the reader went away
// (`nlctl listen | head -3`) so that streaming commands stop cleanly instead of crashing on EPIPE.
import type { Writable } from 'node:stream';
import { createWriter, isFormat, type FormatName, type MessageWriter, type RecordView, type Sink, type WriterOptions } from './format/index.js';
import { UsageError } from './errors.js';
import { readerGone } from './stdio.js';

export interface GlobalOptions {
  format?: string;
  json?: boolean;
  color?: boolean;
  debug?: boolean;
  spec?: string[];
}

/** How long a stopped command waits for its reader to take the output it still holds. */
const STOP_GRACE_MS = 200;

/** Writes are gathered and handed to the stream in batches: one write per line costs a syscall. */
const BATCH_BYTES = 256 * 1024;

export class Output implements Sink {
  closed = false;
  /** Bytes a stalled reader had not taken when a stop came: dropped, not waited for. */
  dropped = 0;
  /** Told once how many bytes were dropped at a stop (live.ts reports them). */
  onDropped?: (bytes: number) => void;
  private stopped = false;
  private readonly waiters = new Set<() => void>();
  private readonly closeHandlers: (() => void)[] = [];
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled = false;

  constructor(readonly stream: Writable & { isTTY?: boolean }) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (readerGone(err)) {
        this.closed = true;
        for (const h of this.closeHandlers.splice(0)) h();
      } else throw err;
    });
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= BATCH_BYTES) this.drainPending();
    else if (!this.scheduled) {
      // Streaming commands yield to the event loop between messages: each message still
      // reaches the reader as soon as the loop is idle.
      this.scheduled = true;
      setImmediate(() => this.drainPending());
    }
  }

  /**
   * Bytes already in their final form (the fast paths of dump records and decode), after any
   * pending text. True when the stream is done with them: the caller may then reuse the memory.
   */
  writeBytes(bytes: Uint8Array): boolean {
    if (this.closed || bytes.length === 0) return true;
    this.drainPending();
    this.stream.write(bytes);
    // Only a file or pipe (stdout's fd) that took them at once holds no reference; a stream that
    // queued them, or any other stream (one may pass the chunk on as it is), keeps them.
    return typeof (this.stream as { fd?: unknown }).fd === 'number' && this.stream.writableLength === 0;
  }

  private drainPending(): void {
    this.scheduled = false;
    if (!this.pending.length || this.closed) return;
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.stream.write(text);
  }

  /**
   * When the stream cannot take more (an asynchronous stream whose buffer is full, a
   * non-blocking pipe that was full: src/stdio.ts), a promise that resolves once it can;
   * undefined otherwise. Files and blocking pipes are written synchronously, so there the writes
   * themselves hold the caller back.
   */
  backpressure(): Promise<void> | undefined {
    if (this.closed || this.stopped || !this.stream.writableNeedDrain) return undefined;
    return this.flush();
  }

  /**
   * For a command that must stop at once (listen, dump, send): a pipe or socket on stdout is made
   * non-blocking, so that a reader that stops reading never holds nlctl inside a write, where no
   * signal can reach it; it waits in the event loop instead.
   */
  stopsAtOnce(): void {
    (this.stream as { nonBlocking?: () => void }).nonBlocking?.();
  }

  /**
   * A stop (Ctrl-C, SIGTERM): no wait for the reader holds the command any longer. What a stalled
   * reader has not taken by the last flush is dropped (and counted), not waited for.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of [...this.waiters]) w();
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Resolve when everything written so far has been handed to the OS (or the reader is gone). */
  flush(): Promise<void> {
    this.drainPending();
    if (this.closed || !this.stream.writableNeedDrain) return Promise.resolve();
    if (this.stopped) {
      // A reader that is reading gets a moment to take the rest; a stalled one holds nothing up.
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.dropped += this.stream.writableLength;
          (this.stream as { abandon?: () => void }).abandon?.();
          this.closed = true;
          this.onDropped?.(this.dropped);
          resolve();
        }, STOP_GRACE_MS);
        this.stream.once('drain', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      this.stream.once('drain', done);
      this.onClose(done);
    });
  }
}

export function useColor(opts: GlobalOptions, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (opts.color === false || env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** The format asked for, or `fallback` (the command's natural one) when none was. */
export function formatName(opts: GlobalOptions, fallback: FormatName = 'pretty'): FormatName {
  if (opts.json) return opts.format === 'ndjson' ? 'ndjson' : 'json';
  const f = opts.format ?? fallback;
  if (!isFormat(f)) throw new UsageError(`unknown format '${f}' (pretty, table, json, ndjson, hex)`);
  return f;
}

/** The width tables must fit: $COLUMNS or the terminal's, only when writing to a terminal. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number | undefined {
  if (!stream.isTTY) return undefined;
  const cols = Number(env.COLUMNS);
  if (Number.isInteger(cols) && cols > 0) return cols;
  return stream.columns && stream.columns > 0 ? stream.columns : 80;
}

export function makeWriter(out: Output, opts: GlobalOptions, env: NodeJS.ProcessEnv, format: FormatName, records?: RecordView): Promise<MessageWriter> {
  return createWriter(format, writerOptions(out, opts, env), records);
}

export function writerOptions(out: Output, opts: GlobalOptions, env: NodeJS.ProcessEnv): WriterOptions {
  return { color: useColor(opts, out.stream, env), sink: out, tty: Boolean(out.stream.isTTY), width: terminalWidth(out.stream as { isTTY?: boolean; columns?: number }, env) };
}
