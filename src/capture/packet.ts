// One captured frame, and the interface between the stream driver and a record reader.
import { view } from '../codec/bytes.js';
import { parseCookedAt, type NetlinkFrameInfo } from './cooked.js';

/** Re-exported for the readers, which read their records through it. */
export { view };

export interface CapturedPacket {
  tsSec: number;
  tsNsec: number;
  linkType: number;
  origLen: number;
  /** File offset of the frame's first byte. */
  offset: number;
  /** Link-layer frame as stored (for netlink: cooked header + messages). */
  data: Uint8Array;
  /** For LINKTYPE_NETLINK (and SLL/SLL2 frames with hatype ARPHRD_NETLINK): the cooked header, parsed. */
  netlink?: NetlinkFrameInfo;
}

export interface CaptureDiagnostic {
  offset: number;
  message: string;
}

/** Where a record reader hands what it finds. */
export interface CaptureSink {
  packet(p: CapturedPacket): void;
  diagnostic(d: CaptureDiagnostic): void;
  /** A packet the file holds but that cannot be read out (besides its diagnostic). */
  skipped?(reason: string): void;
}

/** Steps over one record (or block) at a time; see CaptureStream. */
export interface RecordReader {
  readonly format: 'pcap' | 'pcapng';
  byteOrder: 'le' | 'be';
  linkType?: number;
  /**
   * Reads the record at buf[off] (file offset base + off): bytes consumed, 0 when more input
   * is needed (never when `final`), -1 when reading must stop.
   */
  step(buf: Uint8Array, off: number, base: number, final: boolean, sink: CaptureSink): number;
}


let reportTo: CaptureSink | undefined;
let reportBase = 0;
const report = (at: number, message: string): void => reportTo!.diagnostic({ offset: reportBase + at, message });

/** A frame in a reader's window: its bytes are cut out only when asked for (decode reads the payload). */
class WindowFrame implements CapturedPacket {
  netlink?: NetlinkFrameInfo;
  private bytes?: Uint8Array;

  constructor(readonly tsSec: number, readonly tsNsec: number, readonly linkType: number, readonly origLen: number, readonly offset: number,
    private readonly buf: Uint8Array, private readonly s: number, private readonly e: number) {}

  get data(): Uint8Array {
    return (this.bytes ??= this.buf.subarray(this.s, this.e));
  }
}

/** The frame at buf[s, e) (file offset fileOff), with its cooked header parsed for netlink. */
export function makePacket(tsSec: number, tsNsec: number, linkType: number, origLen: number, buf: Uint8Array, s: number, e: number, fileOff: number, sink: CaptureSink): CapturedPacket {
  const p = new WindowFrame(tsSec, tsNsec, linkType, origLen, fileOff, buf, s, e);
  // One reporter for every frame (a closure per frame costs at a million frames).
  reportTo = sink;
  reportBase = fileOff;
  const nl = parseCookedAt(linkType, buf, s, e, report);
  if (nl) p.netlink = nl;
  return p;
}
