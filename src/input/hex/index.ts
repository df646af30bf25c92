/*
 * Pasted hex in any common shape → bytes: the one entry point of the hex parsers.
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

import { parseAsciiRows } from './ascii-rows.js';
import { parseCArray } from './c-array.js';
import { clip, HexParseError, splitLines, stripComments, type HexChunk, type Line } from './common.js';
import { parseEscaped } from './escaped.js';
import { decodeQuoted } from '../escapes.js';
import { offsetsPlausible, parseDumpLine, parseOffsetBlock } from './offset.js';
import { parsePlain } from './plain.js';
import { isStraceCall, parseStrace, STRACE_DUMP } from './strace.js';
import { parseTcpdump } from './tcpdump.js';

export { HexParseError, type HexChunk, type HexShape } from './common.js';

type BlockResult = { chunks: HexChunk[]; hint?: HexParseError };

/** Text that holds no hex at all: the error for its first non-blank line. */
export function notHexError(first: Line | undefined): HexParseError {
  if (!first) return new HexParseError(1, 'no hex data found');
  return new HexParseError(first.no, `not hex: '${clip(first.text.trim())}'`, 1);
}

export interface LinesResult {
  chunks: HexChunk[];
  /** Why nothing was found in a block that looked like a dump (e.g. strace's decoded form). */
  hint?: HexParseError;
  /** The first line that is neither blank nor a comment. */
  first?: Line;
}

const BLANK = /^\s*$/;
/** A whole-line comment: ignored wherever it appears, and it does not end a block. */
const COMMENT_LINE = /^\s*(?:#|\/\/)/;

/** Parses lines cut into blocks at blank lines; see parseHexDump. */
export function parseHexLines(lines: Line[]): LinesResult {
  const out: LinesResult = { chunks: [] };
  let block: Line[] = [];
  const flush = (): void => {
    if (!block.length) return;
    const r = parseBlock(block);
    for (const c of r.chunks) out.chunks.push(c);
    if (!out.hint && r.hint) out.hint = r.hint;
    block = [];
  };
  for (const l of lines) {
    if (BLANK.test(l.text)) flush();
    else if (COMMENT_LINE.test(l.text) && !l.kernel) continue;
    else {
      out.first ??= l;
      block.push(l);
    }
  }
  flush();
  return out;
}

export function parseHexDump(text: string): HexChunk[] {
  const r = parseHexLines(splitLines(text));
  if (!r.chunks.length) throw r.hint ?? notHexError(r.first);
  return r.chunks;
}

const TCPDUMP_DATA = /^\s*0x[0-9a-fA-F]{4,}:\s/;

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
  if ((/\\(?:x[0-9a-fA-F]|[0-7]|[nrtvfab\\'"])/.test(joined) || /(?:^|[^\w])[bB]['"]/.test(joined)) && onlyLiterals(joined)) {
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

/* Around the literals of an escaped string only code that joins them may stand. */
const LITERAL_LEAD = /^\s*(?:[A-Za-z_][\w \t*]*(?:\[\w*\])?\s*:?=\s*)?(?:[\w.]+\()?[\s()+;,bB\\]*$/;
const LITERAL_GLUE = /^[\s()+;,bB\\]*$/;
const BARE_ESCAPES = /\\(?:x[0-9a-fA-F]{1,2}|[0-7]{1,3}|[nrtvfab\\'"])/g;

/**
 * True when the text is quoted byte strings and nothing else (a declaration before them,
 * concatenation between them), or bare escape sequences: a Python dict or a JSON object that
 * happens to hold an escape is not a byte string.
 */
function onlyLiterals(text: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  let i = code.search(/["']/);
  if (i < 0) return code.replace(BARE_ESCAPES, '').trim() === '';
  if (!LITERAL_LEAD.test(code.slice(0, i))) return false;
  while (i >= 0 && i < code.length) {
    const q = decodeQuoted(code, i);
    if (!q.closed) return true;
    const next = code.slice(q.end).search(/["']/);
    const glue = next < 0 ? code.slice(q.end) : code.slice(q.end, q.end + next);
    if (!LITERAL_GLUE.test(glue)) return false;
    i = next < 0 ? -1 : q.end + next;
  }
  return true;
}
