// strace's text, line by line, into the syscalls that carry netlink: which call, which fd and
// process, the argument text and the return value. Handles `-f` (`[pid N]` prefixes), `-t/-tt/
// -ttt/-r` times, `-T` durations, `-y` fd annotations, and calls split across lines by another
// process (`<unfinished ...>` … `<... recvmsg resumed>`).
import { BUFFER_LINE, dumpRow, rowBytes } from '../strace-dump.js';
import { LINE_PREFIX, NETLINK_CALLS } from '../strace-line.js';

export interface TracedCall {
  /** 1-based line of the input where the call (or its first half) is. */
  line: number;
  pid?: number;
  name: string;
  /** The argument list's text, between the outer parentheses. */
  args: string;
  /** The return value; undefined when the call failed or did not return (`= -1 EAGAIN`, `= ?`). */
  ret?: number;
  /** The bytes of its buffers as strace dumped them (`-e read=all -e write=all`), one per buffer. */
  dumps?: Uint8Array[];
}

export interface SocketOpen {
  pid?: number;
  fd: number;
  /** The third argument of socket(AF_NETLINK, …, PROTO): NETLINK_ROUTE, 16, … */
  protocol: string;
  line: number;
}

const PREFIX = new RegExp(LINE_PREFIX);
const CALL = /^([a-z_0-9]+)\((.*)\)\s+=\s+(-?\d+|\?|0x[0-9a-f]+)(?:\s.*)?$/s;
const UNFINISHED = /^([a-z_0-9]+)\((.*?)\s*<unfinished \.\.\.>\s*$/s;
const RESUMED = /^<\.\.\. ([a-z_0-9]+) resumed>\s?(.*)\)\s+=\s+(-?\d+|\?)(?:\s.*)?$/s;
// ` | 00010  00 00 …  ascii |` after the call; ` * 52 bytes in buffer 0` starts each buffer.
const SOCKET = /^socket\(AF_NETLINK,\s*[^,]+,\s*([A-Za-z_0-9]+)\)\s+=\s+(\d+)/;

export function scanCalls(text: string): { calls: TracedCall[]; sockets: SocketOpen[] } {
  const calls: TracedCall[] = [];
  const sockets: SocketOpen[] = [];
  const pending = new Map<string, { line: number; name: string; head: string }>();
  const lines = text.split('\n');
  let last: TracedCall | undefined;
  let dump: number[] | undefined;
  const raw = new Map<TracedCall, number[][]>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const d = dumpRow(line);
    const bytes = d ? rowBytes(d.area) : [];
    if (d && bytes.length && last) {
      if (!dump || d.offset === 0) raw.set(last, [...(raw.get(last) ?? []), (dump = [])]);
      dump.push(...bytes);
      continue;
    }
    if (BUFFER_LINE.test(line)) {
      dump = undefined;
      continue;
    }
    dump = undefined;
    const m = PREFIX.exec(line);
    const pidText = m?.[1] ?? m?.[2];
    const pid = pidText !== undefined ? Number(pidText) : undefined;
    const body = line.slice(m?.[0].length ?? 0).replace(/\s+<\d+\.\d+>\s*$/, '');
    const sock = SOCKET.exec(body);
    if (sock) {
      sockets.push({ pid, fd: Number(sock[2]), protocol: sock[1], line: i + 1 });
      continue;
    }
    const unfinished = UNFINISHED.exec(body);
    if (unfinished) {
      pending.set(`${pid}:${unfinished[1]}`, { line: i + 1, name: unfinished[1], head: unfinished[2] });
      continue;
    }
    const resumed = RESUMED.exec(body);
    if (resumed) {
      const first = pending.get(`${pid}:${resumed[1]}`);
      pending.delete(`${pid}:${resumed[1]}`);
      last = undefined;
      if (first && isNetlinkCall(first.name)) {
        calls.push((last = { line: first.line, pid, name: first.name, args: first.head + resumed[2], ret: retValue(resumed[3]) }));
      }
      continue;
    }
    const call = CALL.exec(body);
    last = undefined;
    if (call && isNetlinkCall(call[1])) calls.push((last = { line: i + 1, pid, name: call[1], args: call[2], ret: retValue(call[3]) }));
  }
  for (const [call, dumps] of raw) call.dumps = dumps.map((b) => Uint8Array.from(b));
  return { calls, sockets };
}

function isNetlinkCall(name: string): boolean {
  return Object.hasOwn(NETLINK_CALLS, name);
}

function retValue(s: string): number | undefined {
  if (s === '?') return undefined;
  const n = Number(s);
  return n >= 0 ? n : undefined;
}

/** The fd argument: `3`, or `3<NETLINK:[ROUTE:1234]>` under -y. */
export function fdOf(arg: string): number | undefined {
  const m = /^\s*(\d+)/.exec(arg);
  return m ? Number(m[1]) : undefined;
}

/** The protocol named in a -y annotation (`3<NETLINK:[ROUTE:1234]>` → "ROUTE"), if any. */
export function annotatedProtocol(args: string): string | undefined {
  return /^\s*\d+<NETLINK:\[([A-Z_0-9]+)/.exec(args)?.[1];
}
