// Dumps with an offset column: xxd, hexdump (-C), od, print_hex_dump with DUMP_PREFIX_OFFSET/ADDRESS.
import { asciiColumnStart } from './ascii-column.js';
import { ByteBuilder, chunk, hexRun, HexParseError, MAX_EXPANDED, tokenBytes, tokenize, type HexChunk, type HexShape, type Line, type Tok } from './common.js';

export interface DumpLine {
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

export function parseDumpLine(l: Line): DumpLine {
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
export function offsetsPlausible(dls: DumpLine[]): boolean {
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

export function parseOffsetBlock(dls: DumpLine[]): HexChunk[] {
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

export function resolveDump(entries: DumpLine[], radix: number, shapeOverride?: HexShape): HexChunk {
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
