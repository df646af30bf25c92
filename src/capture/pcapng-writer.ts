/*
 * Writes little-endian pcapng: one section header, one LINKTYPE_NETLINK interface with
 * nanosecond timestamps (if_tsresol 9), then one enhanced packet block per datagram, which may
 * carry an opt_comment (what pcap files have no room for). Block layouts: see pcapng-reader.ts.
 */
import { COOKED_HEADER_LEN, LINKTYPE_NETLINK, writeCooked } from './cooked.js';
import type { PcapRecordInput } from './writer.js';

const SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const IDB = 1;
const EPB = 6;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;

const pad4 = (n: number): number => (n + 3) & ~3;

/** Options as bytes: code u16 | length u16 | value padded to 4, then opt_endofopt. */
function options(list: [number, Uint8Array][]): Uint8Array {
  if (!list.length) return new Uint8Array(0);
  const size = list.reduce((n, [, v]) => n + 4 + pad4(v.length), 0) + 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let off = 0;
  for (const [code, value] of list) {
    dv.setUint16(off, code, true);
    dv.setUint16(off + 2, value.length, true);
    out.set(value, off + 4);
    off += 4 + pad4(value.length);
  }
  dv.setUint16(off, OPT_ENDOFOPT, true);
  return out;
}

/** A block: type | total length | body | options | total length. */
function block(type: number, body: Uint8Array, opts: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length) + opts.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  out.set(opts, 8 + pad4(body.length));
  dv.setUint32(total - 4, total, true);
  return out;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export class PcapngWriter {
  constructor(readonly snaplen = 262144) {}

  header(): Uint8Array {
    const shb = new Uint8Array(16);
    const sv = new DataView(shb.buffer);
    sv.setUint32(0, BOM, true);
    sv.setUint16(4, 1, true);
    sv.setUint16(6, 0, true);
    sv.setBigInt64(8, -1n, true); // section length not given
    const idb = new Uint8Array(8);
    const iv = new DataView(idb.buffer);
    iv.setUint16(0, LINKTYPE_NETLINK, true);
    iv.setUint32(4, this.snaplen, true);
    const a = block(SHB, shb, options([[SHB_USERAPPL, text('nlctl')]]));
    const b = block(IDB, idb, options([[IF_TSRESOL, Uint8Array.of(9)]]));
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }

  record(p: PcapRecordInput): Uint8Array {
    const stored = COOKED_HEADER_LEN + p.payload.length;
    const frameLen = Math.min(0xffffffff, Math.max(stored, COOKED_HEADER_LEN + (p.wireLength ?? 0)));
    const incl = Math.min(stored, this.snaplen);
    const body = new Uint8Array(20 + incl);
    const dv = new DataView(body.buffer);
    const ts = BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec);
    dv.setUint32(0, 0, true); // interface 0
    dv.setUint32(4, Number(ts >> 32n), true);
    dv.setUint32(8, Number(ts & 0xffffffffn), true);
    dv.setUint32(12, incl, true);
    dv.setUint32(16, frameLen, true);
    writeCooked(body, 20, p.protocol, p.direction, p.pktType);
    body.set(p.payload.subarray(0, incl - COOKED_HEADER_LEN), 20 + COOKED_HEADER_LEN);
    return block(EPB, body, options(p.comment ? [[OPT_COMMENT, text(p.comment)]] : []));
  }
}
