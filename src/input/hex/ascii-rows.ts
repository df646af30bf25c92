// Rows with no offset but an ASCII column: print_hex_dump with DUMP_PREFIX_NONE, od -A n -t x1z.
import { asciiColumnStart } from './ascii-column.js';
import { ByteBuilder, chunk, EVEN_HEX, hexRun, tokenBytes, tokenize, type HexChunk, type Line } from './common.js';

/**
 * Rows without offsets but with an ASCII column: print_hex_dump with
 * DUMP_PREFIX_NONE ("[ 1.2] prefix: 20 00 00 00 …  ascii"), od -A n -t x1z.
 * In a kernel log other lines end the current dump; with `strict`, every line
 * must be such a row or the whole block is rejected (null).
 */
export function parseAsciiRows(block: Line[], strict: boolean): HexChunk[] | null {
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
