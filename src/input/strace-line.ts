// What every strace line shares, read the same way by the strace call reader, the hex reader and
// the format check of decode: the prefix before a call, and the calls that carry netlink buffers.

/**
 * The start of a line, up to the call's name: `[pid N] ` or `N ` (-f; -ff into one file), a time
 * (-t 12:34:56, -tt 12:34:56.123456, -ttt 1700000000.123456), then `(+ 0.000123) ` (-r). Group 1
 * or 2 is the pid. A source string: each reader appends what it looks for after it.
 */
export const LINE_PREFIX = String.raw`^(?:\[pid\s+(\d+)\]\s*|(\d+)\s+)?(?:(?:\d+:\d+:\d+|\d+)(?:\.\d+)?\s+)?(?:\(\+\s*[\d.]+\)\s*)?`;

/**
 * The calls whose buffers hold netlink messages, with the argument that holds them: a plain
 * buffer, a msghdr (its iovecs) or an mmsghdr array; `out` when the call sends it.
 */
export const NETLINK_CALLS: Record<string, { index: number; msghdr?: boolean; mmsg?: boolean; out: boolean }> = {
  sendto: { index: 1, out: true },
  send: { index: 1, out: true },
  write: { index: 1, out: true },
  sendmsg: { index: 1, msghdr: true, out: true },
  sendmmsg: { index: 1, mmsg: true, out: true },
  recvfrom: { index: 1, out: false },
  recv: { index: 1, out: false },
  read: { index: 1, out: false },
  recvmsg: { index: 1, msghdr: true, out: false },
  recvmmsg: { index: 1, mmsg: true, out: false },
};

/** True when the text holds strace's symbolic rendering of a netlink message. */
export function hasStraceNetlink(text: string): boolean {
  return /\{nlmsg_len=\d+, nlmsg_type=/.test(text);
}

const SOCKET_CALL = new RegExp(LINE_PREFIX + String.raw`socket\(AF_NETLINK,`, 'm');

/** strace's own text: its rendering of netlink messages, or a netlink socket() call before the dumps. */
export function looksLikeStrace(text: string): boolean {
  return hasStraceNetlink(text) || SOCKET_CALL.test(text);
}
