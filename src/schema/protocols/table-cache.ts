// Composed protocol tables (rtnetlink from six spec families, netfilter from two) saved at build
// time, cut into one slice per family, so that a run reads only the families its messages use:
// decoding one RTM_NEWLINK reads the rt-link slice, never tc's or rt-route's. The slices are the
// composed result itself (renames and the hand overlay applied), so nothing is compiled at run
// time. Within a slice each table is its own JSON text, parsed when first looked up: one link
// message uses a third of rt-link's tables (none of the link kinds' own). A missing, stale,
// damaged or overridden cache (a --spec or search-path spec for one of the
// families) is ignored: the tables are then composed from the specs as before.
import { computeOverview, provideOverview } from '../overview.js';
import type { MessageDef, Schema } from '../types.js';
import { builtinFile } from '../ynl/builtin.js';
import { specOverridden } from '../ynl/spec-sources.js';

/** Set by the bundler (scripts/bundle.mjs) to the id written into the cache of the same build. */
declare const NLCTL_TABLE_CACHE_ID: string | undefined;

export const KINDS = ['structs', 'attrSets', 'enums', 'flagSets', 'subMessages'] as const;
export type Kind = (typeof KINDS)[number];
export type Tables = Record<Kind, Record<string, unknown>>;

/** Slice of the tables that no spec family has: the hand overlay's own. */
export const HAND = 'hand';

export interface CacheIndex {
  build: string;
  protocol: number;
  families: string[];
  messages: Record<number, MessageDef>;
  groups?: Record<string, number>;
  /** Every table name in the eager order, with the slice that holds it. */
  names: Record<Kind, [string, string][]>;
}

/** The tables' overview (src/schema/overview.ts), in a file of its own: only records ask for it. */
export interface CachedOverview {
  build: string;
  /** The first attribute of each C name, as [name, set, type]. */
  firstByName: [string, string, number][];
  selectors: string[];
}

export interface TableCacheSource {
  /** The build id the cache must carry; undefined: no cache is used. */
  id: string | undefined;
  read(file: string): string | undefined;
}

let source: TableCacheSource = {
  id: typeof NLCTL_TABLE_CACHE_ID === 'string' ? NLCTL_TABLE_CACHE_ID : undefined,
  read: builtinFile,
};
const reads: string[] = [];

/** The table names of a cached schema's tables, by table object: known from the index, read from no slice. */
const NAMES = new WeakMap<object, string[]>();

/**
 * The names in one kind of a schema's tables (schema.structs, schema.subMessages, …), as
 * Object.keys gives them; a cached schema answers from its index, without reading a table.
 */
export function tableNames(tables: object): readonly string[] {
  return NAMES.get(tables) ?? Object.keys(tables);
}

/** Where cached tables come from (tests point this at generated files). */
export function setTableCacheSource(s: TableCacheSource): void {
  source = s;
}

/** The cache files read so far, in order: what a run paid for. */
export function tableCacheReads(): readonly string[] {
  return reads;
}

export const indexFile = (name: string) => `composed-${name}.json`;
export const sliceFile = (name: string, slice: string) => `composed-${name}.${slice}.json`;
export const overviewFile = (name: string) => `composed-${name}.overview.json`;

/** Where each table's JSON text lies in a slice's body: [start, end) by kind and name. */
export type SliceHeader = { build: string; at: Record<Kind, Record<string, [number, number]>> };

/** A slice read back: its build and a parser for each of its tables; undefined if it is not one. */
function readSlice(file: string): { build: string; table(kind: Kind, name: string): unknown } | undefined {
  const text = source.read(file);
  if (text === undefined) return undefined;
  reads.push(file);
  const newline = text.indexOf('\n');
  let header: SliceHeader;
  try {
    header = JSON.parse(text.slice(0, newline)) as SliceHeader;
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null) return undefined;
  const body = newline + 1;
  return {
    build: header.build,
    // Throws for a damaged table: the caller then composes every table from the specs.
    table: (kind, name) => {
      const [start, end] = header.at[kind][name]!;
      if (!(body + end <= text.length)) throw new Error(`${file}: cut short`);
      return JSON.parse(text.slice(body + start, body + end));
    },
  };
}

function readJson<T>(file: string): T | undefined {
  const text = source.read(file);
  if (text === undefined) return undefined;
  reads.push(file);
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * The protocol's tables from the cache, each table read with its family's slice when first looked
 * up; undefined when there is no usable cache.
 */
export function cachedSchema(protocol: number, name: string, families: string[], compose: () => Schema): Schema | undefined {
  if (source.id === undefined || families.some(specOverridden)) return undefined;
  const index = readJson<CacheIndex>(indexFile(name));
  if (!index || index.build !== source.id || index.protocol !== protocol || index.families.join() !== families.join()) return undefined;
  const where = Object.fromEntries(KINDS.map((k) => [k, new Map(index.names[k])])) as Record<Kind, Map<string, string>>;
  const stores = Object.fromEntries(KINDS.map((k) => [k, {}])) as Tables;
  let complete = false;
  /** Kinds whose every table has been read (a listing asked for them). */
  const listed = new Set<Kind>();

  const slices = new Map<string, ReturnType<typeof readSlice>>();
  // A slice missing, from another build or damaged: every table composed from the specs instead.
  const composeAll = () => {
    complete = true;
    for (const t of proxies) NAMES.delete(t);
    const eager = compose();
    for (const k of KINDS) {
      for (const n of Object.keys(stores[k])) delete stores[k][n];
      Object.assign(stores[k], eager[k]);
    }
  };
  const load = (kind: Kind, key: string, s: string) => {
    if (!slices.has(s)) slices.set(s, readSlice(sliceFile(name, s)));
    const slice = slices.get(s);
    if (slice?.build !== index.build) return composeAll();
    try {
      stores[kind][key] = slice.table(kind, key);
    } catch {
      composeAll();
    }
  };
  const ensure = (kind: Kind, key: string | symbol) => {
    if (typeof key !== 'string' || complete || listed.has(kind) || key in stores[kind]) return;
    const s = where[kind].get(key);
    if (s !== undefined) load(kind, key, s);
  };
  // Listing a kind of table needs every table of that kind (only that kind: listing the
  // sub-messages must not parse every attribute set), in the order the eager composition gives.
  const loadKind = (kind: Kind) => {
    if (complete || listed.has(kind)) return;
    for (const [key, s] of where[kind]) if (!complete && !(key in stores[kind])) load(kind, key, s);
    if (complete) return;
    listed.add(kind);
    const st = stores[kind];
    const ordered = index.names[kind].map(([n]) => [n, st[n]] as const);
    for (const n of Object.keys(st)) delete st[n];
    for (const [n, v] of ordered) st[n] = v;
  };
  const proxies: object[] = [];
  const table = (kind: Kind) => {
    const t = new Proxy(stores[kind], {
      get: (t, key) => (ensure(kind, key), Reflect.get(t, key)),
      has: (t, key) => (ensure(kind, key), Reflect.has(t, key)),
      getOwnPropertyDescriptor: (t, key) => (ensure(kind, key), Reflect.getOwnPropertyDescriptor(t, key)),
      ownKeys: (t) => (loadKind(kind), Reflect.ownKeys(t)),
    });
    proxies.push(t);
    NAMES.set(t, index.names[kind].map(([n]) => n));
    return t;
  };
  const schema: Schema = {
    protocol,
    name,
    messages: index.messages,
    ...(index.groups ? { groups: index.groups } : {}),
    structs: table('structs') as Schema['structs'],
    attrSets: table('attrSets') as Schema['attrSets'],
    enums: table('enums') as Schema['enums'],
    flagSets: table('flagSets') as Schema['flagSets'],
    subMessages: table('subMessages') as Schema['subMessages'],
  };
  // Working this out lists every table, which reads every slice: the cache carries it.
  provideOverview(schema, () => {
    const o = readJson<CachedOverview>(overviewFile(name));
    if (o?.build !== index.build || !Array.isArray(o.firstByName) || !Array.isArray(o.selectors)) return computeOverview(schema);
    return { firstByName: new Map(o.firstByName.map(([n, set, type]) => [n, [set, type]])), selectors: new Set(o.selectors) };
  });
  return schema;
}
