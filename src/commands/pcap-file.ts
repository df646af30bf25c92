// A pcap file written as messages pass: header first, then records gathered into one write per
// batch (a write per datagram costs a syscall each). flush() runs whenever the receive queue is
// empty and at the end, so what was seen is on disk soon after it arrived. A name ending in
// .pcapng gets pcapng, whose records can carry comments; any other name gets pcap.
import { closeSync, openSync, writeSync } from 'node:fs';
import { PACKET_USER, PcapngWriter, PcapWriter } from '../capture/pcap.js';
import { NETLINK_GENERIC } from '../codec/constants.js';
import { fileError } from './read-file.js';

const FLUSH_BYTES = 1 << 20;

/** The opt_comment on a pcapng family-table record, for people reading the capture in Wireshark. */
export const FAMILY_TABLE_COMMENT = 'nlctl: genl family table';

export class PcapFile {
  private readonly fd: number;
  private readonly writer: PcapWriter | PcapngWriter;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private closed = false;
  /** Generic netlink family ids whose CTRL_CMD_NEWFAMILY is already in the file. */
  private readonly families = new Set<number>();
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
    const tsSec = Number(timeNs / 1_000_000_000n);
    const tsNsec = Number(timeNs % 1_000_000_000n);
    this.push(this.writer.record({ protocol, payload, tsSec, tsNsec, direction, pktType, wireLength }));
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private push(rec: Uint8Array): void {
    this.pending.push(rec);
    this.pendingBytes += rec.length;
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
    const tsSec = Number(timeNs / 1_000_000_000n);
    const tsNsec = Number(timeNs % 1_000_000_000n);
    this.push(this.writer.record({ protocol: NETLINK_GENERIC, payload: reply, tsSec, tsNsec, direction: 'in', pktType: PACKET_USER, comment: FAMILY_TABLE_COMMENT }));
  }

  flush(): void {
    if (!this.pending.length) return;
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    for (let off = 0; off < all.length;) off += writeSync(this.fd, all, off, all.length - off);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }
}
