// Tables that fit the terminal: given the cells and the width, which columns stay and how wide
// each is. Columns marked droppable go first (least useful first) while the table is too wide;
// then the widest columns are narrowed until it fits, and their cells wrap (after commas,
// colons and slashes, or at spaces, where possible) or are cut with "…". No width (piped):
// full size.

export interface FitColumn {
  title: string;
  /** Dropped when the table cannot fit otherwise: higher goes first; undefined never goes. */
  drop?: number;
  /** A narrowed cell wraps onto more lines (default) or is cut short. */
  overflow?: 'wrap' | 'truncate';
  /** Narrowest this column gets before others are dropped (default 8, or its full width if less). */
  min?: number;
}

export interface Fitted {
  /** Indexes of the columns kept, in order. */
  keep: number[];
  /** Content width of each kept column (same order as keep). */
  widths: number[];
}

/** Width of a table drawn by cli-table3: one space of padding each side and a border between. */
export function tableWidth(contentWidths: number[]): number {
  return contentWidths.reduce((a, w) => a + w + 3, 1);
}

/** The width of a cell's widest line (most cells have one line: no split for them). */
export function longestLine(s: string): number {
  if (s.indexOf('\n') < 0) return s.length;
  return s.split('\n').reduce((a, l) => Math.max(a, l.length), 0);
}

export function fitTable(columns: FitColumn[], rows: string[][], width?: number): Fitted {
  const natural = columns.map((c, i) => rows.reduce((a, r) => Math.max(a, longestLine(r[i] ?? '')), longestLine(c.title)));
  let keep = columns.map((_, i) => i);
  if (width === undefined || tableWidth(natural) <= width) return { keep, widths: natural };
  const minOf = (i: number) => Math.min(natural[i], columns[i].min ?? 8);
  const fits = (idx: number[], w: (i: number) => number) => tableWidth(idx.map(w)) <= width;
  // The least useful columns go first, while the rest do not fit at full width.
  while (!fits(keep, (i) => natural[i])) {
    const droppable = keep.filter((i) => columns[i].drop !== undefined);
    if (!droppable.length) break;
    const worst = droppable.reduce((a, b) => ((columns[b].drop ?? 0) >= (columns[a].drop ?? 0) ? b : a));
    keep = keep.filter((i) => i !== worst);
  }
  const widths = keep.map((i) => natural[i]);
  const floor = keep.map((i) => (fits(keep, minOf) ? minOf(i) : Math.min(natural[i], 3)));
  // Narrow the widest column, one character at a time, until the table fits.
  while (tableWidth(widths) > width) {
    let widest = -1;
    for (let k = 0; k < widths.length; k++) if (widths[k] > floor[k] && (widest < 0 || widths[k] > widths[widest])) widest = k;
    if (widest < 0) break;
    widths[widest]--;
  }
  // Still too wide (a very narrow terminal): the last columns go, whatever they are.
  while (tableWidth(widths) > width && keep.length > 1) {
    keep.pop();
    widths.pop();
  }
  return { keep, widths };
}

/** Break text into lines of at most `width`, after a comma or at a space where one is near. */
export function wrapText(text: string, width: number): string {
  if (width < 1) return text;
  const out: string[] = [];
  for (let line of text.split('\n')) {
    while (line.length > width) {
      let cut = -1;
      for (let i = width; i > width / 3; i--) {
        if (line[i - 1] === ',' || line[i - 1] === '/' || line[i - 1] === ':' || line[i] === ' ') {
          cut = i;
          break;
        }
      }
      if (cut < 0) cut = width;
      out.push(line.slice(0, cut).trimEnd());
      line = line.slice(cut).trimStart();
    }
    out.push(line);
  }
  return out.join('\n');
}

export function truncateText(text: string, width: number): string {
  const line = text.split('\n')[0];
  return line.length <= width && !text.includes('\n') ? text : line.slice(0, Math.max(0, width - 1)) + '…';
}

/** The cell as shown in a column of this width. */
export function fitCell(text: string, width: number, overflow: FitColumn['overflow']): string {
  if (longestLine(text) <= width) return text;
  return overflow === 'truncate' ? truncateText(text, width) : wrapText(text, width);
}
