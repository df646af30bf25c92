// How listen prints: one line per event with interface names (the default), every attribute
// (--verbose), a table streamed row by row, ndjson and piped json by the fast JSON path
// (listen-fast.ts), or any other format as it is.
import { NETLINK_GENERIC, NETLINK_ROUTE } from '../codec/index.js';
import type { CommandContext } from '../context.js';
import type { FormatName, MessageWriter } from '../format/index.js';
import { InterfaceNames, MonitorWriter } from '../format/monitor.js';
import { loadColour } from '../format/palette.js';
import { StreamTableWriter } from '../format/stream-table.js';
import { makeWriter, writerOptions, type Output } from '../output.js';
import { fastFraming } from './decode-fast.js';
import { interfaceTable } from './ifnames.js';
import { FastLiveWriter } from './listen-fast.js';

export async function listenWriter(out: Output, ctx: CommandContext, format: FormatName, protocol: number, o: { netns?: string; verbose?: boolean; timestamps?: boolean }): Promise<MessageWriter> {
  const opts = writerOptions(out, ctx.global, ctx.io.env);
  if (format === 'table') return new StreamTableWriter(opts);
  const framing = fastFraming(format, opts.tty ?? false, ctx.io.env);
  if (framing) return new FastLiveWriter(out, framing);
  if (format !== 'pretty' || o.verbose) return makeWriter(out, ctx.global, ctx.io.env, format);
  let initial: Map<number, string> | undefined;
  // rtnetlink and genl events name interfaces by index: learn the current names once.
  if (protocol === NETLINK_ROUTE || protocol === NETLINK_GENERIC) {
    try {
      initial = await interfaceTable(ctx.transport, o.netns);
    } catch {
      initial = undefined; // names are then learnt from link events only
    }
  }
  if (opts.color) await loadColour();
  const lookup = initial ? () => interfaceTable(ctx.transport, o.netns) : undefined;
  return new MonitorWriter({ ...opts, names: new InterfaceNames(initial, lookup), timestamps: o.timestamps });
}
