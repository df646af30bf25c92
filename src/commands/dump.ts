// nlctl dump: one dump request, multipart to NLMSG_DONE, records for people and scripts.
import { AF_INET, AF_INET6, AF_UNSPEC, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_HDRLEN, fromHex, splitMessages, type RawMessage } from '../codec/index.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandContext } from '../context.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeMessage, decodeRecord, newContext, schemaFor, toRecord, type DecodedMessage, type FlatRecord, type Schema } from '../schema/index.js';
import { buildRequest, request, type RequestResult } from '../transport/index.js';
import { stopOnSignals } from './live.js';
import { DUMP_TARGETS, type DumpTarget } from './dump-targets.js';
import { recordFilter } from './dump-filter.js';
import { LinkNames } from './ifnames.js';
import { ipRecord } from './ip-records.js';
import { FastRecords } from './records-fast.js';
import { RecordObjects } from './records-objects.js';
import { RecordsJsonWriter } from './records-writer.js';
import { protocolOrThrow, typeOrThrow } from './names.js';
import { didYouMean } from '../suggest.js';

interface DumpOptions {
  proto?: string;
  type?: string;
  familyHeader?: string;
  4?: boolean;
  6?: boolean;
  messages?: boolean;
  netns?: string;
  timeout: number;
  retry: number;
  strict?: boolean;
  table?: string;
  dev?: string;
  family?: string;
  cmd?: string;
  attr?: string[];
  request?: string;
}

/** A reply read in place, kept: data[off..off+len), of nlmsg_type `type`. */
interface HeldAt {
  data: Uint8Array;
  off: number;
  len: number;
  type: number;
}

interface Plan {
  protocol: number;
  type: number;
  payload: Uint8Array;
  label: string;
  target?: DumpTarget;
}

function plan(what: string | undefined, o: DumpOptions): Plan {
  if (what) {
    const target = DUMP_TARGETS[what];
    if (!target) throw new UsageError(`cannot dump '${what}'${didYouMean(what, Object.keys(DUMP_TARGETS))} (known: ${Object.keys(DUMP_TARGETS).join(', ')}; or --proto P --type T)`);
    if (o.proto || o.type) throw new UsageError(`give either '${what}' or --proto/--type, not both`);
    const family = o[4] ? AF_INET : o[6] ? AF_INET6 : AF_UNSPEC;
    return { protocol: target.protocol, type: target.type, payload: target.header(family), label: target.label, target };
  }
  if (!o.proto || !o.type) throw new UsageError('what to dump? give link, addr, route, neigh, rule or family, or --proto P --type T');
  const protocol = protocolOrThrow(o.proto);
  const type = typeOrThrow(schemaFor(protocol), o.type);
  let payload: Uint8Array = new Uint8Array(0);
  if (o.familyHeader) {
    try {
      payload = fromHex(o.familyHeader);
    } catch (e) {
      throw new UsageError(`--family-header: ${(e as Error).message}`);
    }
  }
  return { protocol, type, payload, label: schemaFor(protocol).messages[type]?.name ?? `type ${type}` };
}

/**
 * How `what`'s records are made by the plans compiled from the tables (records-fast.ts): 'bytes',
 * the JSON text written as it is (JSON to a file or a pipe); 'objects', that text parsed for the
 * writers of objects (the table, pretty, indented JSON on a terminal); undefined: none.
 */
function fromPlans(out: Output, format: string, what: string): 'bytes' | 'objects' | undefined {
  if (!FastRecords.covers(what) || format === 'hex') return undefined;
  return format === 'ndjson' || (format === 'json' && !out.stream.isTTY) ? 'bytes' : 'objects';
}

export async function run(ctx: CommandContext, what: string | undefined, o: DumpOptions): Promise<void> {
  if (o.family !== undefined) {
    if (what || o.proto || o.type) throw new UsageError(`give either --family ${o.family} --cmd OP or '${what ?? '--proto/--type'}', not both`);
    return (await import('./dump-family.js')).run(ctx, { ...o, family: o.family });
  }
  const p = plan(what, o);
  const format = formatName(ctx.global, p.target && !o.messages ? 'table' : 'pretty');
  const schema: Schema = schemaFor(p.protocol);
  const out = new Output(ctx.io.stdout);
  const dctx = newContext();
  const asRecords = p.target !== undefined && !o.messages;
  // A link dump's records name the links they refer to (link, master) from the dump's own
  // replies, not from a second link dump before it: every record then waits for the end.
  const namesFromDump = asRecords && what === 'link';
  const planned = asRecords ? fromPlans(out, format, what!) : undefined;
  // Records from the plans are a large table's: the interface names are asked for once the
  // dump's request is sent, while its first replies are read on another thread.
  const filter = await recordFilter(what, o, ctx.transport, namesFromDump, planned !== undefined);
  const ownNames = namesFromDump ? new LinkNames(filter.names) : undefined;
  // The genl tables name the operations of `dump family`'s records, and load for that dump only.
  const genl = what === 'family' && asRecords ? await import('../schema/protocols/generic/index.js') : undefined;
  const opName = genl ? (family: string, cmd: number) => genl.genlOpByNumber(family, cmd)?.name : undefined;
  const shape = (rec: FlatRecord) => ipRecord(what!, rec, filter.names, opName);
  const records = asRecords ? { columns: p.target!.columns, row: (m: DecodedMessage) => shape(toRecord(m, schema)) } : undefined;
  const fast = planned ? new FastRecords({ what: what!, schema, filter, ctx: dctx }) : undefined;
  const general = (raw: RawMessage) => {
    const rec = decodeRecord(raw, schema, dctx);
    return rec && filter.keep(rec) ? shape(rec) : undefined;
  };
  const objects = planned === 'objects' ? new RecordObjects(fast!, general, await makeWriter(out, ctx.global, ctx.io.env, format, records)) : undefined;
  const bytes = objects?.bytes ?? (planned === 'bytes' ? new RecordsJsonWriter(out, fast!, general, format === 'ndjson') : undefined);
  const writer = objects ?? bytes ?? await makeWriter(out, ctx.global, ctx.io.env, format, records);
  const show = (raw: RawMessage) => {
    if (bytes) bytes.message(raw);
    else if (asRecords && format !== 'hex') {
      // Records straight from the bytes: the fast path for large tables.
      const rec = decodeRecord(raw, schema, dctx);
      if (rec && filter.keep(rec)) writer.write({ record: shape(rec) });
    } else writer.write({ message: decodeMessage(raw, schema, dctx), bytes: raw.bytes });
  };
  // Replies kept until the dump's end, when they are written (ownNames): those read in place as
  // where they are in their datagram (its data is the dump's to keep: no copy).
  const held: (RawMessage | HeldAt)[] = [];
  const hold = (raw: RawMessage) => {
    ownNames!.add(raw.header.type, raw.payload, () => raw);
    held.push(raw);
  };
  const holdAt = (data: Uint8Array, off: number, len: number, type: number) => {
    ownNames!.add(type, data.subarray(off + NLMSG_HDRLEN, off + len), () => splitMessages(data.subarray(off, off + len)).messages[0]);
    held.push({ data, off, len, type });
  };
  const showHeld = () => {
    for (const h of held) {
      if (!('data' in h)) show(h);
      else if (bytes) bytes.messageAt(h.data, h.off, h.len, h.type);
      else show(splitMessages(h.data.subarray(h.off, h.off + h.len)).messages[0]);
    }
  };
  // A dump shows no receive times. Its records as bytes are a large table's, read ahead; each
  // reply they write at once is read where it was received (views), unless replies are held.
  const inPlace = bytes !== undefined && !o.retry;
  const sock = ctx.transport(p.protocol, { netns: o.netns, strict: o.strict, receiveTimes: false, views: inPlace && !ownNames });
  const stop = stopOnSignals(sock, out, ctx.signals, ctx.io.stderr);
  let result: RequestResult;
  try {
    const message = buildRequest(p.type, NLM_F_REQUEST | NLM_F_DUMP, p.payload);
    // Without --retry, replies are shown as they arrive; a retried dump is shown once it is whole.
    for (let attempt = 0; ; attempt++) {
      result = await request(sock, message, {
        timeoutMs: o.timeout * 1000, label: p.label, onReply: o.retry ? undefined : ownNames ? hold : show, stopped: () => stop.reason !== undefined,
        // The records as bytes read each reply in place: no message objects for the largest dumps.
        onReplyAt: !inPlace ? undefined : ownNames ? holdAt : (data, off, len, type) => bytes.messageAt(data, off, len, type),
        onRunAt: !inPlace || ownNames ? undefined : (data, off) => bytes.runAt(data, off),
        ahead: bytes !== undefined,
        sent: bytes ? async () => {
          await filter.loadNames?.();
          if (p.target?.reply !== undefined) bytes.prepare(p.target.reply);
        } : undefined,
      });
      if (result.stopped || !result.interrupted || attempt >= o.retry) break;
    }
  } finally {
    stop.dispose();
    sock.close();
  }
  if (ownNames) {
    // Names of links the dump had not reached when it was stopped are not known: shown by index.
    for (const raw of result.replies) hold(raw);
    showHeld();
  } else for (const raw of result.replies) show(raw);
  if (result.stopped) {
    // Ctrl-C, SIGTERM or a closed pipe: what was read is written, and the exit says it is partial.
    writer.end();
    await out.flush();
    if (stop.reason !== 'EPIPE') {
      ctx.io.stderr.write(`nlctl: dump stopped (${stop.reason}) before its end: the output is partial\n`);
      ctx.exitCode = EXIT.SIGNALLED;
    }
    return;
  }
  if (result.interrupted) {
    const note = 'dump interrupted (NLM_F_DUMP_INTR): the table changed while it was read; results may be inconsistent' + (o.retry ? ` after ${o.retry} retries` : ' (use --retry N)');
    writer.event?.({ event: 'dump_interrupted', message: note });
    ctx.io.stderr.write(`nlctl: ${note}\n`);
    ctx.exitCode = EXIT.DUMP_INTERRUPTED;
  }
  writer.end();
  await out.flush();
}
