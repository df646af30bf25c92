// Thin, typed wrappers over the libc socket calls for AF_NETLINK. Every failure throws a
// SyscallError carrying the call, errno number, name and text. No netlink semantics here.
import { SyscallError } from '../errors.js';
import { libc, libcThreaded } from './libc.js';
import {
  AF_NETLINK, CLONE_NEWNET, EFD_CLOEXEC, EFD_NONBLOCK, EINTR, O_CLOEXEC, O_RDONLY, POLLIN,
  SOCK_CLOEXEC, SOCK_RAW, SOCKADDR_NL_LEN,
} from './constants.js';

interface CallResult { value: number; errnoCode: number }

function check(call: string, r: CallResult, detail?: string): number {
  if (r.value < 0) throw new SyscallError(call, r.errnoCode, detail);
  return r.value;
}

/** A Buffer that owns its memory and its address, for structures the kernel reads pointers from. */
export function ownedBuffer(size: number): Buffer {
  return Buffer.allocUnsafeSlow(size).fill(0);
}

export function addressOf(buf: Buffer): bigint {
  return BigInt(libc.memmove([buf, buf, 0]) as number);
}

export function sockaddrNl(pid: number, groups: number): Buffer {
  const sa = Buffer.alloc(SOCKADDR_NL_LEN);
  sa.writeUInt16LE(AF_NETLINK, 0);
  sa.writeUInt32LE(pid >>> 0, 4);
  sa.writeUInt32LE(groups >>> 0, 8);
  return sa;
}

export function netlinkSocket(protocol: number): number {
  return check('socket', libc.socket([AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol]), `(protocol ${protocol})`);
}

export function bind(fd: number, pid: number, groups: number): void {
  check('bind', libc.bind([fd, sockaddrNl(pid, groups), SOCKADDR_NL_LEN]));
}

export function getsockname(fd: number): { pid: number; groups: number } {
  const sa = Buffer.alloc(SOCKADDR_NL_LEN);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(SOCKADDR_NL_LEN);
  check('getsockname', libc.getsockname([fd, sa, len]));
  return { pid: sa.readUInt32LE(4), groups: sa.readUInt32LE(8) };
}

/** sendto a netlink address; returns bytes sent. */
export function sendto(fd: number, data: Buffer, pid: number, groups: number, flags = 0): number {
  return check('sendto', libc.sendto([fd, data, data.length, flags, sockaddrNl(pid, groups), SOCKADDR_NL_LEN]));
}

/** Like sendto, but returns the errno instead of throwing (callers decide what is fatal). */
export function trySendto(fd: number, data: Buffer, pid: number, groups: number, flags = 0): { sent: number; errno: number } {
  const r = libc.sendto([fd, data, data.length, flags, sockaddrNl(pid, groups), SOCKADDR_NL_LEN]);
  return r.value < 0 ? { sent: -1, errno: r.errnoCode } : { sent: r.value, errno: 0 };
}

export function setsockoptInt(fd: number, level: number, name: number, value: number, label: string): void {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value);
  check('setsockopt', libc.setsockopt([fd, level, name, v, 4]), label);
}

export function getsockoptInt(fd: number, level: number, name: number, label: string): number {
  const v = Buffer.alloc(4);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(4);
  check('getsockopt', libc.getsockopt([fd, level, name, v, len]), label);
  return v.readInt32LE(0);
}

export function close(fd: number): void {
  libc.close([fd]);
}

export function eventfd(): number {
  return check('eventfd', libc.eventfd([0, EFD_CLOEXEC | EFD_NONBLOCK]));
}

export function eventfdSignal(fd: number): void {
  const one = Buffer.alloc(8);
  one.writeBigUInt64LE(1n);
  libc.write([fd, one, 8]);
}

export function eventfdDrain(fd: number): void {
  const buf = Buffer.alloc(8);
  libc.read([fd, buf, 8]);
}

/** Enter the network namespace at `path` (e.g. /run/netns/NAME or /proc/PID/ns/net) for this thread. */
export function enterNetns(path: string): void {
  const fd = check('open', libc.open([path, O_RDONLY | O_CLOEXEC]), path);
  try {
    check('setns', libc.setns([fd, CLONE_NEWNET]), path);
  } finally {
    close(fd);
  }
}

/**
 * Wait until `fd` is readable or `wakeFd` is signalled, off the main thread.
 * Returns 'readable', 'woken' or 'timeout'. timeoutMs < 0 waits forever.
 */
export async function waitReadable(fd: number, wakeFd: number, timeoutMs: number): Promise<'readable' | 'woken' | 'timeout'> {
  const pfds = Buffer.alloc(16);
  pfds.writeInt32LE(fd, 0);
  pfds.writeInt16LE(POLLIN, 4);
  pfds.writeInt32LE(wakeFd, 8);
  pfds.writeInt16LE(POLLIN, 12);
  const r = (await libcThreaded.poll([pfds, 2, timeoutMs])) as CallResult;
  if (r.value < 0) {
    if (r.errnoCode === EINTR) return 'timeout';
    throw new SyscallError('poll', r.errnoCode);
  }
  if (r.value === 0) return 'timeout';
  if (pfds.readInt16LE(14) !== 0) return 'woken';
  return 'readable';
}
