/*
 * Capture files in: pcap and pcapng, read as a stream through a window that holds only the
 * record being read (so memory stays flat however big the file is), or all at once with
 * readCapture. Malformed input becomes diagnostics with file offsets; only input that is not
 * pcap/pcapng at all throws. Layouts: pcap-reader.ts, pcapng-reader.ts; the cooked header of
 * netlink frames: cooked.ts.
 */
import { concat } from '../codec/bytes.js';
import { view, type CapturedPacket, type CaptureDiagnostic, type CaptureSink, type RecordReader } from './packet.js';
import { PcapRecords, pcapMagic } from './pcap-reader.js';
import { PcapngBlocks, PCAPNG_SHB } from './pcapng-reader.js';

export { PCAP_NSEC, PCAP_USEC } from './pcap-reader.js';

export type { CapturedPacket, CaptureDiagnostic, CaptureSink, RecordReader } from './packet.js';

export interface Capture {
  format: 'pcap' | 'pcapng';
  byteOrder: 'le' | 'be';
  /** pcap: the file's link type; pcapng: that of the first interface (undefined before one). */
  linkType?: number;
  packets: CapturedPacket[];
  diagnostics: CaptureDiagnostic[];
}

export class CaptureFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureFormatError';
  }
}

/** True when the bytes start with a pcap or pcapng magic number. */
export function isCapture(bytes: Uint8Array): boolean {
  if (pcapMagic(bytes)) return true;
  return bytes.length >= 4 && view(bytes).getUint32(0, true) === PCAPNG_SHB;
}

function readerFor(head: Uint8Array): RecordReader {
  const magic = pcapMagic(head);
  if (magic) return new PcapRecords(magic);
  if (head.length >= 4 && view(head).getUint32(0, true) === PCAPNG_SHB) return new PcapngBlocks();
  const shown = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new CaptureFormatError(
    head.length < 4 ? `not a capture file: only ${head.length} byte(s)` : `not a capture file: magic ${shown} is neither pcap nor pcapng`,
  );
}

/**
 * A capture read chunk by chunk: push() what arrives, end() at the end of input. Packets are
 * handed to the sink as soon as they are whole; the window keeps only the unread tail.
 */
export class CaptureStream {
  private reader?: RecordReader;
  private window: Uint8Array = new Uint8Array(0);
  private base = 0;
  private stopped = false;

  constructor(private readonly sink: CaptureSink) {}

  get format(): 'pcap' | 'pcapng' | undefined {
    return this.reader?.format;
  }
  get byteOrder(): 'le' | 'be' | undefined {
    return this.reader?.byteOrder;
  }
  get linkType(): number | undefined {
    return this.reader?.linkType;
  }
  /** True once a reader gave up: the rest of the input need not be read. */
  get done(): boolean {
    return this.stopped;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.window = this.window.length === 0 ? chunk : concat([this.window, chunk]);
    this.run(false);
  }

  end(): void {
    if (!this.stopped) this.run(true);
    this.stopped = true;
  }

  /** The whole input at once: read as the final piece, so nothing waits for more. */
  all(bytes: Uint8Array): void {
    this.window = bytes;
    this.end();
  }

  private run(final: boolean): void {
    const buf = this.window;
    if (!this.reader) {
      if (buf.length < 4 && !final) return;
      this.reader = readerFor(buf);
    }
    let off = 0;
    try {
      while (off < buf.length) {
        const n = this.reader.step(buf, off, this.base, final, this.sink);
        if (n < 0) {
          this.stopped = true;
          break;
        }
        if (n === 0) break;
        off += n;
      }
    } catch (e) {
      // Safety net: a reader bug must not take the caller down with it.
      this.sink.diagnostic({ offset: this.base + off, message: `internal error while reading capture: ${(e as Error).message}` });
      this.stopped = true;
    }
    this.base += off;
    this.window = this.stopped ? new Uint8Array(0) : buf.subarray(off);
  }
}

/**
 * Reads a whole pcap or pcapng file. Damage becomes diagnostics (with file
 * offsets) and reading stops at the first block it cannot step over; only a
 * file without a pcap/pcapng magic throws CaptureFormatError.
 */
export function readCapture(bytes: Uint8Array): Capture {
  const packets: CapturedPacket[] = [];
  const diagnostics: CaptureDiagnostic[] = [];
  const stream = new CaptureStream({ packet: (p) => packets.push(p), diagnostic: (d) => diagnostics.push(d) });
  stream.all(bytes);
  const cap: Capture = { format: stream.format!, byteOrder: stream.byteOrder!, packets, diagnostics };
  if (stream.linkType !== undefined) cap.linkType = stream.linkType;
  return cap;
}
