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

/** The integer of a kind other than u64 (1-6, with BE) at b[o]. */
export function readInt(b: Uint8Array, o: number, kind: number): number {
  switch (kind) {
    case 1: return b[o]!;
    case 2: return b[o]! | (b[o + 1]! << 8);
    case 2 | BE: return (b[o]! << 8) | b[o + 1]!;
    case 3: return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
    case 3 | BE: return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
    case 4: return (b[o]! << 24) >> 24;
    case 5: return ((b[o]! | (b[o + 1]! << 8)) << 16) >> 16;
    case 5 | BE: return (((b[o]! << 8) | b[o + 1]!) << 16) >> 16;
    case 6: return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    default: return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!; // 6 | BE
  }
}

/**
 * The integer of `kind` at b[o], as digits at buf[p] (room for 22 bytes checked by the caller);
 * returns the end, or -1 for a u64 beyond 32 bits (the caller writes it through intJson). One
 * putUint for every kind: this is inlined into the hottest writers, each copy of it compiled anew.
 */
export function putInt(buf: Buffer, p: number, b: Uint8Array, o: number, kind: number): number {
  let n: number;
  if (kind === 7) {
    // u64, little-endian
    if ((b[o + 4]! | b[o + 5]! | b[o + 6]! | b[o + 7]!) !== 0) return -1;
    n = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  } else n = readInt(b, o, kind);
  if (n < 0) {
    buf[p++] = 45;
    n = -n;
  }
  return putUint(buf, p, n);
}

/** The kind readInt reads for an integer type of at most 32 bits (big-endian when `be`), 0 for any other. */
export function readKind(type: string, be: boolean): number {
  const k = INT_KINDS[type] ?? 0;
  if (k === 0 || k === 7) return 0;
  return be && k !== 1 && k !== 4 ? k | BE : k;
}

/** A u64 putInt left: through the general reading (a number while exact, else decimal text). */
export function wideInt(w: ByteWriter, b: Uint8Array, o: number): void {
  intJson(w, readIntAt(b, o, 'u64', false));
}
