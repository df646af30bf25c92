// One error type per failure kind. main.ts maps each to an exit code (see EXIT and the README).
import { errnoInfo } from './codec/errno.js';

export const EXIT = {
  /** Success; also a reader of stdout that went away (EPIPE): the output stops, quietly (src/stdio.ts). */
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  SYSCALL: 3,
  KERNEL: 4,
  DECODE: 5,
  TIMEOUT: 6,
  /** A dump whose table kept changing (NLM_F_DUMP_INTR) after every --retry. */
  DUMP_INTERRUPTED: 7,
  /** Stopped by SIGINT or SIGTERM before the answer was complete (128 + SIGINT, as shells say). */
  SIGNALLED: 130,
} as const;

export class NlctlError extends Error {
  readonly exitCode: number = EXIT.INTERNAL;
}

/** Bad options or input from the user. */
export class UsageError extends NlctlError {
  override readonly exitCode = EXIT.USAGE;
}

/** A libc call failed: `bind: Address already in use (EADDRINUSE)`. */
export class SyscallError extends NlctlError {
  override readonly exitCode = EXIT.SYSCALL;
  readonly errnoName: string;
  constructor(readonly syscall: string, readonly errno: number, detail?: string, hint?: string) {
    const info = errnoInfo(errno);
    super(`${syscall}${detail ? ` ${detail}` : ''}: ${info.text} (${info.name})${hint ? `: ${hint}` : ''}`);
    this.errnoName = info.name;
  }
}

/** The kernel (or the peer) answered a request with NLMSG_ERROR and a non-zero errno. */
/** The extended ACK as NetlinkError carries it (codec's ExtAck, named by the schema layer). */
export interface NetlinkErrorExtack {
  msg?: string;
  offset?: number;
  attr?: string;
  path?: string;
  field?: string;
  missingType?: number;
  missingNest?: number;
  missing?: { attr?: string; path: string };
}

/** "C_NAME, .spec.path", or either alone (the path alone where no table named the attribute). */
function namedAt(attr: string | undefined, path: string | undefined): string {
  if (!attr) return path ?? '';
  return path && path !== `.${attr}` ? `${attr}, ${path}` : attr;
}

export class NetlinkError extends NlctlError {
  override readonly exitCode = EXIT.KERNEL;
  readonly errnoName: string;
  constructor(readonly request: string, readonly errno: number, readonly extack?: NetlinkErrorExtack) {
    const info = errnoInfo(errno);
    // The attribute the kernel pointed at, by C name and spec path: "RTA_DST, .dst".
    const at = extack?.attr ? namedAt(extack.attr, extack.path) : extack?.field;
    // The attribute it wanted and did not find: "ETHTOOL_A_LINKINFO_HEADER, .header".
    const miss = extack?.missing ? namedAt(extack.missing.attr, extack.missing.path) : undefined;
    super(`${request}: ${info.text} (${info.name})${extack?.msg ? `: ${extack.msg}` : ''}${at ? ` (at ${at})` : ''}${miss ? ` (missing ${miss})` : ''}`);
    this.errnoName = info.name;
  }
}

/** Input that cannot be decoded (under --strict, or not netlink at all). */
export class DecodeError extends NlctlError {
  override readonly exitCode = EXIT.DECODE;
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
  }
}

/** Fewer replies arrived than were waited for. */
export class TimeoutError extends NlctlError {
  override readonly exitCode = EXIT.TIMEOUT;
}
