// table: rows that fit, drawn with cli-table3. Dump shortcuts give their own columns; any other
// message stream gets one row per message (time, direction, type, flags, seq, pid, summary).
import type { DecodedMessage, FlatRecord, JsonValue } from '../schema/index.js';
import { fitCell, fitTable, type FitColumn } from './fit.js';
import { drawTable } from './table-draw.js';
import type { MessageWriter, OutputEvent, OutputItem, WriterOptions } from './types.js';

export interface Column extends FitColumn {
  key: string;
  title: string;
  /** How to show the value when a plain rendering would not fit (e.g. a count for a list). */
  show?: (v: JsonValue | undefined) => string;
}

export type RowFn = (m: DecodedMessage) => FlatRecord | undefined;

export function cell(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function summary(m: DecodedMessage): string {
  if (m.error) return m.error.errno ? `${m.error.name}${m.error.extack?.msg ? ': ' + m.error.extack.msg : ''}` : 'ACK';
  if (m.payload?.text !== undefined) return JSON.stringify(m.payload.text);
  if (m.attrs) return m.attrs.slice(0, 3).map((a) => `${a.name ?? a.type}=${cell(a.value ?? a.hex)}`).join(' ');
  return m.payload ? m.payload.hex.slice(0, 32) : '';
}

/** Messages as rows; on a narrow terminal pid, seq, flags and direction go first, the summary is cut. */
export const MESSAGE_COLUMNS: Column[] = [
  { key: 'time', title: 'time', min: 15 }, { key: 'dir', title: 'dir', drop: 1 }, { key: 'type', title: 'type', min: 12 },
  { key: 'flags', title: 'flags', drop: 2 }, { key: 'seq', title: 'seq', drop: 3 }, { key: 'pid', title: 'pid', drop: 4 },
  { key: 'summary', title: 'summary', overflow: 'truncate', min: 16 },
];

export function messageRow(m: DecodedMessage): FlatRecord {
  return {
    time: m.meta?.time ?? '', dir: m.meta?.direction ?? '', type: m.type_name ?? m.type, flags: m.flag_names.join(','),
    seq: m.seq, pid: m.pid, summary: summary(m),
  };
}

export class TableWriter implements MessageWriter {
  /** Each row's cells, made as it comes: a long dump keeps its text, not its records. */
  private readonly cells: string[][] = [];
  private readonly columns: Column[];
  private readonly rowFn: RowFn;

  constructor(private readonly opts: WriterOptions, columns?: Column[], rowFn?: RowFn) {
    this.columns = columns ?? MESSAGE_COLUMNS;
    this.rowFn = rowFn ?? messageRow;
  }

  private add(r: FlatRecord): void {
    this.cells.push(this.columns.map((c) => (c.show ? c.show(r[c.key]) : cell(r[c.key]))));
  }

  write(item: OutputItem): void {
    const row = 'record' in item ? item.record : this.rowFn(item.message);
    if (row) this.add(row);
  }

  event(e: OutputEvent): void {
    this.add({ time: e.time ?? '', type: e.event.toUpperCase(), summary: e.message });
  }

  end(): void {
    const cells = this.cells;
    const { keep, widths } = fitTable(this.columns, cells, this.opts.width);
    const cols = keep.map((i) => this.columns[i]);
    const head = cols.map((c, k) => fitCell(c.title, widths[k], 'wrap'));
    const rows = cells.map((r) => keep.map((i, k) => fitCell(r[i], widths[k], this.columns[i].overflow)));
    this.opts.sink.write(drawTable(head, rows, Boolean(this.opts.color)) + '\n');
  }
}
