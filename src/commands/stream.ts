// What `send` and `listen` share: each datagram that arrives (or leaves) is decoded, stamped
// with when and from where, written to the output and to the pcap file, and counted.
// Overruns and truncation are events in the output, never silent.
import { NLMSG_HDRLEN } from '../codec/index.js';
import type { Datagram, DropCount } from '../transport/index.js';
import { decodeDatagram, newContext, type DecodeContext, type DecodedMessage, type Schema } from '../schema/index.js';
import type { CaptureMeta, MessageWriter } from '../format/index.js';
import type { PcapFile } from './pcap-file.js';
import type { PolicyTyping } from './policy-typing.js';

/** Wall-clock time in nanoseconds (Date has only milliseconds). */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

let lastSecond = -1;
let lastPrefix = '';

/** ISO 8601 with microseconds; the date part is formatted once per second (captures hold many). */
export function isoTime(ns: bigint): string {
  const us = Number(ns / 1000n);
  return isoTimeOf(Math.floor(us / 1e6), us % 1e6);
}

/** isoTime of a whole second and the microseconds after it. */
export function isoTimeOf(second: number, us: number): string {
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${String(us).padStart(6, '0')}Z`;
}

export interface StreamCounters {
  messages: number;
  datagrams: number;
  overruns: number;
  truncated: number;
  sent: number;
  /** Messages the kernel dropped for the socket (its own counter), when it could be read. */
  lost?: number;
  lostSource?: DropCount['source'];
}

export class MessageStream {
  readonly counters: StreamCounters = { messages: 0, datagrams: 0, overruns: 0, truncated: 0, sent: 0 };
  readonly ctx: DecodeContext = newContext();
  /** Live generic netlink: attributes no table knows are typed by the kernel's policy. */
  typing?: PolicyTyping;

  constructor(
    private readonly protocol: number,
    private readonly schema: Schema,
    private readonly writer: MessageWriter,
    private readonly pcap?: PcapFile,
    private readonly decode: (bytes: Uint8Array, schema: Schema, ctx: DecodeContext) => DecodedMessage[] = decodeDatagram,
  ) {}

  /**
   * A datagram that arrived, written out (listen): straight from its bytes where the writer can
   * (its datagram(), the fast JSON path), else as received() decodes it.
   */
  show(dg: Datagram): void {
    if (!this.writer.datagram || this.typing) {
      this.received(dg);
      return;
    }
    const t = this.arrived(dg);
    this.counters.messages += this.writer.datagram(dg.data, this.schema, this.ctx, this.liveMeta(dg, t));
  }

  /** A datagram that arrived: returns its decoded messages (written out, or held until a policy they need has come). */
  received(dg: Datagram): DecodedMessage[] {
    const t = this.arrived(dg);
    const data = new Uint8Array(dg.data.buffer, dg.data.byteOffset, dg.data.byteLength);
    const msgs = this.stamped(data, dg, isoTime(t));
    this.counters.messages += msgs.length;
    if (!this.typing) this.writeAll(msgs, data);
    else {
      let copy = data;
      this.typing.pass(msgs, () => {
        copy = data.slice();
        return () => this.stamped(copy, dg, msgs[0]?.meta?.time ?? isoTime(t));
      }, (again) => this.writeAll(again, copy));
    }
    return msgs;
  }

  /** Counted, put in the pcap, and a truncation said: returns its time (read or the kernel's, not when decoded). */
  private arrived(dg: Datagram): bigint {
    const t = dg.timeNs ?? nowNs();
    this.counters.datagrams++;
    this.pcap?.write(this.protocol, dg.data, 'in', t);
    if (dg.truncated) {
      this.counters.truncated++;
      this.writer.event?.({ event: 'truncated', time: isoTime(t), message: `datagram of ${dg.length} bytes truncated to ${dg.data.length} (MSG_TRUNC)` });
    }
    return t;
  }

  /** The meta stamped() gives, for the fast path: one object, refilled per datagram (a batch shares its read time). */
  private readonly meta: CaptureMeta = { second: 0, micros: 0, direction: 'in', from_pid: 0, group: undefined, nsid: undefined };
  private metaNs = -1n;

  private liveMeta(dg: Datagram, t: bigint): CaptureMeta {
    const m = this.meta;
    if (t !== this.metaNs) {
      // isoTime's arithmetic: whole microseconds, then the second and what is left of it.
      const us = Number(t / 1000n);
      m.second = Math.floor(us / 1e6);
      m.micros = us % 1e6;
      this.metaNs = t;
    }
    m.from_pid = dg.fromPid;
    m.group = dg.group ? dg.group : undefined;
    m.nsid = dg.nsid;
    return m;
  }

  private stamped(data: Uint8Array, dg: Datagram, time: string): DecodedMessage[] {
    const msgs = this.decode(data, this.schema, this.ctx);
    for (const m of msgs) {
      m.meta = { time, direction: 'in', from_pid: dg.fromPid };
      if (dg.group) m.meta.group = dg.group;
      if (dg.nsid !== undefined) m.meta.nsid = dg.nsid;
    }
    return msgs;
  }

  private writeAll(msgs: DecodedMessage[], data: Uint8Array): void {
    for (const m of msgs) this.writer.write({ message: m, bytes: data.subarray(m.offset, m.offset + Math.max(NLMSG_HDRLEN, Math.min(m.len, data.length - m.offset))) });
  }

  /** A message we sent: into the pcap, and shown when `show` is set (e.g. --echo). */
  sent(bytes: Uint8Array, show: boolean): void {
    const t = nowNs();
    this.counters.sent++;
    this.pcap?.write(this.protocol, bytes, 'out', t);
    if (show) {
      for (const m of this.decode(bytes, this.schema, this.ctx)) {
        m.meta = { time: isoTime(t), direction: 'out' };
        this.writer.write({ message: m, bytes: bytes.subarray(m.offset, m.offset + Math.max(NLMSG_HDRLEN, m.len)) });
      }
    }
  }

  /** Overruns met since the last overrun event, while the drop counter was not read again yet. */
  private overrunsUnreported = 0;

  /**
   * ENOBUFS, with the kernel's drop counter for the socket read just after it. A burst of
   * overruns within the counter's read interval (null) is one event, written at the next read;
   * `counters.overruns` counts the events.
   */
  overrun(drops: DropCount | undefined | null): void {
    this.overrunsUnreported++;
    if (drops !== null) this.overrunEvent(drops);
  }

  /** Overruns not reported yet, and the counter read again (null: not yet): their event. */
  overrunsLater(drops: DropCount | undefined | null): void {
    if (this.overrunsUnreported && drops !== null) this.overrunEvent(drops);
  }

  /** The counter read at the end: the last overruns' event, or the total for the summary. */
  finalDrops(drops: DropCount | undefined): void {
    if (this.overrunsUnreported) this.overrunEvent(drops);
    else this.noteDrops(drops);
  }

  get overrunPending(): boolean {
    return this.overrunsUnreported > 0;
  }

  private overrunEvent(drops: DropCount | undefined): void {
    const c = this.counters;
    c.overruns++;
    this.overrunsUnreported = 0;
    const before = c.lost ?? 0;
    this.noteDrops(drops);
    const lost = drops ? c.lost! - before : undefined;
    this.writer.event?.({
      event: 'overrun',
      time: isoTime(nowNs()),
      message: drops
        ? `receive queue overrun (ENOBUFS): the kernel dropped ${lost} message(s), ${c.lost} so far (${drops.source}); raise --rcvbuf`
        : `receive queue overrun (ENOBUFS): the kernel dropped messages (its drop counter could not be read); ${c.overruns} overrun(s) so far; raise --rcvbuf`,
      ...(drops ? { lost, lost_total: c.lost, lost_source: drops.source } : {}),
      overruns: c.overruns,
    });
  }

  /** The kernel's drop counter, read at an overrun or at the end. */
  noteDrops(drops?: DropCount): void {
    if (!drops) return;
    this.counters.lost = Math.max(drops.count, this.counters.lost ?? 0);
    this.counters.lostSource = drops.source;
  }

  /** Messages held for a policy are written (before the output ends). */
  async settle(): Promise<void> {
    await this.typing?.settle();
  }

  /** Everything gathered for the pcap file goes to disk (the queue is empty, or we stop). */
  flush(): void {
    this.pcap?.flush();
  }

  summary(): string {
    const c = this.counters;
    const parts = [`${c.messages} message(s) received`];
    if (c.sent) parts.push(`${c.sent} sent`);
    parts.push(`${c.overruns} overrun(s)`);
    if (c.lost !== undefined && (c.lost || c.overruns)) parts.push(`${c.lost} message(s) lost (kernel drop counter, ${c.lostSource})`);
    if (c.truncated) parts.push(`${c.truncated} truncated`);
    if (this.pcap) parts.push(`${this.pcap.records} record(s) in ${this.pcap.path}`);
    return parts.join(', ');
  }
}
