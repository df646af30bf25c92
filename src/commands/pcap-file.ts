// A pcap file written as messages pass: header first, then records gathered in one buffer and
// written together (a write per datagram costs a syscall each). flush() runs whenever the
// receive queue is empty and at the end, so what was seen is on disk soon after it arrived. A name ending in
// .pcapng gets pcapng, whose records can carry comments; any other name gets pcap.
import { closeSync, openSync, writeSync } from 'node:fs';
import { PACKET_USER, PcapngWriter, PcapWriter, type PcapRecordInput } from '../capture/pcap.js';
import { NETLINK_GENERIC } from '../codec/constants.js';
import { fileError } from './read-file.js';

/**
 * Records gather in one buffer of this size, written out when the next does not fit, at a flush
 * and at the end. A record holds at most the writers' snaplen (256 KiB) and its headers: it fits.
 */
const FLUSH_BYTES = 1 << 20;

/** The opt_comment on a pcapng family-table record, for people reading the capture in Wireshark. */
export const FAMILY_TABLE_COMMENT = 'nlctl: genl family table';

export class PcapFile {
  private readonly fd: number;
  private readonly writer: PcapWriter | PcapngWriter;
  /** Records not yet on disk. */
  private readonly pending = Buffer.allocUnsafeSlow(FLUSH_BYTES);
  private pendingBytes = 0;
  private closed = false;
  /** Generic netlink family ids whose CTRL_CMD_NEWFAMILY is already in the file. */
  private readonly families = new Set<number>();
  /** The last time written and its seconds and nanoseconds (a batch of datagrams shares its read time). */
  private lastNs = -1n;
  private tsSec = 0;
  private tsNsec = 0;
  records = 0;

  constructor(readonly path: string) {
    this.writer = /\.pcapng$/i.test(path) ? new PcapngWriter() : new PcapWriter({ resolution: 'ns' });
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw fileError(path, e, { label: '--pcap', writing: true });
    }
    writeSync(this.fd, this.writer.header());
  }

  /** One datagram; `pktType` writes that sll_pkttype instead of the one `direction` gives. */
  write(protocol: number, payload: Uint8Array, direction: 'in' | 'out', timeNs: bigint, pktType?: number, wireLength?: number): void {
    this.stamp(timeNs);
    this.add({ protocol, payload, tsSec: this.tsSec, tsNsec: this.tsNsec, direction, pktType, wireLength });
  }

  private stamp(timeNs: bigint): void {
    if (timeNs === this.lastNs) return;
    this.lastNs = timeNs;
    this.tsSec = Number(timeNs / 1_000_000_000n);
    this.tsNsec = Number(timeNs % 1_000_000_000n);
  }

  private add(p: PcapRecordInput): void {
    const w = this.writer;
    // pcap records are written in place; a pcapng record is made, then copied in.
    const made = w instanceof PcapWriter ? undefined : w.record(p);
    const size = made ? made.length : (w as PcapWriter).recordSize(p.payload.length);
    if (this.pendingBytes + size > FLUSH_BYTES) this.flush();
    if (made) {
      this.pending.set(made, this.pendingBytes);
      this.pendingBytes += size;
    } else this.pendingBytes = (w as PcapWriter).writeRecord(this.pending, this.pendingBytes, p);
    this.records++;
  }

  /**
   * The family table: nlctrl's CTRL_CMD_NEWFAMILY reply that named family `id`, written once,
   * before the family's first message, as an ordinary generic netlink frame (so that Wireshark
   * and `nlctl decode` learn the id as they would from live nlctrl traffic), marked by
   * sll_pkttype PACKET_USER (6, kernel to user socket) where nlctl's own traffic has 0 or 4,
   * and in pcapng also by an opt_comment.
   */
  familyTable(id: number, reply: Uint8Array, timeNs: bigint): void {
    if (this.families.has(id)) return;
    this.families.add(id);
    this.stamp(timeNs);
    this.add({ protocol: NETLINK_GENERIC, payload: reply, tsSec: this.tsSec, tsNsec: this.tsNsec, direction: 'in', pktType: PACKET_USER, comment: FAMILY_TABLE_COMMENT });
  }

  flush(): void {
    if (!this.pendingBytes) return;
    const n = this.pendingBytes;
    this.pendingBytes = 0;
    this.writeAll(this.pending.subarray(0, n));
  }

  private writeAll(bytes: Uint8Array): void {
    for (let off = 0; off < bytes.length;) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }
}
