// What the fast JSON path works out once per message layout rather than per message: the
// names a layout gives its messages (family, type_name, op) as one text, and its family header
// (writer, name text, size), with the rtgenmsg a dump request may carry in its place.
import { structSize, type MessageDef, type Schema } from '../../schema/index.js';
import { jsonBytes, type ByteWriter } from '../json-bytes.js';
import { structEmit, type RawList, type StructEmit } from './structs.js';
import type { HeaderWriter, Shelf } from './template.js';

const FAMILY = Buffer.from(',"family":');
const TYPE_NAME = Buffer.from(',"type_name":');
const OP = Buffer.from(',"op":');
const HEADER = Buffer.from(',"header":{"name":');
const OFFSET = Buffer.from(',"offset":');

/** `,"family":…,"type_name":…,"op":…` of a message layout, as far as it has them (resolve gives one object per layout). */
const DEF_NAMES = new WeakMap<MessageDef, { family: string | undefined; text: Buffer }>();

/** Undefined for names holding a NUL: w.str marks those for the general writer (takeNul). */
export function defNames(def: MessageDef, family: string | undefined): Buffer | undefined {
  const hit = DEF_NAMES.get(def);
  if (hit && hit.family === family) return hit.text;
  if (`${family}${def.name}${def.spec}`.includes('\0')) return undefined;
  const parts: Buffer[] = [];
  if (family) parts.push(FAMILY, jsonBytes(family));
  if (def.name) parts.push(TYPE_NAME, jsonBytes(def.name));
  if (def.spec) parts.push(OP, jsonBytes(def.spec));
  const text = Buffer.concat(parts);
  DEF_NAMES.set(def, { family, text });
  return text;
}

/** A message layout's family header: its writer (undefined: the general decoder's), `,"header":{"name":…,"offset":` and size. */
export interface HeaderPlan {
  emit: StructEmit | undefined;
  text: Buffer;
  size: number;
}

/** What a layout's messages share, worked out once: the family header (undefined: none), and rtgenmsg's in its place. */
interface MessagePlan {
  schema: Schema;
  header: HeaderPlan | undefined;
  short?: HeaderPlan | null;
  /** Templates of the layout's messages (template.ts). */
  shelf?: Shelf;
}

const PLANS = new WeakMap<MessageDef, MessagePlan>();

export function headerPlan(name: string, schema: Schema): HeaderPlan | null {
  const st = schema.structs[name];
  if (!st) return null;
  // A NUL in a name: w.str would have marked it for the general writer (takeNul).
  const emit = st.name.includes('\0') ? undefined : structEmit(name, schema);
  return { emit, text: Buffer.concat([HEADER, jsonBytes(st.name), OFFSET]), size: structSize(st, schema) };
}

export function planOf(def: MessageDef, schema: Schema): MessagePlan {
  let plan = PLANS.get(def);
  if (plan && plan.schema === schema) return plan;
  plan = { schema, header: (def.header && headerPlan(def.header, schema)) || undefined };
  PLANS.set(def, plan);
  return plan;
}

const FIELDS = Buffer.from(',"fields":');
const RAW = Buffer.from(',"raw":{');
/** The header's fields a table names no value for, as raw numbers (reused). */
const raws: RawList = { count: 0, fields: [], values: [] };

/** A message's family header b[s, e) (at datagram offset `base`), by its plan: `,"header":{…}`. */
export function familyHeader(w: ByteWriter, b: Uint8Array, s: number, e: number, hp: HeaderPlan, base: number): void {
  const sdef = hp.emit!;
  w.raw(hp.text);
  w.uint(base);
  w.raw(FIELDS);
  raws.count = 0;
  sdef.write(w, b, s, e, raws);
  if (raws.count) {
    w.raw(RAW);
    for (let i = 0; i < raws.count; i++) {
      if (i) w.byte(44);
      w.raw(sdef.keys[raws.fields[i]!]!);
      w.num(raws.values[i]!);
    }
    w.byte(125);
  }
  w.byte(125);
}

/** familyHeader for a template's header leaf (template.ts keeps the plan it was given). */
export const headerLeaf: HeaderWriter = (w, b, s, e, plan, base) => familyHeader(w, b, s, e, plan as HeaderPlan, base);
