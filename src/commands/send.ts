// nlctl send: build any netlink message, send it, and show what comes back — replies, ACKs,
// errors with the kernel's extended-ACK text — as it arrives.
import type { CommandContext } from '../context.js';
import { EXIT, NetlinkError, TimeoutError, UsageError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeDatagram, newContext, type DecodeContext, type Schema } from '../schema/index.js';
import { locateMissing, locateOffset } from '../schema/extack-locate.js';
import { tablesUsed } from '../schema/decode.js';
import { NETLINK_GENERIC, NETLINK_USERSOCK, NLM_F_REQUEST, NLMSG_HDRLEN, NLMSG_MIN_TYPE } from '../codec/index.js';
import { allocateSeq, deadlineIn, receiveLoop, ReplyTracker, setSequence, type ReceiveHandlers } from '../transport/index.js';
import { groupMask, parseGroupList, stopOnSignals } from './live.js';
import { buildMessage, liveResolver, messageBytes, rawFamilyOptions, readBody, writeWarnings, type MessageOptions } from './message-builder.js';
import { PcapFile } from './pcap-file.js';
import { MessageStream, nowNs } from './stream.js';
import { PolicyTyping } from './policy-typing.js';
import { ynlMessage } from '../schema/ynl-json.js';
import { readAll } from '../stdin.js';
import { protocolOrThrow } from './names.js';
import { withIpNames } from './ip-names.js';

interface SendOptions extends MessageOptions {
  to?: number;
  toGroup?: string[];
  bindPid?: number;
  joinGroup?: string[];
  wait?: number;
  timeout?: number;
  dryRun?: boolean;
  echo?: boolean;
  netns?: string;
  pcap?: string;
  capAck?: boolean;
  repeat?: number;
  messages?: boolean;
  policy?: boolean;
}

export async function run(ctx: CommandContext, text: string | undefined, opts: SendOptions): Promise<void> {
  if (opts.policy) {
    if (opts.family === undefined) throw new UsageError('--policy needs --family F (a generic netlink family)');
    return (await import('./policy.js')).run(ctx, { family: opts.family, cmd: opts.cmd, netns: opts.netns, timeout: opts.timeout });
  }
  const format = formatName(ctx.global);
  const o = await withIpNames(opts, ctx.transport, opts.netns);
  const body = await readBody(o, text, () => readAll(ctx.io.stdin));
  const out = new Output(ctx.io.stdout);
  // -j with a spec family: each reply as YNL prints it (--messages: the decoded messages).
  const ynl = format === 'json' && !o.messages && (o.family !== undefined || o.request !== undefined);
  const writer = await makeWriter(out, ctx.global, ctx.io.env, format, ynl ? { columns: [], row: ynlMessage } : undefined);

  const needsSocket = !o.dryRun || (o.family !== undefined && !/^\d+$/.test(o.family) && o.family !== 'nlctrl' && !rawFamilyOptions(o));
  if (!needsSocket) {
    const m = await buildMessage(o, body);
    writeWarnings(m, ctx.io.stderr);
    const bytes = messageBytes(m, m.seq || allocateSeq(), m.pid);
    for (const d of decodeDatagram(bytes, m.schema, newContext())) writer.write({ message: d, bytes });
    writer.end();
    await out.flush();
    return;
  }

  const protoGuess = rawFamilyOptions(o)?.proto ?? (o.family ? 'generic' : o.proto);
  const sock = ctx.transport(protocolOf(protoGuess), { netns: o.netns, pid: o.bindPid, capAck: o.capAck, pktinfo: true });
  const stop = stopOnSignals(sock, out, ctx.signals, ctx.io.stderr);
  let pcap: PcapFile | undefined;
  try {
    const m = await buildMessage(o, body, liveResolver(sock));
    writeWarnings(m, ctx.io.stderr);
    const firstSeq = m.seq || allocateSeq();
    // Classic netlink examples put the sender's port id in nlmsg_pid; so do we unless told.
    const bytes = messageBytes(m, firstSeq, o.pid ?? sock.portId);
    const stream = new MessageStream(m.protocol, m.schema, writer, (pcap = o.pcap ? new PcapFile(o.pcap) : undefined));
    if (m.genl) stream.ctx.genlFamilies.set(m.genl.id, m.genl.name);
    // The policy that typed --attr also types the echo (replies of other ops ask for the family's).
    if (m.genl?.policy) (stream.ctx.genlPolicies ??= new Map()).set(m.genl.name, m.genl.policy);
    if (m.protocol === NETLINK_GENERIC && !o.dryRun) stream.typing = new PolicyTyping(stream.ctx, ctx.transport, ctx.io.stderr, o.netns);
    // The capture names the family itself: nlctrl's reply goes in before the first message.
    if (m.genl?.reply) pcap?.familyTable(m.genl.id, m.genl.reply, nowNs());
    if (o.dryRun) {
      stream.sent(bytes, true);
      return;
    }
    for (const g of parseGroupList(o.joinGroup ?? [], (n) => m.schema.groups?.[n], '--join-group')) sock.join(g);
    const toGroups = groupMask(parseGroupList(o.toGroup ?? [], (n) => m.schema.groups?.[n], '--to-group'));

    // --repeat sends the same message again with the next sequence numbers (floods, soak tests);
    // replies are matched against the last one.
    const repeat = o.repeat ?? 1;
    const tracker = new ReplyTracker((firstSeq + repeat - 1) >>> 0, m.flags, m.label);
    // Sending to another process or a group: nothing is owed to us unless --wait says so.
    const toKernel = (o.to ?? 0) === 0 && toGroups === 0;
    const owed = o.wait !== undefined || tracker.wantAck || tracker.wantDump;
    const timeoutMs = (o.timeout ?? (owed ? 5 : 1)) * 1000;
    let finished = !(owed || toKernel);
    const handlers: ReceiveHandlers = {
      datagram: (dg) => {
        for (const d of stream.received(dg)) {
          if (o.wait !== undefined) {
            if (stream.counters.messages >= o.wait) finished = true;
          } else tracker.take({ type: d.type, flags: d.flags, seq: d.seq, payload: dg.data.subarray(d.offset + NLMSG_HDRLEN, d.offset + Math.max(NLMSG_HDRLEN, d.len)) });
        }
        if (o.wait === undefined && tracker.finished) finished = true;
        return finished;
      },
      overrun: () => stream.overrun(sock.drops()),
      idle: () => {
        stream.flush();
        if (stream.overrunPending) stream.overrunsLater(sock.drops());
      },
      pause: () => out.backpressure(),
    };
    for (let i = 0; i < repeat; i++) {
      if (!m.raw) setSequence(bytes, (firstSeq + i) >>> 0);
      stream.sent(bytes, Boolean(o.echo));
      sock.send(bytes, { pid: o.to ?? 0, groups: toGroups });
      // The kernel answers inside sendto: read what is queued before the next send, or a
      // long --repeat overruns our receive buffer with its own replies.
      if (repeat > 1) {
        for (let b = sock.drain(); b.datagrams.length || b.overrun; b = sock.drain()) {
          if (b.overrun) handlers.overrun!();
          for (const dg of b.datagrams) handlers.datagram(dg);
        }
        // A signal or a closed pipe ends a long --repeat too (checked between sends).
        if (i % 64 === 63) await new Promise((r) => setImmediate(r));
        if (stop.reason) break;
      }
    }

    if (!finished && !stop.reason) {
      await receiveLoop(sock, handlers, { deadline: deadlineIn(timeoutMs), stopped: () => stop.reason !== undefined });
    }
    // After overruns, the total is read now (the last overruns may not have read it yet).
    if (stream.counters.overruns || stream.overrunPending) stream.finalDrops(sock.drops(true) ?? undefined);
    await stream.settle();
    stream.flush();
    const c = stream.counters;
    if (o.wait !== undefined || repeat > 1 || c.overruns || c.truncated) ctx.io.stderr.write(`nlctl: ${stream.summary()}\n`);
    if (tracker.failure) throw locateFailure(tracker.failure, bytes, m.schema, stream.ctx);
    if (!finished && (stop.reason === 'SIGINT' || stop.reason === 'SIGTERM')) ctx.exitCode = EXIT.SIGNALLED;
    if (!finished && !stop.reason) {
      const what = o.wait !== undefined ? `${o.wait} message(s), got ${stream.counters.messages}` : tracker.wantAck ? 'an ACK' : tracker.wantDump ? 'the end of the dump' : 'a reply';
      // The kernel skips a message that is not a request: say so rather than only that nothing came.
      const why = toKernel && !tracker.answered && !(m.flags & NLM_F_REQUEST) && m.type >= NLMSG_MIN_TYPE && m.schema.protocol !== NETLINK_USERSOCK
        ? ' (its flags lack NLM_F_REQUEST, and the kernel answers requests only: --flags request,…)' : '';
      if (owed) throw new TimeoutError(`${m.label}: waited ${timeoutMs / 1000} s for ${what}${why}`);
      if (!tracker.answered) ctx.io.stderr.write(`nlctl: no reply within ${timeoutMs / 1000} s${why || ' (use --wait N or --timeout S to wait longer)'}\n`);
    }
  } finally {
    stop.dispose();
    sock.close();
    pcap?.close();
    writer.end();
    await out.flush();
  }
}

function protocolOf(spec: string | undefined): number {
  return protocolOrThrow(spec ?? 'route');
}

/**
 * The kernel's extended ACK points at a byte of the request: when its echo did not name the
 * attribute (a capped echo), the request nlctl sent does.
 */
function locateFailure(e: NetlinkError, request: Uint8Array, schema: Schema, ctx: DecodeContext): NetlinkError {
  const x = e.extack;
  const wantOffset = x?.offset !== undefined && !x.attr && !x.field;
  const wantMissing = x?.missingType !== undefined && !x.missing;
  if (!x || (!wantOffset && !wantMissing)) return e;
  const sent = decodeDatagram(request, schema, ctx)[0];
  if (!sent) return e;
  const where = wantOffset ? locateOffset(sent, x.offset!) : undefined;
  const missing = wantMissing ? locateMissing(sent, tablesUsed, x.missingType!, x.missingNest) : undefined;
  return where || missing ? new NetlinkError(e.request, e.errno, { ...x, ...where, ...(missing ? { missing } : {}) }) : e;
}
