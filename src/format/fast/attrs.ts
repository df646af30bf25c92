// Attribute sets of the fast JSON path: each set of a table becomes an array of compiled
// attributes (type → pre-encoded head and a value writer), built once on first use. The JSON is
// the general decoder's (decodeAttrs) key for key; whatever it would report as a problem ends
// the fast path for the message (FALLBACK).
import { cStringGuess, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from '../../codec/index.js';
import { structSize, tableNames, type AttrDef, type Schema, type ValueDef } from '../../schema/index.js';
import { selectFormatInBytes } from '../../schema/selector.js';
import { INT_SIZES } from '../../schema/values.js';
import { jsonBytes, type ByteWriter } from '../json-bytes.js';
import { cStringJson, FALLBACK, intNames, raw, scalarEmit, TRUE, type ScalarEmit } from './values.js';
import { intKind, KIND_SIZE, putInt, readInt, readKind, wideInt } from './ints.js';
import { structEmit } from './structs.js';
import { recorder, recordLeaf } from './template.js';
import { ATTRS, attrLen, attrOpen, FLAG, HEX, indexHead, LEN, looksLikeAttrs, NAMED, NEST, NETORDER, openAttr, OTHER, plainInt, RAW, STRING, unknownHead, VALUE, type BodyEmit, type CompiledAttr, type CompiledSet, type Scope } from './attr-heads.js';

export { looksLikeAttrs, type Scope } from './attr-heads.js';

/** A schema's compiled sets by name, and whether it has sub-messages (from the names alone: listing a cached table would read all of them). */
const SETS = new WeakMap<Schema, { sets: Map<string, CompiledSet | null>; scoped: boolean }>();

function compiledSet(name: string, schema: Schema): CompiledSet | undefined {
  let cache = SETS.get(schema);
  if (!cache) SETS.set(schema, (cache = { sets: new Map(), scoped: tableNames(schema.subMessages ?? {}).length > 0 }));
  const hit = cache.sets.get(name);
  if (hit !== undefined) return hit ?? undefined;
  const set = schema.attrSets[name];
  // A missing table is a diagnostic: general decoder.
  if (!set) {
    cache.sets.set(name, null);
    return undefined;
  }
  const c: CompiledSet = { attrs: [], set, scoped: cache.scoped };
  cache.sets.set(name, c);
  return c;
}

/**
 * The compiled attribute of `type` in a set (null: the set has none), compiled when first met:
 * a large set (nl80211's has hundreds) costs only the attributes a capture holds.
 */
function compiledAttr(c: CompiledSet, type: number, schema: Schema): CompiledAttr | null {
  const def = Object.hasOwn(c.set.attrs, type) ? c.set.attrs[type] : undefined;
  if (!def) return (c.attrs[type] = null);
  const op = opOf(def);
  const nameOf = op === NAMED ? intNames(def, schema) : undefined;
  const body = op === OTHER ? bodyEmit(def, schema) : undefined;
  const scalar = op === OTHER ? body!.scalar === true : op !== NEST;
  const names = Buffer.concat([Buffer.from(',"name":'), jsonBytes(def.name), ...(def.spec !== undefined ? [Buffer.from(',"spec_name":'), jsonBytes(def.spec)] : []), ...(scalar ? [VALUE] : [])]);
  const kind = intKind(def);
  const size = KIND_SIZE[kind & 15]!;
  return (c.attrs[type] = {
    head: Buffer.from(`{"type":${type},"offset":`),
    leaf: !BRANCHES.has(def.type),
    names,
    lenNames: Buffer.concat([LEN, Buffer.from(String(size + 4)), names]),
    body,
    def,
    kind,
    size,
    op,
    nest: undefined,
    readKind: op === NAMED ? readKind(def.type, def.be === true) : 0,
    nameOf,
  });
}

/** Value types written as attributes of their own (a template cannot write them again from their own bytes alone). */
const BRANCHES = new Set(['nest', 'nest-array', 'indexed-array', 'sub-message', 'struct-list']);

/** Which values writeSet writes itself: those whose writers (bodyEmit, scalarEmit, intEmit) do no more than this. */
function opOf(def: AttrDef): number {
  switch (def.type) {
    case 'nest': return NEST;
    case 'string': return def.display === 'unix-path' ? OTHER : STRING;
    case 'flag': return FLAG;
    default:
      // intEmit's named integers, of up to 32 bits (wider ones may read as BigInt).
      if (!readKind(def.type, false) || !(def.enum || (def.flags && def.display !== 'hex'))) return OTHER;
      return NAMED;
  }
}

/** A scalar as `V` and `,"raw":N` (`,"value":` is written before it). */
function scalarBody(emit: ScalarEmit): BodyEmit {
  const body: BodyEmit = (w, b, s, e) => {
    if (emit(w, b, s, e)) {
      w.raw(RAW);
      w.num(raw.n);
    }
  };
  body.scalar = true;
  return body;
}

/** The children of a nest-array or indexed-array: `{"type":i,"name":"[i]",…}` each of `inner`. */
function arrayBody(inner: BodyEmit): BodyEmit {
  return (w, b, s, e, _abs, scope) => {
    w.raw(ATTRS);
    let off = s;
    while (off < e) {
      const len = attrLen(b, off, e);
      if (len === 0) break;
      const rawType = b[off + 2]! | (b[off + 3]! << 8);
      const at = _abs + (off - s);
      attrOpen(w, indexHead(rawType & NLA_TYPE_MASK), off === s, at, len, rawType);
      if (inner.scalar) w.raw(VALUE);
      inner(w, b, off + 4, off + len, at + 4, scope);
      w.byte(125);
      off += (len + 3) & ~3;
    }
    w.byte(93);
  };
}

function bodyEmit(def: ValueDef, schema: Schema): BodyEmit {
  switch (def.type) {
    case 'nest': {
      const name = def.nested;
      // The nested set, looked up on first use (null: none the fast path can write).
      let set: CompiledSet | null | undefined;
      return (w, b, s, e, abs, scope) => {
        if (name !== undefined && set === undefined) set = compiledSet(name, schema) ?? null;
        if (set === null) throw FALLBACK;
        w.raw(ATTRS);
        writeSet(w, b, s, e, abs, set, schema, scope);
        w.byte(93);
      };
    }
    case 'nest-array':
    case 'indexed-array': {
      const depth = def.depth ?? 1;
      const inner: ValueDef = def.type === 'indexed-array' && def.subType !== 'nest'
        ? { ...def, type: def.subType ?? 'binary', subType: undefined }
        : depth > 1 ? { type: 'nest-array', nested: def.nested, depth: depth - 1 } : { type: 'nest', nested: def.nested };
      return arrayBody(bodyEmit(inner, schema));
    }
    case 'sub-message':
      return subMessageBody(def, schema);
    case 'struct': {
      const sdef = def.struct ? structEmit(def.struct, schema) : undefined;
      if (def.struct && schema.structs[def.struct]) {
        if (!sdef) return () => { throw FALLBACK; };
        return (w, b, s, e) => {
          w.raw(VALUE);
          sdef.write(w, b, s, e);
        };
      }
      return scalarBody(scalarEmit(def, schema));
    }
    case 'struct-list':
      if (def.struct && schema.structs[def.struct]) return structListBody(def, schema);
      return scalarBody(scalarEmit(def, schema));
    case 'pad':
      return (w, b, s, e) => {
        if (e > s) {
          w.raw(HEX);
          w.hex(b, s, e);
          w.byte(34);
        }
      };
    default:
      return scalarBody(scalarEmit(def, schema));
  }
}

/**
 * Back-to-back structs each sized by a length field, attributes after each (RTA_MULTIPATH's
 * rtnexthops), as decodeStructList shows them: children "[i]" with the struct as value.
 */
function structListBody(def: ValueDef, schema: Schema): BodyEmit {
  const sdef = schema.structs[def.struct!]!;
  const head = structSize(sdef, schema);
  const emit = structEmit(def.struct!, schema);
  // Where the length field is, read as a plain integer; anything else stays with the general decoder.
  let at = -1, kind = 0, off = 0;
  for (const f of sdef.fields) {
    off += f.pad ?? 0;
    if (f.name === def.lengthField && at < 0) {
      at = off;
      kind = intKind(f);
    }
    off += f.type === 'pad' ? f.size ?? 0 : INT_SIZES[f.type] ?? f.size ?? 0;
  }
  const readLen = (b: Uint8Array, o: number): number => {
    switch (kind & 15) {
      case 1: return b[o]!;
      case 2: return kind & 16 ? (b[o]! << 8) | b[o + 1]! : b[o]! | (b[o + 1]! << 8);
      case 3: return (kind & 16 ? (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]! : b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
      default: throw FALLBACK;
    }
  };
  return (w, b, s, e, abs) => {
    if (!emit || at < 0 || ![1, 2, 3].includes(kind & 15) || at + KIND_SIZE[kind & 15]! > head) throw FALLBACK;
    w.raw(ATTRS);
    for (let o = s, i = 0; o < e; i++) {
      const left = e - o;
      if (left < head) throw FALLBACK;
      const len = readLen(b, o + at);
      if (len < head || len > left) throw FALLBACK;
      if (i) w.byte(44);
      w.ascii(`{"type":${i},"name":"[${i}]","offset":`);
      w.uint(abs + (o - s));
      w.raw(LEN);
      w.uint(len);
      w.raw(VALUE);
      emit.write(w, b, o, o + head);
      if (len > head) {
        w.raw(ATTRS);
        writeAttrs(w, b, o + head, o + len, abs + (o - s) + head, def.nested, schema, undefined);
        w.byte(93);
      }
      w.byte(125);
      o += (len + 3) & ~3;
    }
    w.byte(93);
  };
}

/** A YNL sub-message: a header struct and attributes, their format picked by a selector. */
/** Problems the fast path wrote into the message being written (the caller counts them: takeProblems). */
let problems = 0;

/** The problems written since last asked, left counted. */
export function peekProblems(): number {
  return problems;
}

/** Problems a kept text holds, written again (template.ts). */
export function addProblems(n: number): void {
  problems += n;
}

/** The problems written since last asked, and none from now on. */
export function takeProblems(): number {
  const n = problems;
  problems = 0;
  return n;
}

const DIAGNOSTIC = Buffer.from(',"diagnostics":[{"offset":');
const MESSAGE = Buffer.from(',"message":');

/**
 * A sub-message whose selector names no format, as the general decoder shows it: the attribute
 * as one with no table, then the problem in its diagnostics. `def` is the attribute's own entry
 * (a name to show; an entry that only types it by policy goes to the general decoder).
 */
function noFormat(w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number, def: ValueDef, schema: Schema, text: string): void {
  const name = (def as Partial<AttrDef>).name;
  if (typeof name !== 'string' || (def as Partial<AttrDef>).typedBy !== undefined) throw FALLBACK;
  // The attribute's header is just before its value: its nested flag.
  unknownBody(w, b, s, e, abs, (b[s - 1]! & (NLA_F_NESTED >> 8)) !== 0, schema);
  w.raw(DIAGNOSTIC);
  w.uint(abs - 4);
  w.raw(MESSAGE);
  w.str(`${name}: no format for ${def.selector} '${text}' in sub-message ${def.subMessage}`);
  w.byte(125);
  w.byte(93);
  problems++;
}

function subMessageBody(def: ValueDef, schema: Schema): BodyEmit {
  return (w, b, s, e, abs, scope) => {
    // Its format is another attribute's value: a template of this message serves equal messages only.
    recorder.poisoned = true;
    const picked = selectFormatInBytes(def, schema, scope);
    if (!('format' in picked)) {
      if (picked.problem === 'no-format') return noFormat(w, b, s, e, abs, def, schema, picked.value.text);
      throw FALLBACK;
    }
    const { format } = picked;
    let off = 0;
    if (format.header && schema.structs[format.header]) {
      const sdef = structEmit(format.header, schema);
      if (!sdef) throw FALLBACK;
      off = structSize(schema.structs[format.header], schema);
      w.raw(VALUE);
      sdef.write(w, b, s, Math.min(s + off, e));
    }
    if (format.attrs && off < e - s) {
      w.raw(ATTRS);
      writeAttrs(w, b, s + off, e, abs + off, format.attrs, schema, scope);
      w.byte(93);
    }
  };
}

/** An attribute no table describes: nested ones walked, the rest as hex (and text when it reads as a C string). */
function unknownBody(w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number, nested: boolean, schema: Schema): void {
  if (nested && looksLikeAttrs(b, s, e)) {
    w.raw(ATTRS);
    writeAttrs(w, b, s, e, abs, undefined, schema, undefined);
    w.byte(93);
    return;
  }
  w.raw(HEX);
  w.hex(b, s, e);
  w.byte(34);
  const n = e - s;
  if (n < 2 || b[e - 1] !== 0 || b[e - 2] === 0) return;
  let ascii = true;
  for (let i = s; i < e - 1; i++) {
    const c = b[i]!;
    if (c >= 0x80) ascii = false;
    else if (c < 0x20 || c === 0x7f) return;
  }
  if (ascii) {
    w.raw(VALUE);
    w.asciiBytes(b, s, e - 1);
    return;
  }
  const text = cStringGuess(b.subarray(s, e));
  if (text !== undefined) {
    w.raw(VALUE);
    w.str(text);
  }
}

/**
 * The elements of an attribute array (without the brackets) for b[s, e) under set `setName`
 * (undefined: no table); `abs` is the offset of b[s] in the datagram.
 */
export function writeAttrs(w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number, setName: string | undefined, schema: Schema, outer: Scope | undefined): void {
  let set: CompiledSet | undefined;
  if (setName !== undefined) {
    set = compiledSet(setName, schema);
    if (!set) throw FALLBACK;
  }
  writeSet(w, b, s, e, abs, set, schema, outer);
}

function writeSet(w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number, set: CompiledSet | undefined, schema: Schema, outer: Scope | undefined): void {
  // Only sub-messages read the attributes around them: no scope where the tables have none.
  const scope: Scope | undefined = set && set.scoped ? { set: set.set, b, s, e, outer } : outer;
  // Each kind of attribute is written by a function of its own: small enough for the engine to
  // inline the byte writers into each (one function holding them all inlined none of them).
  let off = s;
  while (off < e) {
    const len = attrLen(b, off, e);
    if (len === 0) break;
    const rawType = b[off + 2]! | (b[off + 3]! << 8);
    const type = rawType & NLA_TYPE_MASK;
    const at = abs + (off - s);
    let c = set?.attrs[type];
    if (c === undefined && set !== undefined) c = compiledAttr(set, type, schema);
    if (!c || at !== at >>> 0) otherAttr(w, b, off, len, at, rawType, c, schema, scope, off === s);
    else {
      const t0 = w.pos;
      writeAttr(w, b, off, len, at, rawType, c, schema, off === s, scope);
      if (recorder.on && c.leaf) recordLeaf(off, len, at, rawType, off === s, c, schema, t0, w.pos);
    }
    off += (len + 3) & ~3;
  }
}

/**
 * An attribute of a table written whole: a plain integer in one go, any other through its head
 * and body. writeSet's step, and a template's for a leaf whose value differs (template.ts: a
 * leaf needs no scope).
 */
export function writeAttr(w: ByteWriter, b: Uint8Array, off: number, len: number, at: number, rawType: number, c: CompiledAttr, schema: Schema, first: boolean, scope?: Scope): void {
  if (c.kind && rawType === (rawType & NLA_TYPE_MASK) && len === c.size + 4) plainInt(w, b, off, at, c, first);
  else {
    openAttr(w, c, first, at, len, rawType);
    attrBody(w, b, off, len, at, rawType, c, schema, scope);
    w.byte(125);
  }
}

/** An attribute with no table entry (or at an offset past 2^32), through the general steps. */
function otherAttr(w: ByteWriter, b: Uint8Array, off: number, len: number, at: number, rawType: number, c: CompiledAttr | null | undefined, schema: Schema, scope: Scope | undefined, first: boolean): void {
  attrOpen(w, c ? c.head : unknownHead(rawType & NLA_TYPE_MASK), first, at, len, rawType);
  if (rawType & NLA_F_NET_BYTEORDER) w.raw(NETORDER);
  if (c) {
    w.raw(c.names);
    attrBody(w, b, off, len, at, rawType, c, schema, scope);
  } else unknownBody(w, b, off + 4, off + len, at + 4, (rawType & NLA_F_NESTED) !== 0, schema);
  w.byte(125);
}

/** What follows an attribute's names: its value, attributes or hex (the attribute at b[off], its header included). */
function attrBody(w: ByteWriter, b: Uint8Array, off: number, len: number, at: number, rawType: number, c: CompiledAttr, schema: Schema, scope: Scope | undefined): void {
  const s = off + 4, e = off + len;
  if (c.kind && len - 4 === c.size && !(rawType & NLA_F_NET_BYTEORDER)) {
    // A plain integer with flag bits, in place: `…,"value":N`.
    if (w.pos + 24 > w.buf.length) w.room(24);
    const q = putInt(w.buf, w.pos, b, s, c.kind);
    if (q >= 0) w.pos = q;
    else wideInt(w, b, s);
    return;
  }
  if (rawType & NLA_F_NET_BYTEORDER) {
    // Both variants are of one kind (scalar or not): the names end the same way.
    (c.beBody ??= bodyEmit({ ...c.def, be: true }, schema))(w, b, s, e, at + 4, scope);
    return;
  }
  switch (c.op) {
    case NEST:
      // bodyEmit's nest, in place.
      if (c.def.nested !== undefined && c.nest === undefined) c.nest = compiledSet(c.def.nested, schema) ?? null;
      if (c.nest === null) throw FALLBACK;
      w.raw(ATTRS);
      writeSet(w, b, s, e, at + 4, c.nest, schema, scope);
      w.byte(93);
      return;
    case STRING:
      cStringJson(w, b, s, e);
      return;
    case FLAG:
      if (e !== s) throw FALLBACK;
      w.raw(TRUE);
      return;
    case NAMED: {
      // intEmit's named integer, then scalarBody's raw number.
      if (e - s !== KIND_SIZE[c.readKind & 15]) throw FALLBACK;
      const n = readInt(b, s, c.readKind);
      const name = c.nameOf!(n);
      if (!name) {
        w.num(n);
        return;
      }
      w.raw(name);
      w.raw(RAW);
      w.num(n);
      return;
    }
    default:
      c.body!(w, b, s, e, at + 4, scope);
  }
}
