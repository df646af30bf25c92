// nlctl listen: join multicast groups (numbers, rtnetlink names, genl family:group) or wait on
// a port id for unicast, and print every message the moment it arrives. Overruns are events
// with a running count; Ctrl-C, SIGTERM and a closed pipe end cleanly with a summary.
import type { CommandContext } from '../context.js';
import { NETLINK_GENERIC } from '../codec/index.js';
import { EXIT, UsageError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { protocolNumber, schemaFor } from '../schema/index.js';
import { receiveLoop, resolveFamily, type GenlFamily, type Transport } from '../transport/index.js';
import { parseGroupList, stopOnSignals } from './live.js';
import { PcapFile } from './pcap-file.js';
import { MessageStream } from './stream.js';

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
}

/** genl groups are "family:group"; everything else is a number or a name in the protocol's table. */
async function resolveGroups(sock: Transport, protocol: number, specs: string[]): Promise<{ groups: number[]; families: GenlFamily[] }> {
  const schema = schemaFor(protocol);
  const families: GenlFamily[] = [];
  const plain: string[] = [];
  const groups: number[] = [];
  for (const word of specs.flatMap((s) => s.split(/[,\s]+/)).filter(Boolean)) {
    const colon = word.indexOf(':');
    if (colon < 0) {
      plain.push(word);
      continue;
    }
    if (protocol !== NETLINK_GENERIC) throw new UsageError(`--group ${word}: family:group names are for generic netlink (--proto generic)`);
    const famName = word.slice(0, colon);
    const grpName = word.slice(colon + 1);
    let fam = families.find((f) => f.name === famName);
    if (!fam) families.push((fam = await resolveFamily(sock, famName)));
    const id = fam.groups.get(grpName);
    if (id === undefined) throw new UsageError(`family ${famName} has no multicast group '${grpName}' (it has: ${[...fam.groups.keys()].join(', ') || 'none'})`);
    groups.push(id);
  }
  const names = schema.groups ?? {};
  groups.push(...parseGroupList(plain, (n) => names[n.toLowerCase()] ?? names[n.toLowerCase().replace(/^rtnlgrp_/, '').replace(/_/g, '-')]));
  return { groups, families };
}

export async function run(ctx: CommandContext, o: ListenOptions): Promise<void> {
  const format = formatName(ctx.global);
  const protocol = protocolNumber(o.proto ?? 'route');
  if (protocol === undefined) throw new UsageError(`unknown protocol '${o.proto}'`);
  if (!o.group?.length && o.pid === undefined && !o.allNsid) {
    throw new UsageError('listen to what? give --group G (number, name, or family:group) and/or --pid PORTID');
  }
  const schema = schemaFor(protocol);
  const out = new Output(ctx.io.stdout);
  const writer = makeWriter(out, ctx.global, ctx.io.env, format);
  const sock = ctx.transport(protocol, { netns: o.netns, pid: o.pid, rcvbuf: o.rcvbuf, pktinfo: true, allNsid: o.allNsid });
  const stop = stopOnSignals(sock, out, ctx.signals);
  let pcap: PcapFile | undefined;
  try {
    const { groups, families } = await resolveGroups(sock, protocol, o.group ?? []);
    for (const g of groups) sock.join(g);
    pcap = o.pcap ? new PcapFile(o.pcap) : undefined;
    const stream = new MessageStream(protocol, schema, writer, pcap);
    for (const f of families) stream.ctx.genlFamilies.set(f.id, f.name);
    ctx.io.stderr.write(`nlctl: listening on ${schema.name} port ${sock.portId}${groups.length ? ` groups ${groups.join(',')}` : ''}` +
      ` (receive buffer ${sock.receiveBufferSize()} bytes); Ctrl-C to stop\n`);
    const count = o.count;
    await receiveLoop(sock, {
      datagram: (dg) => {
        stream.received(dg);
        return count !== undefined && stream.counters.messages >= count;
      },
      overrun: () => stream.overrun(sock.drops()),
      idle: () => stream.flush(),
      pause: () => out.backpressure(),
    }, {
      deadline: o.timeout !== undefined ? Date.now() + o.timeout * 1000 : Infinity,
      stopped: () => stop.reason !== undefined,
    });
    // Drops after the last overrun event (or with none read before a stop) count too.
    stream.noteDrops(sock.drops());
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
