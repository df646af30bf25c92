// Small byte helpers shared by the codecs: views, hex, printable text.

let utf8: TextDecoder | undefined;

/** Bytes as UTF-8 text, malformed sequences as U+FFFD. One decoder serves every call: making one costs more than most decodes. */
export function utf8Text(bytes: Uint8Array): string {
  return (utf8 ??= new TextDecoder()).decode(bytes);
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function toHex(bytes: Uint8Array, sep = ''): string {
  // Buffer's native hex is an order of magnitude faster than a loop; it shares the memory.
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return sep ? hex.replace(/(..)(?!$)/g, `$1${sep}`) : hex;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/0x/gi, '').replace(/[\s:,]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new RangeError(`not an even run of hex digits: ${hex.length > 40 ? hex.slice(0, 40) + '…' : hex}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The bytes as text when they are printable (a trailing run of NULs allowed), else undefined. */
export function printableText(bytes: Uint8Array): string | undefined {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end === 0) return undefined;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c === 9 || c === 10 || c === 13) continue;
    if (c < 0x20 || c === 0x7f) return undefined;
  }
  const text = utf8Text(bytes.subarray(0, end));
  return text.includes('\uFFFD') ? undefined : text;
}

/**
 * The text of bytes that look like a C string — printable characters, then exactly one NUL —
 * else undefined. Used to guess at attributes with no table: a u32 of 10 or 64
 * (0a 00 00 00, 40 00 00 00) is not "\n" or "@".
 */
export function cStringGuess(bytes: Uint8Array): string | undefined {
  const n = bytes.length;
  if (n < 2 || bytes[n - 1] !== 0 || bytes[n - 2] === 0) return undefined;
  const text = printableText(bytes);
  return text !== undefined && !/[\t\n\r]/.test(text) ? text : undefined;
}

/** A NUL-terminated (or unterminated) C string. */
export function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return utf8Text(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Numbers of the set bits, counting from 1 (bit 0 of byte 0 is 1): netlink group bitmaps. */
export function bitmapList(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) for (let bit = 0; bit < 8; bit++) if (b[i] & (1 << bit)) out.push(i * 8 + bit + 1);
  return out;
}
