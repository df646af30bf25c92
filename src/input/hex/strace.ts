// strace: hex dumps (-e read=/write=) under each call, or raw strings (-x/-xx) in the call itself.
import { decodeQuoted } from '../escapes.js';
import { BUFFER_LINE, dumpRow } from '../strace-dump.js';
import { LINE_PREFIX, NETLINK_CALLS } from '../strace-line.js';
import { chunk, clip, HexParseError, tokenize, type HexChunk, type Line } from './common.js';

export const STRACE_CALL = new RegExp(LINE_PREFIX + String.raw`(?:<\.\.\.\s+[a-z_0-9]+\s+resumed>|[a-z_][a-z0-9_]*\()`);
const STRACE_RESULT = /\)\s*=\s*(?:-?\d|\?|0x)|<unfinished \.\.\.>/;
export const STRACE_DUMP = /^\s*\|\s+[0-9a-fA-F]{5,}\s\s[0-9a-fA-F]{2}\s/;
export const STRACE_NOISE = new RegExp(BUFFER_LINE.source + '|' + LINE_PREFIX + String.raw`(?:---|\+\+\+)\s|^strace: `);

export function isStraceCall(t: string): boolean {
  return STRACE_CALL.test(t) && STRACE_RESULT.test(t);
}

// The netlink calls, and the file calls of the same shapes: a raw string is data in either.
const callNames = (vector: boolean, extra: string[]) =>
  `(?:${[...Object.keys(NETLINK_CALLS).filter((n) => !!(NETLINK_CALLS[n].msghdr || NETLINK_CALLS[n].mmsg) === vector), ...extra].join('|')})`;
const IO_FIRST = callNames(false, ['pwrite64', 'pread64']);
const IO_VECTOR = callNames(true, ['writev', 'readv']);
/** The buffer as the first argument after the descriptor: sendto(3, "…", …), or its resumed tail. */
const BUFFER_FIRST = new RegExp(LINE_PREFIX + String.raw`(?:${IO_FIRST}\(\s*[^,()"]*,\s*|<\.\.\.\s+${IO_FIRST}\s+resumed>\s*)"`);
/** Calls whose buffers are iovecs: the string after iov_base= is the data. */
const VECTOR_CALL = new RegExp(LINE_PREFIX + String.raw`(?:${IO_VECTOR}\(|<\.\.\.\s+${IO_VECTOR}\s+resumed>)`);

/**
 * Index of the opening quote of the call's data buffer, or -1. Only the data of send and
 * receive calls is netlink; strings elsewhere (paths, inet_pton(AF_INET6, "::1")) never are.
 */
function bufferArg(t: string): number {
  const m = BUFFER_FIRST.exec(t);
  if (m) return m.index + m[0].length - 1;
  if (VECTOR_CALL.test(t)) {
    const i = t.indexOf('iov_base="');
    if (i >= 0) return i + 'iov_base='.length;
  }
  return -1;
}

/** strace's own rendering of netlink messages: [{nlmsg_len=…, nlmsg_type=RTM_NEWLINK, …}, …]. */
const DECODED_FORM = /\{nlmsg_len=\d/;

export function parseStrace(block: Line[]): { chunks: HexChunk[]; hint?: HexParseError } {
  const out: HexChunk[] = [];
  let hint: HexParseError | undefined;
  type Call = { first: number; last: number; dump: number[]; hasDump: boolean; raw?: number[]; truncated: boolean; decoded: boolean };
  let cur: Call | null = null;
  const flush = (): void => {
    if (cur) {
      if (cur.hasDump) out.push(chunk(cur.dump, 'strace', cur.first, cur.last));
      else if (cur.raw) {
        const c = chunk(cur.raw, 'strace-raw', cur.first, cur.last);
        if (cur.truncated) c.truncated = true;
        out.push(c);
      } else if (cur.decoded && !hint) {
        hint = new HexParseError(
          cur.first,
          "this is strace's decoded form of netlink messages ({nlmsg_len=…, nlmsg_type=…}) after other text; " +
            'give the strace output on its own (nlctl reads a trace from its start), or run strace with -e read=all -e write=all for hex dumps',
        );
      }
    }
    cur = null;
  };
  for (const l of block) {
    const t = l.text;
    if (STRACE_DUMP.test(t)) {
      const row = dumpRow(t)!;
      const toks = tokenize(row.area);
      for (const tk of toks) {
        if (!/^[0-9a-fA-F]{2}$/.test(tk.s)) {
          throw new HexParseError(l.no, `bad byte '${clip(tk.s)}' in strace dump`, tk.start + row.areaStart + 1);
        }
      }
      if (!cur) cur = { first: l.no, last: l.no, dump: [], hasDump: false, truncated: false, decoded: false };
      for (const tk of toks) cur.dump.push(parseInt(tk.s, 16));
      cur.hasDump = true;
      cur.last = l.no;
    } else if (STRACE_NOISE.test(t)) {
      continue;
    } else if (isStraceCall(t)) {
      flush();
      const call: Call = { first: l.no, last: l.no, dump: [], hasDump: false, truncated: false, decoded: false };
      const at = bufferArg(t);
      if (at >= 0) {
        const q = decodeQuoted(t, at);
        call.raw = q.bytes;
        call.truncated = !q.closed || t.startsWith('...', q.end);
      } else {
        call.decoded = DECODED_FORM.test(t);
      }
      cur = call;
    }
    // Anything else (program output interleaved with strace's) is ignored.
  }
  flush();
  return hint ? { chunks: out, hint } : { chunks: out };
}
