// Which records a dump shortcut keeps: `--table N|main|local|default|all` for routes (main
// by default, as `ip route show`), `--dev NAME` for addresses, routes and neighbours; and the
// interface names the records are shown with.
import { UsageError } from '../errors.js';
import type { FlatRecord, JsonValue } from '../schema/index.js';
import { didYouMean } from '../suggest.js';
import type { TransportFactory } from '../transport/index.js';
import { InterfaceLookup } from './ifnames.js';
import { NEEDS_NAMES } from './ip-records.js';

/** Routing table names as in /etc/iproute2/rt_tables. */
const TABLES: Record<string, number> = { unspec: 0, compat: 252, default: 253, main: 254, local: 255 };

export function tableId(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return TABLES[v] ?? (/^\d+$/.test(v) ? Number(v) : undefined);
  return undefined;
}

/** The table asked for: a number, or undefined for all. */
export function parseTable(spec: string | undefined): number | undefined {
  if (spec === undefined) return TABLES.main;
  if (spec === 'all') return undefined;
  const id = tableId(spec);
  if (id === undefined || id > 0xffffffff) throw new UsageError(`--table: unknown table '${spec}'${didYouMean(spec, [...Object.keys(TABLES), 'all'])} (a number, main, local, default or all)`);
  return id;
}

const DEV_KEY: Record<string, string> = { addr: 'ifindex', neigh: 'ifindex', route: 'oif' };

export interface RecordFilter {
  keep(rec: FlatRecord): boolean;
  /** The keys keep() reads. */
  reads: string[];
  /** What keep() checks: the routing table (undefined: any), the interface under `devKey` (undefined: any). */
  table?: number;
  devKey?: string;
  devIndex?: number;
  names: Map<number, string>;
  /**
   * With `deferNames`: fills `names`, to be called once the dump's own request is sent (the
   * kernel writes its first replies meanwhile); until then `names` is empty.
   */
  loadNames?: () => Promise<void>;
}

/**
 * The filter of `what`'s records, with the names of the namespace's interfaces asked for over
 * `transport`; with `namesFromDump`, none are asked for: the caller fills `names` from the dump's
 * own replies before it writes a record (a link dump holds every name). With `deferNames` (and
 * no --dev, whose index the filter needs at once), the names are asked for by loadNames().
 */
export async function recordFilter(
  what: string | undefined, o: { table?: string; dev?: string; netns?: string; messages?: boolean }, transport: TransportFactory, namesFromDump = false, deferNames = false,
): Promise<RecordFilter> {
  if (o.table !== undefined && what !== 'route') throw new UsageError('--table is for dump route');
  if (o.dev !== undefined && (!what || !DEV_KEY[what])) throw new UsageError('--dev is for dump addr, route and neigh');
  if (o.messages && (o.table !== undefined || o.dev !== undefined)) throw new UsageError('--table and --dev filter records; leave out --messages');
  const table = what === 'route' ? parseTable(o.table) : undefined;
  // Names are asked for on a socket of their own: before the dump's is opened, or (deferred) once its request is out.
  const lookup = new InterfaceLookup(transport, o.netns);
  const names = new Map<number, string>();
  const loadNames = async () => {
    for (const [index, name] of await lookup.all().catch(() => new Map<number, string>())) names.set(index, name);
  };
  const wanted = what !== undefined && NEEDS_NAMES.has(what) && !o.messages && !namesFromDump;
  const defer = wanted && deferNames && o.dev === undefined;
  if (wanted && !defer) await loadNames();
  const devIndex = o.dev !== undefined ? await lookup.index(o.dev, '--dev') : undefined;
  const devKey = what ? DEV_KEY[what] : undefined;
  return {
    names,
    ...(defer ? { loadNames } : {}),
    reads: ['table', ...(devKey ? [devKey] : [])],
    table, devKey, devIndex,
    keep: (rec) => (table === undefined || tableId(rec.table) === table) && (devIndex === undefined || rec[devKey!] === devIndex),
  };
}
