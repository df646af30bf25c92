// JSON text written as bytes into one growing Buffer, for the dump records' fast path: no
// intermediate strings per value, no JSON.stringify of whole records. Every method writes exactly
// what JSON.stringify writes for the same value (test/unit/records-fast.test.ts compares them).
import type { JsonValue } from '../schema/index.js';

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16)).map((h) => [h.charCodeAt(0), h.charCodeAt(1)]);
/** The digits of 0–255 (bytes of addresses, most header fields). */
const DECIMAL = Array.from({ length: 256 }, (_, i) => Uint8Array.from(String(i), (c) => c.charCodeAt(0)));
const QUOTE = 0x22, COMMA = 0x2c, COLON = 0x3a;

/** The bytes of `"key":`, made once per key of a table. */
export function keyBytes(key: string): Uint8Array {
  return Buffer.from(JSON.stringify(key) + ':');
}

/** JSON text that JSON.stringify would write for `v`, as bytes (for values cached per table). */
export function valueBytes(v: JsonValue): Uint8Array {
  return Buffer.from(JSON.stringify(v));
}

export class JsonBytes {
  buf: Buffer;
  pos = 0;
  /**
   * A string with a NUL was written: the general writer's pass for big numbers ("\u0000#…",
   * json.ts) could change such text, so the caller takes the general path for it.
   */
  sawNul = false;

  constructor(private readonly chunk = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** Room for `n` more bytes. */
  need(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** Everything written so far, handed over (the caller may keep it: a fresh buffer takes its place). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.chunk);
    this.pos = 0;
    return out;
  }

  byte(c: number): void {
    this.need(1);
    this.buf[this.pos++] = c;
  }

  comma(): void {
    this.byte(COMMA);
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.need(n);
    const buf = this.buf;
    let p = this.pos;
    // Short literals (keys, enum names) copy faster by hand than through set().
    if (n < 32) for (let i = 0; i < n; i++) buf[p++] = b[i];
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** An integer (safe range) in decimal, as JSON.stringify writes it. */
  int(n: number): void {
    if (n < 0) {
      this.byte(0x2d);
      n = -n;
    }
    if (n < 256) {
      const d = DECIMAL[n];
      this.need(3);
      const buf = this.buf;
      let p = this.pos;
      for (let j = 0; j < d.length; j++) buf[p++] = d[j];
      this.pos = p;
      return;
    }
    if (n > 0xffffffff) return this.ascii(String(n));
    this.need(10);
    const buf = this.buf;
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 0x30 + (n - q * 10);
      n = q;
    }
    buf[--p] = 0x30 + n;
  }

  /** Text known to need no escaping (digits, hex, names made of ASCII letters). */
  ascii(s: string): void {
    const n = s.length;
    this.need(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A string as JSON.stringify quotes it. */
  string(s: string): void {
    const n = s.length;
    let plain = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === 0x5c) {
        plain = false;
        break;
      }
    }
    if (!plain) {
      if (s.includes('\0')) this.sawNul = true;
      return this.utf8(JSON.stringify(s));
    }
    this.need(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** Text already in JSON form (any characters), as UTF-8. */
  utf8(text: string): void {
    this.need(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Bytes `start`..`end` of `b`, known to need no escaping, in quotes. */
  quoted(b: Uint8Array, start: number, end: number): void {
    this.need(end - start + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = start; i < end; i++) buf[p++] = b[i];
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** `n` bytes at `o` as a quoted hex string (toHex). */
  hex(b: Uint8Array, o: number, n: number): void {
    this.need(2 * n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = o; i < o + n; i++) {
      const h = HEX[b[i]];
      buf[p++] = h[0];
      buf[p++] = h[1];
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** Four bytes as a quoted dotted quad (formatIPv4). */
  ipv4(b: Uint8Array, o: number): void {
    this.need(17);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = QUOTE;
    for (let i = 0; i < 4; i++) {
      if (i) buf[p++] = 0x2e;
      const d = DECIMAL[b[o + i]];
      for (let j = 0; j < d.length; j++) buf[p++] = d[j];
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** `n` bytes at `o` as a quoted MAC address (formatMac: two hex digits each, colon between). */
  mac(b: Uint8Array, o: number, n: number): void {
    this.need(3 * n + 2);
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
      case 'string': return this.string(v);
      case 'boolean': return this.ascii(v ? 'true' : 'false');
      case 'number':
        if (Number.isSafeInteger(v)) return this.int(v);
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
      this.string(k);
      this.byte(COLON);
      this.value(x);
    }
    this.byte(0x7d);
  }
}
