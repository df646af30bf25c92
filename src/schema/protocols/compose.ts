// One netlink protocol's tables from several YNL spec families (rtnetlink: rt-link, rt-addr, …,
// tc; netfilter: nftables, conntrack) plus a hand overlay: what no spec describes, and where a
// spec's shape is short of the uapi headers or nlctl's records show values the way `ip` does.
// Names that two families use for different things are kept apart as "family:name".
import { kindOf } from './common.js';
import type { AttrDef, AttrSet, FieldDef, MessageDef, Schema, StructDef, SubMessageFormat, ValueDef } from '../types.js';

/** What compose needs of a compiled spec family (src/schema/ynl's SpecFamily). */
export interface SpecTables {
  name: string;
  schema: Schema;
}

export interface Overlay {
  /** Changes to attributes, by C name (IFLA_OPERSTATE: { enum: 'operstate' }). */
  attrs?: Record<string, Partial<AttrDef>>;
  /** Changes to struct fields, by struct C name and field name (record keys, enums as ip names them). */
  fields?: Record<string, Record<string, Partial<FieldDef>>>;
  /** Hand tables; a hand struct, enum or flag table replaces a spec one of the same name. */
  structs?: Record<string, StructDef>;
  attrSets?: Record<string, AttrSet>;
  enums?: Record<string, Record<number, string>>;
  flagSets?: Record<string, Record<number, string>>;
  /** Sub-message formats no spec has (IFLA_INFO_DATA of vxlan): sub-message → selector value → format. */
  subMessages?: Record<string, Record<string, SubMessageFormat>>;
  /** Messages no spec has; a spec's message of the same type wins. */
  messages?: Record<number, MessageDef>;
  /** C names of reply types that a spec files under its request's name (92 is RTM_NEWSTATS, not RTM_GETSTATS). */
  messageNames?: Record<number, string>;
  groups?: Record<string, number>;
  /** Attribute numbers the headers give otherwise than a spec (a spec that skips a pad attribute), by C name. */
  numbers?: Record<string, number>;
  /** Record keys by the C-name rule (IFLA_INFO_KIND → info_kind) instead of the set's prefix (kind). */
  cNameKeys?: boolean;
}

interface Renames {
  set: Map<string, string>;
  struct: Map<string, string>;
  enum: Map<string, string>;
  flags: Map<string, string>;
  sub: Map<string, string>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A family's name for a table, unless another family took it for something else (hand tables win outright). */
function claim<T>(taken: Record<string, T>, name: string, value: T, family: string, hand?: Record<string, unknown>): string {
  if (hand && name in hand) return name;
  if (!(name in taken) || same(taken[name], value)) return name;
  return `${family}:${name}`;
}

function renameValue<T extends ValueDef>(d: T, r: Renames): T {
  const out: T = { ...d };
  if (d.nested !== undefined) out.nested = r.set.get(d.nested) ?? d.nested;
  if (d.struct !== undefined) out.struct = r.struct.get(d.struct) ?? d.struct;
  if (d.enum !== undefined) out.enum = r.enum.get(d.enum) ?? d.enum;
  if (d.flags !== undefined) out.flags = r.flags.get(d.flags) ?? r.enum.get(d.flags.replace(/:flags$/, ''))?.concat(':flags') ?? d.flags;
  if (d.subMessage !== undefined) out.subMessage = r.sub.get(d.subMessage) ?? d.subMessage;
  return out;
}

/** Which tables of a composed schema came from specs (checked against the headers by the spec's own C names). */
const FROM_SPECS = new WeakMap<object, { families: string[]; enums: Set<string>; flagSets: Set<string> }>();

export function specProvenance(schema: Schema): { families: string[]; enums: Set<string>; flagSets: Set<string> } | undefined {
  return FROM_SPECS.get(schema.enums);
}

/** Merge the families' tables into one schema, then lay the overlay over it. */
export function composeSchema(protocol: number, name: string, families: SpecTables[], overlay: Overlay): Schema {
  const out: Schema = { protocol, name, messages: {}, structs: {}, attrSets: {}, enums: {}, flagSets: {}, subMessages: {} };
  for (const fam of families) {
    const s = fam.schema;
    const r: Renames = { set: new Map(), struct: new Map(), enum: new Map(), flags: new Map(), sub: new Map() };
    for (const [n, v] of Object.entries(s.attrSets)) r.set.set(n, claim(out.attrSets, n, v, fam.name));
    for (const [n, v] of Object.entries(s.structs)) r.struct.set(n, claim(out.structs, n, v, fam.name, overlay.structs));
    for (const [n, v] of Object.entries(s.enums)) r.enum.set(n, claim(out.enums, n, v, fam.name, overlay.enums));
    for (const [n, v] of Object.entries(s.flagSets)) if (!n.endsWith(':flags')) r.flags.set(n, claim(out.flagSets, n, v, fam.name, overlay.flagSets));
    for (const [n, v] of Object.entries(s.subMessages ?? {})) r.sub.set(n, claim(out.subMessages!, n, v, fam.name));
    for (const [n, set] of Object.entries(s.attrSets)) {
      const attrs: Record<number, AttrDef> = {};
      for (const [t, d] of Object.entries(set.attrs)) attrs[Number(t)] = renameValue(d, r);
      out.attrSets[r.set.get(n)!] = { ...set, attrs };
    }
    for (const [n, st] of Object.entries(s.structs)) out.structs[r.struct.get(n)!] = { ...st, fields: st.fields.map((f) => renameValue(f, r)) };
    for (const [n, e] of Object.entries(s.enums)) {
      out.enums[r.enum.get(n)!] = e;
      if (s.flagSets[`${n}:flags`]) out.flagSets[`${r.enum.get(n)!}:flags`] = s.flagSets[`${n}:flags`];
    }
    for (const [n, f] of Object.entries(s.flagSets)) if (!n.endsWith(':flags')) out.flagSets[r.flags.get(n)!] = f;
    for (const [n, formats] of Object.entries(s.subMessages ?? {})) {
      const renamed: Record<string, SubMessageFormat> = {};
      for (const [v, f] of Object.entries(formats)) {
        renamed[v] = {
          ...(f.header ? { header: r.struct.get(f.header) ?? f.header } : {}),
          ...(f.attrs ? { attrs: r.set.get(f.attrs) ?? f.attrs } : {}),
        };
      }
      out.subMessages![r.sub.get(n)!] = renamed;
    }
    for (const [t, m] of Object.entries(s.messages)) {
      if (out.messages[Number(t)]) continue;
      out.messages[Number(t)] = {
        ...m,
        ...(m.header ? { header: r.struct.get(m.header) ?? m.header } : {}),
        ...(m.attrs ? { attrs: r.set.get(m.attrs) ?? m.attrs } : {}),
      };
    }
  }
  for (const [n, st] of Object.entries(out.structs)) out.structs[n] = cLayout(st, out);
  const fromSpecs = { families: families.map((f) => f.name), enums: new Set(Object.keys(out.enums)), flagSets: new Set(Object.keys(out.flagSets)) };
  applyOverlay(out, overlay);
  for (const n of Object.keys(overlay.enums ?? {})) fromSpecs.enums.delete(n);
  for (const n of Object.keys(overlay.flagSets ?? {})) fromSpecs.flagSets.delete(n);
  FROM_SPECS.set(out.enums, fromSpecs);
  return out;
}

function applyOverlay(out: Schema, o: Overlay): void {
  Object.assign(out.structs, o.structs);
  Object.assign(out.enums, o.enums);
  Object.assign(out.flagSets, o.flagSets);
  for (const [n, set] of Object.entries(o.attrSets ?? {})) out.attrSets[n] = set;
  for (const [n, m] of Object.entries(o.messages ?? {})) if (!out.messages[Number(n)]) out.messages[Number(n)] = m;
  for (const [n, name] of Object.entries(o.messageNames ?? {})) {
    const m = out.messages[Number(n)];
    if (m) out.messages[Number(n)] = { ...m, name, kind: kindOf(name) };
  }
  for (const [n, formats] of Object.entries(o.subMessages ?? {})) out.subMessages![n] = { ...formats, ...out.subMessages![n] };
  if (o.groups) out.groups = { ...o.groups, ...out.groups };
  for (const set of Object.values(out.attrSets)) {
    for (const [t, d] of Object.entries(set.attrs)) {
      const change = o.attrs?.[d.name];
      if (!change && !(o.cNameKeys && d.key !== undefined)) continue;
      const next: AttrDef = { ...d, ...change };
      if (o.cNameKeys && change?.key === undefined) delete next.key;
      set.attrs[Number(t)] = next;
    }
  }
  if (o.numbers) {
    for (const set of Object.values(out.attrSets)) {
      if (!Object.values(set.attrs).some((d) => o.numbers![d.name] !== undefined)) continue;
      const moved: Record<number, AttrDef> = {};
      for (const [t, d] of Object.entries(set.attrs)) moved[o.numbers[d.name] ?? Number(t)] = d;
      set.attrs = moved;
    }
  }
  for (const [sname, changes] of Object.entries(o.fields ?? {})) {
    const st = out.structs[sname];
    if (!st) throw new Error(`overlay: no struct ${sname}`);
    for (const fname of Object.keys(changes)) if (!st.fields.some((f) => f.name === fname)) throw new Error(`overlay: no field ${sname}.${fname}`);
    out.structs[sname] = { ...st, fields: st.fields.map((f) => (changes[f.name] ? { ...f, ...changes[f.name] } : f)) };
  }
}

const ALIGN: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };

function fieldLayout(f: FieldDef, schema: Schema): { size: number; align: number } {
  if (ALIGN[f.type]) return { size: ALIGN[f.type], align: ALIGN[f.type] };
  if (f.type === 'struct' && f.struct && schema.structs[f.struct]) {
    const inner = cLayout(schema.structs[f.struct], schema);
    schema.structs[f.struct] = inner;
    return { size: inner.fields.reduce((n, x) => n + (x.pad ?? 0) + fieldLayout(x, schema).size, 0), align: structAlign(inner, schema) };
  }
  return { size: f.size ?? 0, align: 1 };
}

function structAlign(st: StructDef, schema: Schema): number {
  return Math.max(1, ...st.fields.map((f) => fieldLayout(f, schema).align));
}

const LAID_OUT = new WeakSet<StructDef>();

/**
 * A spec struct laid out as the C compiler lays it out: the specs list members in order but not
 * always the padding that alignment puts between them (tc_ratespec, tc_u32_sel) or after them.
 */
function cLayout(st: StructDef, schema: Schema): StructDef {
  if (LAID_OUT.has(st)) return st;
  let off = 0;
  let changed = false;
  const fields = st.fields.map((f) => {
    const { size, align } = fieldLayout(f, schema);
    const gap = (align - ((off + (f.pad ?? 0)) % align)) % align;
    off += (f.pad ?? 0) + gap + size;
    if (!gap) return f;
    changed = true;
    return { ...f, pad: (f.pad ?? 0) + gap };
  });
  const align = structAlign(st, schema);
  const tail = (align - (off % align)) % align;
  if (tail) {
    changed = true;
    fields.push({ name: '(padding)', type: 'pad', size: tail });
  }
  const out = changed ? { ...st, fields } : st;
  LAID_OUT.add(out);
  return out;
}

/** Spec names for a hand set, the way YNL names attributes: IFLA_VXLAN_PORT_RANGE → port-range. */
export function withSpecNames(set: AttrSet): AttrSet {
  const attrs: Record<number, AttrDef> = {};
  for (const [t, d] of Object.entries(set.attrs)) {
    const tail = d.name.startsWith(set.prefix) ? d.name.slice(set.prefix.length) : d.name;
    attrs[Number(t)] = { ...d, spec: d.spec ?? tail.toLowerCase().replace(/_/g, '-') };
  }
  return { ...set, attrs };
}
