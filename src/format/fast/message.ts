// The fast JSON path for decoded messages: a datagram's bytes go straight to JSON text, the text
// the general decoder (decodeDatagram) and JSON.stringify would give, byte for byte (a test
// compares on every fixture and on fuzzed input). A message the fast path cannot render exactly
// (diagnostics, truncation, a sub-message with no format, RTA_MULTIPATH) is decoded by the
// general decoder instead, one message at a time. nlctrl's replies teach the decoder the family
// ids: it is shown their top-level values (lesson.ts).
import {
  CONTROL_TYPES, decodeDonePayload, decodeErrorPayload, decodeHeader, flagContext, flagNames, printableText,
  NLM_F_ACK_TLVS, NLMSG_DONE, NLMSG_ERROR, type NlMsgHeader,
} from '../../codec/index.js';
import { decodeDatagram, decodeMessage, headerName, type DecodeContext, type DecodedMessage, type MessageDef, type Schema } from '../../schema/index.js';
import { jsonBytes, putBytes, putUint, takeNul, type ByteWriter } from '../json-bytes.js';
import { unquoteBig } from '../json.js';
import { addProblems, looksLikeAttrs, peekProblems, takeProblems, writeAttr, writeAttrs } from './attrs.js';
import { commitRecording, copyEqual, dropRecording, endBody, recorder, recordHeader, MAX_TEMPLATE, PER_KEY, REWRITE_MIN, rewrite, Shelf, startRecording, templates } from './template.js';
import { FALLBACK, jsonValue } from './values.js';
import type { CaptureMeta } from '../types.js';
import { lessonMessage, type Lesson } from './lesson.js';
import { timeText } from './time.js';
import { metaJson } from './meta.js';
import { defNames, familyHeader, headerLeaf, planOf, headerPlan, type HeaderPlan } from './plans.js';
import { headerAt, rawMessage, wellFramed } from './framing.js';

export type { CaptureMeta };

const HEAD = new WeakMap<Schema, Buffer>();
const FLAG_NAMES = new Map<number, Buffer>();
const TYPE_NAMES = new Map<string, Buffer>();
const ERRNOS = new Map<number, Buffer>();
/** The same by the raw `int error` of an NLMSG_DONE with nothing after it (the end of every dump). */
const DONE_ERRNOS = new Map<number, Buffer>();
/**
 * Set by message() for a message the decoder learns from (nlctrl's family ids), or for the
 * request an NLMSG_ERROR echoes (the general decoder learns from that, not from the error):
 * learn is then shown `lesson`, its top-level values.
 */
let teaches = false;
/** Set for the datagram's own message (not the request an error echoes): its body may be a template's. */
let armed = false;
/** fromTemplate's answer when the body is to be written (else: where its lesson starts, -1 none). */
const NOT_KEPT = -2;
/** Templates of control messages (errors, ends of dumps) by protocol. */
const CONTROL_SHELVES = new WeakMap<Schema, Shelf>();

const lesson: Lesson = { family: undefined, typeName: undefined, b: new Uint8Array(0), s: 0, e: 0, abs: 0, set: undefined, schema: undefined as unknown as Schema };

const LEN = Buffer.from(',"len":');
const TYPE = Buffer.from(',"type":');
const FLAGS = Buffer.from(',"flags":');
const FLAG_NAMES_KEY = Buffer.from(',"flag_names":');
const SEQ = Buffer.from(',"seq":');
const PID = Buffer.from(',"pid":');
const DIAGS = Buffer.from(',"diagnostics":[]');
const TYPE_NAME = Buffer.from(',"type_name":');
/** The keys message() writes around the header's numbers, all at once. */
const HEADER_TEXT = [LEN, TYPE, FLAGS, FLAG_NAMES_KEY, SEQ, PID, DIAGS].reduce((n, b) => n + b.length, 0);
const FAMILY = Buffer.from(',"family":');
const OP = Buffer.from(',"op":');
const ATTRS = Buffer.from(',"attrs":[');
const PAYLOAD = Buffer.from(',"payload":{"offset":');
const HEX = Buffer.from(',"hex":"');
const TEXT = Buffer.from(',"text":');
const ERROR = Buffer.from(',"error":{"errno":');
const EXTACK = Buffer.from(',"extack":');
const REQUEST = Buffer.from(',"request":');
const NL = Buffer.from('\n');
const EMPTY = new Uint8Array(0);
const EMPTY_BUF = Buffer.alloc(0);

/**
 * The body of a message of this key written from a template (template.ts): then where its
 * lesson starts (-1: none); else NOT_KEPT, and it is recorded as it is written, to become one
 * when templates pay. A template equal to it is copied; else, while the key has room (and its
 * layout's messages often repeat), the message becomes a template of its own (its repeats are then
 * copies); else a long one is written from a template it differs from in leaves only.
 */
function fromTemplate(w: ByteWriter, b: Uint8Array, s: number, e: number, off: number, type: number, flags: number, shelf: Shelf): number {
  const size = e - s;
  if (size > MAX_TEMPLATE || (size < REWRITE_MIN && shelf.resting())) return NOT_KEPT;
  const list = shelf.find(type, flags, size, off);
  if (!list) return NOT_KEPT;
  const several = shelf.repeats();
  for (let i = list.length - 1, last = several ? 0 : Math.max(i, 0); i >= last; i--) {
    const t = list[i]!;
    if (t.of(type, flags, size, off) && copyEqual(w, b, s, t, shelf, addProblems)) return t.lessonAt;
  }
  shelf.unequal++;
  const room = several && list.length < PER_KEY;
  if (room && shelf.worthMaking()) {
    startRecording(shelf, list, type, flags, size, off, s, w.pos);
    return NOT_KEPT;
  }
  if (size >= REWRITE_MIN) {
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i]!;
      if (t.of(type, flags, size, off) && rewrite(w, b, s, t, shelf, writeAttr, headerLeaf, addProblems)) return t.lessonAt;
    }
  }
  // In place of the key's oldest, while templates pay (else one message in 16: they may start to).
  if (!room && shelf.worthMaking()) startRecording(shelf, list, type, flags, size, off, s, w.pos);
  return NOT_KEPT;
}
/** A value's JSON kept under `key` (callers look the key up first: no closure per message). */
function remember<K>(map: Map<K, Buffer>, key: K, value: unknown): Buffer {
  const b = jsonBytes(value);
  map.set(key, b);
  return b;
}

let lastSchema: Schema | undefined;
let lastHead: Buffer = EMPTY_BUF;

function head(schema: Schema): Buffer {
  if (schema === lastSchema) return lastHead;
  let b = HEAD.get(schema);
  if (!b) HEAD.set(schema, (b = Buffer.from(`{"protocol":${JSON.stringify(schema.name)},"protocol_number":${schema.protocol},"offset":`)));
  lastSchema = schema;
  lastHead = b;
  return b;
}

const KINDS = { get: 0, new: 1, del: 2, ack: 3, other: 4 } as const;

/** A payload nothing decoded: offset, hex, and text when printable (rawPayload). */
function payload(w: ByteWriter, b: Uint8Array, s: number, e: number, abs: number): void {
  w.raw(PAYLOAD);
  w.uint(abs);
  w.raw(HEX);
  w.hex(b, s, e);
  w.byte(34);
  let end = e;
  while (end > s && b[end - 1] === 0) end--;
  if (end === s) {
    w.byte(125);
    return;
  }
  let ascii = true;
  for (let i = s; i < end; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13) continue;
    if (c < 0x20 || c === 0x7f) {
      w.byte(125);
      return;
    }
    if (c >= 0x80) ascii = false;
  }
  if (ascii) {
    w.raw(TEXT);
    w.asciiBytes(b, s, end);
  } else {
    const text = printableText(b.subarray(s, e));
    if (text !== undefined) {
      w.raw(TEXT);
      w.str(text);
    }
  }
  w.byte(125);
}

/**
 * One message as decodeMessage shows it (without meta and the closing brace). b[s, e) is its
 * payload; `off` where its header starts in the datagram. `headOnly`: a capped echo (header only).
 */
function message(w: ByteWriter, b: Uint8Array, s: number, e: number, off: number, h: NlMsgHeader, schema: Schema, ctx: DecodeContext, headOnly: boolean): void {
  const top = armed;
  armed = false;
  const type = h.type;
  const control = CONTROL_TYPES[type];
  let def: MessageDef | undefined, bodySchema = schema, family: string | undefined;
  if (!control) {
    const resolved = schema.resolve?.(type, headOnly ? EMPTY : b.subarray(s, e), ctx, h);
    def = resolved ?? schema.messages[type];
    bodySchema = resolved?.schema ?? schema;
    family = resolved?.family;
    // Messages that teach the decoder (nlctrl's family ids) are shown to it: it learns from them.
    if (schema.learn && family === 'nlctrl') {
      teaches = true;
      lesson.family = family;
      lesson.typeName = def?.name;
      lesson.e = lesson.s = 0;
    }
  } else if (headOnly) throw FALLBACK;
  const fctx = control ? flagContext(type) : flagContext(type, def && def.kind !== 'other' ? def.kind : undefined);
  const fkey = h.flags * 8 + KINDS[fctx];
  const fnames = FLAG_NAMES.get(fkey) ?? remember(FLAG_NAMES, fkey, flagNames(h.flags, fctx));
  const hb = head(schema);
  // The header's fields in one go: all are below 2^32.
  const need = hb.length + fnames.length + HEADER_TEXT + 60;
  if (w.pos + need > w.buf.length) w.room(need);
  const buf = w.buf;
  let p = putUint(buf, putBytes(buf, w.pos, hb), off);
  p = putUint(buf, putBytes(buf, p, LEN), h.len);
  p = putUint(buf, putBytes(buf, p, TYPE), type);
  p = putUint(buf, putBytes(buf, p, FLAGS), h.flags);
  p = putBytes(buf, putBytes(buf, p, FLAG_NAMES_KEY), fnames);
  p = putUint(buf, putBytes(buf, p, SEQ), h.seq);
  p = putUint(buf, putBytes(buf, p, PID), h.pid);
  w.pos = putBytes(buf, p, DIAGS);
  if (control) {
    w.raw(TYPE_NAME);
    w.raw(TYPE_NAMES.get(control) ?? remember(TYPE_NAMES, control, control));
    // An echoed request is resolved with the context, which a protocol that learns changes.
    if (top && !schema.learn) {
      let shelf = CONTROL_SHELVES.get(schema);
      if (!shelf) CONTROL_SHELVES.set(schema, (shelf = new Shelf()));
      if (fromTemplate(w, b, s, e, off, type, h.flags, shelf) !== NOT_KEPT) return;
    }
    if (type === NLMSG_ERROR || type === NLMSG_DONE) errorBody(w, b, s, e, off, h, schema, ctx);
    else if (e > s) payload(w, b, s, e, off + 16);
    return;
  }
  const names = def && defNames(def, family);
  if (names) w.raw(names);
  else {
    if (family) {
      w.raw(FAMILY);
      w.str(family);
    }
    if (def?.name) {
      w.raw(TYPE_NAME);
      w.str(def.name);
    }
    if (def?.spec) {
      w.raw(OP);
      w.str(def.spec);
    }
  }
  if (headOnly) return;
  const base = off + 16;
  if (!def) {
    if (e > s && looksLikeAttrs(b, s, e)) {
      if (teaches) teach(b, s, e, base, undefined, schema);
      w.raw(ATTRS);
      writeAttrs(w, b, s, e, base, undefined, schema, undefined);
      w.byte(93);
    } else if (e > s) payload(w, b, s, e, base);
    return;
  }
  let pos = 0;
  const plan = planOf(def, bodySchema);
  if (top) {
    const lessonAt = fromTemplate(w, b, s, e, off, type, h.flags, plan.shelf ??= new Shelf());
    if (lessonAt !== NOT_KEPT) {
      // learn reads the attributes from the bytes: where they start is the template's.
      if (teaches && lessonAt >= 0) teach(b, s + lessonAt, e, base + lessonAt, def.attrs, bodySchema);
      return;
    }
  }
  let hp: HeaderPlan | null | undefined = plan.header;
  if (hp !== undefined) {
    if (e - s < hp.size) {
      // A dump request may carry the protocol's short header instead (headerName, decode.ts).
      const name = headerName(def, bodySchema, e - s, h.flags);
      if (name !== def.header) hp = plan.short === undefined ? (plan.short = headerPlan(name!, bodySchema)) : plan.short;
    }
    if (!hp || !hp.emit) throw FALLBACK;
    const t0 = w.pos, he = Math.min(e, s + hp.size);
    familyHeader(w, b, s, he, hp, base);
    if (recorder.on) recordHeader(s, he - s, hp, base, bodySchema, t0, w.pos);
    pos = (hp.size + 3) & ~3;
  }
  const rs = s + Math.min(pos, e - s);
  if (def.payload === 'binary' || (!def.attrs && !def.payload)) {
    if (e > rs) payload(w, b, rs, e, base + pos);
  } else if (def.payload === 'text' || def.payload === 'uevent') {
    payload(w, b, rs, e, base + pos);
  } else if (e > rs) {
    if (teaches) teach(b, rs, e, base + pos, def.attrs, bodySchema);
    w.raw(ATTRS);
    writeAttrs(w, b, rs, e, base + pos, def.attrs, bodySchema, undefined);
    w.byte(93);
  }
}

function teach(b: Uint8Array, s: number, e: number, abs: number, set: string | undefined, schema: Schema): void {
  if (recorder.on) recorder.lessonAt = s - recorder.base;
  lesson.b = b;
  lesson.s = s;
  lesson.e = e;
  lesson.abs = abs;
  lesson.set = set;
  lesson.schema = schema;
}

/** NLMSG_ERROR and NLMSG_DONE: errno, extended ACK, and the echoed request decoded in place. */
function errorBody(w: ByteWriter, b: Uint8Array, s: number, e: number, off: number, h: NlMsgHeader, schema: Schema, ctx: DecodeContext): void {
  if (h.type === NLMSG_DONE && !(h.flags & NLM_F_ACK_TLVS && e - s > 4)) {
    // The end of every dump: decodeDonePayload's errno alone (nothing when shorter), its text kept by errno.
    if (e - s < 4) return;
    const errno = DONE_ERRNOS.get(b[s]! | (b[s + 1]! << 8) | (b[s + 2]! << 16) | (b[s + 3]! << 24));
    if (errno) {
      w.raw(ERROR);
      w.raw(errno);
      w.byte(125);
      return;
    }
  }
  const p = b.subarray(s, e);
  const r = h.type === NLMSG_ERROR ? decodeErrorPayload(p, h.flags, off + 16) : decodeDonePayload(p, h.flags, off + 16);
  if (r.diagnostics.length) throw FALLBACK;
  if (h.type !== NLMSG_ERROR && e - s < 4) return;
  w.raw(ERROR);
  // The error object's fields after `{"errno":`, kept cut so (a subarray per message costs).
  let errno = ERRNOS.get(r.errno);
  if (!errno) ERRNOS.set(r.errno, (errno = jsonBytes({ errno: r.errno, ...(r.name ? { name: r.name } : {}), ...(r.text ? { text: r.text } : {}) }).subarray(9, -1)));
  if (h.type === NLMSG_DONE && !r.extack) DONE_ERRNOS.set(b[s]! | (b[s + 1]! << 8) | (b[s + 2]! << 16) | (b[s + 3]! << 24), errno);
  w.raw(errno);
  if (r.extack) {
    // An offset is named from the decoded request (locateOffset): the general decoder does that.
    if (r.extack.offset !== undefined && r.request?.payload) throw FALLBACK;
    w.raw(EXTACK);
    jsonValue(w, r.extack as Record<string, string | number>);
  }
  if (r.request) {
    w.raw(REQUEST);
    const q = r.request;
    const qs = s + 4 + 16;
    message(w, b, qs, q.payload ? qs + q.payload.length : qs, off + 20, q.header, schema, ctx, !q.payload);
    w.byte(125);
  }
  w.byte(125);
}

export type Framing = 'ndjson' | 'json' | 'elements';

/**
 * Decoded messages as JSON text in a ByteWriter: ndjson lines, one JSON array ('json'), or
 * array elements joined by commas ('elements', a worker's share of an array).
 */
export class FastJson {
  messages = 0;
  /** Array elements written: messages, and values that are not messages (events). */
  private elements = 0;
  /** Messages the general decoder rendered. */
  general = 0;
  /** Problems in the messages written: the general decoder's, and the few the fast path writes itself (a sub-message with no format). */
  diagnostics = 0;

  constructor(readonly w: ByteWriter, private readonly framing: Framing, private readonly count: (m: DecodedMessage) => number) {}

  /** Decode one datagram, as decodeDatagram would, to JSON text; `meta` goes on each message. */
  datagram(data: Uint8Array, schema: Schema, ctx: DecodeContext, m?: CaptureMeta): void {
    if (schema.framing === 'raw' || !wellFramed(data)) {
      for (const d of decodeDatagram(data, schema, ctx)) this.generalMessage(d, m);
      return;
    }
    const w = this.w;
    for (let off = 0; off + 16 <= data.length;) {
      const len = (data[off]! | (data[off + 1]! << 8) | (data[off + 2]! << 16) | (data[off + 3]! << 24)) >>> 0;
      if (len === 0) break; // the zero-filled tail wellFramed found
      const h = headerAt(data, off);
      const start = w.pos;
      teaches = false;
      takeProblems();
      try {
        this.separate();
        armed = templates.on;
        message(w, data, off + 16, off + len, off, h, schema, ctx, false);
        if (recorder.on) endBody(w.pos);
        if (m) metaJson(w, m);
        w.byte(125);
        if (takeNul()) throw FALLBACK;
        if (this.framing === 'ndjson') w.raw(NL);
        this.messages++;
        this.elements++;
        if (recorder.on) commitRecording(w, data, peekProblems());
        this.diagnostics += takeProblems();
        if (teaches) schema.learn!(lessonMessage(lesson, ctx), ctx);
      } catch (e) {
        dropRecording();
        if (e !== FALLBACK) throw e;
        takeNul();
        w.pos = start;
        this.generalMessage(decodeMessage(rawMessage(data, off, len, decodeHeader(data, off)), schema, ctx), m);
      }
      off += (len + 3) & ~3;
    }
  }

  /** Messages the general decoder has already decoded (a family table): written in turn. */
  decoded(msgs: DecodedMessage[], m?: CaptureMeta): void {
    for (const d of msgs) this.generalMessage(d, m);
  }

  /** Close the JSON array (json framing). */
  end(): void {
    if (this.framing !== 'json') return;
    this.w.ascii(this.elements === 0 ? '[]\n' : ']\n');
  }

  private separate(): void {
    if (this.framing === 'ndjson') return;
    if (this.elements > 0) this.w.byte(44);
    else if (this.framing === 'json') this.w.byte(91);
  }

  private generalMessage(d: DecodedMessage, m: CaptureMeta | undefined): void {
    if (m) {
      const time = m.time ?? (m.second !== undefined ? timeText(m.second, m.micros ?? 0) : undefined);
      d.meta = {
        ...(time !== undefined ? { time } : {}), ...(m.direction ? { direction: m.direction } : {}),
        ...(m.from_pid !== undefined ? { from_pid: m.from_pid } : {}), ...(m.group !== undefined ? { group: m.group } : {}),
        ...(m.nsid !== undefined ? { nsid: m.nsid } : {}), ...(m.family_table ? { family_table: true } : {}),
      };
    }
    this.value(d);
    this.messages++;
    this.general++;
    this.diagnostics += this.count(d);
  }

  /** Any other value (an event, a record) as the JSON writers write it: an element or a line of its own. */
  value(v: unknown): void {
    this.separate();
    const text = unquoteBig(JSON.stringify(v));
    const w = this.w;
    w.room(text.length * 3);
    w.pos += w.buf.write(text, w.pos, 'utf8');
    if (this.framing === 'ndjson') w.raw(NL);
    this.elements++;
  }
}
