// Writes little-endian pcap files with LINKTYPE_NETLINK records (header, then one record per datagram).
import { view } from '../codec/bytes.js';
import { COOKED_HEADER_LEN, LINKTYPE_NETLINK, writeCooked } from './cooked.js';
import { PCAP_NSEC, PCAP_USEC } from './pcap-reader.js';

const FILE_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

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
  /** sll_pkttype to write instead of the one `direction` gives (PACKET_USER marks nlctl's family table). */
  pktType?: number;
  /** The datagram's length on the wire when `payload` holds only its start (orig_len says so; Wireshark reports a short frame, not a malformed one). */
  wireLength?: number;
  /** A comment on the record: pcapng writes it as opt_comment; pcap has no room for one. */
  comment?: string;
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
    const out = new Uint8Array(FILE_HEADER_LEN);
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

  /** The bytes record() makes of a payload of `payloadLength` bytes. */
  recordSize(payloadLength: number): number {
    return RECORD_HEADER_LEN + Math.min(COOKED_HEADER_LEN + payloadLength, this.snaplen);
  }

  record(p: PcapRecordInput): Uint8Array {
    const out = new Uint8Array(this.recordSize(p.payload.length));
    this.writeRecord(out, 0, p);
    return out;
  }

  /**
   * The record written at out[at] (recordSize bytes, whatever was there before); returns where it
   * ends. Written byte by byte: a DataView of a small array costs more than the record.
   */
  writeRecord(out: Uint8Array, at: number, p: PcapRecordInput): number {
    if (!Number.isInteger(p.protocol) || p.protocol < 0 || p.protocol > 0xffff) {
      throw new RangeError(`netlink protocol must be in 0..65535, got ${p.protocol}`);
    }
    if (!Number.isInteger(p.tsSec) || p.tsSec < 0 || p.tsSec > 0xffffffff) {
      throw new RangeError(`tsSec must be an integer in 0..4294967295, got ${p.tsSec}`);
    }
    if (!Number.isInteger(p.tsNsec) || p.tsNsec < 0 || p.tsNsec > 999999999) {
      throw new RangeError(`tsNsec must be an integer in 0..999999999, got ${p.tsNsec}`);
    }
    const stored = COOKED_HEADER_LEN + p.payload.length;
    const frameLen = Math.min(0xffffffff, Math.max(stored, COOKED_HEADER_LEN + (p.wireLength ?? 0)));
    const incl = Math.min(stored, this.snaplen);
    putUint32LE(out, at, p.tsSec);
    putUint32LE(out, at + 4, this.resolution === 'ns' ? p.tsNsec : Math.floor(p.tsNsec / 1000));
    putUint32LE(out, at + 8, incl);
    putUint32LE(out, at + 12, frameLen);
    // snaplen >= 16, so the cooked header always fits.
    writeCooked(out, at + RECORD_HEADER_LEN, p.protocol, p.direction, p.pktType);
    const kept = incl - COOKED_HEADER_LEN;
    out.set(kept === p.payload.length ? p.payload : p.payload.subarray(0, kept), at + RECORD_HEADER_LEN + COOKED_HEADER_LEN);
    return at + RECORD_HEADER_LEN + incl;
  }
}

function putUint32LE(out: Uint8Array, at: number, v: number): void {
  out[at] = v;
  out[at + 1] = v >>> 8;
  out[at + 2] = v >>> 16;
  out[at + 3] = v >>> 24;
}
