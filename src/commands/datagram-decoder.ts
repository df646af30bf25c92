/*
 * One datagram decoded as its bytes arrive: begin(), push() any number of pieces, end().
 * Whole messages at the front are decoded and handed on at once, so only the message still
 * being received is held. The messages, their offsets and their diagnostics are exactly those
 * decodeDatagram gives for the whole datagram (a test compares).
 */
import { concat, NLMSG_HDRLEN, splitMessages, type RawMessage } from '../codec/index.js';
import { decodeDatagram, decodeMessage, type DecodeContext, type DecodedMessage, type Schema } from '../schema/index.js';

/** Messages are decoded in groups once this many bytes of whole messages are waiting. */
const GROUP_BYTES = 256 * 1024;

export type MessageSink = (m: DecodedMessage, bytes: Uint8Array) => void;

export class DatagramDecoder {
  private tail: Uint8Array = new Uint8Array(0);
  /** Offset of tail[0] within the datagram. */
  private base = 0;
  /** The last decoded message, held back: datagram-level problems found at the end go on it. */
  private held?: { m: DecodedMessage; bytes: Uint8Array };
  private open = false;
  private schema!: Schema;

  constructor(private readonly ctx: DecodeContext, private readonly sink: MessageSink, private readonly groupBytes = GROUP_BYTES) {}

  get active(): boolean {
    return this.open;
  }

  /** Datagram length so far. */
  get length(): number {
    return this.base + this.tail.length;
  }

  /** Bytes the last, unfinished message still lacks by its nlmsg_len (0 when none is unfinished). */
  get lacking(): number {
    let off = 0;
    const t = this.tail;
    while (t.length - off >= NLMSG_HDRLEN) {
      const len = readLen(t, off);
      if (len < NLMSG_HDRLEN) return 0;
      if (len > t.length - off) return len - (t.length - off);
      off += padded(len);
    }
    return 0;
  }

  begin(schema: Schema): void {
    if (this.open) this.end();
    this.schema = schema;
    this.open = true;
    this.tail = new Uint8Array(0);
    this.base = 0;
    this.held = undefined;
  }

  push(bytes: Uint8Array): void {
    this.tail = this.tail.length === 0 ? bytes : concat([this.tail, bytes]);
    if (this.schema.framing === 'raw' || this.tail.length < this.groupBytes) return;
    // Decode the whole messages at the front; stop at anything odd and leave it to end().
    let off = 0;
    const t = this.tail;
    while (t.length - off >= NLMSG_HDRLEN) {
      const len = readLen(t, off);
      if (len < NLMSG_HDRLEN || off + padded(len) > t.length) break;
      off += padded(len);
    }
    if (off === 0) return;
    const split = splitMessages(t.subarray(0, off));
    this.decode(split.messages, t.subarray(0, off));
    this.base += off;
    this.tail = t.subarray(off);
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    const t = this.tail;
    if (this.base === 0 && !this.held) {
      // Never split: exactly decodeDatagram.
      for (const m of decodeDatagram(t, this.schema, this.ctx)) this.sink(m, bytesOf(m, t));
      return;
    }
    const split = splitMessages(t);
    this.decode(split.messages, t);
    const held = this.held;
    if (split.diagnostics.length && held) {
      for (const d of split.diagnostics) held.m.diagnostics.push({ ...d, offset: d.offset + this.base });
    }
    if (held) this.sink(held.m, held.bytes);
    this.held = undefined;
    this.tail = new Uint8Array(0);
  }

  private decode(raw: RawMessage[], region: Uint8Array): void {
    for (const r of raw) {
      const local = r.offset;
      const shifted: RawMessage = { ...r, offset: r.offset + this.base, diagnostics: r.diagnostics.map((d) => ({ ...d, offset: d.offset + this.base })) };
      const m = decodeMessage(shifted, this.schema, this.ctx);
      if (this.held) this.sink(this.held.m, this.held.bytes);
      this.held = { m, bytes: region.subarray(local, local + Math.max(NLMSG_HDRLEN, Math.min(m.len, region.length - local))) };
    }
  }
}

/** align4 without 32-bit arithmetic: a lying nlmsg_len may be near 2^32. */
function padded(len: number): number {
  return len + ((4 - (len % 4)) % 4);
}

function readLen(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

/** The bytes a message was decoded from, as the writers show them (at least a header's worth). */
export function bytesOf(m: DecodedMessage, data: Uint8Array): Uint8Array {
  return data.subarray(m.offset, m.offset + Math.max(NLMSG_HDRLEN, Math.min(m.len, data.length - m.offset)));
}

/** A DatagramDecoder that can also hand on each whole datagram, as pushed, when it ends (decode --pcap). */
export class DatagramTap {
  private parts: Uint8Array[] = [];
  private protocol = 0;

  constructor(private readonly dec: DatagramDecoder, private readonly datagram?: (protocol: number, bytes: Uint8Array) => void) {}

  get active(): boolean {
    return this.dec.active;
  }

  get lacking(): number {
    return this.dec.lacking;
  }

  begin(schema: Schema, protocol: number): void {
    this.end();
    this.protocol = protocol;
    this.dec.begin(schema);
  }

  push(bytes: Uint8Array): void {
    if (this.datagram) this.parts.push(bytes);
    this.dec.push(bytes);
  }

  end(): void {
    if (!this.dec.active) return;
    if (this.datagram) {
      this.datagram(this.protocol, this.parts.length === 1 ? this.parts[0] : concat(this.parts));
      this.parts = [];
    }
    this.dec.end();
  }
}

