// Drawing a table of any length with cli-table3's look. cli-table3 lays a table out in time
// quadratic in its cells and spends ~60 µs on each cell's width, so a long table is drawn in
// parts with the widths of the whole, and a part whose cells are plain printable ASCII has its
// rows written straight into the frame cli-table3 draws for an empty row of those widths.
import Table from 'cli-table3';
import { longestLine } from './fit.js';

/** Rows cli-table3 lays out at once: its layout takes time quadratic in a table's cells. */
const PART_ROWS = 25;

/** Cells whose width is their length: printable ASCII, lines split by '\n'. */
const PLAIN = /^[\x20-\x7e\n]*$/;

type Rows = string[][];

function style(color: boolean) {
  return { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true };
}

/** cli-table3's text for a table; `colWidths` is filled in with the widths it worked out. */
function libraryTable(head: string[], rows: Rows, color: boolean, colWidths: number[]): string {
  const table = new Table({ head, style: style(color), colWidths });
  for (const r of rows) table.push(r);
  return table.toString();
}

const isPlain = (rows: Rows) => rows.every((r) => r.every((c) => PLAIN.test(c)));

/** The widths cli-table3 gives a plain part: its widest line plus a space each side. */
function plainWidths(rows: Rows): number[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, longestLine(c) + 2)));
  return widths;
}

/**
 * The borders of a body line, from cli-table3's own drawing of an empty row (border characters
 * and their colour codes never hold a space): border[i] comes before column i, the last after.
 */
function rowFrame(widths: number[], color: boolean): string[] {
  const line = libraryTable([], [widths.map(() => '')], color, [...widths]).split('\n')[1]!;
  return line.split(/ +/);
}

/** A plain part's body lines, as cli-table3 writes them: left-aligned, a space each side, top-aligned. */
function plainLines(rows: Rows, widths: number[], frame: string[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (!r.some((c) => c.includes('\n'))) {
      // One line (most rows): no split.
      let line = frame[0]!;
      r.forEach((text, i) => (line += ' ' + text + ' '.repeat(widths[i]! - 1 - text.length) + frame[i + 1]!));
      out.push(line);
      continue;
    }
    const cells = r.map((c) => c.split('\n'));
    const height = Math.max(1, ...cells.map((lines) => lines.length));
    for (let n = 0; n < height; n++) {
      let line = frame[0]!;
      cells.forEach((lines, i) => {
        const text = lines[n] ?? '';
        line += ' ' + text + ' '.repeat(widths[i]! - 1 - text.length) + frame[i + 1]!;
      });
      out.push(line);
    }
  }
  return out;
}

/**
 * The table cli-table3 draws for `head` and `rows` (compact: no line between rows). A longer one
 * is drawn in parts of `partRows` rows, each with the widths of the whole, joined where one's
 * bottom border and the next one's top would be: the same text, in linear time.
 */
export function drawTable(head: string[], rows: Rows, color: boolean, partRows = PART_ROWS): string {
  const parts: Rows[] = [];
  for (let at = 0; at < rows.length || at === 0; at += partRows) parts.push(rows.slice(at, at + partRows));
  if (parts.length === 1) return libraryTable(head, parts[0]!, color, []);
  const plain = parts.map((part, k) => isPlain(k === 0 ? [head, ...part] : part));
  const widths: number[] = [];
  parts.forEach((part, k) => {
    const measured = k === 0 ? [head, ...part] : part;
    const partWidths: number[] = plain[k] ? plainWidths(measured) : [];
    if (!plain[k]) libraryTable(k === 0 ? head : [], part, color, partWidths);
    partWidths.forEach((w, i) => (widths[i] = Math.max(widths[i] ?? 0, w)));
  });
  const top = libraryTable(head, parts[0]!, color, [...widths]).split('\n');
  const bottom = top.pop()!;
  const frame = rowFrame(widths, color);
  const body = parts.slice(1).map((part, k) =>
    plain[k + 1] ? plainLines(part, widths, frame) : libraryTable([], part, color, [...widths]).split('\n').slice(1, -1));
  return [...top, ...body.flat(), bottom].join('\n');
}
