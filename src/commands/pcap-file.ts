// A pcap file written as messages pass: header first, then one synchronous write per datagram,
// so whatever was seen is on disk even if the process is killed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { PcapWriter } from '../capture/pcap.js';
import { UsageError } from '../errors.js';

export class PcapFile {
  private readonly fd: number;
  private readonly writer = new PcapWriter({ resolution: 'ns' });
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
    writeSync(this.fd, this.writer.record({ protocol, payload, tsSec, tsNsec, direction }));
    this.records++;
  }

  close(): void {
    closeSync(this.fd);
  }
}
