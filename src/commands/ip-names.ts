// Names where numbers go, as people type them for ip: interface names for ifindex header fields
// and attributes (`--header ifa_index=eth0`, `--attr IFLA_LINK=eth0`), and enum values the way
// ip spells them (`rtm_scope=universe`, `ifa_family=inet`, `RT_SCOPE_LINK`). The options are
// rewritten to numbers before the message is built; anything unrecognised is left for the
// encoder to report.
import { schemaFor, type Schema, type StructDef } from '../schema/index.js';
import { genlTables } from '../schema/protocols/generic/index.js';
import type { MessageOptions } from './message-builder.js';
import type { TransportFactory } from '../transport/index.js';
import { InterfaceLookup } from './ifnames.js';
import { protocolOrThrow, typeOrThrow } from './names.js';

/** Words ip and the kernel headers use for the same value. */
const SYNONYMS: string[][] = [['universe', 'global']];

/** Header fields and attributes that hold an interface index. */
const IFINDEX_FIELD = /(^|_)(ifindex|index)$/;
const IFINDEX_ATTR = /_(LINK|MASTER|OIF|IIF|IFINDEX|DEV_INDEX|DEV_IFINDEX)$/;

const isNumber = (v: string) => /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim());

/** "AF_INET" → ["af_inet", "inet"]; "RT_SCOPE_LINK" → ["rt_scope_link", "scope_link", "link"]. */
function spellings(name: string): string[] {
  const parts = name.toLowerCase().split('_');
  return parts.map((_, i) => parts.slice(i).join('_')).filter(Boolean);
}

/** The number of an enum value given in any of ip's spellings, or undefined. */
export function enumNumber(table: Record<number, string> | undefined, word: string): number | undefined {
  if (!table) return undefined;
  const w = word.trim().toLowerCase();
  const wanted = new Set([w, ...spellings(w)]);
  for (const group of SYNONYMS) if (group.includes(w)) for (const s of group) wanted.add(s);
  for (const [n, name] of Object.entries(table)) if (name.toLowerCase() === w) return Number(n);
  for (const [n, name] of Object.entries(table)) if (spellings(name).some((s) => wanted.has(s))) return Number(n);
  return undefined;
}

async function headerFields(text: string, sdef: StructDef, schema: Schema, ifs: InterfaceLookup): Promise<string> {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) {
      out.push(part);
      continue;
    }
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const f = sdef.fields.find((x) => x.name === name);
    let v = value;
    if (f && !isNumber(value) && value) {
      const n = f.enum ? enumNumber(schema.enums[f.enum], value) : undefined;
      if (n !== undefined) v = String(n);
      else if (!f.enum && !f.flags && IFINDEX_FIELD.test(name)) v = String(await ifs.index(value, `--header ${name}`));
    }
    out.push(`${name}=${v}`);
  }
  return out.join(',');
}

async function attrSpec(spec: string, set: string | undefined, schema: Schema, ifs: InterfaceLookup): Promise<string> {
  const m = /^([A-Za-z0-9_]+)=([^{:]*)$/.exec(spec.trim());
  const attrs = set ? schema.attrSets[set] : undefined;
  if (!m || !attrs || isNumber(m[2]) || !m[2]) return spec;
  const want = m[1].toUpperCase();
  const def = Object.values(attrs.attrs).find((d) => d.name.toUpperCase() === want || d.name.toUpperCase() === attrs.prefix.toUpperCase() + want);
  if (!def) return spec;
  if (def.enum) {
    const n = enumNumber(schema.enums[def.enum], m[2]);
    return n === undefined ? spec : `${m[1]}=${n}`;
  }
  if (IFINDEX_ATTR.test(def.name) && /^[us]32$/.test(def.type)) return `${m[1]}=${await ifs.index(m[2], `--attr ${def.name}`)}`;
  return spec;
}

/** The options with names turned into numbers where the field or attribute takes a number. */
export async function withIpNames<T extends MessageOptions>(o: T, transport: TransportFactory, netns?: string): Promise<T> {
  if (o.header === undefined && !o.attr?.length) return o;
  const protocol = protocolOrThrow(o.proto ?? (o.family ? 'generic' : 'route'));
  const schema = schemaFor(protocol);
  const ifs = new InterfaceLookup(transport, netns);
  let set: string | undefined;
  let header = o.header;
  if (o.family) set = genlTables(o.family)?.mainSet;
  else if (o.type !== undefined) {
    const def = schema.messages[typeOrThrow(schema, o.type)];
    set = def?.attrs;
    const sdef = def?.header ? schema.structs[def.header] : undefined;
    if (header !== undefined && sdef) header = await headerFields(header, sdef, schema, ifs);
  }
  const attr = o.attr ? await Promise.all(o.attr.map((a) => attrSpec(a, set, schema, ifs))) : o.attr;
  return { ...o, header, attr };
}
