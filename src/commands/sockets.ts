// nlctl sockets: the netlink sockets on the system — protocol, port id, groups, queues, drops,
// owning process — from NETLINK_SOCK_DIAG (netlink_diag), or /proc/net/netlink where that is
// missing. Answers "who is listening on protocol 25, and is anyone dropping?".
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { NLM_F_DUMP, NLM_F_REQUEST, parseAttrs, view } from '../codec/index.js';
import type { CommandContext } from '../cli.js';
import { NetlinkError, SyscallError } from '../errors.js';
import { formatName, makeWriter, Output } from '../output.js';
import { protocolName, type FlatRecord } from '../schema/index.js';
import { buildRequest, NetlinkSocket, request } from '../transport/index.js';
import { protocolOrThrow } from './names.js';

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

const SOCK_DIAG_BY_FAMILY = 20;
const AF_NETLINK = 16;
const NDIAG_SHOW_MEMINFO = 1, NDIAG_SHOW_GROUPS = 2, NDIAG_SHOW_FLAGS = 8;
// netlink_diag attributes start at 0 (NETLINK_DIAG_MEMINFO), unlike most sets.
const NETLINK_DIAG_MEMINFO = 0, NETLINK_DIAG_GROUPS = 1, NETLINK_DIAG_FLAGS = 4;
// sk_meminfo indexes (<linux/sock_diag.h> SK_MEMINFO_*).
const MEM_RMEM_ALLOC = 0, MEM_RCVBUF = 1, MEM_WMEM_ALLOC = 2, MEM_SNDBUF = 3, MEM_DROPS = 8;
const DIAG_FLAGS = ['cb_running', 'pktinfo', 'broadcast_error', 'no_enobufs', 'listen_all_nsid', 'cap_ack'];

function groupsFromBitmap(b: Uint8Array): number[] {
  const out: number[] = [];
  const v = view(b);
  for (let w = 0; w * 4 + 4 <= b.length; w++) {
    const bits = v.getUint32(w * 4, true);
    for (let i = 0; i < 32; i++) if (bits & (1 << i)) out.push(w * 32 + i + 1);
  }
  return out;
}

/** struct netlink_diag_msg (28 bytes) + attributes → one socket. */
export function parseDiagMessage(payload: Uint8Array): NetlinkSocketInfo | undefined {
  if (payload.length < 28) return undefined;
  const v = view(payload);
  const proto = v.getUint8(2);
  const info: NetlinkSocketInfo = {
    protocol: protocolName(proto), protocol_number: proto, portid: v.getUint32(4, true), groups: [],
    dst_portid: v.getUint32(8, true), dst_group: v.getUint32(12, true), inode: v.getUint32(16, true), rmem: 0, wmem: 0, drops: 0,
  };
  for (const a of parseAttrs(payload.subarray(28)).attrs) {
    const av = view(a.value);
    if (a.type === NETLINK_DIAG_MEMINFO && a.value.length >= 36) {
      info.rmem = av.getUint32(MEM_RMEM_ALLOC * 4, true);
      info.rcvbuf = av.getUint32(MEM_RCVBUF * 4, true);
      info.wmem = av.getUint32(MEM_WMEM_ALLOC * 4, true);
      info.sndbuf = av.getUint32(MEM_SNDBUF * 4, true);
      info.drops = av.getUint32(MEM_DROPS * 4, true);
    } else if (a.type === NETLINK_DIAG_GROUPS) info.groups = groupsFromBitmap(a.value);
    else if (a.type === NETLINK_DIAG_FLAGS && a.value.length >= 4) {
      const f = av.getUint32(0, true);
      info.flags = DIAG_FLAGS.filter((_, i) => f & (1 << i));
    }
  }
  return info;
}

/** /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode (groups: first 32 only). */
export function parseProcNetlink(text: string): NetlinkSocketInfo[] {
  const out: NetlinkSocketInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const proto = Number(f[1]);
    const groupBits = parseInt(f[3], 16);
    out.push({
      protocol: protocolName(proto), protocol_number: proto, portid: Number(f[2]),
      groups: Array.from({ length: 32 }, (_, i) => i + 1).filter((g) => groupBits & (1 << (g - 1))),
      rmem: Number(f[4]), wmem: Number(f[5]), drops: Number(f[8]), inode: Number(f[9]),
    });
  }
  return out;
}

async function fromDiag(netns?: string): Promise<NetlinkSocketInfo[]> {
  const sock = new NetlinkSocket(4, { netns });
  try {
    const req = new Uint8Array(20);
    const v = view(req);
    req[0] = AF_NETLINK;
    req[1] = 255; // NDIAG_PROTO_ALL
    v.setUint32(8, NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS, true);
    const r = await request(sock, buildRequest(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, req), { label: 'SOCK_DIAG_BY_FAMILY netlink' });
    // A socket that is both bound and in a multicast group can be reported twice: keep one per inode.
    const byInode = new Map<string, NetlinkSocketInfo>();
    for (const m of r.replies) {
      const s = parseDiagMessage(m.payload);
      if (s) byInode.set(`${s.protocol_number}/${s.inode}/${s.portid}`, s);
    }
    return [...byInode.values()];
  } finally {
    sock.close();
  }
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
  if (o.source === 'proc') sockets = parseProcNetlink(readFileSync('/proc/net/netlink', 'utf8'));
  else {
    try {
      sockets = await fromDiag(o.netns);
    } catch (e) {
      // No netlink_diag in this kernel (or not allowed): /proc has the basics.
      if (o.source === 'diag' || !(e instanceof NetlinkError || e instanceof SyscallError)) throw e;
      ctx.io.stderr.write(`nlctl: sock_diag unavailable (${e.message}); reading /proc/net/netlink\n`);
      sockets = parseProcNetlink(readFileSync('/proc/net/netlink', 'utf8'));
    }
  }
  const owners = socketOwners();
  const rows = sockets
    .filter((s) => (proto === undefined || s.protocol_number === proto) && (o.pid === undefined || s.portid === o.pid))
    .map((s) => ({ ...s, ...(owners.has(s.inode) ? { process: owners.get(s.inode) } : {}) }))
    .sort((a, b) => a.protocol_number - b.protocol_number || a.portid - b.portid);
  const out = new Output(ctx.io.stdout);
  const writer = makeWriter(out, ctx.global, ctx.io.env, format === 'pretty' ? 'table' : format, { columns: COLUMNS, row: toRecordless });
  for (const s of rows) writer.write({ record: s as unknown as FlatRecord });
  writer.end();
  await out.flush();
}
