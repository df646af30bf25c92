// NetlinkSocket: a netlink socket with the options a diagnostic tool wants (extended ACK on,
// strict checking where asked, groups, buffer sizes), batched receives, and waits that never block
// the event loop.
import { SyscallError } from '../errors.js';
import {
  NETLINK_PROTOCOLS, NETLINK_TEST,
  NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK,
  NETLINK_LISTEN_ALL_NSID, NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, SOL_NETLINK,
} from '../codec/constants.js';
import * as sys from '../sys/index.js';
import { DropCounter } from './drops.js';
import type { Destination, DropCount, ReceiveBatch, Transport, TransportOptions, WaitResult } from './types.js';

/** The options of a kernel socket (see TransportOptions). */
export type SocketOptions = TransportOptions;

export function netnsPath(netns: string): string {
  return netns.includes('/') ? netns : `/run/netns/${netns}`;
}

/** Move this process into a network namespace (a name under /run/netns, or a path). */
export function enterNetns(netns: string): void {
  sys.enterNetns(netnsPath(netns));
}

/** socket(), with a word on what an unsupported protocol usually means. */
function openSocket(protocol: number): number {
  try {
    return sys.netlinkSocket(protocol);
  } catch (e) {
    if (!(e instanceof SyscallError) || e.errnoName !== 'EPROTONOSUPPORT') throw e;
    const hint = protocol === NETLINK_TEST
      ? 'no kernel socket serves protocol 25: load the test module (make kmod && sudo make insmod)'
      : `no kernel socket serves protocol ${protocol} (${NETLINK_PROTOCOLS[protocol] ?? 'unknown'}) on this kernel`;
    throw new SyscallError('socket', e.errno, `(protocol ${protocol})`, hint);
  }
}

export class NetlinkSocket implements Transport {
  readonly fd: number;
  readonly portId: number;
  private readonly wakeFd: number;
  private readonly receiver: sys.BatchReceiver;
  private dropCounter?: DropCounter;
  private closed = false;
  /** A wait just ended: peek the next datagram's size before the batch (cheap once per wake-up). */
  private woke = false;
  /** A batch asked for on another thread (drainAhead), and what it brought once it settled. */
  private ahead?: Promise<void>;
  private aheadGot?: ReceiveBatch & { failure?: unknown };

  constructor(readonly protocol: number, opts: SocketOptions = {}) {
    // The socket belongs to the namespace it is created in; entering it here is for this process only.
    if (opts.netns) sys.enterNetns(netnsPath(opts.netns));
    this.fd = openSocket(protocol);
    try {
      this.configure(opts);
      sys.bind(this.fd, opts.pid ?? 0, opts.groups ?? 0);
      this.portId = sys.getsockname(this.fd).pid;
      this.wakeFd = sys.eventfd();
    } catch (e) {
      sys.close(this.fd);
      throw e;
    }
    this.receiver = new sys.BatchReceiver(this.fd, { slots: opts.batch, times: opts.receiveTimes !== false, views: opts.views });
  }

  private configure(opts: SocketOptions): void {
    const set = (name: number, label: string, value = 1) => sys.setsockoptInt(this.fd, SOL_NETLINK, name, value, label);
    // Extended ACK and strict checking are best effort: old kernels lack them and that is fine.
    const tryOpt = (name: number, label: string) => {
      try {
        set(name, label);
      } catch (e) {
        if (!(e instanceof SyscallError) || e.errno !== sys.ENOPROTOOPT) throw e;
      }
    };
    if (opts.extAck !== false) tryOpt(NETLINK_EXT_ACK, 'NETLINK_EXT_ACK');
    if (opts.strict) tryOpt(NETLINK_GET_STRICT_CHK, 'NETLINK_GET_STRICT_CHK');
    if (opts.capAck) set(NETLINK_CAP_ACK, 'NETLINK_CAP_ACK');
    if (opts.pktinfo) set(NETLINK_PKTINFO, 'NETLINK_PKTINFO');
    if (opts.allNsid) set(NETLINK_LISTEN_ALL_NSID, 'NETLINK_LISTEN_ALL_NSID');
    if (opts.noEnobufs) set(NETLINK_NO_ENOBUFS, 'NETLINK_NO_ENOBUFS');
    // Kernel receive times, where the kernel stamps netlink datagrams (6.x does not: then the
    // read time stands in). Best effort, like the options above.
    try {
      sys.setsockoptInt(this.fd, sys.SOL_SOCKET, sys.SO_TIMESTAMPNS, 1, 'SO_TIMESTAMPNS');
    } catch (e) {
      if (!(e instanceof SyscallError)) throw e;
    }
    if (opts.rcvbuf !== undefined) this.setReceiveBuffer(opts.rcvbuf);
  }

  /** SO_RCVBUFFORCE lets root go past rmem_max; fall back to SO_RCVBUF otherwise. */
  setReceiveBuffer(bytes: number): void {
    try {
      sys.setsockoptInt(this.fd, sys.SOL_SOCKET, sys.SO_RCVBUFFORCE, bytes, 'SO_RCVBUFFORCE');
    } catch (e) {
      if (!(e instanceof SyscallError) || e.errno !== sys.EPERM) throw e;
      sys.setsockoptInt(this.fd, sys.SOL_SOCKET, sys.SO_RCVBUF, bytes, 'SO_RCVBUF');
    }
  }

  receiveBufferSize(): number {
    return sys.getsockoptInt(this.fd, sys.SOL_SOCKET, sys.SO_RCVBUF, 'SO_RCVBUF');
  }

  join(group: number): void {
    sys.setsockoptInt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group, `NETLINK_ADD_MEMBERSHIP ${group}`);
  }

  send(bytes: Uint8Array, to: Destination = {}): void {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const r = sys.trySendto(this.fd, buf, to.pid ?? 0, to.groups ?? 0);
    // Sending to a group with no kernel socket at port 0 (e.g. NETLINK_USERSOCK) delivers to the
    // group members and then reports ECONNREFUSED for the missing unicast peer: not a failure.
    if (r.errno === sys.ECONNREFUSED && (to.groups ?? 0) !== 0) return;
    if (r.errno) throw new SyscallError('sendto', r.errno, to.pid ? `(to port ${to.pid})` : undefined);
  }

  drain(): ReceiveBatch {
    if (this.ahead) {
      // What the thread brought comes first; while it is still out, nothing (wait() waits for it).
      const got = this.aheadGot;
      if (!got) return { datagrams: [], overrun: false };
      this.ahead = this.aheadGot = undefined;
      if (got.failure) throw got.failure;
      return got;
    }
    if (this.woke) {
      this.woke = false;
      if (this.receiver.peek() === 'overrun') return { datagrams: [], overrun: true };
    }
    return this.receiver.receive();
  }

  async drainAhead(): Promise<ReceiveBatch> {
    if (this.ahead) await this.ahead;
    const batch = this.drain();
    if (batch.full) this.readAhead();
    return batch;
  }

  readAhead(): void {
    if (this.ahead || this.closed) return;
    // A failure is the next drain's to report, as the call's own would be.
    this.ahead = this.receiver.receiveAhead().then((got) => void (this.aheadGot = got), (e) => void (this.aheadGot = { datagrams: [], overrun: false, failure: e }));
  }

  async wait(timeoutMs: number): Promise<WaitResult> {
    if (this.ahead) {
      await this.ahead;
      const got = this.aheadGot!;
      if (got.datagrams.length || got.overrun || got.failure) return 'readable';
      // It found the queue empty: nothing is lost by forgetting it.
      this.ahead = this.aheadGot = undefined;
    }
    const state = await sys.waitReadable(this.fd, this.wakeFd, timeoutMs);
    if (state === 'woken') sys.eventfdDrain(this.wakeFd);
    this.woke = true;
    return state;
  }

  drops(fresh = false): DropCount | undefined | null {
    this.dropCounter ??= new DropCounter(this.protocol, this.portId);
    return this.dropCounter.read(fresh);
  }

  wake(): void {
    if (!this.closed) sys.eventfdSignal(this.wakeFd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropCounter?.close();
    // A receive still out on a thread keeps the descriptor: closed now, its number could be
    // given to a new socket before the call is made, and the call would read that one's.
    const fd = this.fd, wakeFd = this.wakeFd;
    const closeFds = () => {
      sys.close(fd);
      sys.close(wakeFd);
    };
    if (this.ahead) void this.ahead.then(closeFds);
    else closeFds();
  }
}
