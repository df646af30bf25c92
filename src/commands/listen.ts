// nlctl listen: join multicast groups (numbers, rtnetlink names, genl family:group) or wait on
// a port id for unicast, and print every message the moment it arrives. Overruns are events
// with a running count; Ctrl-C, SIGTERM and a closed pipe end cleanly with a summary.
import type { CommandContext } from '../cli.js';
import { UsageError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { protocolNumber, schemaFor } from '../schema/index.js';
import { NetlinkSocket, resolveFamily, type GenlFamily } from '../transport/index.js';
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
async function resolveGroups(sock: NetlinkSocket, protocol: number, specs: string[]): Promise<{ groups: number[]; families: GenlFamily[] }> {
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
    if (protocol !== 16) throw new UsageError(`--group ${word}: family:group names are for generic netlink (--proto generic)`);
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
  // family:group names are generic netlink's, so they imply -p generic.
  const protocol = protocolNumber(o.proto ?? (o.group?.some((g) => g.includes(':')) ? 'generic' : 'route'));
  if (protocol === undefined) throw new UsageError(`unknown protocol '${o.proto}'`);
  if (!o.group?.length && o.pid === undefined && !o.allNsid) {
    throw new UsageError('listen to what? give --group G (number, name, or family:group) and/or --pid PORTID');
  }
  const schema = schemaFor(protocol);
  const out = new Output(ctx.io.stdout);
  const writer = makeWriter(out, ctx.global, ctx.io.env, format);
  const sock = new NetlinkSocket(protocol, { netns: o.netns, pid: o.pid, rcvbuf: o.rcvbuf, pktinfo: true, allNsid: o.allNsid });
  const stop = stopOnSignals(sock, out);
  let pcap: PcapFile | undefined;
  try {
    const { groups, families } = await resolveGroups(sock, protocol, o.group ?? []);
    for (const g of groups) sock.join(g);
    pcap = o.pcap ? new PcapFile(o.pcap) : undefined;
    const stream = new MessageStream(protocol, schema, writer, pcap);
    for (const f of families) stream.ctx.genlFamilies.set(f.id, f.name);
    ctx.io.stderr.write(`nlctl: listening on ${schema.name} port ${sock.portId}${groups.length ? ` groups ${groups.join(',')}` : ''}` +
      ` (receive buffer ${sock.receiveBufferSize()} bytes); Ctrl-C to stop\n`);
    const deadline = o.timeout !== undefined ? Date.now() + o.timeout * 1000 : Infinity;
    while (o.count === undefined || stream.counters.messages < o.count) {
      const left = deadline === Infinity ? -1 : deadline - Date.now();
      if (deadline !== Infinity && left <= 0) break;
      const ev = await sock.recv(left);
      if (ev.kind === 'woken' || ev.kind === 'timeout') break;
      if (ev.kind === 'overrun') stream.overrun();
      else stream.received(ev.datagram);
    }
    writer.end();
    ctx.io.stderr.write(`nlctl: ${stream.summary()}\n`);
    if (o.count !== undefined && stream.counters.messages < o.count && !stop.reason) ctx.exitCode = 6;
  } finally {
    stop.dispose();
    sock.close();
    pcap?.close();
    await out.flush();
  }
}
