/*
 * The Linux "cooked" header in front of every netlink frame of a capture (nlmon, LINKTYPE_NETLINK):
 * read by the capture readers and by decode for hex pasted from tcpdump -XX, written by the
 * pcap writer. All fields are big-endian (libpcap's sll_header; Wireshark's packet-netlink.c
 * reads hatype and family with tvb_get_ntohs):
 *   0  pkttype   u16  0 = to us (host), 4 = outgoing
 *   2  hatype    u16  824 = ARPHRD_NETLINK
 *   4  halen     u16  0 for netlink
 *   6  addr      8 bytes, unused
 *  14  protocol  u16  netlink protocol (NETLINK_ROUTE 0, NETLINK_GENERIC 16, …)
 *  16  netlink messages, in the capturing host's byte order
 * SLL2 (LINKTYPE 276): protocol u16 | reserved u16 | ifindex u32 | hatype u16 | pkttype u8 | halen u8 | addr[8]
 */
import { view } from '../codec/bytes.js';

export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_NETLINK = 253;
export const LINKTYPE_LINUX_SLL2 = 276;
export const ARPHRD_NETLINK = 824;
export const COOKED_HEADER_LEN = 16;
const SLL2_HEADER_LEN = 20;

/* sll_pkttype values (linux/if_packet.h). */
export const SLL_HOST = 0;
export const SLL_OUTGOING = 4;
export const PACKET_USER = 6; // kernel → user socket (set by netlink taps before libpcap sees them)
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

/** The cooked header of a captured frame; `problem` reports damage (with its offset in the frame). */
export function parseCooked(linkType: number, data: Uint8Array, problem: (at: number, message: string) => void): NetlinkFrameInfo | undefined {
  return parseCookedAt(linkType, data, 0, data.length, problem);
}

/** parseCooked of the frame at b[s, e), without a view of the frame (a reader's window). */
export function parseCookedAt(linkType: number, b: Uint8Array, s: number, e: number, problem: (at: number, message: string) => void): NetlinkFrameInfo | undefined {
  // Read byte by byte: a DataView per frame costs more than the reads.
  const len = e - s;
  if (linkType === LINKTYPE_NETLINK || linkType === LINKTYPE_LINUX_SLL) {
    if (len < COOKED_HEADER_LEN) {
      if (linkType === LINKTYPE_NETLINK) problem(0, `netlink cooked header truncated: ${len} of ${COOKED_HEADER_LEN} bytes`);
      return undefined;
    }
    const pktType = be16(b, s);
    const haType = be16(b, s + 2);
    if (linkType === LINKTYPE_LINUX_SLL && haType !== ARPHRD_NETLINK) return undefined;
    if (haType !== ARPHRD_NETLINK) problem(2, `cooked header hatype ${haType}, expected ${ARPHRD_NETLINK} (ARPHRD_NETLINK)`);
    return { protocol: be16(b, s + 14), direction: directionOf(pktType), payload: b.subarray(s + COOKED_HEADER_LEN, e), pktType, haType };
  }
  if (linkType === LINKTYPE_LINUX_SLL2) {
    if (len < SLL2_HEADER_LEN) return undefined;
    const haType = be16(b, s + 8);
    if (haType !== ARPHRD_NETLINK) return undefined;
    const pktType = b[s + 10]!;
    return { protocol: be16(b, s), direction: directionOf(pktType), payload: b.subarray(s + SLL2_HEADER_LEN, e), pktType, haType };
  }
  return undefined;
}

function be16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/**
 * Recognises a LINKTYPE_NETLINK frame outside a capture file, e.g. bytes from
 * `tcpdump -XX` or `tshark -x` output: a 16-byte cooked header with hatype 824.
 */
export function parseNetlinkCooked(frame: Uint8Array): NetlinkFrameInfo | undefined {
  if (frame.length < COOKED_HEADER_LEN) return undefined;
  const dv = view(frame);
  if (dv.getUint16(2, false) !== ARPHRD_NETLINK || dv.getUint16(4, false) > 8) return undefined;
  const pktType = dv.getUint16(0, false);
  return { protocol: dv.getUint16(14, false), direction: directionOf(pktType), payload: frame.subarray(COOKED_HEADER_LEN), pktType, haType: ARPHRD_NETLINK };
}

/**
 * Hex copied from tcpdump/tshark on an nlmon device starts with the cooked header. Its first
 * bytes (pkttype, hatype 824) read as an nlmsg_len would be absurd, which tells a cooked frame
 * from a netlink message that merely happens to match.
 */
export function stripCookedHeader(bytes: Uint8Array): NetlinkFrameInfo | undefined {
  const nlmsgLen = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  return bytes.length >= 2 * COOKED_HEADER_LEN && nlmsgLen > bytes.length ? parseNetlinkCooked(bytes) : undefined;
}

/** Writes the cooked header of a LINKTYPE_NETLINK frame at `off` (`pktType` overrides what `direction` gives). */
export function writeCooked(out: Uint8Array, off: number, protocol: number, direction: 'in' | 'out', pktType?: number): void {
  const type = pktType ?? (direction === 'out' ? SLL_OUTGOING : SLL_HOST);
  out[off] = type >>> 8;
  out[off + 1] = type;
  out[off + 2] = ARPHRD_NETLINK >>> 8;
  out[off + 3] = ARPHRD_NETLINK & 0xff;
  // halen 0 (netlink has no link-layer address) and the unused address: zeros, whatever was there.
  for (let i = off + 4; i < off + 14; i++) out[i] = 0;
  out[off + 14] = protocol >>> 8;
  out[off + 15] = protocol;
}
