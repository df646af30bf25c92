// nlctl send: build any netlink message, send it, and show what comes back — replies, ACKs,
// errors with the kernel's extended-ACK text — as it arrives.
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR } from '../codec/index.js';
import type { CommandContext } from '../cli.js';
import { NetlinkError, TimeoutError, UsageError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeDatagram, newContext, protocolNumber } from '../schema/index.js';
import { allocateSeq, buildRequest, NetlinkSocket, type RecvEvent } from '../transport/index.js';
import { groupMask, parseGroupList, stopOnSignals } from './live.js';
import { buildMessage, liveResolver, rawFamilyOptions, readBody, type MessageOptions } from './message-builder.js';
import { PcapFile } from './pcap-file.js';
import { MessageStream } from './stream.js';
import { ynlMessage } from '../schema/ynl-json.js';
import { readFileSync } from 'node:fs';
import { readAll } from '../stdin.js';

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
}

export async function run(ctx: CommandContext, text: string | undefined, o: SendOptions): Promise<void> {
  const format = formatName(ctx.global);
  const body = await readBody(o, text, () => readAll(ctx.io.stdin));
  const out = new Output(ctx.io.stdout);
  // -j with a spec family: each reply as YNL prints it (--messages: the decoded messages).
  const ynl = format === 'json' && !o.messages && (o.family !== undefined || o.request !== undefined);
  const writer = makeWriter(out, ctx.global, ctx.io.env, format, ynl ? { columns: [], row: ynlMessage } : undefined);

  const needsSocket = !o.dryRun || (o.family !== undefined && !/^\d+$/.test(o.family) && o.family !== 'nlctrl' && !rawFamilyOptions(o));
  if (!needsSocket) {
    const m = await buildMessage(o, body);
    const bytes = buildRequest(m.type, m.flags, m.payload, m.seq || allocateSeq(), m.pid);
    for (const d of decodeDatagram(bytes, m.schema, newContext())) writer.write({ message: d, bytes });
    writer.end();
    await out.flush();
    return;
  }

  const protoGuess = rawFamilyOptions(o)?.proto ?? (o.family ? 'generic' : o.proto);
  const sock = new NetlinkSocket(protocolOf(protoGuess), { netns: o.netns, pid: o.bindPid, capAck: o.capAck, pktinfo: true });
  const stop = stopOnSignals(sock, out);
  let pcap: PcapFile | undefined;
  try {
    const m = await buildMessage(o, body, liveResolver(sock));
    const firstSeq = m.seq || allocateSeq();
    // Classic netlink examples put the sender's port id in nlmsg_pid; so do we unless told.
    const bytes = buildRequest(m.type, m.flags, m.payload, firstSeq, o.pid ?? sock.portId);
    const stream = new MessageStream(m.protocol, m.schema, writer, (pcap = o.pcap ? new PcapFile(o.pcap) : undefined));
    if (m.genl) stream.ctx.genlFamilies.set(m.genl.id, m.genl.name);
    if (o.dryRun) {
      stream.sent(bytes, true);
      return;
    }
    for (const g of parseGroupList(o.joinGroup ?? [], (n) => m.schema.groups?.[n], '--join-group')) sock.join(g);
    const toGroups = groupMask(parseGroupList(o.toGroup ?? [], (n) => m.schema.groups?.[n], '--to-group'));

    const expectAck = (m.flags & NLM_F_ACK) !== 0;
    const expectDump = (m.flags & NLM_F_DUMP) === NLM_F_DUMP;
    // Sending to another process or a group: nothing is owed to us unless --wait says so.
    const toKernel = (o.to ?? 0) === 0 && toGroups === 0;
    const expectSomething = o.wait !== undefined || expectAck || expectDump || toKernel;
    const timeoutMs = (o.timeout ?? (o.wait !== undefined || expectAck || expectDump ? 5 : 1)) * 1000;
    let failure: NetlinkError | undefined;
    let finished = !expectSomething;
    let gotReply = false;

    // --repeat sends the same message again with the next sequence numbers (floods, soak tests);
    // replies are matched against the last one.
    const repeat = o.repeat ?? 1;
    const seq = (firstSeq + repeat - 1) >>> 0;
    const handle = (ev: RecvEvent) => {
      if (ev.kind === 'overrun') {
        stream.overrun();
        return;
      }
      if (ev.kind !== 'datagram') return;
      for (const d of stream.received(ev.datagram)) {
        if (o.wait !== undefined) {
          if (stream.counters.messages >= o.wait) finished = true;
          continue;
        }
        if (d.seq !== seq) continue;
        gotReply = true;
        if (d.type === NLMSG_ERROR) {
          if (d.error && d.error.errno !== 0) failure = new NetlinkError(m.label, d.error.errno, d.error.extack);
          finished = true;
        } else if (d.type === NLMSG_DONE) {
          if (d.error && d.error.errno !== 0) failure = new NetlinkError(m.label, d.error.errno, d.error.extack);
          if (!expectAck) finished = true;
        } else if (!expectAck && !expectDump && !(d.flags & NLM_F_MULTI)) finished = true;
      }
    };
    for (let i = 0; i < repeat; i++) {
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, (firstSeq + i) >>> 0, true);
      stream.sent(bytes, Boolean(o.echo));
      sock.send(bytes, { pid: o.to ?? 0, groups: toGroups });
      // The kernel answers inside sendto: read what is queued before the next send, or a
      // long --repeat overruns our receive buffer with its own replies.
      if (repeat > 1) for (let ev = sock.receiveNow(); ev; ev = sock.receiveNow()) handle(ev);
    }

    const deadline = Date.now() + timeoutMs;
    while (!finished) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const ev = await sock.recv(left);
      if (ev.kind === 'woken') break;
      if (ev.kind === 'timeout') break;
      handle(ev);
    }
    if (stop.reason === 'SIGINT' || stop.reason === 'SIGTERM') ctx.exitCode = 130;
    const c = stream.counters;
    if (o.wait !== undefined || repeat > 1 || c.overruns || c.truncated) ctx.io.stderr.write(`nlctl: ${stream.summary()}\n`);
    if (failure) throw failure;
    if (!finished && !stop.reason) {
      const what = o.wait !== undefined ? `${o.wait} message(s), got ${stream.counters.messages}` : expectAck ? 'an ACK' : expectDump ? 'the end of the dump' : 'a reply';
      if (o.wait !== undefined || expectAck || expectDump) throw new TimeoutError(`${m.label}: waited ${timeoutMs / 1000} s for ${what}`);
      if (!gotReply) ctx.io.stderr.write(`nlctl: no reply within ${timeoutMs / 1000} s (use --wait N or --timeout S to wait longer)\n`);
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
  const n = protocolNumber(spec ?? 'route');
  if (n === undefined) throw new UsageError(`unknown protocol '${spec}' (a name like route, generic, test, or a number 0-31)`);
  return n;
}
