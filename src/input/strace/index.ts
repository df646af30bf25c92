// strace's own rendering of netlink traffic (`strace -e trace=sendto,recvmsg ip link`, no hex
// dumps) turned back into datagrams. Each datagram comes with the protocol of its socket — from
// the `socket(AF_NETLINK, …, NETLINK_X)` call that opened its fd, else from the symbolic
// nlmsg_type beside it — its direction, and diagnostics for whatever strace left out.
import { annotatedProtocol, fdOf, scanCalls, type SocketOpen, type TracedCall } from './calls.js';
import { DatagramWriter, type Diagnostic, type StraceTables } from './encode.js';
import { cValue, loadCNames } from './names.js';
import { StraceParser, type SNode } from './syntax.js';
import { NETLINK_CALLS } from '../strace-line.js';

export { hasStraceNetlink } from '../strace-line.js';

export type { HeaderLayout, StraceTables, Diagnostic } from './encode.js';

export interface StraceDatagram {
  bytes: Uint8Array;
  /** Netlink protocol number, when the trace says which. */
  protocol?: number;
  direction: 'in' | 'out';
  /** The line of the call in the input, and the call. */
  line: number;
  syscall: string;
  pid?: number;
  fd?: number;
  diagnostics: Diagnostic[];
  /**
   * Stretches of `bytes` strace did not print (a value past -s, a name with no number here): they
   * hold zeros only so that what follows stays at its offset, and must not be read as values.
   */
  gaps: { offset: number; end: number }[];
  /**
   * Generic netlink family ids by name, from strace's symbolic nlmsg_type beside a hex dump
   * (strace asks the kernel for the names itself): `nlmsg_type=ethtool` over a dump of type 21.
   */
  genlFamilies?: Map<number, string>;
  /** Where the bytes came from: strace's hex dump of the buffer, or its decoded rendering rebuilt. */
  source: 'dump' | 'rendering';
}


/** `chosen`: the protocol the user named (--proto), which the rendering is rebuilt under too. */
export async function parseStraceText(text: string, tables: StraceTables, chosen?: number): Promise<StraceDatagram[]> {
  await loadCNames();
  const { calls, sockets } = scanCalls(text);
  const genlIds = new Map<string, number>();
  // A DONE or an ACK names no family: it is of the protocol the same fd carried before.
  const fdProtocol = new Map<string, number>();
  const known = (call: TracedCall, fd: number | undefined, p: number | undefined): number | undefined => {
    const key = `${call.pid}:${fd}`;
    if (p !== undefined) fdProtocol.set(key, p);
    return p ?? fdProtocol.get(key);
  };
  const out: StraceDatagram[] = [];
  for (const call of calls) {
    const spec = NETLINK_CALLS[call.name];
    const args = argList(call.args);
    const fd = fdOf(call.args);
    // A peek (MSG_PEEK) shows the same bytes the next read returns.
    if (/MSG_PEEK/.test(call.args.slice(call.args.lastIndexOf('}')))) continue;
    const bufs = buffers(args[spec.index], spec, call);
    if (call.dumps?.length) {
      // strace's hex dump is the bytes themselves: no need to rebuild them from its rendering.
      const protocol = known(call, fd, protocolOf(call, fd, sockets) ?? (bufs[0] ? protocolFromType(bufs[0].node) : undefined));
      call.dumps.forEach((bytes, i) => {
        if (!bytes.length) return;
        const genlFamilies = protocol === 16 && bufs[i] ? familiesOf(bufs[i].node, bytes) : undefined;
        out.push({ bytes, protocol, direction: spec.out ? 'out' : 'in', line: call.line, syscall: call.name, pid: call.pid, fd, diagnostics: [], gaps: [], source: 'dump', ...(genlFamilies?.size ? { genlFamilies } : {}) });
      });
      continue;
    }
    for (const { node, total } of bufs) {
      const protocol = known(call, fd, protocolOf(call, fd, sockets) ?? protocolFromType(node));
      const w = new DatagramWriter(tables, genlIds, chosen ?? protocol);
      w.buffer(node, total);
      const bytes = w.result();
      if (bytes.length === 0) continue;
      out.push({ bytes, protocol, direction: spec.out ? 'out' : 'in', line: call.line, syscall: call.name, pid: call.pid, fd, diagnostics: w.diagnostics, gaps: w.gaps(), source: 'rendering' });
    }
  }
  return out;
}

/** The call's arguments, the -y annotation of the fd removed. */
function argList(args: string): SNode[] {
  const p = new StraceParser(args.replace(/^(\s*\d+)<[^>]*>/, '$1'));
  const list: SNode[] = [];
  while (p.pos < p.text.length) {
    list.push(p.value());
    if (p.peek() !== ',') break;
    p.pos = p.text.indexOf(',', p.pos) + 1;
  }
  return list;
}

/** The netlink buffers of one call, with the number of bytes each moved. */
function buffers(arg: SNode | undefined, spec: (typeof NETLINK_CALLS)[string], call: TracedCall): { node: SNode; total?: number }[] {
  if (!arg) return [];
  if (!spec.msghdr && !spec.mmsg) return [{ node: arg, total: call.ret }];
  const iovOf = (msg: SNode): SNode[] => {
    if (msg.kind !== 'struct') return [];
    const iov = msg.members.find((m) => m.key === 'msg_iov')?.value;
    if (iov?.kind !== 'array') return [];
    return iov.items.flatMap((i) => (i.kind === 'struct' ? [i.members.find((m) => m.key === 'iov_base')?.value].filter((x): x is SNode => !!x && x.kind !== 'null') : []));
  };
  if (spec.msghdr) return iovOf(arg).map((node) => ({ node, total: call.ret }));
  if (arg.kind !== 'array') return [];
  return arg.items.flatMap((m) => {
    if (m.kind !== 'struct') return [];
    const hdr = m.members.find((x) => x.key === 'msg_hdr')?.value;
    const len = m.members.find((x) => x.key === 'msg_len')?.value;
    return hdr ? iovOf(hdr).map((node) => ({ node, total: len?.kind === 'number' ? Number(len.value) : undefined })) : [];
  });
}

/** The protocol of the call's fd: the latest socket() of that process and fd before the call. */
function protocolOf(call: TracedCall, fd: number | undefined, sockets: SocketOpen[]): number | undefined {
  const named = annotatedProtocol(call.args);
  if (named) return protocolByName('NETLINK_' + named);
  let best: SocketOpen | undefined;
  for (const s of sockets) {
    if (s.fd === fd && s.line <= call.line && (call.pid === undefined || s.pid === undefined || s.pid === call.pid)) best = s;
  }
  return best ? protocolByName(best.protocol) : undefined;
}

function protocolByName(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const v = cValue(name);
  return v === undefined ? undefined : Number(v);
}

/** Without a socket() line: the family of the message type strace named. */
function protocolFromType(node: SNode): number | undefined {
  const t = firstType(node);
  if (!t) return undefined;
  if (/^[a-z]/.test(t)) return 16;
  if (/^(RTM_|NLMSG_)/.test(t)) return t.startsWith('RTM_') ? 0 : undefined;
  if (/^(SOCK_DIAG_|TCPDIAG_|DCCPDIAG_)/.test(t)) return 4;
  if (/^(AUDIT_)/.test(t)) return 9;
  return undefined;
}

/** The family names strace printed as the nlmsg_type of each message, paired with the types in the dump. */
function familiesOf(node: SNode, bytes: Uint8Array): Map<number, string> {
  const headers: SNode[] = [];
  const isHeader = (n: SNode | undefined): n is SNode & { kind: 'struct' } => n?.kind === 'struct' && n.members.some((m) => m.key === 'nlmsg_type');
  if (isHeader(node)) headers.push(node);
  else if (node.kind === 'array' && isHeader(node.items[0])) headers.push(node.items[0]);
  else if (node.kind === 'array') for (const i of node.items) if (i.kind === 'array' && isHeader(i.items[0])) headers.push(i.items[0]);
  const out = new Map<number, string>();
  let at = 0;
  for (const h of headers) {
    if (at + 16 > bytes.length) break;
    const len = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
    const t = (h as SNode & { kind: 'struct' }).members.find((m) => m.key === 'nlmsg_type')?.value;
    const name = t?.kind === 'expr' && t.terms.length === 1 ? t.terms[0].name : undefined;
    if (name && /^[a-z]/.test(name)) out.set(bytes[at + 4] | (bytes[at + 5] << 8), name);
    if (len < 16) break;
    at += (len + 3) & ~3;
  }
  return out;
}

function firstType(node: SNode): string | undefined {
  if (node.kind === 'struct') {
    const t = node.members.find((m) => m.key === 'nlmsg_type')?.value;
    if (t?.kind === 'expr' && t.terms[0].name) return t.terms[0].name;
    // An NLMSG_ERROR's body: the request it echoes names the protocol.
    const echoed = node.members.find((m) => m.key === 'msg')?.value;
    return echoed ? firstType(echoed) : undefined;
  }
  if (node.kind === 'array') {
    for (const i of node.items) {
      const t = firstType(i);
      if (t && t !== 'NLMSG_ERROR' && t !== 'NLMSG_DONE') return t;
    }
  }
  return undefined;
}
