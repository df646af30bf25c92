// Facts about all of a schema's attribute sets at once: the first attribute of each C name (the
// records' key and index rules are looked up by name) and every sub-message selector (a template
// may not change a selector's value alone). Working them out lists every table; the table cache
// works them out at build time and carries them, so that a dump reads only the tables it uses.
import type { AttrDef, Schema, TablesOverview } from './types.js';

const OVERVIEWS = new WeakMap<Schema, TablesOverview>();

/** The overview of every table of `schema`, listing them all. */
export function computeOverview(schema: Schema): TablesOverview {
  const firstByName = new Map<string, [string, number]>();
  const selectors = new Set<string>();
  for (const [setName, set] of Object.entries(schema.attrSets)) {
    for (const [type, def] of Object.entries(set.attrs)) {
      if (!firstByName.has(def.name)) firstByName.set(def.name, [setName, Number(type)]);
      if (def.selector) selectors.add(def.selector);
    }
  }
  return { firstByName, selectors };
}

const PROVIDED = new WeakMap<Schema, () => TablesOverview>();

/**
 * Gives `schema` (this very object: a copy with other sets is not given it) an overview worked
 * out ahead, made when first asked for.
 */
export function provideOverview(schema: Schema, make: () => TablesOverview): void {
  PROVIDED.set(schema, make);
}

/** The schema's overview: the one provided for it, else worked out once. */
export function overviewOf(schema: Schema): TablesOverview {
  let o = OVERVIEWS.get(schema);
  if (!o) OVERVIEWS.set(schema, (o = PROVIDED.get(schema)?.() ?? computeOverview(schema)));
  return o;
}

const FOUND = new WeakMap<Schema, Map<string, AttrDef | undefined>>();

/** The first attribute named `name` (C name) in any of the schema's sets. */
export function firstAttrNamed(schema: Schema, name: string): AttrDef | undefined {
  let found = FOUND.get(schema);
  if (!found) FOUND.set(schema, (found = new Map()));
  if (found.has(name)) return found.get(name);
  const at = overviewOf(schema).firstByName.get(name);
  const def = at && schema.attrSets[at[0]]?.attrs[at[1]];
  found.set(name, def);
  return def;
}
