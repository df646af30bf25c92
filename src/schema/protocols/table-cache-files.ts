// The table cache's files (table-cache.ts reads them), made at build time from the composed
// tables: an index, one slice per spec family (each table its own JSON text), and the overview.
import { computeOverview } from '../overview.js';
import type { Schema } from '../types.js';
import { specFamily } from '../ynl/index.js';
import { HAND, indexFile, KINDS, overviewFile, sliceFile, type CachedOverview, type CacheIndex, type Kind, type SliceHeader, type Tables } from './table-cache.js';

/** The names family `fam` put into the composed tables (its own, or `fam:name` where another family had it first). */
function familyNames(composed: Tables, fam: Schema, family: string): Record<Kind, Set<string>> {
  const out = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<Kind, Set<string>>;
  const mapped = (kind: Kind, n: string) => (`${family}:${n}` in composed[kind] ? `${family}:${n}` : n);
  for (const kind of KINDS) {
    for (const n of Object.keys(fam[kind] ?? {})) {
      const name = kind === 'flagSets' && n.endsWith(':flags') ? `${mapped('enums', n.slice(0, -6))}:flags` : mapped(kind, n);
      if (name in composed[kind]) out[kind].add(name);
    }
  }
  return out;
}

/** The cache files of a composed schema, by file name: an index and one slice per family (build time). */
export function tableCacheFiles(schema: Schema, families: string[], build: string): Record<string, string> {
  const composed = Object.fromEntries(KINDS.map((k) => [k, schema[k] ?? {}])) as Tables;
  const owned = families.map((f) => {
    const fam = specFamily(f);
    if (!fam) throw new Error(`table cache: no spec for the ${f} family`);
    return { family: f, names: familyNames(composed, fam.schema, f) };
  });
  const slices: Record<string, Tables> = {};
  const slice = (s: string) => (slices[s] ??= Object.fromEntries(KINDS.map((k) => [k, {}])) as Tables);
  const names = {} as CacheIndex['names'];
  for (const kind of KINDS) {
    names[kind] = [];
    for (const [n, v] of Object.entries(composed[kind])) {
      // A table two families share (same content) goes into both slices: either one serves.
      const holders = owned.filter((o) => o.names[kind].has(n)).map((o) => o.family);
      if (!holders.length) holders.push(HAND);
      for (const h of holders) slice(h)[kind][n] = v;
      names[kind].push([n, holders[0]]);
    }
  }
  const index: CacheIndex = {
    build, protocol: schema.protocol, families, messages: schema.messages, ...(schema.groups ? { groups: schema.groups } : {}), names,
  };
  const o = computeOverview(schema);
  const overview: CachedOverview = { build, firstByName: [...o.firstByName].map(([n, [set, type]]) => [n, set, type]), selectors: [...o.selectors] };
  const files: Record<string, string> = { [indexFile(schema.name)]: JSON.stringify(index), [overviewFile(schema.name)]: JSON.stringify(overview) };
  for (const [s, t] of Object.entries(slices)) files[sliceFile(schema.name, s)] = sliceText(t, build);
  return files;
}

/** A slice: a header line (the build and where each table lies), then the tables' JSON texts. */
function sliceText(tables: Tables, build: string): string {
  const header: SliceHeader = { build, at: {} as SliceHeader['at'] };
  const body: string[] = [];
  let at = 0;
  for (const kind of KINDS) {
    header.at[kind] = {};
    for (const [n, v] of Object.entries(tables[kind])) {
      const text = JSON.stringify(v);
      header.at[kind][n] = [at, at + text.length];
      body.push(text);
      at += text.length;
    }
  }
  return `${JSON.stringify(header)}\n${body.join('')}`;
}

