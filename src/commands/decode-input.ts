// Where decode reads from: a file, stdin, or hex given as arguments, as a stream of chunks.
import { createReadStream, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { fileError } from './read-file.js';

/** Size of one read: the input is never held whole. */
export const READ_CHUNK = 1024 * 1024;

export interface DecodeInput {
  source: string;
  /** Size in bytes when known (a file or arguments). */
  size?: number;
  chunks: AsyncIterable<Uint8Array>;
  /** For a file: read it again from the start (a first pass that only looks). */
  reopen?: () => AsyncIterable<Uint8Array>;
}

/**
 * Arguments are files when they name one, else hex text; no arguments (or '-'): stdin, asked for
 * only then (process.stdin sets up a stream reader: ~3 ms that hex arguments do not need).
 */
export function openInput(args: string[], stdin: () => Readable): DecodeInput {
  if (args.length === 0 || (args.length === 1 && args[0] === '-')) return { source: 'stdin', chunks: asBytes(stdin()) };
  if (args.length === 1 && looksLikePath(args[0]!)) {
    const path = args[0]!;
    let st: Stats;
    try {
      st = statSync(path);
    } catch (e) {
      throw fileError(path, e, { use: 'to decode' });
    }
    // stat() takes a directory: say so now, as a read would.
    if (st.isDirectory()) throw fileError(path, { code: 'EISDIR' }, { use: 'to decode' });
    const size = st.size;
    const open = () => asBytes(createReadStream(path, { highWaterMark: READ_CHUNK }));
    return { source: path, size, chunks: open(), reopen: open };
  }
  // Several arguments are hex words; a file among them was meant as input of its own.
  const file = args.length > 1 ? args.find((a) => a === '-' || looksLikePath(a)) : undefined;
  if (file !== undefined) throw new UsageError(`decode reads one file (or hex words): '${file}' is one of ${args.length} arguments`);
  const text = Buffer.from(args.join('\n'));
  return { source: 'arguments', size: text.length, chunks: (async function* () { yield text; })() };
}

function looksLikePath(arg: string): boolean {
  try {
    // Any existing path: a file, a directory (refused by name), or a pipe or device such as
    // bash's <(strace …) or /dev/stdin.
    statSync(arg);
    return true;
  } catch {
    // Hex never contains '/' or a file extension: such an argument was meant as a file.
    return /[/]|\.(pcap|pcapng|cap|txt|hex|log|bin)$/i.test(arg);
  }
}

async function* asBytes(stream: Readable): AsyncIterable<Uint8Array> {
  for await (const chunk of stream) {
    const b: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    // A plain Uint8Array view: Buffer's subarray is several times slower, and decoding slices a lot.
    yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
}
