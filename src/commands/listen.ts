// nlctl listen: join multicast groups (numbers, rtnetlink names, genl family:group) or wait on
// a port id for unicast, and print every message the moment it arrives. Overruns are events
// with a running count; Ctrl-C, SIGTERM and a closed pipe end cleanly with a summary.
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { formatName, Output } from '../output.js';
import { schemaFor } from '../schema/index.js';
import { deadlineIn, receiveLoop } from '../transport/index.js';
import { stopOnSignals } from './live.js';
import { resolveGroups } from './listen-groups.js';
import { listenWriter } from './listen-output.js';
import { protocolOrThrow } from './names.js';
import { PcapFile } from './pcap-file.js';
import { MessageStream, nowNs } from './stream.js';
import { PolicyTyping } from './policy-typing.js';
import { NETLINK_GENERIC } from '../codec/index.js';

/**
 * Datagrams per receive call: under a flood the queue is full at every call, and 256 a call
 * took 14% less CPU than 64 for a flood of 300,000 (512 and 1024 gained a few percent more).
 */
const LISTEN_BATCH = 256;

interface ListenOptions {
  proto?: string;
  group?: string[];
  pid?: number;
  count?: number;
  timeout?: number;
  netns?: string;
  allNsid?: boolean;
  rcvbuf?: number;
  pcap?: string;
  timestamps?: boolean;
  verbose?: boolean;
}

export async function run(ctx: CommandContext, o: ListenOptions): Promise<void> {
  const format = formatName(ctx.global);
  // family:group names are generic netlink's, so they imply -p generic.
  const protocol = protocolOrThrow(o.proto ?? (o.group?.some((g) => g.includes(':')) ? 'generic' : 'route'));
  if (!o.group?.length && o.pid === undefined && !o.allNsid) {
    throw new UsageError('listen to what? give --group G (number, name, or family:group) and/or --pid PORTID');
  }
  const schema = schemaFor(protocol);
  const out = new Output(ctx.io.stdout);
  const sock = ctx.transport(protocol, { netns: o.netns, pid: o.pid, rcvbuf: o.rcvbuf, pktinfo: true, allNsid: o.allNsid, batch: LISTEN_BATCH });
  const stop = stopOnSignals(sock, out, ctx.signals, ctx.io.stderr);
  let pcap: PcapFile | undefined;
  try {
    const { groups, families } = await resolveGroups(sock, protocol, o.group ?? []);
    for (const g of groups) sock.join(g);
    // After joining: interface names looked up now are current for every event that follows.
    const writer = await listenWriter(out, ctx, format, protocol, o);
    pcap = o.pcap ? new PcapFile(o.pcap) : undefined;
    const stream = new MessageStream(protocol, schema, writer, pcap);
    for (const f of families) {
      stream.ctx.genlFamilies.set(f.id, f.name);
      if (f.reply) pcap?.familyTable(f.id, f.reply, nowNs());
    }
    if (protocol === NETLINK_GENERIC) stream.typing = new PolicyTyping(stream.ctx, ctx.transport, ctx.io.stderr, o.netns);
    ctx.io.stderr.write(`nlctl: listening on ${schema.name} port ${sock.portId}${groups.length ? ` groups ${groups.join(',')}` : ''}` +
      ` (receive buffer ${sock.receiveBufferSize()} bytes); Ctrl-C to stop\n`);
    const count = o.count;
    await receiveLoop(sock, {
      datagram: (dg) => {
        stream.show(dg);
        return count !== undefined && stream.counters.messages >= count;
      },
      overrun: () => stream.overrun(sock.drops()),
      idle: () => {
        stream.flush();
        if (stream.overrunPending) stream.overrunsLater(sock.drops());
      },
      pause: () => out.backpressure(),
    }, {
      deadline: o.timeout !== undefined ? deadlineIn(o.timeout * 1000) : Infinity,
      stopped: () => stop.reason !== undefined,
    });
    // Drops after the last overrun event (or with none read before a stop) count too: read now.
    stream.finalDrops(sock.drops(true) ?? undefined);
    await stream.settle();
    writer.end();
    pcap?.close();
    ctx.io.stderr.write(`nlctl: ${stream.summary()}\n`);
    if (count !== undefined && stream.counters.messages < count && !stop.reason) ctx.exitCode = EXIT.TIMEOUT;
  } finally {
    stop.dispose();
    sock.close();
    pcap?.close();
    await out.flush();
  }
}
