// Output formats, chosen by name. Data goes to the sink (stdout); diagnostics never do.
// A format's writer is loaded when it is used: JSON output loads neither the table writer
// (cli-table3) nor the pretty one, and chalk is loaded only when colour is written.
import { JsonWriter, NdjsonWriter } from './json.js';
import { loadColour } from './palette.js';
import type { Column, RowFn } from './table.js';
import type { MessageWriter, WriterOptions } from './types.js';

export type { Column, RowFn } from './table.js';
export type * from './types.js';

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

/** The JSON writers, which load nothing more: without waiting for a module. */
export function jsonWriter(format: 'json' | 'ndjson', opts: WriterOptions, records?: RecordView): MessageWriter {
  return format === 'json' ? new JsonWriter(opts.sink, records?.row, opts.tty ? 2 : 0) : new NdjsonWriter(opts.sink, records?.row);
}

export async function createWriter(format: FormatName, opts: WriterOptions, records?: RecordView): Promise<MessageWriter> {
  switch (format) {
    case 'pretty':
      if (opts.color) await loadColour();
      return new (await import('./pretty.js')).PrettyWriter(opts);
    case 'table': return new (await import('./table.js')).TableWriter(opts, records?.columns, records?.row);
    case 'json': case 'ndjson': return jsonWriter(format, opts, records);
    case 'hex':
      if (opts.color) await loadColour();
      return new (await import('./hex.js')).HexWriter(opts);
  }
}
export { fitTable, fitCell, tableWidth } from './fit.js';
