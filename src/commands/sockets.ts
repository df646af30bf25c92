// nlctl sockets: the netlink sockets on the system — protocol, port id, groups, queues, drops,
// owning process — from NETLINK_SOCK_DIAG (netlink_diag), or /proc/net/netlink where that is
// missing. Answers "who is listening on protocol 25, and is anyone dropping?".
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { NETLINK_SOCK_DIAG, NLM_F_DUMP, NLM_F_REQUEST, SOCK_DIAG_BY_FAMILY, type RawMessage } from '../codec/index.js';
import type { CommandContext } from '../context.js';
import { NetlinkError, SyscallError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { protocolOrThrow } from './names.js';
import { decodeRecord, newContext, protocolName, protocolNumber, schemaFor, structSize, type FlatRecord } from '../schema/index.js';
import { encodeStruct } from '../schema/encode.js';
import { buildRequest, enterNetns, parseProcNetlink as procRows, request, type TransportFactory } from '../transport/index.js';

interface SocketsOptions {
  proto?: string;
  pid?: number;
  netns?: string;
  source?: 'diag' | 'proc';
}

export interface NetlinkSocketInfo {
  protocol: string;
  protocol_number: number;
  portid: number;
  groups: number[];
  dst_portid?: number;
  dst_group?: number;
  rmem: number;
  rcvbuf?: number;
  wmem: number;
  sndbuf?: number;
  drops: number;
  inode: number;
  flags?: string[];
  process?: string;
}

type Num = number | undefined;

/** netlink_diag_req.sdiag_protocol: every protocol. */
const NDIAG_PROTO_ALL = 255;

/** One netlink_diag reply, decoded through the sock_diag tables, as one socket. */
export function socketFromRecord(rec: FlatRecord): NetlinkSocketInfo | undefined {
  const proto = typeof rec.protocol === 'number' ? rec.protocol : protocolNumber(String(rec.protocol));
  if (proto === undefined || typeof rec.portid !== 'number') return undefined;
  const mem = (rec.meminfo && typeof rec.meminfo === 'object' && !Array.isArray(rec.meminfo) ? rec.meminfo : {}) as Record<string, Num>;
  const info: NetlinkSocketInfo = {
    protocol: protocolName(proto), protocol_number: proto, portid: rec.portid,
    groups: Array.isArray(rec.groups) ? (rec.groups as number[]) : [],
    dst_portid: rec.dst_portid as Num, dst_group: rec.dst_group as Num, inode: rec.ino as number,
    rmem: mem.rmem_alloc ?? 0, wmem: mem.wmem_alloc ?? 0, drops: mem.drops ?? 0,
  };
  if (rec.meminfo) Object.assign(info, { rcvbuf: mem.rcvbuf, sndbuf: mem.sndbuf });
  if (Array.isArray(rec.flags)) info.flags = rec.flags as string[];
  return info;
}

/** /proc/net/netlink's rows as sockets (it has no buffer sizes or flags). */
export function parseProcNetlink(text: string): NetlinkSocketInfo[] {
  return procRows(text).map((r) => ({
    protocol: protocolName(r.protocol), protocol_number: r.protocol, portid: r.portid, groups: r.groups,
    rmem: r.rmem, wmem: r.wmem, drops: r.drops, inode: r.inode,
  }));
}

/** A netlink_diag dump of every protocol's sockets, request and replies through the sock_diag tables. */
async function fromDiag(transport: TransportFactory, netns?: string): Promise<NetlinkSocketInfo[]> {
  const schema = schemaFor(NETLINK_SOCK_DIAG);
  const req = encodeStruct(schema.structs.netlink_diag_req, {
    sdiag_family: 'AF_NETLINK', sdiag_protocol: String(NDIAG_PROTO_ALL), ndiag_show: 'meminfo,groups,flags',
  }, schema, (d) => structSize(d, schema));
  const sock = transport(NETLINK_SOCK_DIAG, { netns });
  try {
    const r = await request(sock, buildRequest(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, req), { label: 'SOCK_DIAG_BY_FAMILY netlink' });
    const dctx = newContext();
    // A socket that is both bound and in a multicast group can be reported twice: keep one per inode.
    const byInode = new Map<string, NetlinkSocketInfo>();
    for (const m of r.replies as RawMessage[]) {
      const rec = decodeRecord(m, schema, dctx);
      const s = rec && socketFromRecord(rec);
      if (s) byInode.set(`${s.protocol_number}/${s.inode}/${s.portid}`, s);
    }
    return [...byInode.values()];
  } finally {
    sock.close();
  }
}

/** /proc/net/netlink of the namespace asked for (this process enters it, as a socket there would). */
function fromProc(netns?: string): NetlinkSocketInfo[] {
  if (netns) enterNetns(netns);
  return parseProcNetlink(readFileSync('/proc/self/net/netlink', 'utf8'));
}

/** inode → "name/pid" for every process whose file descriptors we can read. */
function socketOwners(): Map<number, string> {
  const owners = new Map<number, string>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return owners;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    let comm: string | undefined;
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m) continue;
      comm ??= (() => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        } catch {
          return '?';
        }
      })();
      const ino = Number(m[1]);
      const prev = owners.get(ino);
      owners.set(ino, prev ? `${prev},${comm}/${pid}` : `${comm}/${pid}`);
    }
  }
  return owners;
}

const COLUMNS = ['protocol', 'portid', 'groups', 'rmem', 'rcvbuf', 'drops', 'inode', 'process'].map((k) => ({ key: k, title: k }));

/** Sockets are records from the start: there are no messages to flatten. */
const toRecordless = () => undefined;

export async function run(ctx: CommandContext, o: SocketsOptions): Promise<void> {
  const format = formatName(ctx.global, 'table');
  const proto = o.proto === undefined ? undefined : protocolOrThrow(o.proto);
  let sockets: NetlinkSocketInfo[];
  if (o.source === 'proc') sockets = fromProc(o.netns);
  else {
    try {
      sockets = await fromDiag(ctx.transport, o.netns);
    } catch (e) {
      // No netlink_diag in this kernel (or not allowed): /proc has the basics.
      if (o.source === 'diag' || !(e instanceof NetlinkError || e instanceof SyscallError)) throw e;
      ctx.io.stderr.write(`nlctl: sock_diag unavailable (${e.message}); reading /proc/net/netlink\n`);
      sockets = fromProc(o.netns);
    }
  }
  const owners = socketOwners();
  const rows = sockets
    .filter((s) => (proto === undefined || s.protocol_number === proto) && (o.pid === undefined || s.portid === o.pid))
    .map((s) => ({ ...s, ...(owners.has(s.inode) ? { process: owners.get(s.inode) } : {}) }))
    .sort((a, b) => a.protocol_number - b.protocol_number || a.portid - b.portid);
  const out = new Output(ctx.io.stdout);
  const writer = await makeWriter(out, ctx.global, ctx.io.env, format === 'pretty' ? 'table' : format, { columns: COLUMNS, row: toRecordless });
  for (const s of rows) writer.write({ record: s as unknown as FlatRecord });
  writer.end();
  await out.flush();
}
