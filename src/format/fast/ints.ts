// Plain integers of the fast JSON path, written in place: the bulk of every header and stats
// struct, shared by the struct, attribute and value writers.
import type { ValueDef } from '../../schema/index.js';
import { readIntAt } from '../../schema/values.js';
import { putUint, type ByteWriter } from '../json-bytes.js';

/** An integer as a JSON value: numbers, or the general decoder's decimal string beyond 2^53. */
export function intJson(w: ByteWriter, n: number | bigint): void {
  if (typeof n === 'number') w.num(n);
  else if (n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)) w.num(Number(n));
  else w.str(n.toString());
}

/**
 * Integers shown as plain numbers (no enum, flags or display), written in place by putInt: the
 * bulk of every header and stats struct. 0 for any other value.
 */
const INT_KINDS: Record<string, number> = { u8: 1, u16: 2, u32: 3, s8: 4, s16: 5, s32: 6, u64: 7 };
const BE = 16;

export function intKind(def: ValueDef): number {
  if (def.enum || def.flags || def.display || def.familyField !== undefined) return 0;
  const k = INT_KINDS[def.type] ?? 0;
  if (!k || !def.be || k === 1 || k === 4) return k;
  return k === 7 ? 0 : k | BE;
}

/** The size of an integer kind. */
export const KIND_SIZE = [0, 1, 2, 4, 1, 2, 4, 8];

/**
 * The integer of `kind` at b[o], as digits at buf[p] (room for 22 bytes checked by the caller);
 * returns the end, or -1 for a u64 beyond 32 bits (the caller writes it through intJson).
 */
export function putInt(buf: Buffer, p: number, b: Uint8Array, o: number, kind: number): number {
  let n: number;
  switch (kind) {
    case 1: return putUint(buf, p, b[o]!);
    case 2: return putUint(buf, p, b[o]! | (b[o + 1]! << 8));
    case 2 | BE: return putUint(buf, p, (b[o]! << 8) | b[o + 1]!);
    case 3: return putUint(buf, p, (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
    case 3 | BE: return putUint(buf, p, ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0);
    case 4: n = (b[o]! << 24) >> 24; break;
    case 5: n = ((b[o]! | (b[o + 1]! << 8)) << 16) >> 16; break;
    case 5 | BE: n = (((b[o]! << 8) | b[o + 1]!) << 16) >> 16; break;
    case 6: n = b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24); break;
    case 6 | BE: n = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!; break;
    default: // u64, little-endian
      if ((b[o + 4]! | b[o + 5]! | b[o + 6]! | b[o + 7]!) !== 0) return -1;
      return putUint(buf, p, (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0);
  }
  if (n < 0) {
    buf[p++] = 45;
    n = -n;
  }
  return putUint(buf, p, n);
}

/** A u64 putInt left: through the general reading (a number while exact, else decimal text). */
export function wideInt(w: ByteWriter, b: Uint8Array, o: number): void {
  intJson(w, readIntAt(b, o, 'u64', false));
}
