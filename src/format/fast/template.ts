// Messages met again: a message of the same layout, type, flags and length, at the same place in
// its datagram, as one written before is that one's text with the attributes whose bytes differ
// written again. A dump's messages differ in a few values (a route's dst, a link's counters),
// repeated requests and notifications often in none. Only an attribute whose text its own bytes
// decide is written again (a leaf: a number, a string, a named integer, a struct of values); a
// byte that differs anywhere else (headers, lengths, the family header, padding) sends the
// message down the whole path, and so does any difference in a message with a sub-message (its
// format is chosen by another attribute's value). The text before the body (header fields,
// names) and the capture's meta are written per message as before. A short message is only
// ever copied (writing its few attributes again costs as much as writing it), and where a
// layout's short messages do not repeat (a dump's routes), they skip templates but for a few.
import type { Schema } from '../../schema/index.js';
import type { ByteWriter } from '../json-bytes.js';
import type { CompiledAttr } from './attr-heads.js';
import { Leaves } from './leaves.js';
import { view } from '../../codec/index.js';

/** Writes a leaf attribute whole (its comma, head, names, value and closing brace), as writeSet did. */
export type LeafWriter = (w: ByteWriter, b: Uint8Array, off: number, len: number, at: number, rawType: number, c: CompiledAttr, schema: Schema, first: boolean) => void;

/** Writes a message's family header again (its text from `,"header":` to its closing brace); `plan` is the one recordHeader was given. */
export type HeaderWriter = (w: ByteWriter, b: Uint8Array, s: number, e: number, plan: object, base: number) => void;

/** What writeSet records of a message being written, for the template made of it. */
class Recorder {
  /** Recording a message's body: writeSet reports its leaves. */
  on = false;
  /** A sub-message was written: the template is kept for messages equal to it only. */
  poisoned = false;
  /** The payload's start in its datagram, and where its body's text starts. */
  base = 0;
  textBase = 0;
  /** Where the body's text ended (the datagram loop commits after it checks the message). */
  textEnd = 0;
  leaves = 0;
  leaf = new Leaves(64);
  /** Where the attributes shown to learn start, from `base` (-1: none). */
  lessonAt = -1;
  /** Where the template goes: its shelf, the list of its key there, and the key. */
  shelf: Shelf | undefined = undefined;
  list: MessageTemplate[] | undefined = undefined;
  type = 0;
  flags = 0;
  size = 0;
  where = 0;
}

export const recorder = new Recorder();

/** A leaf of the message being recorded: the attribute at b[off] (len bytes), its text w[ts, te). */
export function recordLeaf(off: number, len: number, at: number, rawType: number, first: boolean, c: CompiledAttr, schema: Schema, ts: number, te: number): void {
  const r = recorder;
  addLeaf(off - r.base, off + 4 - r.base, len, at, rawType, first, ts - r.textBase, te - r.textBase, c, schema, undefined);
}

/** The family header b[s, s + len) is a leaf too (written by `plan`, at datagram offset `base`), its text w[ts, te). */
export function recordHeader(s: number, len: number, plan: object, base: number, schema: Schema, ts: number, te: number): void {
  const r = recorder;
  addLeaf(s - r.base, s - r.base, len, base, -1, false, ts - r.textBase, te - r.textBase, null, schema, plan);
}

function addLeaf(off: number, valueAt: number, len: number, at: number, raw: number, first: boolean, ts: number, te: number, c: CompiledAttr | null, schema: Schema, header: object | undefined): void {
  const i = recorder.leaves++;
  const l = recorder.leaf;
  l.room(i);
  l.off[i] = off;
  l.valueAt[i] = valueAt;
  l.len[i] = len;
  l.at[i] = at;
  l.raw[i] = raw;
  l.first[i] = first ? 1 : 0;
  l.ts[i] = ts;
  l.te[i] = te;
  l.attrs[i] = c;
  l.schemas[i] = schema;
  l.headers[i] = header;
}

/** A new template's leaves until it has some (none: no arrays made for it), and its view of no bytes. */
const NO_LEAVES = new Leaves(0);
const NO_VIEW: DataView = new DataView(new ArrayBuffer(0));

class MessageTemplate {
  type = 0;
  flags = 0;
  /** Payload length and the message's offset in its datagram. */
  size = -1;
  where = -1;
  bytes = Buffer.allocUnsafeSlow(0);
  /** `bytes` read four bytes at a time. */
  view = NO_VIEW;
  /** The buffer its text is kept in (reused while large enough), and the text, text[0, its length). */
  text = Buffer.alloc(0);
  whole = Buffer.alloc(0);
  /** Problems its text holds (counted again on every use). */
  problems = 0;
  /** Where in the payload the attributes a message that teaches shows learn start (-1: none). */
  lessonAt = -1;
  /** -1: equal messages only. */
  leaves = 0;
  /** Its leaves, copied from the recorder's. */
  leaf = NO_LEAVES;

  /** Is it a template of this key (another key may share the key's number)? */
  of(type: number, flags: number, size: number, where: number): boolean {
    return this.size === size && this.where === where && this.type === type && this.flags === flags;
  }
}

/** Templates of one key kept (the newest in place of the oldest). */
export const PER_KEY = 4;
/** Keys a shelf remembers (seen or with templates); past it, it starts empty again. */
const KEYS = 8192;
/** Payloads longer are not kept (a copy of a long text costs more than it is likely to save). */
export const MAX_TEMPLATE = 4096;
/**
 * Payloads shorter are written from a template only when equal to it: comparing, copying and
 * writing the leaves of a message of a few attributes cost as much as writing it (a dump of 50,000
 * routes, 68 bytes each, took 10-25% longer so; 8,000 links of 1.4 kB, 18% less).
 */
export const REWRITE_MIN = 256;
/** Bytes all templates may hold; past it every shelf starts empty again. */
const BUDGET = 16 << 20;
let held = 0;
const shelves = new Set<Shelf>();
/** Templates of keys forgotten, their buffers kept for new ones (a new template's buffers cost more than its text). */
const spare: MessageTemplate[] = [];
const SPARE = 1024;

/** Count a template's new buffers against the budget. */
function hold(bytes: number): void {
  held += bytes;
  if (held <= BUDGET) return;
  // The spare templates keep their buffers (at most SPARE of them): they are used again at once.
  for (const s of shelves) s.clear();
  shelves.clear();
  held = bytes;
}

/** A layout's templates, by place in the datagram, length, type and flags. */
export class Shelf {
  private readonly byKey = new Map<number, MessageTemplate[]>();
  /** Templates made; text kept in them, and text copied from them (halved now and then: the traffic changes). */
  made = 0;
  kept = 0;
  copied = 0;
  /** Messages copied whole from a template, and messages of a key with templates that none was equal to (halved now and then too). */
  equal = 0;
  unequal = 0;
  private skipped = 0;
  private probes = 0;

  /**
   * Whether a short message (one that is only ever copied) skips templates altogether: where the
   * layout's messages do not repeat, but one in 64, which keeps watching whether they start to.
   * Looking up, comparing and now and then recording each of a dump's routes took it 25% longer.
   */
  resting(): boolean {
    return !this.repeats() && (++this.probes & 63) !== 0;
  }

  /**
   * Whether a key keeps several templates, each compared with every message of the key: while
   * messages are often equal to one (a fifth of them at least, or few yet). Where they almost
   * never are (a dump: every route its own dst), only the newest is compared: comparing each
   * message with four cost more than the copies saved.
   */
  repeats(): boolean {
    if (this.unequal > 1 << 16) {
      this.equal /= 2;
      this.unequal /= 2;
    }
    return this.unequal < 64 || this.equal * 4 >= this.unequal;
  }

  /**
   * Whether to make a template of a message: while they pay (text copied from templates at least
   * 8 times the text kept in them: keeping a text costs several times copying it), else one in 16.
   * Where messages rarely repeat, or differ in most of their values, templates cost more than
   * they save.
   */
  worthMaking(): boolean {
    if (this.kept > 1 << 24) {
      this.kept /= 2;
      this.copied /= 2;
    }
    return this.made < 32 || this.copied >= 8 * this.kept || (++this.skipped & 15) === 0;
  }

  /**
   * The templates of this key (some may be of another key with the same number: check); none
   * (undefined) the first time it is met, when it is only remembered: a template is made of the
   * second message of a key, so traffic that never repeats costs a lookup per message.
   */
  find(type: number, flags: number, size: number, where: number): MessageTemplate[] | undefined {
    const key = keyOf(type, flags, size, where);
    const list = this.byKey.get(key);
    if (list) return list;
    if (this.byKey.size >= KEYS) this.clear();
    if (this.byKey.size === 0) shelves.add(this);
    this.byKey.set(key, []);
    return undefined;
  }

  /** The template to fill for a new message of a key (`list`, from find): a new one while the key has room, else its oldest. */
  static slot(list: MessageTemplate[]): MessageTemplate {
    if (list.length < PER_KEY) {
      const t = spare.pop() ?? new MessageTemplate();
      list.push(t);
      return t;
    }
    const t = list.shift()!;
    list.push(t);
    return t;
  }

  clear(): void {
    for (const list of this.byKey.values()) for (const t of list) if (spare.length < SPARE) spare.push(t);
    this.byKey.clear();
  }
}

function keyOf(type: number, flags: number, size: number, where: number): number {
  return where * 0x100000000 + ((size * 0x10000 + flags) ^ (type << 8)) % 0x100000000;
}

/** Whether messages are written from templates (NLCTL_TEMPLATES=0 turns them off: the figure for traffic that never repeats). */
export const templates = { on: true };

/** How often templates were made and served, for the tests: equal messages, messages with leaves written again, and misses. */
export const templateUse = { made: 0, equal: 0, rewritten: 0, missed: 0 };

/** Leaves that differ, by index (reused). */
let dirty = new Int32Array(64);

/** Where `b` is read four bytes at a time (one view per datagram, not per message). */
let viewed: Uint8Array | undefined;
let lastView = NO_VIEW;

function viewOf(b: Uint8Array): DataView {
  if (b !== viewed) {
    viewed = b;
    lastView = view(b);
  }
  return lastView;
}

/** Payloads at least this long are compared natively (a call costs ~0.5 µs, as much as comparing 2 kB four bytes at a time). */
const NATIVE_COMPARE = 1024;

/** Is b[s, s + t.size) template t's payload? */
function equalBytes(b: Uint8Array, s: number, t: MessageTemplate): boolean {
  const n = t.size;
  if (n >= NATIVE_COMPARE) return t.bytes.compare(b, s, s + n, 0, n) === 0;
  const bv = viewOf(b), tv = t.view, bytes = t.bytes;
  let i = 0;
  for (; i + 4 <= n; i += 4) if (bv.getInt32(s + i, true) !== tv.getInt32(i, true)) return false;
  for (; i < n; i++) if (b[s + i] !== bytes[i]) return false;
  return true;
}

/** The body of the message whose payload is b[s, s + t.size), copied from template `t` when equal to it; false (nothing written) otherwise. */
export function copyEqual(w: ByteWriter, b: Uint8Array, s: number, t: MessageTemplate, shelf: Shelf, problems: (n: number) => void): boolean {
  if (!equalBytes(b, s, t)) return false;
  w.raw(t.whole);
  if (t.problems) problems(t.problems);
  shelf.copied += t.whole.length;
  shelf.equal++;
  templateUse.equal++;
  return true;
}

/**
 * The body of the message whose payload is b[s, s + t.size), written from template `t` when it
 * differs from t only in leaves, those written again; false (nothing written) otherwise. Adds
 * the template's problems through `problems`.
 */
export function rewrite(w: ByteWriter, b: Uint8Array, s: number, t: MessageTemplate, shelf: Shelf, write: LeafWriter, header: HeaderWriter, problems: (n: number) => void): boolean {
  if (t.leaves <= 0) {
    templateUse.missed++;
    return false;
  }
  const n = t.size;
  const bytes = t.bytes;
  const leaf = t.leaf;
  const valueAt = leaf.valueAt, off = leaf.off, len = leaf.len;
  // Equal words are skipped four bytes at a time (a byte loop over a link message cost more than writing it).
  const bv = viewOf(b), tv = t.view;
  const words = n - 3;
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (i < words && bv.getInt32(s + i, true) === tv.getInt32(i, true)) {
      i += 3;
      continue;
    }
    if (b[s + i] === bytes[i]) continue;
    // The leaf whose value holds byte i: the last that starts at or before it.
    let lo = 0, hi = t.leaves - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (valueAt[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const end = off[lo]! + len[lo]!;
    if (valueAt[lo]! > i || i >= end) {
      templateUse.missed++;
      return false;
    }
    if (d === dirty.length) {
      const more = new Int32Array(d * 2);
      more.set(dirty);
      dirty = more;
    }
    dirty[d++] = lo;
    // The leaf is written again whole: the rest of its bytes need no comparing.
    i = end - 1;
  }
  let from = 0, copied = 0;
  for (let k = 0; k < d; k++) {
    const l = dirty[k]!;
    copied += leaf.ts[l]! - from;
    w.range(t.whole, from, leaf.ts[l]!);
    const c = leaf.attrs[l]!;
    if (c) write(w, b, s + off[l]!, len[l]!, leaf.at[l]!, leaf.raw[l]!, c, leaf.schemas[l]!, leaf.first[l] === 1);
    else header(w, b, s + off[l]!, s + off[l]! + len[l]!, leaf.headers[l]!, leaf.at[l]!);
    from = leaf.te[l]!;
  }
  w.range(t.whole, from, t.whole.length);
  if (t.problems) problems(t.problems);
  shelf.copied += copied + t.whole.length - from;
  templateUse.rewritten++;
  return true;
}

/** Start recording the body of a message of this key (its text starts at w.pos); it goes on `shelf` once committed. */
export function startRecording(shelf: Shelf, list: MessageTemplate[], type: number, flags: number, size: number, where: number, base: number, textBase: number): void {
  const r = recorder;
  r.on = true;
  r.poisoned = false;
  r.leaves = 0;
  r.lessonAt = -1;
  r.base = base;
  r.textBase = textBase;
  r.shelf = shelf;
  r.list = list;
  r.type = type;
  r.flags = flags;
  r.size = size;
  r.where = where;
}

/** The body's text ends here (what follows is not the template's). */
export function endBody(textEnd: number): void {
  recorder.textEnd = textEnd;
}

/** Drop what is being recorded (the message went to the general decoder). */
export function dropRecording(): void {
  const r = recorder;
  r.on = false;
  r.shelf = undefined;
  r.list = undefined;
  r.leaf.forget();
}

/** The recorded message, written without problems the general decoder would find: kept as its layout's template. */
export function commitRecording(w: ByteWriter, b: Uint8Array, problems: number): void {
  const r = recorder;
  const shelf = r.shelf, list = r.list;
  r.on = false;
  if (!shelf || !list) return;
  const t = Shelf.slot(list);
  shelf.made++;
  templateUse.made++;
  shelf.kept += r.textEnd - r.textBase;
  t.type = r.type;
  t.flags = r.flags;
  t.size = r.size;
  t.where = r.where;
  const n = r.size;
  // bytes[0, n) is the payload (copyEqual and rewrite compare that much): the buffer is reused while it is large enough.
  if (t.bytes.length < n) {
    t.bytes = Buffer.allocUnsafe(Math.max(n, 64));
    t.view = view(t.bytes);
    hold(t.bytes.length);
  }
  t.bytes.set(b.subarray(r.base, r.base + n), 0);
  const textLen = r.textEnd - r.textBase;
  if (t.text.length < textLen) {
    t.text = Buffer.allocUnsafe(Math.max(textLen + (textLen >> 3), 256));
    hold(t.text.length);
  }
  w.buf.copy(t.text, 0, r.textBase, r.textEnd);
  t.whole = t.text.subarray(0, textLen);
  t.problems = problems;
  t.lessonAt = r.lessonAt;
  const leaves = r.poisoned ? -1 : r.leaves;
  t.leaves = leaves;
  if (leaves > 0) {
    // Copied, into arrays of the template's own that fit them: the recorder's stay as large as
    // the largest message's (handing them over made the recorder grow new ones from nothing, for
    // each template: a tenth of a dump's decode).
    if (t.leaf.off.length < leaves) t.leaf = new Leaves(leaves);
    t.leaf.copy(r.leaf, leaves);
  }
  r.shelf = undefined;
  r.list = undefined;
  r.leaf.forget();
}
