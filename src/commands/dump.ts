// nlctl dump: one dump request, multipart to NLMSG_DONE, records for people and scripts.
import { NLM_F_DUMP, NLM_F_REQUEST, fromHex, type RawMessage } from '../codec/index.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../cli.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeMessage, decodeRecord, messageType, newContext, protocolNumber, schemaFor, toRecord, type DecodedMessage, type FlatRecord, type Schema } from '../schema/index.js';
import { buildRequest, NetlinkSocket, request, type RequestResult } from '../transport/index.js';
import { DUMP_TARGETS, type DumpTarget } from './dump-targets.js';

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
  family?: string;
  cmd?: string;
  attr?: string[];
  request?: string;
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
    if (!target) throw new UsageError(`cannot dump '${what}' (known: ${Object.keys(DUMP_TARGETS).join(', ')}; or --proto P --type T)`);
    if (o.proto || o.type) throw new UsageError(`give either '${what}' or --proto/--type, not both`);
    const family = o[4] ? 2 : o[6] ? 10 : 0;
    return { protocol: target.protocol, type: target.type, payload: target.header(family), label: target.label, target };
  }
  if (!o.proto || !o.type) throw new UsageError('what to dump? give link, addr, route, neigh, rule or family, or --proto P --type T');
  const protocol = protocolNumber(o.proto);
  if (protocol === undefined) throw new UsageError(`unknown protocol '${o.proto}'`);
  const type = messageType(schemaFor(protocol), o.type);
  if (type === undefined || type > 0xffff) throw new UsageError(`unknown message type '${o.type}' for protocol ${o.proto}`);
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

/** `ip route show` shows the main table only; so does `nlctl dump route`. */
function keepRecord(what: string | undefined, rec: FlatRecord): boolean {
  if (what === 'route') return rec.table === 254 || rec.table === 'main';
  return true;
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
  const records = asRecords ? { columns: p.target!.columns, row: (m: DecodedMessage) => toRecord(m, schema) } : undefined;
  const writer = makeWriter(out, ctx.global, ctx.io.env, format, records);
  const show = (raw: RawMessage) => {
    if (asRecords && format !== 'hex') {
      // Records straight from the bytes: the fast path for large tables.
      const rec = decodeRecord(raw, schema, dctx);
      if (rec && keepRecord(what, rec)) writer.write({ record: rec });
    } else writer.write({ message: decodeMessage(raw, schema, dctx), bytes: raw.bytes });
  };
  const sock = new NetlinkSocket(p.protocol, { netns: o.netns, strict: o.strict });
  let result: RequestResult;
  try {
    const message = buildRequest(p.type, NLM_F_REQUEST | NLM_F_DUMP, p.payload);
    // Without --retry, replies are shown as they arrive; a retried dump is shown once it is whole.
    for (let attempt = 0; ; attempt++) {
      result = await request(sock, message, { timeoutMs: o.timeout * 1000, label: p.label, onReply: o.retry ? undefined : show });
      if (!result.interrupted || attempt >= o.retry) break;
    }
  } finally {
    sock.close();
  }
  for (const raw of result.replies) show(raw);
  if (result.interrupted) {
    const note = 'dump interrupted (NLM_F_DUMP_INTR): the table changed while it was read; results may be inconsistent' + (o.retry ? ` after ${o.retry} retries` : ' (use --retry N)');
    writer.event?.({ event: 'dump_interrupted', message: note });
    ctx.io.stderr.write(`nlctl: warning: ${note}\n`);
  }
  writer.end();
  await out.flush();
}

