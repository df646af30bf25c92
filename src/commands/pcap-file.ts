// A pcap file written as messages pass: header first, then records gathered into one write per
// batch (a write per datagram costs a syscall each). flush() runs whenever the receive queue is
// empty and at the end, so what was seen is on disk soon after it arrived.
import { closeSync, openSync, writeSync } from 'node:fs';
import { PcapWriter } from '../capture/pcap.js';
import { UsageError } from '../errors.js';

const FLUSH_BYTES = 1 << 20;

export class PcapFile {
  private readonly fd: number;
  private readonly writer = new PcapWriter({ resolution: 'ns' });
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private closed = false;
  records = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new UsageError(`--pcap ${path}: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`);
    }
    writeSync(this.fd, this.writer.header());
  }

  write(protocol: number, payload: Uint8Array, direction: 'in' | 'out', timeNs: bigint): void {
    const tsSec = Number(timeNs / 1_000_000_000n);
    const tsNsec = Number(timeNs % 1_000_000_000n);
    const rec = this.writer.record({ protocol, payload, tsSec, tsNsec, direction });
    this.pending.push(rec);
    this.pendingBytes += rec.length;
    this.records++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
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
