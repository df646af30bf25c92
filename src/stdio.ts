// Standard output and error without Node's stream modules until they are needed (~2.5 ms of every
// start): a regular file or /dev/null on stdout is written with writeSync, as Node's own stream for
// a file (SyncWriteStream) writes; a terminal or a pipe gets process.stdout; stderr is set up when
// the first message is written to it.
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** /dev/null's device number (major 1, minor 3), as Linux's stat gives it. */
const DEV_NULL_RDEV = (1 << 8) | 3;

/** The part of a Writable that nlctl uses (src/output.ts, decode-fast.ts, commander's output). */
class FileStdout {
  readonly fd = 1;
  readonly isTTY = false;
  readonly writableLength = 0;
  readonly writableNeedDrain = false;

  write(chunk: string | Uint8Array, encoding?: unknown, done?: (err?: Error | null) => void): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    // A short write (a full disk, a signal) is continued; a failed one throws, as SyncWriteStream's does.
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at);
    (typeof encoding === 'function' ? encoding : done)?.(null);
    return true;
  }

  // Writes finish before write() returns: there is never a 'drain' or an asynchronous 'error' to wait for.
  on(): this {
    return this;
  }

  once(): this {
    return this;
  }

  end(): this {
    return this;
  }
}

/** A writer for fd 1 when it is a regular file or /dev/null, else undefined. */
export function fileStdout(): Writable | undefined {
  try {
    const st = fstatSync(1);
    if (!st.isFile() && !(st.isCharacterDevice() && st.rdev === DEV_NULL_RDEV)) return undefined;
  } catch {
    return undefined;
  }
  return new FileStdout() as unknown as Writable;
}

/** process.stderr, set up at the first write (nlctl only ever writes to stderr). */
export function stderrWhenWritten(): Writable {
  return { write: (...args: Parameters<Writable['write']>) => process.stderr.write(...args) } as unknown as Writable;
}
