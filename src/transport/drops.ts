// The kernel's own count of messages it dropped for a socket (sk_drops): from sock_diag
// (NETLINK_DIAG_MEMINFO, SK_MEMINFO_DROPS) when it answers, else the Drops column of
// /proc/net/netlink. Read at overruns (at most every DROPS_READ_INTERVAL_MS) and at the end, so
// that loss is reported in messages, not events.
import { readFileSync } from 'node:fs';
import {
  encodeMessage, NDIAG_SHOW_MEMINFO, NETLINK_DIAG_MEMINFO, NETLINK_SOCK_DIAG, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,
  parseAttrs, SK_MEMINFO_DROPS, SOCK_DIAG_BY_FAMILY, splitMessages, view,
} from '../codec/index.js';
import * as sys from '../sys/index.js';
import { parseProcNetlink } from './proc-netlink.js';
import type { DropCount, Transport } from './types.js';

// sizeof(struct netlink_diag_req) and (struct netlink_diag_msg), and where their fields are.
const NETLINK_DIAG_REQ_LEN = 20;
const NETLINK_DIAG_MSG_LEN = 28;
const NDIAG_PORTID_OFFSET = 4;
const NDIAG_SHOW_OFFSET = 8;
// A dump of one protocol's sockets comes in a few datagrams; more empty reads than this means no answer.
const MAX_EMPTY_READS = 100;

/** The netlink_diag dump request for one protocol's sockets, with their memory counters. */
export function dropsRequest(protocol: number): Uint8Array {
  const req = new Uint8Array(NETLINK_DIAG_REQ_LEN);
  const v = new DataView(req.buffer);
  req[0] = sys.AF_NETLINK;
  req[1] = protocol;
  v.setUint32(NDIAG_SHOW_OFFSET, NDIAG_SHOW_MEMINFO, true);
  return encodeMessage({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 1, pid: 0 }, req);
}

/** sk_drops of `portId` in one datagram of netlink_diag replies; 'done' at NLMSG_DONE or an error. */
export function dropsInReply(data: Uint8Array, portId: number): number | 'done' | undefined {
  for (const m of splitMessages(data).messages) {
    if (m.header.type === NLMSG_DONE || m.header.type === NLMSG_ERROR) return 'done';
    const p = m.payload;
    if (p.length < NETLINK_DIAG_MSG_LEN) continue;
    if (view(p).getUint32(NDIAG_PORTID_OFFSET, true) !== portId) continue;
    for (const a of parseAttrs(p.subarray(NETLINK_DIAG_MSG_LEN)).attrs) {
      if (a.type === NETLINK_DIAG_MEMINFO && a.value.length >= (SK_MEMINFO_DROPS + 1) * 4) {
        return view(a.value).getUint32(SK_MEMINFO_DROPS * 4, true);
      }
    }
  }
  return undefined;
}

/** The Drops column for (protocol, portId) in /proc/net/netlink text. */
export function dropsInProc(text: string, protocol: number, portId: number): number | undefined {
  return parseProcNetlink(text).find((r) => r.protocol === protocol && r.portid === portId)?.drops;
}

/** What the counter reads sock_diag over: its own kernel socket, or a FakeTransport in tests. */
export type DiagSocket = Pick<Transport, 'send' | 'drain' | 'close'>;

/** A NETLINK_SOCK_DIAG socket with a small receive batch (a dump of one protocol is a few datagrams). */
function kernelDiagSocket(): DiagSocket {
  const fd = sys.netlinkSocket(NETLINK_SOCK_DIAG);
  try {
    sys.bind(fd, 0, 0);
  } catch (e) {
    sys.close(fd);
    throw e;
  }
  const receiver = new sys.BatchReceiver(fd, { slots: 16, slotSize: 32 * 1024 });
  return {
    send: (bytes) => sys.sendto(fd, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, 0),
    drain: () => receiver.receive(),
    close: () => sys.close(fd),
  };
}

/**
 * The counter is read again at most this often: overruns come in bursts exactly when the
 * listener is behind, and each read is a whole sock_diag dump of the protocol's sockets.
 */
export const DROPS_READ_INTERVAL_MS = 100;

export interface DropCounterOptions {
  /** Opens the sock_diag socket (default: the kernel's). */
  openDiag?: () => DiagSocket;
  /** A monotonic clock, in milliseconds (tests move it by hand). */
  now?: () => number;
}

/** Reads one socket's drop counter; keeps its sock_diag socket open between reads. */
export class DropCounter {
  private diag?: DiagSocket;
  private diagFailed = false;
  /** The dump request, the same at every read. */
  private readonly request: Uint8Array;
  private readonly openDiag: () => DiagSocket;
  private readonly now: () => number;
  private lastAt?: number;

  constructor(private readonly protocol: number, private readonly portId: number, opts: DropCounterOptions = {}) {
    this.request = dropsRequest(protocol);
    this.openDiag = opts.openDiag ?? kernelDiagSocket;
    this.now = opts.now ?? (() => performance.now());
  }

  /**
   * The count, or null within DROPS_READ_INTERVAL_MS of the last read: not read again yet (a
   * count from before would make a later overrun look as if it lost nothing). `fresh` reads
   * in any case (the total at the end, which must be exact).
   */
  read(fresh = false): DropCount | undefined | null {
    const at = this.now();
    if (!fresh && this.lastAt !== undefined && at - this.lastAt < DROPS_READ_INTERVAL_MS) return null;
    this.lastAt = at;
    return this.readNow();
  }

  private readNow(): DropCount | undefined {
    if (!this.diagFailed) {
      try {
        const n = this.fromDiag();
        if (n !== undefined) return { count: n, source: 'sock_diag' };
      } catch {
        // No netlink_diag here (or not allowed): /proc has the same counter.
      }
      this.diagFailed = true;
      this.close();
    }
    try {
      const n = dropsInProc(readFileSync('/proc/net/netlink', 'utf8'), this.protocol, this.portId);
      return n === undefined ? undefined : { count: n, source: 'proc' };
    } catch {
      return undefined;
    }
  }

  // The kernel answers a dump inside sendto and refills as we read: nothing here ever waits.
  private fromDiag(): number | undefined {
    this.diag ??= this.openDiag();
    this.diag.send(this.request);
    let found: number | undefined;
    for (let empty = 0; empty < MAX_EMPTY_READS;) {
      const batch = this.diag.drain();
      if (!batch.datagrams.length) {
        empty++;
        continue;
      }
      for (const dg of batch.datagrams) {
        const r = dropsInReply(dg.data, this.portId);
        if (r === 'done') return found;
        if (r !== undefined) found = r;
      }
    }
    return found;
  }

  close(): void {
    this.diag?.close();
    this.diag = undefined;
  }
}
