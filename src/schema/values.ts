// Reading one scalar or address from bytes, per a ValueDef. Pure; never throws.
import { bitmapList, cString, printableText, toHex, utf8Text } from '../codec/index.js';
import type { JsonValue } from './decoded.js';
import type { Schema, ValueDef, WireType } from './types.js';

export const INT_SIZES: Partial<Record<WireType, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, s8: 1, s16: 2, s32: 4, s64: 8 };

export function formatIPv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

export function formatIPv6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] << 8) | b[i + 1]);
  // The longest run of two or more zero words becomes "::" (RFC 5952).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  // IPv4-mapped addresses end in dotted quad, as inet_ntop and ss print them.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

export function formatMac(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) out += (i ? ':' : '') + HEX2[b[i]];
  return out;
}

export function formatAddress(b: Uint8Array): string {
  if (b.length === 4) return formatIPv4(b);
  if (b.length === 16) return formatIPv6(b);
  return toHex(b);
}

export function readInt(bytes: Uint8Array, type: WireType, be = false): number | bigint {
  return readIntAt(bytes, 0, type, be);
}

/** An integer at offset `o` (the caller checked the bounds). */
export function readIntAt(b: Uint8Array, o: number, type: WireType, be = false): number | bigint {
  // The common widths are read with plain arithmetic: a DataView per value costs more than the read.
  switch (type) {
    case 'u8': return b[o];
    case 's8': return (b[o] << 24) >> 24;
    case 'u16': return be ? (b[o] << 8) | b[o + 1] : b[o] | (b[o + 1] << 8);
    case 's16': return ((be ? (b[o] << 8) | b[o + 1] : b[o] | (b[o + 1] << 8)) << 16) >> 16;
    case 'u32': return (be ? (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3] : b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    case 's32': return be ? (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3] : b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
    case 'u64': {
      // Counters are u64 but rarely above 2^53: two u32 halves avoid BigInt when exact.
      const lo = be ? ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0 : (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
      const hi = be ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0 : (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
      if (hi < 0x200000) return hi * 0x100000000 + lo;
      break;
    }
  }
  const v = new DataView(b.buffer, b.byteOffset + o);
  switch (type) {
    case 'u64': return v.getBigUint64(0, !be);
    case 's64': return v.getBigInt64(0, !be);
    default: throw new TypeError(`not an integer type: ${type}`);
  }
}

/** A 64-bit value as a JSON number when it is exact, else as a decimal string. */
export function jsonInt(n: number | bigint): number | string {
  if (typeof n === 'number') return n;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n.toString();
}

// Flag tables are read on every flag value: turn each into [bit, name] pairs once.
const FLAG_PAIRS = new WeakMap<Record<number, string>, [number, string][]>();

function flagPairs(table: Record<number, string>): [number, string][] {
  let pairs = FLAG_PAIRS.get(table);
  if (!pairs) {
    pairs = Object.entries(table).map(([bit, name]) => [Number(bit), name] as [number, string]);
    FLAG_PAIRS.set(table, pairs);
  }
  return pairs;
}

export function flagList(value: number | bigint, table: Record<number, string>): string[] {
  // 64-bit flag words (netdev's xdp-features) need BigInt: bit operators on numbers keep 32 bits.
  if (typeof value === 'bigint' || value > 0xffffffff) return flagList64(BigInt.asUintN(64, BigInt(value)), table);
  const names: string[] = [];
  let rest = value >>> 0;
  if (rest === 0) return names;
  for (const [b, name] of flagPairs(table)) {
    if (b !== 0 && (rest & b) === b) {
      names.push(name);
      rest = (rest & ~b) >>> 0;
    }
  }
  if (rest) names.push('0x' + rest.toString(16));
  return names;
}

function flagList64(value: bigint, table: Record<number, string>): string[] {
  const names: string[] = [];
  let rest = value;
  for (const [b, name] of flagPairs(table)) {
    const bit = BigInt(b);
    if (bit !== 0n && (rest & bit) === bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push('0x' + rest.toString(16));
  return names;
}

export interface ScalarResult {
  value: JsonValue;
  raw?: number | string;
  /** Set when the bytes did not fit the definition. */
  problem?: string;
}

/** A 16-byte address whose family is known from elsewhere (inet_diag_sockid): AF_INET uses 4 bytes. */
function inetAddr16(b: Uint8Array, family: number | undefined): ScalarResult {
  if (b.length !== 16) return { value: toHex(b), problem: `address field needs 16 bytes, found ${b.length}` };
  if (family === 2) return { value: formatIPv4(b) };
  if (family === 10) return { value: formatIPv6(b) };
  // Family unknown: IPv4 when everything after the first 4 bytes is zero.
  return { value: b.subarray(4).every((x) => x === 0) ? formatIPv4(b) : formatIPv6(b) };
}

/** sockaddr_un path: abstract names (leading NUL) as "@name", like ss. */
function unixPath(b: Uint8Array): string {
  if (b.length > 0 && b[0] === 0) return '@' + utf8Text(b.subarray(1)).replace(/\0/g, '@');
  return cString(b);
}

/** An integer as shown: by enum or flag name, in hex, as an IPv4 address, or as a number. */
export function intValue(n: number | bigint, def: ValueDef, schema: Schema, bytes?: Uint8Array): ScalarResult {
  const num = jsonInt(n);
  if (def.enum) {
    const name = schema.enums[def.enum]?.[Number(n)];
    return name !== undefined ? { value: name, raw: num } : { value: num };
  }
  // A hex display wins over a flag table: change masks read better as 0xffffffff.
  if (def.display === 'hex') return { value: '0x' + n.toString(16) };
  if (def.flags) return { value: flagList(typeof n === 'bigint' ? n : Number(n), schema.flagSets[def.flags] ?? {}), raw: num };
  if (def.display === 'ipv4' && bytes?.length === 4) return { value: formatIPv4(bytes), raw: num };
  return { value: num };
}

/** A 16-byte UUID as 8-4-4-4-12 hex digits. */
export function formatUuid(b: Uint8Array): string {
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** YNL's variable-width and compound scalars: uint/sint (4 or 8 bytes), bitfield32, arrays of integers. */
function decodeWide(bytes: Uint8Array, def: ValueDef, schema: Schema): ScalarResult | undefined {
  if (def.type === 'uint' || def.type === 'sint') {
    if (bytes.length !== 4 && bytes.length !== 8) return { value: toHex(bytes), problem: `${def.type} needs 4 or 8 bytes, found ${bytes.length}` };
    const t: WireType = bytes.length === 4 ? (def.type === 'uint' ? 'u32' : 's32') : def.type === 'uint' ? 'u64' : 's64';
    return intValue(readInt(bytes, t, def.be), def, schema, bytes);
  }
  if (def.type === 'bitfield32') {
    if (bytes.length !== 8) return { value: toHex(bytes), problem: `bitfield32 needs 8 bytes, found ${bytes.length}` };
    const part = (o: number) => intValue(readIntAt(bytes, o, 'u32'), def, schema).value;
    return { value: { value: part(0), selector: part(4) } };
  }
  if (def.type === 'binary' && def.subType) {
    const size = INT_SIZES[def.subType];
    if (!size || bytes.length % size) return { value: toHex(bytes), problem: `an array of ${def.subType} cannot be ${bytes.length} byte(s)` };
    const out: JsonValue[] = [];
    for (let o = 0; o < bytes.length; o += size) out.push(intValue(readIntAt(bytes, o, def.subType, def.be), def, schema, bytes.subarray(o, o + size)).value);
    return { value: out };
  }
  return undefined;
}

/**
 * Decode a non-nested value. Integers whose size is wrong come back as hex with a problem.
 * `family` is the address family from a sibling field, for display 'inet-addr16'.
 */
export function decodeScalar(bytes: Uint8Array, def: ValueDef, schema: Schema, family?: number): ScalarResult {
  const size = INT_SIZES[def.type];
  if (size !== undefined) {
    if (bytes.length !== size) {
      return { value: toHex(bytes), problem: `${def.type} needs ${size} byte(s), found ${bytes.length}` };
    }
    return intValue(readInt(bytes, def.type, def.be), def, schema, bytes);
  }
  const wide = decodeWide(bytes, def, schema);
  if (wide) return wide;
  switch (def.type) {
    case 'flag':
      return bytes.length === 0 ? { value: true } : { value: true, problem: `flag attribute carries ${bytes.length} byte(s)` };
    case 'string':
      return { value: def.display === 'unix-path' ? unixPath(bytes) : cString(bytes) };
    case 'binary':
      switch (def.display) {
        case 'ipv4': return bytes.length === 4 ? { value: formatIPv4(bytes) } : { value: toHex(bytes), problem: `IPv4 address needs 4 bytes, found ${bytes.length}` };
        case 'ipv6': return bytes.length === 16 ? { value: formatIPv6(bytes) } : { value: toHex(bytes), problem: `IPv6 address needs 16 bytes, found ${bytes.length}` };
        case 'addr': return { value: formatAddress(bytes) };
        case 'mac': return { value: formatMac(bytes) };
        case 'text': return { value: printableText(bytes) ?? toHex(bytes) };
        case 'inet-addr16': return inetAddr16(bytes, family);
        case 'bitmap': return { value: bitmapList(bytes) };
        case 'unix-path': return { value: unixPath(bytes) };
        case 'uuid': return bytes.length === 16 ? { value: formatUuid(bytes) } : { value: toHex(bytes), problem: `UUID needs 16 bytes, found ${bytes.length}` };
        default: return { value: toHex(bytes) };
      }
    default:
      return { value: toHex(bytes) };
  }
}
