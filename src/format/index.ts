// Output formats, chosen by name. Data goes to the sink (stdout); diagnostics never do.
import { HexWriter } from './hex.js';
import { JsonWriter, NdjsonWriter } from './json.js';
import { PrettyWriter } from './pretty.js';
import { TableWriter, type Column, type RowFn } from './table.js';
import type { MessageWriter, WriterOptions } from './types.js';

export type { Column, RowFn } from './table.js';
export type * from './types.js';
export { renderMessage, chalkFor } from './pretty.js';
export { renderHexLayout } from './hex.js';

export const FORMATS = ['pretty', 'table', 'json', 'ndjson', 'hex'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormat(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/** Records: how a command turns messages into rows (tables) and flat objects (JSON). */
export interface RecordView {
  columns: Column[];
  row: RowFn;
}

export function createWriter(format: FormatName, opts: WriterOptions, records?: RecordView): MessageWriter {
  switch (format) {
    case 'pretty': return new PrettyWriter(opts);
    case 'table': return new TableWriter(opts, records?.columns, records?.row);
    case 'json': return new JsonWriter(opts.sink, records?.row, opts.tty ? 2 : 0);
    case 'ndjson': return new NdjsonWriter(opts.sink, records?.row);
    case 'hex': return new HexWriter(opts);
  }
}
export { MonitorWriter, InterfaceNames, ipTimestamp, monitorLine } from './monitor.js';
export { StreamTableWriter } from './stream-table.js';
export { fitTable, fitCell, tableWidth } from './fit.js';
