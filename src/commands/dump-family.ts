// nlctl dump --family F --cmd OP: a dump of a spec family's operation (generic netlink by name,
// or a netlink-raw family such as the test module's). With -j each reply is one object in
// YNL's --output-json shape, in one array; --messages gives the decoded messages instead.
import { NLM_F_DUMP, NLM_F_REQUEST, type RawMessage } from '../codec/index.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeMessage, newContext } from '../schema/index.js';
import { ynlMessage } from '../schema/ynl-json.js';
import { GENERAL, ynlFast } from '../schema/ynl-fast.js';
import { genlOp } from '../schema/protocols/generic/index.js';
import { specFamily } from '../schema/ynl/index.js';
import { buildRequest, request, type RequestResult } from '../transport/index.js';
import { buildMessage, liveResolver } from './message-builder.js';
import { PolicyTyping } from './policy-typing.js';

export interface FamilyDumpOptions {
  family: string;
  cmd?: string;
  attr?: string[];
  request?: string;
  messages?: boolean;
  netns?: string;
  timeout: number;
  retry: number;
  strict?: boolean;
  proto?: string;
  type?: string;
}

export async function run(ctx: CommandContext, o: FamilyDumpOptions): Promise<void> {
  const fam = specFamily(o.family);
  if (!o.cmd) throw new UsageError(`--family ${o.family} needs --cmd OP (nlctl spec ${o.family} lists them)`);
  const raw = fam?.protocol === 'netlink-raw';
  const op = raw ? fam!.ops.find((x) => x.name === o.cmd || x.cName === o.cmd!.toUpperCase().replace(/-/g, '_')) : genlOp(o.family, o.cmd);
  if (fam && !op) throw new UsageError(`family ${o.family} has no operation '${o.cmd}' (it has: ${fam.ops.filter((x) => x.dump).map((x) => x.name).join(', ')})`);
  if (op && !op.dump) throw new UsageError(`${o.family} ${op.name} cannot dump (its modes: ${[op.do ? 'do' : '', op.notify ? 'notify' : '', op.event ? 'event' : ''].filter(Boolean).join(', ') || 'none'}); use nlctl send`);

  const sock = ctx.transport(raw ? fam!.protonum : 16, { netns: o.netns, strict: o.strict });
  const format = formatName(ctx.global);
  const out = new Output(ctx.io.stdout);
  const records = format === 'json' && !o.messages ? { columns: [], row: ynlMessage } : undefined;
  const writer = await makeWriter(out, ctx.global, ctx.io.env, format, records);
  const dctx = newContext();
  let result: RequestResult;
  try {
    const m = await buildMessage(raw
      ? { proto: String(fam!.protonum), type: String(op!.reqValue), attr: o.attr, request: o.request, flags: 'request,dump', specSchema: fam!.schema }
      : { family: o.family, cmd: o.cmd, attr: o.attr, request: o.request, flags: 'request,dump' }, undefined, liveResolver(sock));
    if (m.genl) dctx.genlFamilies.set(m.genl.id, m.genl.name);
    // A netlink-raw family's replies are read with its own spec's tables.
    const schema = raw ? { ...fam!.schema, name: m.schema.name } : m.schema;
    // Attributes no table knows are typed by the kernel's policy of the family, asked for when one appears.
    const typing = raw ? undefined : new PolicyTyping(dctx, ctx.transport, ctx.io.stderr, o.netns);
    const show = (r: RawMessage) => {
      // YNL's objects straight from the bytes where the tables know every attribute (and no
      // earlier message waits for a policy); else the decoded message, shaped by the writer.
      if (records && !typing?.busy) {
        const y = ynlFast(r, schema, dctx);
        if (y !== GENERAL) return void (y && writer.write({ record: y }));
      }
      const msg = decodeMessage(r, schema, dctx);
      if (!typing) return writer.write({ message: msg, bytes: r.bytes });
      let bytes = r.bytes;
      typing.pass([msg], () => {
        const copy = { ...r, bytes: r.bytes.slice(), payload: r.payload.slice() };
        bytes = copy.bytes;
        return () => [decodeMessage(copy, schema, dctx)];
      }, (ms) => writer.write({ message: ms[0], bytes }));
    };
    const message = buildRequest(m.type, NLM_F_REQUEST | NLM_F_DUMP, m.payload);
    for (let attempt = 0; ; attempt++) {
      result = await request(sock, message, { timeoutMs: o.timeout * 1000, label: m.label, onReply: o.retry ? undefined : show });
      if (!result.interrupted || attempt >= o.retry) break;
    }
    for (const r of result.replies) show(r);
    await typing?.settle();
  } finally {
    sock.close();
  }
  if (result.interrupted) {
    const note = 'dump interrupted (NLM_F_DUMP_INTR): the table changed while it was read; results may be inconsistent' + (o.retry ? ` after ${o.retry} retries` : ' (use --retry N)');
    writer.event?.({ event: 'dump_interrupted', message: note });
    ctx.io.stderr.write(`nlctl: warning: ${note}\n`);
  }
  writer.end();
  await out.flush();
}
