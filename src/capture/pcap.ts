/*
 * Capture files: read pcap and pcapng, write pcap with LINKTYPE_NETLINK.
 * Pure: bytes in, plain objects out. Malformed input becomes diagnostics with
 * file offsets; only a file that is not pcap/pcapng at all throws.
 *
 * pcap (either byte order, the magic tells which):
 *   0  magic     a1b2c3d4 = µs timestamps, a1b23c4d = ns timestamps
 *   4  version   u16 major (2), u16 minor (4)
 *   8  thiszone  i32, 12 sigfigs u32
 *  16  snaplen   u32
 *  20  linktype  u32 (low 16 bits; upper bits may carry FCS info)
 *  24  records:  ts_sec u32 | ts_frac u32 | incl_len u32 | orig_len u32 | data[incl_len]
 *
 * pcapng: a sequence of blocks, each
 *   type u32 | total_len u32 | body … (padded to 4) | total_len u32
 *   SHB 0a0d0d0a  byte-order magic 1a2b3c4d | u16 major | u16 minor | i64 section len | options
 *   IDB 1         u16 linktype | u16 reserved | u32 snaplen | options (if_tsresol 9, if_tsoffset 14)
 *   EPB 6         u32 if_id | u32 ts_hi | u32 ts_lo | u32 caplen | u32 origlen | data | options
 *   SPB 3         u32 origlen | data   (interface 0, no timestamp)
 *   OPB 2         u16 if_id | u16 drops | u32 ts_hi | u32 ts_lo | u32 caplen | u32 origlen | data
 *
 * LINKTYPE_NETLINK (253) frames start with a 16-byte Linux "cooked" (SLL)
 * header whose fields are all big-endian (libpcap's sll_header; Wireshark's
 * packet-netlink.c reads hatype and family with tvb_get_ntohs):
 *   0  pkttype   u16  0 = to us (host), 4 = outgoing
 *   2  hatype    u16  824 = ARPHRD_NETLINK
 *   4  halen     u16  0 for netlink
 *   6  addr      8 bytes, unused
 *  14  protocol  u16  netlink protocol (NETLINK_ROUTE 0, NETLINK_GENERIC 16, …)
 *  16  netlink messages, in the capturing host's byte order
 */

export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_NETLINK = 253;
export const LINKTYPE_LINUX_SLL2 = 276;
export const ARPHRD_NETLINK = 824;

/* sll_pkttype values (linux/if_packet.h). */
export const SLL_HOST = 0;
export const SLL_OUTGOING = 4;
const PACKET_USER = 6; // kernel → user socket (set by netlink taps before libpcap sees them)
const PACKET_KERNEL = 7; // user → kernel socket

export interface NetlinkFrameInfo {
  protocol: number;
  direction: 'in' | 'out' | 'unknown';
  payload: Uint8Array;
  /** Raw sll_pkttype from the cooked header. */
  pktType: number;
  /** Raw sll_hatype from the cooked header (824 for netlink). */
  haType: number;
}

export interface CapturedPacket {
  tsSec: number;
  tsNsec: number;
  linkType: number;
  origLen: number;
  /** Link-layer frame as stored (for netlink: cooked header + messages). */
  data: Uint8Array;
  /** For LINKTYPE_NETLINK (and SLL/SLL2 frames with hatype ARPHRD_NETLINK): the cooked header, parsed. */
  netlink?: NetlinkFrameInfo;
}

export interface CaptureDiagnostic {
  offset: number;
  message: string;
}

export interface Capture {
  format: 'pcap' | 'pcapng';
  byteOrder: 'le' | 'be';
  packets: CapturedPacket[];
  diagnostics: CaptureDiagnostic[];
}

export class CaptureFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureFormatError';
  }
}

const PCAP_USEC = 0xa1b2c3d4;
const PCAP_NSEC = 0xa1b23c4d;
const PCAP_MODIFIED = 0xa1b2cd34; // Kuznetzov's patched libpcap: 8 more bytes per record header
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

/* A record larger than this is taken as garbage rather than as a truncated packet. */
const MAX_PLAUSIBLE_RECORD = 64 * 1024 * 1024;

type PcapMagic = { le: boolean; nsec: boolean; modified: boolean };

function pcapMagic(bytes: Uint8Array): PcapMagic | null {
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

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** True when the bytes start with a pcap or pcapng magic number. */
export function isCapture(bytes: Uint8Array): boolean {
  if (pcapMagic(bytes)) return true;
  return bytes.length >= 4 && view(bytes).getUint32(0, true) === PCAPNG_SHB;
}

/**
 * Reads a whole pcap or pcapng file. Damage becomes diagnostics (with file
 * offsets) and reading stops at the first block it cannot step over; only a
 * file without a pcap/pcapng magic throws CaptureFormatError.
 */
export function readCapture(bytes: Uint8Array): Capture {
  const magic = pcapMagic(bytes);
  const isNg = !magic && bytes.length >= 4 && view(bytes).getUint32(0, true) === PCAPNG_SHB;
  if (!magic && !isNg) {
    const shown = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new CaptureFormatError(
      bytes.length < 4
        ? `not a capture file: only ${bytes.length} byte(s)`
        : `not a capture file: magic ${shown} is neither pcap nor pcapng`,
    );
  }
  const cap: Capture = {
    format: isNg ? 'pcapng' : 'pcap',
    byteOrder: magic ? (magic.le ? 'le' : 'be') : 'le',
    packets: [],
    diagnostics: [],
  };
  try {
    if (magic) readPcap(bytes, magic, cap);
    else readPcapng(bytes, cap);
  } catch (e) {
    // Safety net: a reader bug must not take the caller down with it.
    cap.diagnostics.push({ offset: 0, message: `internal error while reading capture: ${(e as Error).message}` });
  }
  return cap;
}

/* ---------------------------------------------------------------- pcap */

function readPcap(bytes: Uint8Array, magic: PcapMagic, cap: Capture): void {
  const dv = view(bytes);
  const le = magic.le;
  if (bytes.length < 24) {
    cap.diagnostics.push({ offset: 0, message: `truncated pcap header: ${bytes.length} of 24 bytes` });
    return;
  }
  const major = dv.getUint16(4, le);
  const minor = dv.getUint16(6, le);
  if (major !== 2) cap.diagnostics.push({ offset: 4, message: `unexpected pcap version ${major}.${minor}` });
  const snaplen = dv.getUint32(16, le);
  const linkType = dv.getUint32(20, le) & 0xffff;
  const hdrLen = magic.modified ? 24 : 16;
  const fracLimit = magic.nsec ? 1e9 : 1e6;
  const limit = Math.max(snaplen, 262144, MAX_PLAUSIBLE_RECORD);

  let off = 24;
  while (off < bytes.length) {
    const left = bytes.length - off;
    if (left < hdrLen) {
      cap.diagnostics.push({ offset: off, message: `truncated record header: ${left} of ${hdrLen} bytes` });
      break;
    }
    const tsSec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    const dataOff = off + hdrLen;
    const avail = bytes.length - dataOff;
    if (incl > limit) {
      cap.diagnostics.push({ offset: off + 8, message: `implausible incl_len ${incl}; stopping` });
      break;
    }
    if (frac >= fracLimit) {
      cap.diagnostics.push({
        offset: off + 4,
        message: `timestamp fraction ${frac} out of range for ${magic.nsec ? 'ns' : 'µs'} resolution`,
      });
    }
    if (incl > orig) cap.diagnostics.push({ offset: off + 8, message: `incl_len ${incl} > orig_len ${orig}` });
    if (snaplen > 0 && incl > snaplen) {
      cap.diagnostics.push({ offset: off + 8, message: `incl_len ${incl} > snaplen ${snaplen}` });
    }
    let take = incl;
    if (incl > avail) {
      cap.diagnostics.push({ offset: off, message: `record truncated: incl_len ${incl}, only ${avail} bytes left` });
      take = avail;
    }
    const data = bytes.subarray(dataOff, dataOff + take);
    const tsNsec = magic.nsec ? frac : frac * 1000;
    cap.packets.push(makePacket(tsSec, tsNsec, linkType, orig, data, dataOff, cap));
    if (take < incl) break;
    off = dataOff + incl;
  }
}

/* -------------------------------------------------------------- pcapng */

interface NgInterface {
  linkType: number;
  snaplen: number;
  /** units per second as a BigInt (10^n or 2^n) */
  unitsPerSec: bigint;
  tsOffset: number;
}

function readPcapng(bytes: Uint8Array, cap: Capture): void {
  const dv = view(bytes);
  let le = true;
  let sectionSeen = false;
  let ifaces: NgInterface[] = [];
  let off = 0;

  while (off < bytes.length) {
    const left = bytes.length - off;
    if (left < 12) {
      cap.diagnostics.push({ offset: off, message: `truncated block header: ${left} bytes left` });
      break;
    }
    const typeLe = dv.getUint32(off, true);
    if (typeLe === PCAPNG_SHB) {
      // The byte-order magic decides how this section (including this block's length) is read.
      const bomLe = dv.getUint32(off + 8, true);
      if (bomLe === PCAPNG_BOM) le = true;
      else if (dv.getUint32(off + 8, false) === PCAPNG_BOM) le = false;
      else {
        cap.diagnostics.push({ offset: off + 8, message: `bad byte-order magic ${hex32(bomLe)} in section header` });
        break;
      }
      if (!sectionSeen) cap.byteOrder = le ? 'le' : 'be';
      sectionSeen = true;
      ifaces = [];
    } else if (!sectionSeen) {
      cap.diagnostics.push({ offset: off, message: 'block before any section header' });
      break;
    }
    const type = dv.getUint32(off, le);
    const total = dv.getUint32(off + 4, le);
    if (total < 12) {
      cap.diagnostics.push({ offset: off + 4, message: `block length ${total} < 12; stopping` });
      break;
    }
    if (total % 4 !== 0) {
      cap.diagnostics.push({ offset: off + 4, message: `block length ${total} is not a multiple of 4` });
    }
    if (total > left) {
      cap.diagnostics.push({ offset: off, message: `block truncated: length ${total}, only ${left} bytes left` });
      break;
    }
    const trailer = dv.getUint32(off + total - 4, le);
    if (trailer !== total) {
      cap.diagnostics.push({
        offset: off + total - 4,
        message: `trailing block length ${trailer} differs from leading ${total}`,
      });
    }
    const body = off + 8;
    const bodyEnd = off + total - 4;
    switch (type) {
      case PCAPNG_SHB: {
        if (bodyEnd - body < 16) cap.diagnostics.push({ offset: off, message: 'section header block too short' });
        else {
          const major = dv.getUint16(body + 4, le);
          if (major !== 1) cap.diagnostics.push({ offset: body + 4, message: `unexpected pcapng version ${major}` });
        }
        break;
      }
      case 1: {
        if (bodyEnd - body < 8) {
          cap.diagnostics.push({ offset: off, message: 'interface description block too short' });
          // Keep interface numbering aligned with the file even when a block is bad.
          ifaces.push({ linkType: -1, snaplen: 0, unitsPerSec: 1000000n, tsOffset: 0 });
          break;
        }
        const iface: NgInterface = {
          linkType: dv.getUint16(body, le),
          snaplen: dv.getUint32(body + 4, le),
          unitsPerSec: 1000000n,
          tsOffset: 0,
        };
        forEachOption(dv, body + 8, bodyEnd, le, cap, (code, vOff, vLen) => {
          if (code === 9 && vLen >= 1) {
            const r = dv.getUint8(vOff);
            const exp = BigInt(r & 0x7f);
            iface.unitsPerSec = r & 0x80 ? 1n << exp : 10n ** exp;
          } else if (code === 14 && vLen >= 8) {
            iface.tsOffset = Number(dv.getBigInt64(vOff, le));
          }
        });
        ifaces.push(iface);
        break;
      }
      case 6:
      case 2: {
        const isEpb = type === 6;
        if (bodyEnd - body < 20) {
          cap.diagnostics.push({ offset: off, message: `${isEpb ? 'enhanced' : 'obsolete'} packet block too short` });
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
          cap.diagnostics.push({
            offset: body + 12,
            message: `captured length ${capLen} exceeds block (${bodyEnd - dataOff} bytes)`,
          });
          take = bodyEnd - dataOff;
        }
        const iface = ifaces[ifId];
        if (!iface) {
          cap.diagnostics.push({
            offset: body,
            message: `packet refers to interface ${ifId}, but ${ifaces.length} defined; packet skipped`,
          });
          break;
        }
        const ts = (BigInt(tsHi) << 32n) | BigInt(tsLo);
        const { sec, nsec } = splitTimestamp(ts, iface);
        const data = bytes.subarray(dataOff, dataOff + take);
        cap.packets.push(makePacket(sec, nsec, iface.linkType, origLen, data, dataOff, cap));
        break;
      }
      case 3: {
        if (bodyEnd - body < 4) {
          cap.diagnostics.push({ offset: off, message: 'simple packet block too short' });
          break;
        }
        const iface = ifaces[0];
        if (!iface) {
          cap.diagnostics.push({ offset: off, message: 'simple packet block without an interface; packet skipped' });
          break;
        }
        const origLen = dv.getUint32(body, le);
        const dataOff = body + 4;
        let take = Math.min(origLen, bodyEnd - dataOff);
        if (iface.snaplen > 0) take = Math.min(take, iface.snaplen);
        cap.packets.push(makePacket(0, 0, iface.linkType, origLen, bytes.subarray(dataOff, dataOff + take), dataOff, cap));
        break;
      }
      default:
        // Name resolution, statistics, secrets, custom blocks: nothing to extract.
        break;
    }
    off += total;
  }
}

function forEachOption(
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
  cap: Capture,
  fn: (code: number, valueOff: number, valueLen: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === 0) return; // opt_endofopt
    if (p + 4 + len > end) {
      cap.diagnostics.push({ offset: p, message: `option ${code} length ${len} runs past its block` });
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

/* ------------------------------------------------------- cooked headers */

function makePacket(
  tsSec: number,
  tsNsec: number,
  linkType: number,
  origLen: number,
  data: Uint8Array,
  fileOff: number,
  cap: Capture,
): CapturedPacket {
  const p: CapturedPacket = { tsSec, tsNsec, linkType, origLen, data };
  const nl = parseCooked(linkType, data, fileOff, cap);
  if (nl) p.netlink = nl;
  return p;
}

/*
 * 0/4 are what PcapWriter writes. The kernel's netlink tap marks frames
 * PACKET_USER/PACKET_KERNEL, but packet sockets see nlmon traffic through
 * dev_queue_xmit_nit(), which rewrites pkt_type to PACKET_OUTGOING, so a
 * libpcap capture on nlmon says "outgoing" for every message.
 */
function directionOf(pktType: number): 'in' | 'out' | 'unknown' {
  switch (pktType) {
    case SLL_HOST:
    case PACKET_USER:
      return 'in';
    case SLL_OUTGOING:
    case PACKET_KERNEL:
      return 'out';
    default:
      return 'unknown';
  }
}

function parseCooked(linkType: number, data: Uint8Array, fileOff: number, cap: Capture): NetlinkFrameInfo | undefined {
  const dv = view(data);
  if (linkType === LINKTYPE_NETLINK || linkType === LINKTYPE_LINUX_SLL) {
    if (data.length < 16) {
      if (linkType === LINKTYPE_NETLINK) {
        cap.diagnostics.push({ offset: fileOff, message: `netlink cooked header truncated: ${data.length} of 16 bytes` });
      }
      return undefined;
    }
    const pktType = dv.getUint16(0, false);
    const haType = dv.getUint16(2, false);
    if (linkType === LINKTYPE_LINUX_SLL && haType !== ARPHRD_NETLINK) return undefined;
    if (haType !== ARPHRD_NETLINK) {
      cap.diagnostics.push({ offset: fileOff + 2, message: `cooked header hatype ${haType}, expected ${ARPHRD_NETLINK} (ARPHRD_NETLINK)` });
    }
    return {
      protocol: dv.getUint16(14, false),
      direction: directionOf(pktType),
      payload: data.subarray(16),
      pktType,
      haType,
    };
  }
  if (linkType === LINKTYPE_LINUX_SLL2) {
    // SLL2: protocol u16 | reserved u16 | ifindex u32 | hatype u16 | pkttype u8 | halen u8 | addr[8]
    if (data.length < 20) return undefined;
    const haType = dv.getUint16(8, false);
    if (haType !== ARPHRD_NETLINK) return undefined;
    const pktType = dv.getUint8(10);
    return { protocol: dv.getUint16(0, false), direction: directionOf(pktType), payload: data.subarray(20), pktType, haType };
  }
  return undefined;
}

/**
 * Recognises a LINKTYPE_NETLINK frame outside a capture file, e.g. bytes from
 * `tcpdump -XX` or `tshark -x` output: a 16-byte cooked header with hatype 824.
 */
export function parseNetlinkCooked(frame: Uint8Array): NetlinkFrameInfo | undefined {
  if (frame.length < 16) return undefined;
  const dv = view(frame);
  if (dv.getUint16(2, false) !== ARPHRD_NETLINK || dv.getUint16(4, false) > 8) return undefined;
  const pktType = dv.getUint16(0, false);
  return { protocol: dv.getUint16(14, false), direction: directionOf(pktType), payload: frame.subarray(16), pktType, haType: ARPHRD_NETLINK };
}

/* ---------------------------------------------------------------- writer */

export interface PcapWriterOptions {
  /** Largest number of bytes stored per record (default 262144); longer frames are cut, orig_len keeps the truth. */
  snaplen?: number;
  /** Timestamp resolution of the file: 'us' (magic a1b2c3d4, default) or 'ns' (a1b23c4d). */
  resolution?: 'us' | 'ns';
}

export interface PcapRecordInput {
  /** Netlink protocol number (NETLINK_ROUTE = 0, …). */
  protocol: number;
  /** The netlink message bytes (one or more nlmsghdr-framed messages). */
  payload: Uint8Array;
  tsSec: number;
  /** Nanoseconds within the second; stored as µs in a µs-resolution file. */
  tsNsec: number;
  /** 'out' = sent to the kernel (pkttype 4, outgoing), 'in' = received (pkttype 0, host). */
  direction: 'in' | 'out';
}

/** Writes little-endian pcap files with LINKTYPE_NETLINK records. */
export class PcapWriter {
  readonly snaplen: number;
  readonly resolution: 'us' | 'ns';

  constructor(opts: PcapWriterOptions = {}) {
    const snaplen = opts.snaplen ?? 262144;
    if (!Number.isInteger(snaplen) || snaplen < 16 || snaplen > 0xffffffff) {
      throw new RangeError(`snaplen must be an integer in 16..4294967295, got ${snaplen}`);
    }
    this.snaplen = snaplen;
    this.resolution = opts.resolution ?? 'us';
  }

  header(): Uint8Array {
    const out = new Uint8Array(24);
    const dv = view(out);
    dv.setUint32(0, this.resolution === 'ns' ? PCAP_NSEC : PCAP_USEC, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setInt32(8, 0, true);
    dv.setUint32(12, 0, true);
    dv.setUint32(16, this.snaplen, true);
    dv.setUint32(20, LINKTYPE_NETLINK, true);
    return out;
  }

  record(p: PcapRecordInput): Uint8Array {
    if (!Number.isInteger(p.protocol) || p.protocol < 0 || p.protocol > 0xffff) {
      throw new RangeError(`netlink protocol must be in 0..65535, got ${p.protocol}`);
    }
    if (!Number.isInteger(p.tsSec) || p.tsSec < 0 || p.tsSec > 0xffffffff) {
      throw new RangeError(`tsSec must be an integer in 0..4294967295, got ${p.tsSec}`);
    }
    if (!Number.isInteger(p.tsNsec) || p.tsNsec < 0 || p.tsNsec > 999999999) {
      throw new RangeError(`tsNsec must be an integer in 0..999999999, got ${p.tsNsec}`);
    }
    const frameLen = 16 + p.payload.length;
    const incl = Math.min(frameLen, this.snaplen);
    const out = new Uint8Array(16 + incl);
    const dv = view(out);
    dv.setUint32(0, p.tsSec, true);
    dv.setUint32(4, this.resolution === 'ns' ? p.tsNsec : Math.floor(p.tsNsec / 1000), true);
    dv.setUint32(8, incl, true);
    dv.setUint32(12, frameLen, true);
    // Cooked header, big-endian; snaplen >= 16 so it always fits.
    dv.setUint16(16, p.direction === 'out' ? SLL_OUTGOING : SLL_HOST, false);
    dv.setUint16(18, ARPHRD_NETLINK, false);
    dv.setUint16(20, 0, false); // halen: netlink has no link-layer address
    dv.setUint16(30, p.protocol, false);
    out.set(p.payload.subarray(0, incl - 16), 32);
    return out;
  }
}
