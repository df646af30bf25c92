// Extended ACK offsets named: NLMSGERR_ATTR_OFFS counts bytes from the start of the request's
// nlmsghdr; the request, decoded, says which attribute (and nest path) or header field is there.
// NLMSGERR_ATTR_MISS_TYPE names an attribute the kernel wanted and did not find: at the top of
// the request, or inside the nest that NLMSGERR_ATTR_MISS_NEST points at, whose own attribute
// set gives the missing attribute its name.
import type { DecodedAttr, DecodedMessage } from './decoded.js';
import { headerLayout } from './decoded.js';
import type { AttrSet, Schema } from './types.js';

/** Which tables decoded a message or a sub-message value (decode.ts's tablesUsed, passed in: decode.ts imports this file). */
export type TablesOf = (node: DecodedMessage | DecodedAttr) => { schema: Schema; attrs?: string } | undefined;

export interface ExtackLocation {
  /** The attribute's C name (RTA_DST), innermost last in `cpath`. */
  attr?: string;
  /** The path by spec names, as YNL prints it (`.header.dev-name`), or by C names where no spec named it. */
  path?: string;
  /** A field of the fixed family header (ifinfomsg.ifi_index). */
  field?: string;
}

/** The attribute MISS_TYPE asks for: its C name where a table knows it, and its path (a number where none does). */
export interface MissingAttr {
  attr?: string;
  path: string;
  /** The nest MISS_NEST points at, when the missing attribute belongs inside one. */
  nest?: { attr?: string; path: string };
}

/** The attributes whose span holds `at` (a datagram offset), outermost first. */
function chainAt(m: DecodedMessage, at: number): DecodedAttr[] {
  const chain: DecodedAttr[] = [];
  let list = m.attrs;
  while (list) {
    const a = list.find((x) => at >= x.offset && at < x.offset + Math.max(x.len, 4));
    if (!a) break;
    chain.push(a);
    list = a.attrs;
  }
  return chain;
}

const pathOf = (chain: DecodedAttr[]): string => '.' + chain.map((a) => a.spec_name ?? a.name ?? String(a.type)).join('.');

/** Where `offset` (from the request's nlmsghdr) falls in the decoded request `m`. */
export function locateOffset(m: DecodedMessage, offset: number): ExtackLocation | undefined {
  const at = m.offset + offset;
  const chain = chainAt(m, at);
  if (chain.length) {
    const last = chain[chain.length - 1];
    return { attr: last.name ?? `attribute ${last.type}`, path: pathOf(chain) };
  }
  if (m.header) {
    const f = headerLayout(m.header).find((x) => at >= x.offset && at < x.offset + Math.max(x.size, 1));
    if (f) return { field: `${m.header.name}.${f.name}` };
  }
  return undefined;
}

/**
 * The attribute set whose attributes sit inside the last attribute of `chain`, followed from the
 * message's own set down through each nest, index level and sub-message.
 */
function setInside(m: DecodedMessage, chain: DecodedAttr[], tablesUsed: TablesOf): { schema: Schema; set?: AttrSet } | undefined {
  const top = tablesUsed(m);
  if (!top) return undefined;
  let schema = top.schema;
  let set = top.attrs ? schema.attrSets[top.attrs] : undefined;
  let indexLevels = 0;
  let nestedSet: string | undefined;
  for (const a of chain) {
    if (indexLevels > 0) {
      // An index level of a nest-array or indexed-array: the set applies below it.
      if (--indexLevels === 0) set = nestedSet ? schema.attrSets[nestedSet] : undefined;
      continue;
    }
    const sub = tablesUsed(a);
    if (sub) {
      schema = sub.schema;
      set = sub.attrs ? schema.attrSets[sub.attrs] : undefined;
    } else {
      const def = set?.attrs[a.type];
      if (!def || !set) return { schema };
      const nested = def.nested;
      if (def.type === 'nest') set = nested ? schema.attrSets[nested] : undefined;
      else if (def.type === 'nest-array' || (def.type === 'indexed-array' && def.subType === 'nest')) {
        indexLevels = def.depth ?? 1;
        nestedSet = nested;
        set = undefined;
      } else return { schema };
    }
  }
  return indexLevels > 0 ? { schema } : { schema, set };
}

/**
 * MISS_TYPE (and MISS_NEST, an offset from the request's nlmsghdr to the nest's attribute
 * header) named in the decoded request `m`. Undefined when MISS_NEST points at no nest of it.
 */
export function locateMissing(m: DecodedMessage, tablesUsed: TablesOf, type: number, nestOffset?: number): MissingAttr | undefined {
  let chain: DecodedAttr[] = [];
  if (nestOffset !== undefined) {
    chain = chainAt(m, m.offset + nestOffset);
    // MISS_NEST is the nest attribute's own start, never a byte inside it.
    if (!chain.length || chain[chain.length - 1].offset !== m.offset + nestOffset) return undefined;
  }
  const def = setInside(m, chain, tablesUsed)?.set?.attrs[type];
  const prefix = chain.length ? pathOf(chain) : '';
  const out: MissingAttr = { ...(def ? { attr: def.name } : {}), path: `${prefix}.${def?.spec ?? def?.name ?? type}` };
  if (chain.length) {
    const nest = chain[chain.length - 1];
    out.nest = { ...(nest.name ? { attr: nest.name } : {}), path: prefix };
  }
  return out;
}

/** The location as people read it in one line: "RTA_DST, .dst" or "ifinfomsg.ifi_index". */
export function describeLocation(l: ExtackLocation): string {
  if (l.attr) return l.path && l.path !== `.${l.attr}` ? `${l.attr}, ${l.path}` : l.attr;
  return l.field ?? '';
}
