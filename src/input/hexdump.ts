/*
 * Pasted hex in any common shape → bytes.
 *
 * The input is cut into blocks at blank lines; each block's shape is decided
 * from all of its lines, then the block is cut into chunks (one per dump):
 *
 *   plain            20000000100005 | 20 00 00 00 | 20:00:00 | 0x20 0x00 | xxd -p
 *   xxd              00000000: 2000 0000 1000 0500  ascii…      (also -g1, -e, -a with '*')
 *   hexdump-C        00000000  20 00 00 00 …  |ascii|            ('*' = repeat previous row)
 *   hexdump          0000000 0020 0000                          (16-bit LE words, swapped)
 *   od               000000 20 00 … >ascii<   | 0000000 20 00 …  (octal/decimal/hex offsets)
 *   tcpdump          <header line>  then  \t0x0000:  4500 0054 …  ascii
 *   strace           sendmsg(…) = 48  then   | 00000  30 00 00 00 …  ascii |
 *   strace-raw       sendto(3, "\x20\x00…", 32, …) = 32
 *   print_hex_dump   [ 12.3] prefix: 00000000: 20 00 …  ascii  (groups of 2/4/8 are LE words)
 *   c-array          { 0x20, 0x00, … }  |  [32, 0, …]
 *   escaped          "\x20\x00…"  |  b' \x00\x00\x00'
 *
 * Offsets and ASCII columns never reach the bytes: row lengths come from the
 * offset of the next row, and otherwise the ASCII column is located by its
 * position and checked character by character against the candidate bytes.
 */

import { decodeEscaped, decodeQuoted } from './escapes.js';

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
const MAX_EXPANDED = 16 * 1024 * 1024;

interface Line {
  no: number;
  text: string;
  /** A kernel log prefix (dmesg timestamp, journald "kernel:") was removed. */
  kernel: boolean;
}

interface Tok {
  s: string;
  start: number;
  end: number;
}

type BlockResult = { chunks: HexChunk[]; hint?: HexParseError };

export function parseHexDump(text: string): HexChunk[] {
  const lines = splitLines(text);
  const chunks: HexChunk[] = [];
  let hint: HexParseError | undefined;
  let block: Line[] = [];
  const flush = (): void => {
    if (!block.length) return;
    const r = parseBlock(block);
    for (const c of r.chunks) chunks.push(c);
    if (!hint && r.hint) hint = r.hint;
    block = [];
  };
  for (const l of lines) {
    if (/^\s*$/.test(l.text)) flush();
    else block.push(l);
  }
  flush();
  if (!chunks.length) {
    if (hint) throw hint;
    const first = lines.find((l) => !/^\s*$/.test(l.text));
    if (!first) throw new HexParseError(1, 'no hex data found');
    throw new HexParseError(first.no, `not hex: '${clip(first.text.trim())}'`, 1);
  }
  return chunks;
}

/* ------------------------------------------------------------ lines */

const DMESG_TS = /^\s*(?:<\d+>)?\[\s*\d+\.\d+\]\s?/;
const DMESG_HUMAN_TS = /^\s*\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\]\s?/;
const JOURNAL_KERNEL = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: (?:\[\s*\d+\.\d+\]\s?)?/;

function splitLines(text: string): Line[] {
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
    return { no: i + 1, text: t, kernel };
  });
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function tokenize(text: string, from = 0): Tok[] {
  const out: Tok[] = [];
  const re = /\S+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push({ s: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const EVEN_HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Leading run of tokens that can be data (even-length hex). */
function hexRun(toks: Tok[]): Tok[] {
  let n = 0;
  while (n < toks.length && EVEN_HEX.test(toks[n]!.s)) n++;
  return toks.slice(0, n);
}

function tokenBytes(s: string, swap: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length; i += 2) out.push(parseInt(s.slice(i, i + 2), 16));
  if (swap && out.length > 1) out.reverse();
  return out;
}

/** Growable byte buffer; avoids number[] and spread calls on large inputs. */
class ByteBuilder {
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

/* ------------------------------------------------------------ blocks */

const STRACE_CALL =
  /^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:\d+:\d+:\d+(?:\.\d+)?\s+|\d+\.\d+\s+)?(?:<\.\.\.\s+[a-z_0-9]+\s+resumed>|[a-z_][a-z0-9_]*\()/;
const STRACE_RESULT = /\)\s*=\s*(?:-?\d|\?|0x)|<unfinished \.\.\.>/;
const STRACE_DUMP = /^\s*\|\s+[0-9a-fA-F]{5,}\s\s[0-9a-fA-F]{2}\s/;
const STRACE_NOISE = /^\s*\*\s+\d+\s+bytes in buffer\s+\d+|^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:[\d:.]+\s+)?(?:---|\+\+\+)\s|^strace: /;
const TCPDUMP_DATA = /^\s*0x[0-9a-fA-F]{4,}:\s/;

function isStraceCall(t: string): boolean {
  return STRACE_CALL.test(t) && STRACE_RESULT.test(t);
}

function parseBlock(block: Line[]): BlockResult {
  if (block.some((l) => isStraceCall(l.text) || STRACE_DUMP.test(l.text))) return parseStrace(block);
  if (block.some((l) => TCPDUMP_DATA.test(l.text))) return { chunks: parseTcpdump(block) };

  const dls = block.map(parseDumpLine);
  const nData = dls.filter((d) => d.kind === 'data').length;
  const nDump = dls.filter((d) => d.kind !== 'noise').length;
  if (nData > 0 && (nDump * 2 >= block.length || nData >= 2) && offsetsPlausible(dls)) return { chunks: parseOffsetBlock(dls) };

  const joined = block.map((l) => l.text).join('\n');
  const code = stripComments(joined);
  if (/\{[^}"']*(?:0[xX][0-9a-fA-F]|\d)/.test(code) || /\[\s*(?:0[xX][0-9a-fA-F]|\d)/.test(code)) {
    return { chunks: parseCArray(block) };
  }
  if (/\\(?:x[0-9a-fA-F]|[0-7]|[nrtvfab\\'"])/.test(joined) || /(?:^|[^\w])[bB]['"]/.test(joined)) {
    return { chunks: parseEscaped(block) };
  }
  if (block.some((l) => l.kernel)) {
    const r = parseAsciiRows(block, false);
    if (r?.length) return { chunks: r };
  }
  try {
    return { chunks: parsePlain(block) };
  } catch (e) {
    // Rows may still carry an ASCII column or a label (dmesg -t, od -A n -t x1z).
    const r = e instanceof HexParseError ? parseAsciiRows(block, true) : null;
    if (r?.length) return { chunks: r };
    throw e;
  }
}

/* ------------------------------------------------------------ plain */

const LABEL_PREFIX = /^\s*(?:[^\s:]*[^0-9a-fA-F\s:][^\s:]*:\s+)+/;

function parsePlain(block: Line[]): HexChunk[] {
  const cleaned = block.map((l) => {
    let s = stripComments(l.text);
    // Node's <Buffer 20 00 …> inspection
    if (/<Buffer\b/.test(s)) s = s.replace(/<Buffer\b/g, '       ').replace(/>\s*$/, ' ');
    const m = LABEL_PREFIX.exec(s);
    if (m) s = ' '.repeat(m[0].length) + s.slice(m[0].length);
    return { l, s };
  });
  const body = cleaned.filter((c) => c.s.trim() !== '');
  if (!body.length) {
    const l = block[0]!;
    throw new HexParseError(l.no, `not hex: '${clip(l.text.trim())}'`, 1);
  }
  const bytes = new ByteBuilder();
  // A hex stream wrapped across lines (xxd -p, copied streams) may break inside a byte.
  if (body.every((c) => /^\s*[0-9a-fA-F]+\s*$/.test(c.s))) {
    const digits = body.map((c) => c.s.trim()).join('');
    if (digits.length % 2) {
      const last = body[body.length - 1]!;
      throw new HexParseError(last.l.no, `odd number of hex digits (${digits.length}) in hex stream`);
    }
    bytes.append(tokenBytes(digits, false));
  } else {
    for (const { l, s } of body) {
      const re = /[^\s,:;\-"'()]+/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s))) {
        const t = m[0];
        const col = m.index + 1;
        const digits = /^0[xX]/.test(t) ? t.slice(2) : t;
        if (!/^[0-9a-fA-F]+$/.test(digits)) {
          throw new HexParseError(l.no, `not hex: '${clip(l.text.trim())}'`, col);
        }
        if (digits !== t && digits.length <= 2) bytes.push(parseInt(digits, 16));
        else if (digits.length % 2) throw new HexParseError(l.no, `odd number of hex digits in '${clip(t)}'`, col);
        else bytes.append(tokenBytes(digits, false));
      }
    }
  }
  return [chunk(bytes.bytes(), 'plain', body[0]!.l.no, body[body.length - 1]!.l.no)];
}

function chunk(bytes: number[] | Uint8Array, shape: HexShape, firstLine: number, lastLine: number): HexChunk {
  return { bytes: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), shape, firstLine, lastLine };
}

/** Replaces comments by spaces (positions and newlines are kept). */
function stripComments(s: string): string {
  return s
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(\/\/|#).*$/gm, (c) => ' '.repeat(c.length));
}

/* ------------------------------------------------------ offset dumps */

interface DumpLine {
  no: number;
  kind: 'data' | 'star' | 'end' | 'noise';
  text: string;
  off: string;
  colon: boolean;
  ox: boolean;
  prefix: string;
  kernel: boolean;
  toks: Tok[];
}

const COLON_OFFSET = /(^|\s)(0x)?([0-9a-fA-F]{4,16}):(?=\s|$)/;
const BARE_OFFSET = /^(\s*)([0-9a-fA-F]{4,16})(?=\s|$)/;

function parseDumpLine(l: Line): DumpLine {
  const base: DumpLine = {
    no: l.no,
    kind: 'noise',
    text: l.text,
    off: '',
    colon: false,
    ox: false,
    prefix: '',
    kernel: l.kernel,
    toks: [],
  };
  if (/^\s*\*\s*$/.test(l.text)) return { ...base, kind: 'star' };
  // A bare offset is tried first: an ASCII column may hold "word: " that looks like an offset.
  const b = BARE_OFFSET.exec(l.text);
  if (b) {
    const all = tokenize(l.text, b[0].length);
    if (!all.length) return b[2]!.length >= 6 ? { ...base, kind: 'end', off: b[2]! } : base;
    const toks = hexRun(all);
    if (toks.length && toks[0]!.s.length !== b[2]!.length) return { ...base, kind: 'data', off: b[2]!, toks };
  }
  const c = COLON_OFFSET.exec(l.text);
  if (c) {
    const prefix = l.text.slice(0, c.index + c[1]!.length).trim();
    const toks = hexRun(tokenize(l.text, c.index + c[0].length));
    if (!toks.length) return base;
    // A worded prefix ("nlmsg:") marks print_hex_dump; "> " or "//" is just quoting.
    const kernel = l.kernel || /[A-Za-z]/.test(prefix);
    return { ...base, kind: 'data', off: c[3]!, colon: true, ox: !!c[2], prefix, kernel, toks };
  }
  return base;
}

/**
 * A bare offset must start at zero, or come with a delimited ASCII column, or
 * repeat on several rows; otherwise a plain line like "20000000 10 00" would lose bytes.
 */
function offsetsPlausible(dls: DumpLine[]): boolean {
  const data = dls.filter((d) => d.kind === 'data');
  const first = data[0]!;
  if (first.colon || /^0+$/.test(first.off) || data.length >= 2) return true;
  const after = first.text.slice(first.toks[first.toks.length - 1]!.end).trimStart();
  return after.startsWith('|') || after.startsWith('>');
}

function parseOffsetValue(s: string, radix: number): number {
  return s.length > 13 ? Number(BigInt('0x' + s)) : parseInt(s, radix);
}

/** od prints octal offsets by default, and decimal with -A d; hexdump and xxd print hex. */
function chooseRadix(dls: DumpLine[]): number {
  if (dls.some((d) => d.kind === 'data' && (d.colon || d.ox))) return 16;
  let best = 16;
  let bestScore = -1;
  for (const radix of [16, 8, 10]) {
    const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (dls.some((d) => (d.kind === 'data' || d.kind === 'end') && !valid.test(d.off))) continue;
    let score = 0;
    for (let i = 0; i + 1 < dls.length; i++) {
      const a = dls[i]!;
      const b = dls[i + 1]!;
      if (a.kind !== 'data' || (b.kind !== 'data' && b.kind !== 'end')) continue;
      const width = a.toks.reduce((n, t) => n + t.s.length / 2, 0);
      const delta = parseInt(b.off, radix) - parseInt(a.off, radix);
      if (delta === width || (b.kind === 'end' && delta > 0 && delta <= width)) score++;
    }
    if (score > bestScore) {
      best = radix;
      bestScore = score;
    }
  }
  return best;
}

function parseOffsetBlock(dls: DumpLine[]): HexChunk[] {
  const radix = chooseRadix(dls);
  const out: HexChunk[] = [];
  let cur: DumpLine[] = [];
  const flush = (): void => {
    if (cur.some((d) => d.kind === 'data')) out.push(resolveDump(cur, radix));
    cur = [];
  };
  let prev: DumpLine | null = null;
  for (const d of dls) {
    if (d.kind === 'noise') {
      flush();
      prev = null;
      continue;
    }
    if (d.kind === 'star' || d.kind === 'end') {
      cur.push(d);
      if (d.kind === 'end') {
        flush();
        prev = null;
      }
      continue;
    }
    if (prev && startsNewDump(prev, d, cur, radix)) flush();
    cur.push(d);
    prev = d;
  }
  flush();
  return out;
}

function upperBytes(d: DumpLine): number {
  return d.toks.reduce((n, t) => n + t.s.length / 2, 0);
}

function isAddressMode(first: DumpLine): boolean {
  return first.kernel && !/^0+$/.test(first.off);
}

function startsNewDump(prev: DumpLine, d: DumpLine, cur: DumpLine[], radix: number): boolean {
  const first = cur.find((x) => x.kind === 'data') ?? prev;
  if (d.prefix !== prev.prefix || d.colon !== prev.colon || d.ox !== prev.ox) return true;
  if (isAddressMode(first)) {
    // Hashed %p addresses say nothing about continuity; a short row ends a dump.
    return upperBytes(prev) < upperBytes(first);
  }
  const p = parseOffsetValue(prev.off, radix);
  const o = parseOffsetValue(d.off, radix);
  if (o <= p) return true;
  const afterStar = cur[cur.length - 1]?.kind === 'star';
  return !afterStar && o > p + upperBytes(prev);
}

function shapeOf(first: DumpLine, radix: number): HexShape {
  if (first.ox) return 'tcpdump';
  if (first.kernel) return 'print_hex_dump';
  if (first.colon) return 'xxd';
  const w = first.toks[0]!.s.length;
  if (w === 2) return first.off.length === 8 || first.off.length === 4 ? 'hexdump-C' : 'od';
  return radix !== 16 || first.off.length === 6 ? 'od' : 'hexdump';
}

/**
 * Multi-digit groups are memory order in xxd -g2 and tcpdump, but host-order
 * (little-endian) words in hexdump, od -x/-t x4, xxd -e and print_hex_dump.
 */
function swapsWords(first: DumpLine): boolean {
  if (first.ox) return false;
  if (!first.colon || first.kernel) return true;
  return first.toks[0]!.s.length >= 8;
}

function resolveDump(entries: DumpLine[], radix: number, shapeOverride?: HexShape): HexChunk {
  const first = entries.find((d) => d.kind === 'data')!;
  const swap = swapsWords(first);
  const useOffsets = !isAddressMode(first) && first.off !== '';
  const off = (d: DumpLine): number => parseOffsetValue(d.off, radix);

  // Row lengths known from the next row's offset.
  const known: (number | undefined)[] = entries.map((d, i) => {
    if (!useOffsets || d.kind !== 'data') return undefined;
    const next = entries[i + 1];
    if (next && (next.kind === 'data' || next.kind === 'end')) return off(next) - off(d);
    return undefined;
  });
  const rowWidth = mode(known.filter((n): n is number => n !== undefined && n > 0));

  const bytes = new ByteBuilder();
  const rowBytes: number[][] = entries.map(() => []);
  let lastNo = first.no;
  for (let i = 0; i < entries.length; i++) {
    const d = entries[i]!;
    if (d.kind === 'data') {
      const perTok = d.toks.map((t) => tokenBytes(t.s, swap && t.s.length > 2));
      const flat = perTok.flat();
      let count = known[i];
      if (count === undefined && entries[i + 1]?.kind === 'star' && rowWidth !== undefined) count = rowWidth;
      let row: number[];
      if (count !== undefined && count > 0 && count <= flat.length) row = flat.slice(0, count);
      else if (count !== undefined && count > flat.length) {
        throw new HexParseError(d.no, `row has ${flat.length} bytes but the next offset is ${count} bytes on`);
      } else {
        const k = asciiColumnStart(d.text, d.toks, perTok);
        row = k > 0 ? perTok.slice(0, k).flat() : flat;
      }
      rowBytes[i] = row;
      bytes.append(row);
      lastNo = d.no;
    } else if (d.kind === 'star' && useOffsets) {
      const prevIdx = i - 1;
      const prev = entries[prevIdx];
      const next = entries[i + 1];
      if (!prev || prev.kind !== 'data' || !next || next.kind === 'star') continue;
      const row = rowBytes[prevIdx]!;
      if (!row.length) continue;
      const gap = off(next) - (off(prev) + row.length);
      if (gap < 0 || gap % row.length !== 0) {
        throw new HexParseError(d.no, `'*' does not repeat a whole number of ${row.length}-byte rows up to offset ${next.off}`);
      }
      if (bytes.length + gap > MAX_EXPANDED) {
        throw new HexParseError(d.no, `'*' would expand to more than ${MAX_EXPANDED} bytes`);
      }
      bytes.repeat(row, gap / row.length);
    }
  }
  const end = entries[entries.length - 1]!;
  if (end.kind === 'end') lastNo = end.no;
  return chunk(bytes.bytes(), shapeOverride ?? shapeOf(first, radix), first.no, lastNo);
}

function mode(xs: number[]): number | undefined {
  const counts = new Map<number, number>();
  let best: number | undefined;
  let bestN = 0;
  for (const x of xs) {
    const n = (counts.get(x) ?? 0) + 1;
    counts.set(x, n);
    if (n > bestN) {
      best = x;
      bestN = n;
    }
  }
  return best;
}

/**
 * Finds how many leading tokens are data when an undelimited ASCII column
 * follows them (xxd, tcpdump -X, print_hex_dump): the largest k such that the
 * line ends, after whitespace, with exactly one character per byte of the
 * first k tokens, each either '.' or that byte's printable character.
 * Returns -1 when no ASCII column is found.
 */
function asciiColumnStart(text: string, toks: Tok[], perTok: number[][]): number {
  if (toks.length > 512) return -1;
  const k = asciiColumnIn(text, toks, perTok);
  if (k > 0) return k;
  const trimmed = text.replace(/\s+$/, '');
  return trimmed !== text ? asciiColumnIn(trimmed, toks, perTok) : -1;
}

function asciiColumnIn(text: string, toks: Tok[], perTok: number[][]): number {
  const flat: number[] = [];
  const cum: number[] = [0];
  for (const b of perTok) {
    for (const x of b) flat.push(x);
    cum.push(flat.length);
  }
  for (let k = toks.length; k >= 1; k--) {
    const n = cum[k]!;
    const gapStart = toks[k - 1]!.end;
    // Spaces at the end of the ASCII column may have been trimmed away.
    let trailing = 0;
    while (trailing < n && flat[n - 1 - trailing] === 0x20) trailing++;
    for (let m = 0; m <= trailing; m++) {
      const len = n - m;
      const start = text.length - len;
      if (start <= gapStart) continue;
      if (!/^\s+$/.test(text.slice(gapStart, start))) continue;
      let ok = true;
      for (let j = 0; j < len && ok; j++) {
        const ch = text.charCodeAt(start + j);
        const b = flat[j]!;
        ok = ch === 0x2e || (b >= 0x20 && b < 0x7f && ch === b);
      }
      if (ok) return k;
    }
  }
  return -1;
}

/* ------------------------------------------------------------ tcpdump */

const TCPDUMP_LINE = /^(\s*)0x([0-9a-fA-F]{4,}):(?=\s)/;

function parseTcpdump(block: Line[]): HexChunk[] {
  const out: HexChunk[] = [];
  let cur: DumpLine[] = [];
  let header: number | undefined;
  const flush = (): void => {
    if (cur.length) {
      const c = resolveDump(cur, 16, 'tcpdump');
      if (header !== undefined) c.firstLine = header;
      out.push(c);
    }
    cur = [];
    header = undefined;
  };
  for (const l of block) {
    const m = TCPDUMP_LINE.exec(l.text);
    if (!m) {
      // Any other line is (part of) a packet header: the next data belongs to a new packet.
      if (cur.length) flush();
      if (header === undefined) header = l.no;
      continue;
    }
    const toks = hexRun(tokenize(l.text, m[0].length));
    const d: DumpLine = { no: l.no, kind: 'data', text: l.text, off: m[2]!, colon: true, ox: true, prefix: '', kernel: false, toks };
    const prev = cur[cur.length - 1];
    if (prev && parseInt(d.off, 16) <= parseInt(prev.off, 16)) flush();
    if (toks.length) cur.push(d);
  }
  flush();
  return out;
}

/* --------------------------------------------------- kernel, no offset */

/**
 * Rows without offsets but with an ASCII column: print_hex_dump with
 * DUMP_PREFIX_NONE ("[ 1.2] prefix: 20 00 00 00 …  ascii"), od -A n -t x1z.
 * In a kernel log other lines end the current dump; with `strict`, every line
 * must be such a row or the whole block is rejected (null).
 */
function parseAsciiRows(block: Line[], strict: boolean): HexChunk[] | null {
  const rows: { l: Line; prefix: string; bytes: number[] }[] = [];
  const out: HexChunk[] = [];
  const flush = (): void => {
    if (rows.length) {
      const all = new ByteBuilder();
      for (const r of rows) all.append(r.bytes);
      const kernel = rows.some((r) => r.l.kernel || r.prefix !== '');
      out.push(chunk(all.bytes(), kernel ? 'print_hex_dump' : 'plain', rows[0]!.l.no, rows[rows.length - 1]!.l.no));
    }
    rows.length = 0;
  };
  for (const l of block) {
    const all = tokenize(l.text);
    let p = 0;
    while (p < all.length && !EVEN_HEX.test(all[p]!.s)) p++;
    const run = hexRun(all.slice(p));
    const prefix = p > 0 ? l.text.slice(0, all[p - 1]!.end).trim() : '';
    const kernel = l.kernel || prefix !== '';
    const perTok = run.map((t) => tokenBytes(t.s, kernel && t.s.length > 2));
    const k = run.length ? asciiColumnStart(l.text, run, perTok) : -1;
    const rest = run.length ? l.text.slice(run[run.length - 1]!.end).trim() : '';
    const delimited = /^(\|.*\||>.*<)$/.test(rest);
    const labelOk = prefix === '' || (/[A-Za-z]/.test(prefix) && (l.kernel || prefix.endsWith(':')));
    if (!run.length || (k < 0 && rest !== '' && !delimited) || !labelOk) {
      if (strict) return null;
      flush();
      continue;
    }
    const bytes = (k > 0 ? perTok.slice(0, k) : perTok).flat();
    const firstRow = rows[0];
    const prev = rows[rows.length - 1];
    // A new prefix, or a row after a short (last) row, starts another dump.
    if (firstRow && prev && (prefix !== prev.prefix || prev.bytes.length < firstRow.bytes.length)) flush();
    rows.push({ l, prefix, bytes });
  }
  flush();
  return out;
}

/* ------------------------------------------------------------- strace */

const STRACE_DUMP_LINE = /^\s*\|\s+([0-9a-fA-F]+)  (.*)$/;
const STRACE_BUFFER_ARG = /(?:[a-z_0-9]+\(\s*[^,()"]*,\s*|iov_base=|resumed>\s*)"/;

function parseStrace(block: Line[]): BlockResult {
  const out: HexChunk[] = [];
  let hint: HexParseError | undefined;
  type Call = { first: number; last: number; dump: number[]; hasDump: boolean; raw?: number[]; truncated: boolean; decoded: boolean };
  let cur: Call | null = null;
  const flush = (): void => {
    if (cur) {
      if (cur.hasDump) out.push(chunk(cur.dump, 'strace', cur.first, cur.last));
      else if (cur.raw) {
        const c = chunk(cur.raw, 'strace-raw', cur.first, cur.last);
        if (cur.truncated) c.truncated = true;
        out.push(c);
      } else if (cur.decoded && !hint) {
        hint = new HexParseError(
          cur.first,
          'strace printed this buffer decoded, not as bytes; run strace with -e read=all -e write=all (hex dumps) or -e verbose=none -xx',
        );
      }
    }
    cur = null;
  };
  for (const l of block) {
    const t = l.text;
    if (STRACE_DUMP.test(t)) {
      const m = STRACE_DUMP_LINE.exec(t)!;
      // Fixed layout: 16 bytes in a 48-column hex area, then the ASCII column.
      const area = m[2]!.slice(0, 48);
      const toks = tokenize(area);
      for (const tk of toks) {
        if (!/^[0-9a-fA-F]{2}$/.test(tk.s)) {
          throw new HexParseError(l.no, `bad byte '${clip(tk.s)}' in strace dump`, tk.start + t.indexOf(m[2]!) + 1);
        }
      }
      if (!cur) cur = { first: l.no, last: l.no, dump: [], hasDump: false, truncated: false, decoded: false };
      for (const tk of toks) cur.dump.push(parseInt(tk.s, 16));
      cur.hasDump = true;
      cur.last = l.no;
    } else if (STRACE_NOISE.test(t)) {
      continue;
    } else if (isStraceCall(t)) {
      flush();
      const call: Call = { first: l.no, last: l.no, dump: [], hasDump: false, truncated: false, decoded: false };
      const m = STRACE_BUFFER_ARG.exec(t);
      if (m) {
        const q = decodeQuoted(t, m.index + m[0].length - 1);
        call.raw = q.bytes;
        call.truncated = !q.closed || t.startsWith('...', q.end);
      } else {
        call.decoded = /\[\{|\{nlmsg_len=/.test(t);
      }
      cur = call;
    }
    // Anything else (program output interleaved with strace's) is ignored.
  }
  flush();
  return hint ? { chunks: out, hint } : { chunks: out };
}

/* ------------------------------------------------------------ C arrays */

function lineIndex(block: Line[]): { text: string; lineAt: (pos: number) => { no: number; col: number } } {
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

function parseCArray(block: Line[]): HexChunk[] {
  const { text, lineAt } = lineIndex(block);
  const code = stripComments(text);
  const open = code.includes('{') ? '{' : '[';
  const close = open === '{' ? '}' : ']';
  const out: HexChunk[] = [];
  let i = code.indexOf(open);
  while (i >= 0) {
    let j = code.indexOf(close, i + 1);
    const nested = code.indexOf(open, i + 1);
    if (nested >= 0 && (j < 0 || nested < j)) {
      i = nested; // innermost list holds the bytes
      continue;
    }
    if (j < 0) j = code.length;
    const bytes = new ByteBuilder();
    const re = /[^\s,]+/g;
    re.lastIndex = i + 1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(code)) && m.index < j) {
      let tok = m[0];
      if (m.index + tok.length > j) tok = tok.slice(0, j - m.index);
      const v = byteValue(tok.replace(/^\([^)]*\)/, ''));
      if (v === null) {
        const at = lineAt(m.index);
        throw new HexParseError(at.no, `not a byte value: '${clip(tok)}'`, at.col);
      }
      bytes.push(v);
    }
    if (bytes.length) out.push(chunk(bytes.bytes(), 'c-array', lineAt(i).no, lineAt(Math.max(i, j - 1)).no));
    i = code.indexOf(open, j + 1);
  }
  return out;
}

function byteValue(tok: string): number | null {
  let m = /^0[xX]([0-9a-fA-F]{1,2})[uUlL]*$/.exec(tok);
  if (m) return parseInt(m[1]!, 16);
  m = /^(\d{1,3})[uUlL]*$/.exec(tok);
  if (m) {
    const v = parseInt(m[1]!, 10);
    return v <= 255 ? v : null;
  }
  if (/^'.*'$/.test(tok)) {
    const q = decodeQuoted(tok, 0);
    return q.bytes.length === 1 ? q.bytes[0]! : null;
  }
  return null;
}

/* ------------------------------------------------------- escaped strings */

function parseEscaped(block: Line[]): HexChunk[] {
  const { text, lineAt } = lineIndex(block);
  const bytes = new ByteBuilder();
  let first: number | undefined;
  let last = block[0]!.no;
  // Quoted literals ("…", '…', b'…'), concatenated as C and Python do.
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c !== '"' && c !== "'") continue;
    const q = decodeQuoted(text, i);
    bytes.append(q.bytes);
    first ??= lineAt(i).no;
    last = lineAt(Math.max(i, q.end - 1)).no;
    i = q.end - 1;
  }
  if (first !== undefined) return [chunk(bytes.bytes(), 'escaped', first, last)];
  // No quotes: the lines are bare escape sequences such as \x20\x00\x00\x00.
  for (const l of block) bytes.append(decodeEscaped(l.text.replace(/\s+/g, ''), 0, null).bytes);
  return [chunk(bytes.bytes(), 'escaped', block[0]!.no, block[block.length - 1]!.no)];
}
