// Receiving in batches: one recvmmsg() call brings up to `slots` datagrams, each with its sender
// address and control messages (NETLINK_PKTINFO group, NETLINK_LISTEN_ALL_NSID nsid, and a
// SCM_TIMESTAMPNS receive time where the kernel gives one). An FFI call costs ~5-20 µs, so the
// per-message cost falls with the batch size.
import { NETLINK_LISTEN_ALL_NSID, NETLINK_PKTINFO, SOL_NETLINK } from '../codec/constants.js';
import { SyscallError } from '../errors.js';
import { libc, libcThreaded } from './libc.js';
import { EAGAIN, ENOBUFS, MSG_CTRUNC, MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, SCM_TIMESTAMPNS, SOCKADDR_NL_LEN, SOL_SOCKET } from './constants.js';
import { addressOf, ownedBuffer } from './socket.js';

/** One received datagram. */
export interface Datagram {
  data: Uint8Array;
  /** The sender: port id 0 is the kernel. */
  fromPid: number;
  /** Destination groups bitmask (groups 1–32) as seen in the sender address. */
  fromGroups: number;
  /** The datagram was longer than the buffer (MSG_TRUNC): only `data` was kept. */
  truncated: boolean;
  /** Length the kernel reported (the real size when truncated). */
  length: number;
  /** NETLINK_PKTINFO: the multicast group it was delivered on (0 for unicast). */
  group?: number;
  /** NETLINK_LISTEN_ALL_NSID: the id of the sender's network namespace. */
  nsid?: number;
  controlTruncated: boolean;
  /** Receive time in ns since the epoch: the kernel's (SCM_TIMESTAMPNS) or, lacking one, when the batch was read (unless not asked for). */
  timeNs?: bigint;
  /** Where timeNs came from. */
  timeSource?: 'kernel' | 'read';
}

/** What an ffi-rs call with `errno: true` returns. */
type CallResult = { value: number; errnoCode: number };

export interface ReceivedBatch {
  datagrams: Datagram[];
  /** The call failed with ENOBUFS: the receive queue overflowed and the kernel dropped messages. */
  overrun: boolean;
  /** Every slot was used: more may be queued. */
  full?: boolean;
}

// struct msghdr (56 bytes) + unsigned msg_len, padded: struct mmsghdr is 64 bytes on 64-bit Linux.
const MMSGHDR = 64;
const MSG_LEN = 56;
const MSG_FLAGS = 48;
const MSG_CONTROLLEN = 40;
const MSG_NAMELEN = 8;
const IOVEC = 16;
const NAME_STRIDE = 16;
// PKTINFO (24) + NSID (24) + TIMESTAMPNS (32) fit with room to spare.
const CONTROL_STRIDE = 128;
const CMSGHDR = 16;
const TIMESPEC = 16;

/** A Buffer's memory as 64-bit words in the machine's byte order (the kernel reads pointers in it). */
function words64(b: Buffer): BigUint64Array {
  return new BigUint64Array(b.buffer, b.byteOffset, b.length >> 3);
}

/** Wall-clock time in nanoseconds (Date has only milliseconds). */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/**
 * The memory of one recvmmsg() call: `slots` headers (struct mmsghdr), sender addresses, control
 * space and datagram slots of `slotSize` bytes each.
 */
class Slots {
  slotSize = 0;
  data!: Buffer;
  /** The same memory as a plain Uint8Array: slice() copies out in one allocation. */
  bytes!: Uint8Array;
  readonly names: Buffer;
  readonly controls: Buffer;
  private readonly iovs: Buffer;
  readonly mmsg: Buffer;
  /** mmsg as 32-bit words (the machine's byte order, as the kernel's). */
  readonly mmsg32: Uint32Array;
  /** The sender addresses (sockaddr_nl: family, pad, pid, groups) and control messages, as 32-bit words. */
  readonly names32: Uint32Array;
  readonly controls32: Int32Array;

  constructor(readonly slots: number, slotSize: number) {
    this.names = ownedBuffer(slots * NAME_STRIDE);
    this.controls = ownedBuffer(slots * CONTROL_STRIDE);
    this.iovs = ownedBuffer(slots * IOVEC);
    this.mmsg = ownedBuffer(slots * MMSGHDR);
    const names = addressOf(this.names), controls = addressOf(this.controls), iovs = addressOf(this.iovs);
    // Pointers and lengths as 64-bit words of a typed array: Buffer's writeBigUInt64LE checks
    // each value in JavaScript, ~1 ms for the 384 words of a socket before V8 compiles it.
    this.mmsg32 = new Uint32Array(this.mmsg.buffer, this.mmsg.byteOffset, this.mmsg.length >> 2);
    this.names32 = new Uint32Array(this.names.buffer, this.names.byteOffset, this.names.length >> 2);
    this.controls32 = new Int32Array(this.controls.buffer, this.controls.byteOffset, this.controls.length >> 2);
    const words = words64(this.mmsg);
    for (let i = 0; i < slots; i++) {
      const m = (i * MMSGHDR) / 8;
      words[m] = names + BigInt(i * NAME_STRIDE);
      words[m + 2] = iovs + BigInt(i * IOVEC);
      words[m + 3] = 1n;
      words[m + 4] = controls + BigInt(i * CONTROL_STRIDE);
    }
    this.allocate(slotSize);
  }

  allocate(slotSize: number): void {
    this.slotSize = slotSize;
    // Not filled: the kernel writes before anything is read, and untouched pages cost nothing.
    this.data = Buffer.allocUnsafeSlow(this.slots * slotSize);
    this.bytes = new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.length);
    const base = addressOf(this.data), size = BigInt(slotSize);
    const words = words64(this.iovs);
    for (let i = 0; i < this.slots; i++) {
      words[i * 2] = base + BigInt(i * slotSize);
      words[i * 2 + 1] = size;
    }
  }

  /** The headers of the first `limit` slots made ready for a call; how many. */
  prepare(limit: number): number {
    const n = Math.min(limit, this.slots);
    const u32 = this.mmsg32;
    for (let i = 0; i < n; i++) {
      const m = (i * MMSGHDR) >> 2;
      u32[m + (MSG_NAMELEN >> 2)] = SOCKADDR_NL_LEN;
      // msg_controllen is a size_t.
      u32[m + (MSG_CONTROLLEN >> 2)] = CONTROL_STRIDE;
      u32[m + (MSG_CONTROLLEN >> 2) + 1] = 0;
    }
    return n;
  }
}

export interface ReceiverOptions {
  /** Datagrams per call (default 64). */
  slots?: number;
  /** Bytes per datagram slot at first (default 64 KiB; they grow for larger datagrams). */
  slotSize?: number;
  /**
   * Stamp each batch with the time it was read, for datagrams the kernel does not stamp (the
   * first stamp loads Node's perf_hooks, ~1 ms: a dump, which shows no times, goes without).
   */
  times?: boolean;
  /**
   * A datagram's data is a view of the receiver's memory, not a copy, for a reader that is done
   * with each batch before it asks for the one after next: two sets of slots take turns, so a
   * batch stays whole while the next one is received (receiveAhead). Spares a large dump the
   * copy and the allocation of every datagram.
   */
  views?: boolean;
}

/**
 * recvmmsg() into reusable memory: up to `slots` datagrams of up to `slotSize` bytes per call.
 * A datagram larger than a slot comes back flagged truncated with its real length, and the slots
 * grow for the calls that follow; after each wait, a peek sizes the slots for the first datagram.
 */
export class BatchReceiver {
  readonly slots: number;
  private readonly times: boolean;
  private readonly views: boolean;
  /** One set of slots, or two that take turns (views). */
  private readonly sets: Slots[];
  private turn = 0;
  private readonly peekMsg = ownedBuffer(56);
  private readonly peekIov = ownedBuffer(IOVEC);
  private readonly peekByte = ownedBuffer(16);

  constructor(private readonly fd: number, opts: ReceiverOptions = {}) {
    this.slots = opts.slots ?? 64;
    this.times = opts.times ?? true;
    this.views = opts.views ?? false;
    const slotSize = opts.slotSize ?? 64 * 1024;
    this.sets = this.views ? [new Slots(this.slots, slotSize), new Slots(this.slots, slotSize)] : [new Slots(this.slots, slotSize)];
    this.peekIov.writeBigUInt64LE(addressOf(this.peekByte), 0);
    this.peekIov.writeBigUInt64LE(1n, 8);
    this.peekMsg.writeBigUInt64LE(addressOf(this.peekIov), 16);
    this.peekMsg.writeBigUInt64LE(1n, 24);
  }

  private get slotSize(): number {
    return this.sets[0].slotSize;
  }

  private grow(length: number): void {
    let size = this.slotSize;
    while (size < length) size *= 2;
    // Views of the old memory keep it alive for as long as they are held.
    if (size !== this.slotSize) for (const s of this.sets) s.allocate(size);
  }

  /**
   * Size the slots for the datagram at the head of the queue (MSG_PEEK|MSG_TRUNC). Returns its
   * size (0 when none), or 'overrun' when the peek met ENOBUFS: the error is consumed by the call
   * that sees it, so it must be reported from here.
   */
  peek(): number | 'overrun' {
    const r = libc.recvmsg([this.fd, this.peekMsg, MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC]) as { value: number; errnoCode: number };
    if (r.value < 0) {
      if (r.errnoCode === ENOBUFS) return 'overrun';
      if (r.errnoCode === EAGAIN) return 0;
      throw new SyscallError('recvmsg', r.errnoCode);
    }
    if (r.value > this.slotSize) this.grow(r.value);
    return r.value;
  }

  /**
   * Receive every datagram one call can bring (at most `limit`), without blocking. An empty
   * batch means nothing is queued. ENOBUFS is reported as `overrun` (the next call reads on);
   * other errors throw.
   */
  receive(limit = this.slots): ReceivedBatch {
    const s = this.sets[this.turn];
    const n = s.prepare(limit);
    return this.collect(s, libc.recvmmsg([this.fd, s.mmsg, n, MSG_DONTWAIT | MSG_TRUNC, 0]) as CallResult, n);
  }

  /**
   * receive() on a thread of libuv's pool: the kernel writes the next messages of a dump (a
   * dump's work is done as it is read) while the main thread handles the last batch. The memory
   * of the batch is the receiver's until the promise settles: one call at a time.
   */
  async receiveAhead(limit = this.slots): Promise<ReceivedBatch> {
    const s = this.sets[this.turn];
    const n = s.prepare(limit);
    return this.collect(s, (await libcThreaded.recvmmsg([this.fd, s.mmsg, n, MSG_DONTWAIT | MSG_TRUNC, 0])) as CallResult, n);
  }

  /** The batch a recvmmsg of `n` slots of `s` returned `r` for. */
  private collect(s: Slots, r: CallResult, n: number): ReceivedBatch {
    if (r.value < 0) {
      if (r.errnoCode === EAGAIN) return { datagrams: [], overrun: false };
      if (r.errnoCode === ENOBUFS) return { datagrams: [], overrun: true };
      throw new SyscallError('recvmmsg', r.errnoCode);
    }
    // The other set takes the next call: this batch's views stay whole until the one after.
    if (this.views && r.value > 0) this.turn ^= 1;
    const u32 = s.mmsg32, names = s.names32, slotSize = s.slotSize, bytes = s.bytes, views = this.views;
    const readAt = this.times ? nowNs() : undefined;
    const datagrams: Datagram[] = new Array(r.value);
    let largest = 0;
    for (let i = 0; i < r.value; i++) {
      const m = (i * MMSGHDR) >> 2;
      const length = u32[m + (MSG_LEN >> 2)]!;
      const flags = u32[m + (MSG_FLAGS >> 2)]!;
      const kept = Math.min(length, slotSize);
      const start = i * slotSize;
      const name = (i * NAME_STRIDE) >> 2;
      const dg: Datagram = {
        // A copy (the slots are reused) unless views were asked for, as a plain Uint8Array:
        // decoders slice it a lot, and Buffer slices cost several times more than typed-array ones.
        data: views ? bytes.subarray(start, start + kept) : bytes.slice(start, start + kept),
        fromPid: names[name + 1]!,
        fromGroups: names[name + 2]!,
        truncated: (flags & MSG_TRUNC) !== 0 || length > slotSize,
        length,
        controlTruncated: (flags & MSG_CTRUNC) !== 0,
        timeNs: readAt,
        timeSource: readAt === undefined ? undefined : 'read',
      };
      // msg_controllen is a size_t, never above CONTROL_STRIDE: its low word is all of it.
      const control = u32[m + (MSG_CONTROLLEN >> 2)]!;
      if (control) this.readControl(s, dg, i * CONTROL_STRIDE, control);
      if (length > largest) largest = length;
      datagrams[i] = dg;
    }
    if (largest > this.slotSize) this.grow(largest);
    return { datagrams, overrun: false, full: r.value === n };
  }

  // struct cmsghdr { size_t len; int level; int type; } followed by data, each aligned to 8.
  // Read as 32-bit words (`base` and every header are 8-aligned); a len is below CONTROL_STRIDE.
  private readControl(s: Slots, dg: Datagram, base: number, total: number): void {
    const c = s.controls32;
    let off = 0;
    while (off + CMSGHDR <= total) {
      const w = (base + off) >> 2;
      const len = c[w + 1] === 0 ? c[w]! >>> 0 : Infinity;
      if (len < CMSGHDR || off + len > total) break;
      const level = c[w + 2], type = c[w + 3];
      if (level === SOL_NETLINK && type === NETLINK_PKTINFO && len >= CMSGHDR + 4) dg.group = c[w + 4]! >>> 0;
      else if (level === SOL_NETLINK && type === NETLINK_LISTEN_ALL_NSID && len >= CMSGHDR + 4) dg.nsid = c[w + 4];
      else if (level === SOL_SOCKET && type === SCM_TIMESTAMPNS && len >= CMSGHDR + TIMESPEC) {
        const at = base + off + CMSGHDR;
        dg.timeNs = s.controls.readBigInt64LE(at) * 1_000_000_000n + s.controls.readBigInt64LE(at + 8);
        dg.timeSource = 'kernel';
      }
      off += (len + 7) & ~7;
    }
  }
}
