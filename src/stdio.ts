// Standard output and error written with writeSync whenever the descriptor allows it: a regular
// file, /dev/null, a pipe or a socket. As Node's own stream for a file (SyncWriteStream) writes,
// with two differences that matter for pipes: a reader that went away (EPIPE) ends the writing
// quietly, told to whoever listens for 'error' (src/output.ts), never an unhandled 'error' event
// and a stack trace; and a non-blocking pipe that is full (EAGAIN) hands what is left to Node's
// stream for the descriptor, which waits for the reader without spinning, until it has written it
// all. A pipe written through Node's stream instead queued every big write as external memory and
// cost a decode of 200k messages ~14 full GCs. A terminal keeps process.stdout and process.stderr,
// which Node writes synchronously; no stream module is loaded until a terminal or EAGAIN needs one.
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** /dev/null's device number (major 1, minor 3), as Linux's stat gives it. */
const DEV_NULL_RDEV = (1 << 8) | 3;

/** A write error that means the reader is gone: the rest of the output has nowhere to go. */
export function readerGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'ERR_STREAM_DESTROYED';
}

type ErrorListener = (err: NodeJS.ErrnoException) => void;

let abandoned = false;

/**
 * True once output a stalled reader had not taken was dropped at a stop: Node's stream still
 * holds its write, which would keep the process alive until the reader reads (bin/nlctl exits).
 */
export function outputAbandoned(): boolean {
  return abandoned;
}

/** The part of a Writable that nlctl uses (src/output.ts, decode-fast.ts, commander's output). */
export class FdWriter {
  readonly isTTY = false;
  /** Set once the reader went away: later writes are dropped. */
  gone: NodeJS.ErrnoException | undefined;
  private readonly errorListeners: ErrorListener[] = [];
  private drainListeners: (() => void)[] = [];
  /** Node's stream for the descriptor, made at the first EAGAIN; and the bytes it still holds. */
  private async: Writable | undefined;
  private queued = 0;
  private abandoned = false;

  constructor(readonly fd: number, private readonly nodeStream: () => Writable) {}

  /** Bytes given to write() that are not yet handed to the kernel (only after an EAGAIN). */
  get writableLength(): number {
    return this.gone || this.abandoned ? 0 : this.queued;
  }

  get writableNeedDrain(): boolean {
    return this.writableLength > 0;
  }

  write(chunk: string | Uint8Array, encoding?: unknown, done?: (err?: Error | null) => void): boolean {
    const cb = typeof encoding === 'function' ? (encoding as (err?: Error | null) => void) : done;
    if (!this.gone && !this.abandoned) {
      try {
        // While Node's stream holds bytes, the rest follows them there: order is kept.
        if (this.writableLength > 0) this.later(chunk);
        else if (typeof chunk === 'string') this.writeText(chunk);
        else this.writeBytes(chunk, 0);
      } catch (e) {
        if (!readerGone(e)) throw e;
        this.readerLeft(e as NodeJS.ErrnoException);
      }
    }
    cb?.(null);
    return this.writableLength === 0;
  }

  private writeText(text: string): void {
    let written: number;
    try {
      // Written from the string itself: no Buffer (external memory) per write.
      written = writeSync(this.fd, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      this.later(text);
      return;
    }
    // A short write (a full disk, a signal, a non-blocking pipe with some room) is continued.
    if (written < text.length || written < Buffer.byteLength(text)) this.writeBytes(Buffer.from(text, 'utf8'), written);
  }

  private writeBytes(bytes: Uint8Array, at: number): void {
    while (at < bytes.length) {
      try {
        at += writeSync(this.fd, bytes, at, bytes.length - at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        this.later(at ? bytes.subarray(at) : bytes);
        return;
      }
    }
  }

  /** A non-blocking pipe is full: Node's stream writes the rest when the reader has read. */
  private later(chunk: string | Uint8Array): void {
    const stream = (this.async ??= this.openNodeStream());
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.queued += size;
    stream.write(chunk, (err) => {
      if (this.abandoned) return;
      this.queued -= size;
      if (err || this.queued > 0) return;
      const listeners = this.drainListeners;
      this.drainListeners = [];
      for (const l of listeners) l();
    });
  }

  private openNodeStream(): Writable {
    const stream = this.nodeStream();
    // The writes it held are answered with the error too: they leave `queued` as they go.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (readerGone(err)) this.readerLeft(err);
      else for (const l of this.errorListeners) l(err);
    });
    return stream;
  }

  /** The reader went away: said once to the 'error' listeners (none: the output just stops). */
  private readerLeft(err: NodeJS.ErrnoException): void {
    if (this.gone) return;
    this.gone = err;
    for (const l of this.errorListeners) l(err);
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const l of listeners) l();
  }

  on(event: string, listener: (...args: never[]) => void): this {
    if (event === 'error') {
      this.errorListeners.push(listener as ErrorListener);
      // A reader that left before this listener came is still told.
      if (this.gone) (listener as ErrorListener)(this.gone);
    } else if (event === 'drain') this.drainListeners.push(listener as () => void);
    return this;
  }

  /** 'drain' only: it comes once what Node's stream held is written (or the reader is gone). */
  once(event: string, listener: (...args: never[]) => void): this {
    if (event === 'drain') this.drainListeners.push(listener as () => void);
    else if (event === 'error') this.on(event, listener);
    return this;
  }

  /** A pipe or socket made non-blocking (Node's stream for it does that): full, it is waited on in the event loop. */
  nonBlocking(): void {
    try {
      const st = fstatSync(this.fd);
      if (st.isFIFO() || st.isSocket()) this.async ??= this.openNodeStream();
    } catch {
      // Not a descriptor fstat can read: left as it is.
    }
  }

  /** What Node's stream still holds for a stalled reader is dropped, and later writes with it. */
  abandon(): void {
    this.abandoned = true;
    if (this.queued > 0) abandoned = true;
    this.queued = 0;
    this.async?.destroy();
  }

  end(): this {
    return this;
  }
}

/** How fd is written: directly (FdWriter) when it is a file, /dev/null, a pipe or a socket. */
function direct(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFile() || st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && st.rdev === DEV_NULL_RDEV);
  } catch {
    return false;
  }
}

/** A writer for fd 1 when it is a file, /dev/null, a pipe or a socket, else undefined (a terminal). */
export function directStdout(): Writable | undefined {
  if (!direct(1)) return undefined;
  return new FdWriter(1, () => process.stdout) as unknown as Writable;
}

/** A terminal's (or anything else's) process.stdout, where a reader that goes away is no crash. */
export function nodeStdout(): Writable {
  const stream = process.stdout;
  stream.on('error', (err) => {
    if (!readerGone(err)) throw err;
  });
  return stream;
}

/** Standard error, set up at its first write: written directly as stdout is, else process.stderr. */
export function stderrWhenWritten(): Writable {
  let stream: Writable | undefined;
  const open = (): Writable => {
    if (direct(2)) return new FdWriter(2, () => process.stderr) as unknown as Writable;
    return process.stderr.on('error', (err) => {
      if (!readerGone(err)) throw err;
    });
  };
  return { write: (...args: Parameters<Writable['write']>) => (stream ??= open()).write(...args) } as unknown as Writable;
}
