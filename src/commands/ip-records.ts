// Dump records shaped like `ip -j`: interface names beside indexes (`dev`), route `dst` with its
// prefix length ("10.3.0.0/24", "default"), address families as ip prints them ("inet"), and
// `metric` for a route's priority. The numbers stay under their own keys (ifindex, oif, dst_len,
// priority). Attributes with no name go under `unknown` by type number, so that naming one in a
// later version adds a key instead of renaming one. The README documents these keys as stable.
import type { FlatRecord, JsonValue } from '../schema/index.js';

const FAMILIES: Record<string, string> = {
  AF_UNSPEC: 'unspec', AF_INET: 'inet', AF_INET6: 'inet6', AF_BRIDGE: 'bridge', AF_MPLS: 'mpls', AF_PACKET: 'link',
  RTNL_FAMILY_IPMR: 'ipmr', RTNL_FAMILY_IP6MR: 'ip6mr',
};

/** "AF_INET" → "inet", as ip prints families. */
export function ipFamily(v: JsonValue | undefined): JsonValue | undefined {
  if (typeof v !== 'string') return v;
  return FAMILIES[v] ?? v.replace(/^(AF_|RTNL_FAMILY_)/, '').toLowerCase();
}

const UNKNOWN_KEY = /^attr_(\d+)$/;

/** attr_67 keys (attributes with no table entry) → unknown: { "67": … }, at every level. */
export function moveUnknown(rec: FlatRecord): FlatRecord {
  let unknown: FlatRecord | undefined;
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    const m = UNKNOWN_KEY.exec(key);
    if (m) {
      (unknown ??= {})[m[1]] = v;
      delete rec[key];
    } else if (v && typeof v === 'object' && !Array.isArray(v)) moveUnknown(v as FlatRecord);
  }
  if (unknown) rec.unknown = unknown;
  return rec;
}

/** A route's destination as ip writes it: "default", "10.3.0.1" for a host route, else "10.3.0.0/24". */
export function routeDst(dst: JsonValue | undefined, len: JsonValue | undefined, family: JsonValue | undefined): JsonValue {
  const n = Number(len ?? 0);
  if (dst === undefined || dst === null) return n === 0 ? 'default' : `0/${n}`;
  const host = family === 'inet6' || family === 'AF_INET6' ? 128 : family === 'inet' || family === 'AF_INET' ? 32 : -1;
  return n === host ? dst : `${String(dst)}/${n}`;
}

/**
 * A generic netlink family's operation name by command number: `dump family` gives it (the genl
 * tables and the spec compiler load only for that dump, not for every other).
 */
export type GenlOpName = (family: string, cmd: number) => string | undefined;

type Shape = (rec: FlatRecord, dev: (index: JsonValue | undefined) => string | undefined, opName?: GenlOpName) => void;

function setDev(rec: FlatRecord, key: string, name: string | undefined): void {
  if (name !== undefined) rec[key] = name;
}

export const IP_SHAPES: Record<string, Shape> = {
  link: (rec, dev) => {
    setDev(rec, 'link_dev', typeof rec.link === 'number' ? dev(rec.link) : undefined);
    setDev(rec, 'master_dev', typeof rec.master === 'number' ? dev(rec.master) : undefined);
  },
  addr: (rec, dev) => {
    setDev(rec, 'dev', dev(rec.ifindex));
    // ip's names for the lifetimes (4294967295 is "forever").
    const ci = rec.cacheinfo;
    if (ci && typeof ci === 'object' && !Array.isArray(ci)) {
      if (ci.ifa_valid !== undefined) rec.valid_life_time = ci.ifa_valid;
      if (ci.ifa_prefered !== undefined) rec.preferred_life_time = ci.ifa_prefered;
    }
  },
  neigh: (rec, dev) => setDev(rec, 'dev', dev(rec.ifindex)),
  route: (rec, dev) => {
    rec.dst = routeDst(rec.dst, rec.dst_len, rec.family);
    setDev(rec, 'dev', dev(rec.oif));
    if (rec.iif !== undefined) setDev(rec, 'iif_dev', dev(rec.iif));
    if (rec.priority !== undefined) rec.metric = rec.priority;
  },
  rule: () => {},
  family: (rec, _dev, opName) => {
    if (!opName || !Array.isArray(rec.ops) || typeof rec.family_name !== 'string') return;
    for (const op of rec.ops) {
      if (op && typeof op === 'object' && !Array.isArray(op) && typeof op.id === 'number') {
        const name = opName(rec.family_name, op.id);
        if (name) op.name = name;
      }
    }
  },
};

/**
 * The keys each shape (and ipRecord) reads: the fast records path gives the shapes only these,
 * so a shape that reads another key must list it here (test/unit/records-fast.test.ts would fail).
 */
export const SHAPE_READS: Record<string, string[]> = {
  link: ['family', 'link', 'master'],
  addr: ['family', 'ifindex', 'cacheinfo'],
  neigh: ['family', 'ifindex'],
  route: ['family', 'dst', 'dst_len', 'oif', 'iif', 'priority'],
  rule: ['family'],
};

/** A step of a shape as data: a key added with the interface name of another, a key copied, a route's dst. */
export type ShapeOp = { key: string; from: string; op: 'name' | 'copy' } | { key: 'dst'; op: 'route-dst' };

/**
 * IP_SHAPES (and ipRecord's family names) again, as data, for the fast records path, in the order
 * the shapes add their keys. Shapes missing here (addr) are run as code there too.
 */
export const SHAPE_OPS: Record<string, ShapeOp[]> = {
  link: [{ key: 'link_dev', from: 'link', op: 'name' }, { key: 'master_dev', from: 'master', op: 'name' }],
  neigh: [{ key: 'dev', from: 'ifindex', op: 'name' }],
  route: [
    { key: 'dst', op: 'route-dst' }, { key: 'dev', from: 'oif', op: 'name' }, { key: 'iif_dev', from: 'iif', op: 'name' },
    { key: 'metric', from: 'priority', op: 'copy' },
  ],
  rule: [],
};

/** The record of dump `what`, shaped like ip's (in place); `opName` names a genl family's operations. */
export function ipRecord(what: string, rec: FlatRecord, names: Map<number, string>, opName?: GenlOpName): FlatRecord {
  moveUnknown(rec);
  return ipShape(what, rec, names, opName);
}

/** ipRecord without moving unknown attributes (a record that has none). */
export function ipShape(what: string, rec: FlatRecord, names: Map<number, string>, opName?: GenlOpName): FlatRecord {
  if ('family' in rec && what !== 'family') rec.family = ipFamily(rec.family) ?? null;
  IP_SHAPES[what]?.(rec, (i) => (typeof i === 'number' ? names.get(i) : undefined), opName);
  return rec;
}

/** Which dumps name interfaces (and so need the index → name table). */
export const NEEDS_NAMES = new Set(['link', 'addr', 'neigh', 'route']);
