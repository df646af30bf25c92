/*
 * Classic pcap, either byte order (the magic tells which):
 *   0  magic     a1b2c3d4 = µs timestamps, a1b23c4d = ns timestamps
 *   4  version   u16 major (2), u16 minor (4)
 *   8  thiszone  i32, 12 sigfigs u32
 *  16  snaplen   u32
 *  20  linktype  u32 (low 16 bits; upper bits may carry FCS info)
 *  24  records:  ts_sec u32 | ts_frac u32 | incl_len u32 | orig_len u32 | data[incl_len]
 */
import { makePacket, view, type CaptureSink, type RecordReader } from './packet.js';

export const PCAP_USEC = 0xa1b2c3d4;
export const PCAP_NSEC = 0xa1b23c4d;
const PCAP_MODIFIED = 0xa1b2cd34; // Kuznetzov's patched libpcap: 8 more bytes per record header
const FILE_HEADER_LEN = 24;

/* A record larger than this is taken as garbage rather than as a truncated packet. */
export const MAX_PLAUSIBLE_RECORD = 64 * 1024 * 1024;

export type PcapMagic = { le: boolean; nsec: boolean; modified: boolean };

export function pcapMagic(bytes: Uint8Array): PcapMagic | null {
  if (bytes.length < 4) return null;
  const dv = view(bytes);
  for (const le of [true, false]) {
    const m = dv.getUint32(0, le);
    if (m === PCAP_USEC) return { le, nsec: false, modified: false };
    if (m === PCAP_NSEC) return { le, nsec: true, modified: false };
    if (m === PCAP_MODIFIED) return { le, nsec: false, modified: true };
  }
  return null;
}

export class PcapRecords implements RecordReader {
  readonly format = 'pcap';
  byteOrder: 'le' | 'be';
  linkType?: number;
  private headerRead = false;
  private snaplen = 0;
  private readonly hdrLen: number;
  private readonly fracLimit: number;

  constructor(private readonly magic: PcapMagic) {
    this.byteOrder = magic.le ? 'le' : 'be';
    this.hdrLen = magic.modified ? 24 : 16;
    this.fracLimit = magic.nsec ? 1e9 : 1e6;
  }

  /** The window's DataView, made once per window rather than once per record. */
  private dv?: DataView;

  step(buf: Uint8Array, off: number, base: number, final: boolean, sink: CaptureSink): number {
    let dv = this.dv;
    if (!dv || dv.buffer !== buf.buffer || dv.byteOffset !== buf.byteOffset || dv.byteLength !== buf.byteLength) dv = this.dv = view(buf);
    const le = this.magic.le;
    const left = buf.length - off;
    if (!this.headerRead) {
      if (left < FILE_HEADER_LEN) {
        if (!final) return 0;
        sink.diagnostic({ offset: base + off, message: `truncated pcap header: ${left} of ${FILE_HEADER_LEN} bytes` });
        return -1;
      }
      const major = dv.getUint16(off + 4, le);
      const minor = dv.getUint16(off + 6, le);
      if (major !== 2) sink.diagnostic({ offset: base + off + 4, message: `unexpected pcap version ${major}.${minor}` });
      this.snaplen = dv.getUint32(off + 16, le);
      this.linkType = dv.getUint32(off + 20, le) & 0xffff;
      this.headerRead = true;
      return FILE_HEADER_LEN;
    }
    const hdrLen = this.hdrLen;
    const at = base + off;
    if (left < hdrLen) {
      if (!final) return 0;
      sink.diagnostic({ offset: at, message: `truncated record header: ${left} of ${hdrLen} bytes` });
      return -1;
    }
    const tsSec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    const limit = Math.max(this.snaplen, 262144, MAX_PLAUSIBLE_RECORD);
    if (incl > limit) {
      sink.diagnostic({ offset: at + 8, message: `implausible incl_len ${incl}; stopping` });
      return -1;
    }
    const avail = left - hdrLen;
    if (incl > avail && !final) return 0;
    if (frac >= this.fracLimit) {
      sink.diagnostic({ offset: at + 4, message: `timestamp fraction ${frac} out of range for ${this.magic.nsec ? 'ns' : 'µs'} resolution` });
    }
    if (incl > orig) sink.diagnostic({ offset: at + 8, message: `incl_len ${incl} > orig_len ${orig}` });
    if (this.snaplen > 0 && incl > this.snaplen) sink.diagnostic({ offset: at + 8, message: `incl_len ${incl} > snaplen ${this.snaplen}` });
    let take = incl;
    if (incl > avail) {
      sink.diagnostic({ offset: at, message: `record truncated: incl_len ${incl}, only ${avail} bytes left` });
      take = avail;
    }
    const dataOff = off + hdrLen;
    const tsNsec = this.magic.nsec ? frac : frac * 1000;
    sink.packet(makePacket(tsSec, tsNsec, this.linkType!, orig, buf, dataOff, dataOff + take, base + dataOff, sink));
    return take < incl ? -1 : hdrLen + incl;
  }
}
