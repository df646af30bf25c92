// JSON text written as bytes into one growing Buffer: digits, hex and escapes by hand, names as
// pre-encoded Buffers. Writing bytes, not JS strings, is what lets the fast decode path keep up
// with the input (DESIGN.md: the same walk building strings took four times as long).

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * Set when a NUL was escaped: the general writer rewrites strings that start with one (the YNL
 * view's exact big numbers), so text holding one is left to it.
 */
let sawNul = false;

/** Was a NUL escaped since the last call? Clears the mark. */
export function takeNul(): boolean {
  const s = sawNul;
  sawNul = false;
  return s;
}

/** Set the mark again: for text kept and written again, which escaped a NUL when first written. */
export function markNul(): void {
  sawNul = true;
}

/** Bytes of JSON text as JSON.stringify writes it (compact), for names known ahead. */
export function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for n more bytes. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The text written so far, handed over; the writer goes on in a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.pos = 0;
    return out;
  }

  /** The text written so far, as a view: valid until the next write (call clear() once it is used). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Start again in the same buffer. */
  clear(): void {
    this.pos = 0;
  }

  raw(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.room(n);
    // putBytes, inline: short literals copy faster by hand than through a native call.
    const buf = this.buf, p = this.pos;
    if (n < 16) {
      for (let i = 0; i < n; i++) buf[p + i] = b[i];
    } else buf.set(b, p);
    this.pos = p + n;
  }

  /** src[from, to) (a kept text's piece). */
  range(src: Buffer, from: number, to: number): void {
    const n = to - from;
    if (this.pos + n > this.buf.length) this.room(n);
    const buf = this.buf, p = this.pos;
    // A native copy of a part needs a view of it (Buffer#copy makes one, and checks its arguments
    // in JS first): up to a few cache lines the byte loop costs less, and leaves nothing to collect.
    if (n < 128) {
      for (let i = 0; i < n; i++) buf[p + i] = src[from + i]!;
    } else buf.set(new Uint8Array(src.buffer, src.byteOffset + from, n), p);
    this.pos = p + n;
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer below 2^32 (or any safe integer through its decimal text). */
  uint(n: number): void {
    if (n >>> 0 !== n) {
      this.ascii(String(n));
      return;
    }
    if (this.pos + 10 > this.buf.length) this.room(10);
    this.pos = putUint(this.buf, this.pos, n);
  }

  /** Any JSON number (integers of any sign; others through their text). */
  num(n: number): void {
    if (n >= 0 && n <= 0xffffffff && n === Math.floor(n)) this.uint(n);
    else this.ascii(String(n));
  }

  /** Text known to be plain ASCII needing no escapes (numbers, addresses, hex). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Text already in JSON form (any characters), as UTF-8. */
  utf8(text: string): void {
    this.room(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Lower-case hex of bytes, no quotes. */
  hex(b: Uint8Array, start: number, end: number): void {
    this.room((end - start) * 2);
    const buf = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      buf[p++] = HEX[c >> 4]!;
      buf[p++] = HEX[c & 15]!;
    }
    this.pos = p;
  }

  /** A JS string as a JSON string literal, quotes included, escaped as JSON.stringify escapes it. */
  str(s: string): void {
    const n = s.length;
    this.room(n * 6 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x80 && c !== 34 && c !== 92) buf[p++] = c;
      else if (c < 0x80) p = escapeAscii(buf, p, c);
      else {
        // Outside ASCII: JSON.stringify's own rendering (lone surrogates become \uXXXX), as UTF-8.
        let j = i + 1;
        while (j < n && s.charCodeAt(j) >= 0x80) j++;
        const part = JSON.stringify(s.slice(i, j));
        p += buf.write(part.slice(1, -1), p, 'utf8');
        i = j - 1;
      }
    }
    buf[p++] = 34;
    this.pos = p;
  }

  /**
   * Bytes [start, end) that are ASCII, as a JSON string literal (quotes included); false, with
   * nothing written, when a byte is not ASCII (the caller decodes the text itself).
   */
  asciiBytes(b: Uint8Array, start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
    this.room((end - start) * 6 + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x20 && c < 0x80 && c !== 34 && c !== 92) buf[p++] = c;
      else p = escapeAscii(buf, p, c);
    }
    buf[p++] = 34;
    this.pos = p;
    return true;
  }
}

/** An escape for a control character, a quote or a backslash. */
function escapeAscii(buf: Buffer, p: number, c: number): number {
  if (c === 0) sawNul = true;
  buf[p++] = 92;
  switch (c) {
    case 34: buf[p++] = 34; break;
    case 92: buf[p++] = 92; break;
    case 8: buf[p++] = 98; break;
    case 9: buf[p++] = 116; break;
    case 10: buf[p++] = 110; break;
    case 12: buf[p++] = 102; break;
    case 13: buf[p++] = 114; break;
    default:
      buf[p++] = 117; buf[p++] = 48; buf[p++] = 48;
      buf[p++] = HEX[c >> 4]!;
      buf[p++] = HEX[c & 15]!;
  }
  return p;
}

/** "00".."99" as byte pairs: two digits per division. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** Decimal digits of an integer 0 ≤ n < 2^32 at buf[p] (room checked by the caller); returns the end. */
export function putUint(buf: Buffer, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 48 + n;
    return p + 1;
  }
  if (n < 100) {
    buf[p] = PAIRS[n * 2]!;
    buf[p + 1] = PAIRS[n * 2 + 1]!;
    return p + 2;
  }
  const digits = n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  const end = p + digits;
  let q = end;
  if (n > 0x7fffffff) {
    const t = Math.floor(n / 100);
    const r = (n - t * 100) * 2;
    buf[--q] = PAIRS[r + 1]!;
    buf[--q] = PAIRS[r]!;
    n = t;
  }
  while (n >= 100) {
    const t = (n / 100) | 0;
    const r = (n - t * 100) * 2;
    buf[--q] = PAIRS[r + 1]!;
    buf[--q] = PAIRS[r]!;
    n = t;
  }
  if (n >= 10) {
    buf[--q] = PAIRS[n * 2 + 1]!;
    buf[--q] = PAIRS[n * 2]!;
  } else buf[--q] = 48 + n;
  return end;
}

/** Bytes of src at buf[p] (room checked by the caller); returns the end. A byte loop only below 16
 * bytes: from there buf.set is faster (measured on 8–90-byte names: the loop up to 32 bytes cost 40% more). */
export function putBytes(buf: Buffer, p: number, src: Uint8Array): number {
  const n = src.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) buf[p + i] = src[i]!;
  } else buf.set(src, p);
  return p + n;
}
