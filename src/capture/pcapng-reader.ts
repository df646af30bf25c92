/*
 * pcapng: a sequence of blocks, each
 *   type u32 | total_len u32 | body … (padded to 4) | total_len u32
 *   SHB 0a0d0d0a  byte-order magic 1a2b3c4d | u16 major | u16 minor | i64 section len | options
 *   IDB 1         u16 linktype | u16 reserved | u32 snaplen | options (if_tsresol 9, if_tsoffset 14)
 *   EPB 6         u32 if_id | u32 ts_hi | u32 ts_lo | u32 caplen | u32 origlen | data | options
 *   SPB 3         u32 origlen | data   (interface 0, no timestamp)
 *   OPB 2         u16 if_id | u16 drops | u32 ts_hi | u32 ts_lo | u32 caplen | u32 origlen | data
 * Offsets in the code below are positions in the window; diagnostics add the window's file offset.
 */
import { MAX_PLAUSIBLE_RECORD } from './pcap-reader.js';
import { makePacket, view, type CaptureSink, type RecordReader } from './packet.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const MIN_BLOCK = 12;

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

interface NgInterface {
  linkType: number;
  snaplen: number;
  /** units per second as a BigInt (10^n or 2^n) */
  unitsPerSec: bigint;
  tsOffset: number;
}

export class PcapngBlocks implements RecordReader {
  readonly format = 'pcapng';
  byteOrder: 'le' | 'be' = 'le';
  linkType?: number;
  private le = true;
  private sectionSeen = false;
  private ifaces: NgInterface[] = [];

  step(buf: Uint8Array, off: number, base: number, final: boolean, sink: CaptureSink): number {
    const dv = view(buf);
    const diag = (at: number, message: string): void => sink.diagnostic({ offset: base + at, message });
    const left = buf.length - off;
    if (left < MIN_BLOCK) {
      if (!final) return 0;
      diag(off, `truncated block header: ${left} bytes left`);
      return -1;
    }
    let le = this.le;
    const typeLe = dv.getUint32(off, true);
    if (typeLe === PCAPNG_SHB) {
      // The byte-order magic decides how this section (including this block's length) is read.
      const bomLe = dv.getUint32(off + 8, true);
      if (bomLe === PCAPNG_BOM) le = true;
      else if (dv.getUint32(off + 8, false) === PCAPNG_BOM) le = false;
      else {
        diag(off + 8, `bad byte-order magic ${hex32(bomLe)} in section header`);
        return -1;
      }
    } else if (!this.sectionSeen) {
      diag(off, 'block before any section header');
      return -1;
    }
    const type = dv.getUint32(off, le);
    const total = dv.getUint32(off + 4, le);
    if (total < MIN_BLOCK) {
      diag(off + 4, `block length ${total} < 12; stopping`);
      return -1;
    }
    if (total > left && !final) {
      if (total <= MAX_PLAUSIBLE_RECORD) return 0;
      diag(off + 4, `implausible block length ${total}; stopping`);
      return -1;
    }
    if (typeLe === PCAPNG_SHB) {
      if (!this.sectionSeen) this.byteOrder = le ? 'le' : 'be';
      this.le = le;
      this.sectionSeen = true;
      this.ifaces = [];
    }
    if (total % 4 !== 0) diag(off + 4, `block length ${total} is not a multiple of 4`);
    if (total > left) {
      diag(off, `block truncated: length ${total}, only ${left} bytes left`);
      return -1;
    }
    const trailer = dv.getUint32(off + total - 4, le);
    if (trailer !== total) diag(off + total - 4, `trailing block length ${trailer} differs from leading ${total}`);
    const body = off + 8;
    const bodyEnd = off + total - 4;
    switch (type) {
      case PCAPNG_SHB: {
        if (bodyEnd - body < 16) diag(off, 'section header block too short');
        else {
          const major = dv.getUint16(body + 4, le);
          if (major !== 1) diag(body + 4, `unexpected pcapng version ${major}`);
        }
        break;
      }
      case 1: {
        if (bodyEnd - body < 8) {
          diag(off, 'interface description block too short');
          // Keep interface numbering aligned with the file even when a block is bad.
          this.ifaces.push({ linkType: -1, snaplen: 0, unitsPerSec: 1000000n, tsOffset: 0 });
          break;
        }
        const iface: NgInterface = {
          linkType: dv.getUint16(body, le),
          snaplen: dv.getUint32(body + 4, le),
          unitsPerSec: 1000000n,
          tsOffset: 0,
        };
        forEachOption(dv, body + 8, bodyEnd, le, diag, (code, vOff, vLen) => {
          if (code === 9 && vLen >= 1) {
            const r = dv.getUint8(vOff);
            const exp = BigInt(r & 0x7f);
            iface.unitsPerSec = r & 0x80 ? 1n << exp : 10n ** exp;
          } else if (code === 14 && vLen >= 8) {
            iface.tsOffset = Number(dv.getBigInt64(vOff, le));
          }
        });
        this.ifaces.push(iface);
        this.linkType ??= iface.linkType;
        break;
      }
      case 6:
      case 2: {
        const isEpb = type === 6;
        if (bodyEnd - body < 20) {
          diag(off, `${isEpb ? 'enhanced' : 'obsolete'} packet block too short`);
          break;
        }
        const ifId = isEpb ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const tsHi = dv.getUint32(body + 4, le);
        const tsLo = dv.getUint32(body + 8, le);
        const capLen = dv.getUint32(body + 12, le);
        const origLen = dv.getUint32(body + 16, le);
        const dataOff = body + 20;
        let take = capLen;
        if (capLen > bodyEnd - dataOff) {
          diag(body + 12, `captured length ${capLen} exceeds block (${bodyEnd - dataOff} bytes)`);
          take = bodyEnd - dataOff;
        }
        const iface = this.ifaces[ifId];
        if (!iface) {
          diag(body, `packet refers to interface ${ifId}, but ${this.ifaces.length} defined; packet skipped`);
          sink.skipped?.('without an interface');
          break;
        }
        const ts = (BigInt(tsHi) << 32n) | BigInt(tsLo);
        const { sec, nsec } = splitTimestamp(ts, iface);
        sink.packet(makePacket(sec, nsec, iface.linkType, origLen, buf, dataOff, dataOff + take, base + dataOff, sink));
        break;
      }
      case 3: {
        if (bodyEnd - body < 4) {
          diag(off, 'simple packet block too short');
          break;
        }
        const iface = this.ifaces[0];
        if (!iface) {
          diag(off, 'simple packet block without an interface; packet skipped');
          sink.skipped?.('without an interface');
          break;
        }
        const origLen = dv.getUint32(body, le);
        const dataOff = body + 4;
        let take = Math.min(origLen, bodyEnd - dataOff);
        if (iface.snaplen > 0) take = Math.min(take, iface.snaplen);
        sink.packet(makePacket(0, 0, iface.linkType, origLen, buf, dataOff, dataOff + take, base + dataOff, sink));
        break;
      }
      default:
        // Name resolution, statistics, secrets, custom blocks: nothing to extract.
        break;
    }
    return total;
  }
}

function forEachOption(
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
  problem: (offset: number, message: string) => void,
  fn: (code: number, valueOff: number, valueLen: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === 0) return; // opt_endofopt
    if (p + 4 + len > end) {
      problem(p, `option ${code} length ${len} runs past its block`);
      return;
    }
    fn(code, p + 4, len);
    p += 4 + ((len + 3) & ~3);
  }
}

function splitTimestamp(ts: bigint, iface: NgInterface): { sec: number; nsec: number } {
  const ups = iface.unitsPerSec > 0n ? iface.unitsPerSec : 1n;
  const sec = ts / ups;
  const rem = ts % ups;
  return { sec: Number(sec) + iface.tsOffset, nsec: Number((rem * 1000000000n) / ups) };
}

