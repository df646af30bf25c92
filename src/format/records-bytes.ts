// JSON text written as bytes for the dump records' fast path (json-bytes.ts's writer, with the
// records' addresses and whole values): no intermediate strings per value, no JSON.stringify of
// whole records. Every method writes exactly what JSON.stringify writes for the same value
// (test/unit/records-fast.test.ts compares them).
import type { JsonValue } from '../schema/index.js';
import { ByteWriter } from './json-bytes.js';

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16)).map((h) => [h.charCodeAt(0), h.charCodeAt(1)]);
const QUOTE = 0x22, COMMA = 0x2c, COLON = 0x3a, DOT = 0x2e;

/**
 * The decimal digits of each byte value, packed: up to three ASCII digits from the low byte up and
 * their count in the top byte. Written three at a time; what follows the count is overwritten.
 */
const DECIMAL = Uint32Array.from({ length: 256 }, (_, v) => {
  const s = String(v);
  let packed = s.length << 24;
  for (let i = 0; i < s.length; i++) packed |= s.charCodeAt(i) << (8 * i);
  return packed;
});

/** The room a quoted dotted quad needs: "255.255.255.255" with its quotes (the digits' three-byte writes stay inside). */
export const IPV4_ROOM = 17;

/**
 * The four bytes b[o..o+4) as a quoted dotted quad (formatIPv4) written to buf at p, which has
 * IPV4_ROOM bytes of room; returns the position after it. The digits come from a table: the
 * address is the value that changes in most records of a route dump.
 */
export function dottedQuad(buf: Uint8Array, p: number, b: Uint8Array, o: number): number {
  buf[p] = QUOTE;
  for (let k = 0; k < 4; k++) {
    if (k) buf[p] = DOT;
    const d = DECIMAL[b[o + k]];
    buf[p + 1] = d;
    buf[p + 2] = d >> 8;
    buf[p + 3] = d >> 16;
    p += 1 + (d >>> 24);
  }
  buf[p] = QUOTE;
  return p + 1;
}

/** The bytes of `"key":`, made once per key of a table. */
export function keyBytes(key: string): Uint8Array {
  return Buffer.from(JSON.stringify(key) + ':');
}

/** JSON text that JSON.stringify would write for `v`, as bytes (for values cached per table). */
export function valueBytes(v: JsonValue): Uint8Array {
  return Buffer.from(JSON.stringify(v));
}

/** ByteWriter with what the records' values need besides: addresses, quoted hex, whole values. */
export class JsonBytes extends ByteWriter {
  comma(): void {
    this.byte(COMMA);
  }

  /** Bytes `start`..`end` of `b`, known to need no escaping, in quotes. */
  quoted(b: Uint8Array, start: number, end: number): void {
    this.room(end - start + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = start; i < end; i++) buf[p++] = b[i];
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** `n` bytes at `o` as a quoted hex string (toHex). */
  quotedHex(b: Uint8Array, o: number, n: number): void {
    this.byte(QUOTE);
    this.hex(b, o, o + n);
    this.byte(QUOTE);
  }

  /** Four bytes as a quoted dotted quad (formatIPv4). */
  ipv4(b: Uint8Array, o: number): void {
    this.room(IPV4_ROOM);
    this.pos = dottedQuad(this.buf, this.pos, b, o);
  }

  /** `n` bytes at `o` as a quoted MAC address (formatMac: two hex digits each, colon between). */
  mac(b: Uint8Array, o: number, n: number): void {
    this.room(3 * n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = o; i < o + n; i++) {
      if (i > o) buf[p++] = COLON;
      const h = HEX[b[i]];
      buf[p++] = h[0];
      buf[p++] = h[1];
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** Any JSON value, written as JSON.stringify writes it (keys in the object's own order). */
  value(v: JsonValue | undefined): void {
    if (v === null || v === undefined) return this.ascii('null');
    switch (typeof v) {
      case 'string': return this.str(v);
      case 'boolean': return this.ascii(v ? 'true' : 'false');
      case 'number':
        if (Number.isSafeInteger(v)) return this.num(v);
        return this.ascii(Number.isFinite(v) ? String(v) : 'null');
      default:
        break;
    }
    if (Array.isArray(v)) {
      this.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i) this.byte(COMMA);
        this.value(v[i] === undefined ? null : v[i]);
      }
      return this.byte(0x5d);
    }
    this.byte(0x7b);
    let first = true;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === undefined) continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.str(k);
      this.byte(COLON);
      this.value(x);
    }
    this.byte(0x7d);
  }
}
