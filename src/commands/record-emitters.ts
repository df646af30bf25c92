// Value writers for the dump records' fast path, chosen once per table entry: each writes the
// JSON that the general path (record-decode.ts, then JSON.stringify) gives for the same bytes,
// or returns false to hand the value back to the general code (an odd size, text to escape,
// a 64-bit number past 2^53). Kinds with no writer here always take the general code.
import { markNul, takeNul } from '../format/json-bytes.js';
import { valueBytes } from '../format/records-bytes.js';
import type { FieldDef, Schema, StructDef, ValueDef, WireType } from '../schema/index.js';
import { flagList, formatIPv6, INT_SIZES, readIntAt } from '../schema/values.js';
import { LeafLog, leafLog, type Emit } from './record-leaves.js';

export type { Emit };

const compareBytes = Buffer.prototype.compare;

/**
 * Whether a[ao..ao+n) and b[bo..bo+n) are the same bytes: long runs by one native comparison
 * (a loop over them costs far more before V8 compiles it, and a dump is over by then).
 */
export function sameBytes(a: Uint8Array, ao: number, b: Uint8Array, bo: number, n: number): boolean {
  if (n >= 48) return compareBytes.call(a, b, bo, bo + n, ao, ao + n) === 0;
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** Values shorter than this are written each time (comparing costs about as much as writing). */
const REMEMBER_FROM = 16;

/** The writer each remembered() writer wraps: a leaf written alone (record-leaves.ts) is new each time. */
const PLAIN = new WeakMap<Emit, Emit>();

/** The writer under `e` when remembered() made it, else `e`. */
export function plainEmit(e: Emit): Emit {
  return PLAIN.get(e) ?? e;
}

/**
 * A writer that writes the text of its last value again when the bytes are the
 * same: a dump's links carry the same per-family settings, statistics and link info, message after
 * message. Whether the text escaped a NUL is kept with it and marked again when it is written
 * again (the mark sends a record to the general writer: json-bytes.ts takeNul), and so are the
 * leaves a nest logged (record-leaves.ts), logged again where the text is written again.
 */
export function remembered(emit: Emit | undefined): Emit | undefined {
  if (!emit) return undefined;
  let inLen = -1, inBe = false, inNul = false, inLogged = false;
  let input = new Uint8Array(256), text = new Uint8Array(1024), written = text.subarray(0, 0);
  // The leaves logged while the text was written, relative to the value's bytes and text.
  const leaves = new LeafLog();
  const wrapper: Emit = (b, o, n, be, out) => {
    if (n < REMEMBER_FROM) return emit(b, o, n, be, out);
    const log = leafLog.on ? leafLog : undefined;
    if (n === inLen && be === inBe && (inLogged || !log) && sameBytes(b, o, input, 0, n)) {
      const mark = out.pos;
      out.raw(written);
      if (inNul) markNul();
      for (let i = 0; log && i < leaves.n; i++) log.add(o + leaves.inAt[i], leaves.inLen[i], mark + leaves.outAt[i], mark + leaves.outEnd[i], leaves.emit[i], leaves.be[i] === 1);
      return true;
    }
    // The mark of what came before is put back after this value's own is read.
    const before = takeNul();
    const mark = out.pos;
    const first = log ? log.n : 0;
    const ok = emit(b, o, n, be, out);
    const nul = takeNul();
    if (before || nul) markNul();
    if (!ok) return false;
    const end = out.pos;
    if (input.length < n) input = new Uint8Array(n * 2);
    input.set(b.subarray(o, o + n));
    if (text.length < end - mark) text = new Uint8Array((end - mark) * 2);
    text.set(out.buf.subarray(mark, end));
    inLen = n;
    inBe = be;
    inNul = nul;
    inLogged = log !== undefined;
    written = text.subarray(0, end - mark);
    leaves.n = 0;
    for (let i = first; log && i < log.n; i++) leaves.add(log.inAt[i] - o, log.inLen[i], log.outAt[i] - mark, log.outEnd[i] - mark, log.emit[i], log.be[i] === 1);
    return true;
  };
  PLAIN.set(wrapper, emit);
  return wrapper;
}

/** Rendered values cached per table entry (enum and flag names), up to this many each. */
const CACHE_MAX = 1024;

function cached(render: (v: number) => unknown): (v: number) => Uint8Array {
  // Small values (u8 and u16 fields, most enums) by array index; the rest in a bounded map.
  const small: (Uint8Array | undefined)[] = [];
  const cache = new Map<number, Uint8Array>();
  return (v) => {
    if (v >= 0 && v < 4096) return (small[v] ??= valueBytes(render(v) as never));
    let c = cache.get(v);
    if (c === undefined) {
      c = valueBytes(render(v) as never);
      if (cache.size < CACHE_MAX) cache.set(v, c);
    }
    return c;
  };
}

/** A reader for integers of wire type `t` (readIntAt, with the type's case chosen once). */
export function intReader(t: WireType): (b: Uint8Array, o: number, be: boolean) => number | bigint {
  switch (t) {
    case 'u8': return (b, o) => b[o];
    case 'u16': return (b, o, be) => (be ? (b[o] << 8) | b[o + 1] : b[o] | (b[o + 1] << 8));
    case 'u32': return (b, o, be) => (be ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0 : (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0);
    default: return (b, o, be) => readIntAt(b, o, t, be);
  }
}

/** An integer of wire type `t` shown as intValue (values.ts) shows it: enum, hex, flags, ipv4, number. */
/** A struct's fields at their offsets (pads skipped), or undefined when one is not a plain integer. */
export function intFields(sdef: StructDef): { f: FieldDef; off: number; size: number }[] | undefined {
  const out: { f: FieldDef; off: number; size: number }[] = [];
  let off = 0;
  for (const f of sdef.fields) {
    off += f.pad ?? 0;
    if (f.type === 'pad') {
      off += f.size ?? 0;
      continue;
    }
    const size = INT_SIZES[f.type];
    if (size === undefined || f.familyField !== undefined) return undefined;
    out.push({ f, off, size });
    off += size;
  }
  return out;
}

export function intEmitter(def: ValueDef, t: WireType, schema: Schema): Emit {
  const size = INT_SIZES[t]!;
  const read = intReader(t);
  if (def.enum) {
    const table = schema.enums[def.enum];
    const bytes = cached((v) => table?.[v] ?? v);
    return (b, o, n, be, out) => {
      if (n !== size) return false;
      const v = read(b, o, be);
      if (typeof v !== 'number') return false;
      out.raw(bytes(v));
      return true;
    };
  }
  if (def.display === 'hex') {
    return (b, o, n, be, out) => {
      if (n !== size) return false;
      out.str('0x' + read(b, o, be).toString(16));
      return true;
    };
  }
  if (def.flags) {
    const table = schema.flagSets[def.flags] ?? {};
    const bytes = cached((v) => flagList(v, table));
    return (b, o, n, be, out) => {
      if (n !== size) return false;
      const v = read(b, o, be);
      if (typeof v !== 'number' || v > 0xffffffff) return false;
      out.raw(bytes(v));
      return true;
    };
  }
  const ipv4 = def.display === 'ipv4';
  return (b, o, n, be, out) => {
    if (n !== size) return false;
    if (ipv4 && n === 4) {
      out.ipv4(b, o);
      return true;
    }
    const v = read(b, o, be);
    if (typeof v !== 'number') return false;
    out.num(v);
    return true;
  };
}

/** YNL's variable-width integers: 4 or 8 bytes. */
function wideEmitter(def: ValueDef, schema: Schema): Emit {
  const signed = def.type === 'sint';
  const four = intEmitter(def, signed ? 's32' : 'u32', schema);
  const eight = intEmitter(def, signed ? 's64' : 'u64', schema);
  return (b, o, n, be, out) => (n === 4 ? four(b, o, n, be, out) : n === 8 ? eight(b, o, n, be, out) : false);
}

/** A C string (cString): up to the first NUL, when it is printable ASCII that JSON writes as is. */
const stringEmit: Emit = (b, o, n, _be, out) => {
  let end = o;
  const stop = o + n;
  while (end < stop && b[end] !== 0) end++;
  for (let i = o; i < end; i++) {
    const c = b[i];
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  out.quoted(b, o, end);
  return true;
};

const hexEmit: Emit = (b, o, n, _be, out) => {
  out.quotedHex(b, o, n);
  return true;
};

const ipv4Emit: Emit = (b, o, n, _be, out) => {
  if (n !== 4) return false;
  out.ipv4(b, o);
  return true;
};

// Addresses repeat in a dump (a link's IPv6 token, a route's gateway): their text is kept.
const ipv6Emit: Emit = remembered((b, o, n, _be, out) => {
  if (n !== 16) return false;
  out.ascii('"' + formatIPv6(b.subarray(o, o + 16)) + '"');
  return true;
})!;

/** formatAddress: IPv4 for 4 bytes, IPv6 for 16, hex otherwise. */
const addrEmit: Emit = (b, o, n, be, out) => {
  if (n !== 4) return n === 16 ? ipv6Emit(b, o, n, be, out) : hexEmit(b, o, n, be, out);
  // ipv4Emit's work, one call less: the dst of most messages of a route dump.
  out.ipv4(b, o);
  return true;
};

/** Whether `e` writes a 4-byte value as a quoted dotted quad (JsonBytes.ipv4) and nothing else. */
export function writesDottedQuad(e: Emit): boolean {
  return e === addrEmit || e === ipv4Emit;
}

const macEmit: Emit = (b, o, n, _be, out) => {
  out.mac(b, o, n);
  return true;
};

const trueEmit: Emit = (_b, _o, _n, _be, out) => {
  out.ascii('true');
  return true;
};

/** The writer for a scalar table entry (decodeScalar's cases), or undefined: the general code. */
export function scalarEmitter(def: ValueDef, schema: Schema): Emit | undefined {
  if (INT_SIZES[def.type] !== undefined) return intEmitter(def, def.type, schema);
  switch (def.type) {
    case 'uint':
    case 'sint':
      return wideEmitter(def, schema);
    case 'flag':
      return trueEmit;
    case 'pad':
      return hexEmit;
    case 'string':
      return def.display === 'unix-path' ? undefined : stringEmit;
    case 'binary':
      if (def.subType) return undefined;
      switch (def.display) {
        case undefined:
        case 'hex':
          return hexEmit;
        case 'ipv4': return ipv4Emit;
        case 'ipv6': return ipv6Emit;
        case 'addr': return addrEmit;
        case 'mac': return macEmit;
        default: return undefined;
      }
    default:
      return undefined;
  }
}
