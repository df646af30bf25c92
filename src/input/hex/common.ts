// Shared pieces of the hex parsers: lines, tokens, the chunk type and its error.

export type HexShape =
  | 'plain'
  | 'xxd'
  | 'hexdump-C'
  | 'hexdump'
  | 'od'
  | 'tcpdump'
  | 'strace'
  | 'strace-raw'
  | 'print_hex_dump'
  | 'c-array'
  | 'escaped';

export interface HexChunk {
  bytes: Uint8Array;
  shape: HexShape;
  /** 1-based line where the chunk starts (its header line for tcpdump/strace). */
  firstLine: number;
  /** 1-based last line that contributed bytes. */
  lastLine: number;
  /** Set when the source shows the data was cut short (strace's `"…"...`). */
  truncated?: boolean;
}

export class HexParseError extends Error {
  readonly line: number;
  readonly column?: number;
  constructor(line: number, message: string, column?: number) {
    super(`line ${line}: ${message}`);
    this.name = 'HexParseError';
    this.line = line;
    if (column !== undefined) this.column = column;
  }
}

/** Largest output a '*' repeat may expand to; guards against absurd offsets. */
export const MAX_EXPANDED = 16 * 1024 * 1024;

export interface Line {
  no: number;
  text: string;
  /** A kernel log prefix (dmesg timestamp, journald "kernel:") was removed. */
  kernel: boolean;
}

export interface Tok {
  s: string;
  start: number;
  end: number;
}


/* ------------------------------------------------------------ lines */

const DMESG_TS = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]\s?/;
const DMESG_HUMAN_TS = /^\s*\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\]\s?/;
const JOURNAL_KERNEL = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: (?:\[\s*\d+\.\d+\]\s?)?/;

export function splitLines(text: string, firstLine = 1): Line[] {
  return text.split(/\r?\n|\r/).map((raw, i) => {
    let t = raw;
    let kernel = false;
    for (const re of [DMESG_TS, DMESG_HUMAN_TS, JOURNAL_KERNEL]) {
      const m = re.exec(t);
      if (m) {
        t = t.slice(m[0].length);
        kernel = true;
        break;
      }
    }
    return { no: firstLine + i, text: t, kernel };
  });
}

export function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function tokenize(text: string, from = 0): Tok[] {
  const out: Tok[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push({ s: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

export const EVEN_HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Leading run of tokens that can be data (even-length hex). */
export function hexRun(toks: Tok[]): Tok[] {
  let n = 0;
  while (n < toks.length && EVEN_HEX.test(toks[n]!.s)) n++;
  return toks.slice(0, n);
}

export function tokenBytes(s: string, swap: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length; i += 2) out.push(parseInt(s.slice(i, i + 2), 16));
  if (swap && out.length > 1) out.reverse();
  return out;
}

/** Growable byte buffer; avoids number[] and spread calls on large inputs. */
export class ByteBuilder {
  private buf = new Uint8Array(256);
  length = 0;
  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }
  push(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }
  append(a: ArrayLike<number>): void {
    this.reserve(a.length);
    for (let i = 0; i < a.length; i++) this.buf[this.length++] = a[i]!;
  }
  /** Appends `row` `times` times. */
  repeat(row: ArrayLike<number>, times: number): void {
    this.reserve(row.length * times);
    for (let r = 0; r < times; r++) this.append(row);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function chunk(bytes: number[] | Uint8Array, shape: HexShape, firstLine: number, lastLine: number): HexChunk {
  return { bytes: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), shape, firstLine, lastLine };
}

/** Replaces comments by spaces (positions and newlines are kept). */
export function stripComments(s: string): string {
  return s
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(\/\/|#).*$/gm, (c) => ' '.repeat(c.length));
}

export function lineIndex(block: Line[]): { text: string; lineAt: (pos: number) => { no: number; col: number } } {
  const starts: number[] = [];
  let text = '';
  for (const l of block) {
    starts.push(text.length);
    text += l.text + '\n';
  }
  return {
    text,
    lineAt(pos: number) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= pos) lo = mid;
        else hi = mid - 1;
      }
      return { no: block[lo]!.no, col: pos - starts[lo]! + 1 };
    },
  };
}
