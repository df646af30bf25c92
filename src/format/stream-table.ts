// table, streamed: for commands that run until stopped (listen), rows are printed as they
// come under one header, in columns of fixed width; on a terminal the last column is cut to
// fit, piped it is printed in full.
import type { FlatRecord } from '../schema/index.js';
import { cell, MESSAGE_COLUMNS, messageRow, type Column, type RowFn } from './table.js';
import { truncateText } from './fit.js';
import type { MessageWriter, OutputEvent, OutputItem, WriterOptions } from './types.js';

const WIDTHS: Record<string, number> = { time: 27, dir: 3, type: 16, flags: 12, seq: 10, pid: 10 };

export class StreamTableWriter implements MessageWriter {
  private headed = false;
  private readonly columns: Column[];
  constructor(private readonly opts: WriterOptions, columns: Column[] = MESSAGE_COLUMNS, private readonly rowFn: RowFn = messageRow) {
    this.columns = columns;
  }

  private line(values: string[]): string {
    const parts = values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(WIDTHS[this.columns[i].key] ?? 12)));
    const text = parts.join(' ').trimEnd();
    return this.opts.width ? truncateText(text, this.opts.width) : text;
  }

  private row(r: FlatRecord): void {
    if (!this.headed) {
      this.headed = true;
      this.opts.sink.write(this.line(this.columns.map((c) => c.title)) + '\n');
    }
    this.opts.sink.write(this.line(this.columns.map((c) => (c.show ? c.show(r[c.key]) : cell(r[c.key])))) + '\n');
  }

  write(item: OutputItem): void {
    const r = 'record' in item ? item.record : this.rowFn(item.message);
    if (r) this.row(r);
  }

  event(e: OutputEvent): void {
    this.row({ time: e.time ?? '', type: e.event.toUpperCase(), summary: e.message });
  }

  end(): void {}
}
