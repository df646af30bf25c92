// The build-time cache of composed tables (src/schema/protocols/table-cache.ts): it gives exactly
// the tables the eager composition gives, a message reads only its own family's slice, and a
// stale, missing or overridden cache is ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitMessages } from '../../src/codec/index.js';
import { netfilterSchema, NF_SPECS } from '../../src/schema/protocols/netfilter/index.js';
import { ROUTE_SPECS, routeSchema } from '../../src/schema/protocols/route/index.js';
import { cachedSchema, setTableCacheSource, tableCacheReads } from '../../src/schema/protocols/table-cache.js';
import { tableCacheFiles } from '../../src/schema/protocols/table-cache-files.js';
import { computeOverview, overviewOf } from '../../src/schema/overview.js';
import { decodeDatagram, newContext, tableNames, toRecord, type Schema } from '../../src/schema/index.js';
import { FastJson } from '../../src/format/fast/message.js';
import { ByteWriter } from '../../src/format/json-bytes.js';
import { configureSpecs } from '../../src/schema/ynl/index.js';
import { hexFixture } from '../helpers.js';
import { loadFixture } from './dissect-util.js';

const KINDS = ['structs', 'attrSets', 'enums', 'flagSets', 'subMessages'] as const;
const never = (): Schema => {
  throw new Error('composed from the specs: the cache was not used');
};

function cacheOf(schema: Schema, families: string[], id: string): Record<string, string> {
  return tableCacheFiles(schema, families, id);
}

const files = { ...cacheOf(routeSchema, ROUTE_SPECS, 'build-1'), ...cacheOf(netfilterSchema, NF_SPECS, 'build-1') };
setTableCacheSource({ id: 'build-1', read: (f) => files[f] });

/** The spec families' slices among files read (the hand tables' slice is not a family's). */
const families = (reads: string[]) => reads.filter((f) => !f.endsWith('.hand.json')).sort();

/** The cache files read while `fn` runs. */
function readsDuring(fn: () => void): string[] {
  const before = tableCacheReads().length;
  fn();
  return tableCacheReads().slice(before);
}

function decodeAll(datagrams: Uint8Array[], schema: Schema) {
  const ctx = newContext();
  return datagrams.flatMap((d) => decodeDatagram(d, schema, ctx));
}

/** Records (dump, listen) look attributes up by C name in every set: they read every slice, so they are compared apart. */
function recordsOf(datagrams: Uint8Array[], schema: Schema) {
  return decodeAll(datagrams, schema).map((m) => toRecord(m, schema));
}

/** The tables as JSON has them: keys whose value is undefined are not kept. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

for (const [eager, families] of [[routeSchema, ROUTE_SPECS], [netfilterSchema, NF_SPECS]] as const) {
  test(`the cached ${eager.name} tables are the composed ones, in the same order`, () => {
    const cached = cachedSchema(eager.protocol, eager.name, families, never)!;
    assert.ok(cached);
    assert.deepEqual(cached.messages, eager.messages);
    assert.deepEqual(cached.groups, eager.groups);
    for (const kind of KINDS) assert.deepStrictEqual(Object.entries(cached[kind]!), Object.entries(plain(eager[kind])), kind);
  });
}

test('one RTM_NEWLINK reads the rt-link slice only, and decodes as the composed tables do', () => {
  const newlink = hexFixture('codec/getlink-dump-lo.hex').find((d) => d.comment.startsWith('reply'))!.bytes;
  assert.equal(splitMessages(newlink).messages[0].header.type, 16, 'RTM_NEWLINK');
  const cached = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
  let out: ReturnType<typeof decodeAll> = [];
  const reads = readsDuring(() => (out = decodeAll([newlink], cached)));
  assert.deepEqual(families(reads), ['composed-route.rt-link.json']);
  assert.deepEqual(out, decodeAll([newlink], routeSchema));
  assert.deepEqual(recordsOf([newlink], cached), recordsOf([newlink], routeSchema));
});

const recv = (name: string) => loadFixture(name).filter((d) => d.dir === 'recv').map((d) => d.bytes);

test('a route dump reads rt-route only; a tc dump reads tc (the check sees what is read)', () => {
  // ip route also asks for the links: the datagrams of routes only.
  const onlyRoutes = recv('route-route').filter((d) => splitMessages(d).messages.every((m) => m.header.type === 24 || m.header.type === 3));
  assert.ok(onlyRoutes.length >= 2);
  const routes = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
  const r = readsDuring(() => assert.deepEqual(decodeAll(onlyRoutes, routes), decodeAll(onlyRoutes, routeSchema)));
  assert.deepEqual(families(r), ['composed-route.rt-route.json']);
  const qdiscs = recv('route-tc').filter((d) => splitMessages(d).messages.every((m) => m.header.type === 36 || m.header.type === 3));
  assert.ok(qdiscs.length, 'RTM_NEWQDISC');
  const tc = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
  const t = readsDuring(() => decodeAll(qdiscs, tc));
  assert.deepEqual(families(t), ['composed-route.tc.json']);
});

test('the fast JSON path reads what the general decoder reads: a route dump, rt-route alone', () => {
  const onlyRoutes = recv('route-route').filter((d) => splitMessages(d).messages.every((m) => m.header.type === 24 || m.header.type === 3));
  const routes = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
  const w = new ByteWriter(1024);
  const json = new FastJson(w, 'ndjson', () => 0);
  const ctx = newContext();
  const r = readsDuring(() => { for (const d of onlyRoutes) json.datagram(d, routes, ctx); });
  assert.equal(json.general, 0, 'every message on the fast path');
  assert.deepEqual(families(r), ['composed-route.rt-route.json']);
  const text = w.view().toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(text, plain(decodeAll(onlyRoutes, routeSchema)));
});

test('the names of one kind of table come from the index: no slice read, the same as Object.keys', () => {
  for (const [eager, families] of [[routeSchema, ROUTE_SPECS], [netfilterSchema, NF_SPECS]] as const) {
    const cached = cachedSchema(eager.protocol, eager.name, families, never)!;
    for (const kind of KINDS) {
      const r = readsDuring(() => assert.deepEqual(tableNames(cached[kind]!), Object.keys(eager[kind]!), kind));
      assert.deepEqual(r, [], `${kind}: nothing read`);
    }
    // Listing one kind reads only the slices that hold tables of that kind.
    const index = JSON.parse(files[`composed-${eager.name}.json`]!) as { names: Record<string, [string, string][]> };
    const holding = [...new Set(index.names.subMessages!.map(([, slice]) => `composed-${eager.name}.${slice}.json`))].sort();
    const fresh = cachedSchema(eager.protocol, eager.name, families, never)!;
    const r = readsDuring(() => assert.deepEqual(Object.keys(fresh.subMessages!), Object.keys(eager.subMessages!)));
    assert.deepEqual([...r].sort(), holding, eager.name);
  }
  const all = Object.keys(files).filter((f) => /^composed-route\.[^.]+\.json$/.test(f) && !f.endsWith('.overview.json'));
  const subs = (JSON.parse(files['composed-route.json']!) as { names: Record<string, [string, string][]> }).names.subMessages!;
  assert.ok(new Set(subs.map(([, s]) => s)).size < all.length, 'rtnetlink: some slices hold no sub-message');
  assert.deepEqual(tableNames({ a: 1, b: 2 }), ['a', 'b'], 'a plain table: its keys');
});

test('records of a route dump read the overview, not every slice; the overview is the composed tables\' own', () => {
  const onlyRoutes = recv('route-route').filter((d) => splitMessages(d).messages.every((m) => m.header.type === 24 || m.header.type === 3));
  const routes = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
  const r = readsDuring(() => assert.deepEqual(recordsOf(onlyRoutes, routes), recordsOf(onlyRoutes, routeSchema)));
  assert.ok(r.includes('composed-route.overview.json') && !r.includes('composed-route.tc.json'), r.join());
  for (const [eager, families] of [[routeSchema, ROUTE_SPECS], [netfilterSchema, NF_SPECS]] as const) {
    const cached = cachedSchema(eager.protocol, eager.name, families, never)!;
    assert.deepEqual(overviewOf(cached), computeOverview(eager), eager.name);
  }
  // An overview file missing or of another build: worked out from the tables.
  for (const read of [(f: string) => (f.endsWith('.overview.json') ? undefined : files[f]), (f: string) => (f.endsWith('.overview.json') ? '{"build":"build-2"}' : files[f])]) {
    setTableCacheSource({ id: 'build-1', read });
    const cached = cachedSchema(0, 'route', ROUTE_SPECS, never)!;
    assert.deepEqual(overviewOf(cached), computeOverview(routeSchema));
  }
  setTableCacheSource({ id: 'build-1', read: (f) => files[f] });
});

test('nftables messages leave the conntrack slice unread', () => {
  const nft = loadFixture('nf-nftables').map((d) => d.bytes);
  const cached = cachedSchema(12, 'netfilter', NF_SPECS, never)!;
  const reads = readsDuring(() => assert.deepEqual(decodeAll(nft, cached), decodeAll(nft, netfilterSchema)));
  assert.ok(reads.includes('composed-netfilter.nftables.json') && !reads.includes('composed-netfilter.conntrack.json'), reads.join());
});

test('a cache of another build, or none, is not used', () => {
  setTableCacheSource({ id: 'build-2', read: (f) => files[f] });
  assert.equal(cachedSchema(0, 'route', ROUTE_SPECS, never), undefined);
  setTableCacheSource({ id: 'build-1', read: () => undefined });
  assert.equal(cachedSchema(0, 'route', ROUTE_SPECS, never), undefined);
  setTableCacheSource({ id: undefined, read: (f) => files[f] });
  assert.equal(cachedSchema(0, 'route', ROUTE_SPECS, never), undefined);
  setTableCacheSource({ id: 'build-1', read: (f) => files[f] });
});

/** The cache with rt-link's slice (a header line, then the tables' texts) spoilt by `spoil`. */
const damaged = (spoil: (header: string, body: string) => string) => (f: string) => {
  if (f !== 'composed-route.rt-link.json') return files[f];
  const text = files[f]!;
  const newline = text.indexOf('\n');
  return spoil(text.slice(0, newline), text.slice(newline + 1));
};

test('a slice missing, of another build or damaged: the tables are composed from the specs instead, silently', () => {
  const other = cacheOf(routeSchema, ROUTE_SPECS, 'build-2');
  for (const read of [
    (f: string) => (f === 'composed-route.rt-link.json' ? undefined : files[f]),
    (f: string) => (f === 'composed-route.rt-link.json' ? other[f] : files[f]),
    // Damaged: cut short, the tables' texts broken, a header that is not one.
    damaged((header, body) => `${header}\n${body.slice(0, 10)}`),
    damaged((header, body) => `${header}\n${body.replace(/\{/g, '[')}`),
    damaged((_header, body) => `null\n${body}`),
  ]) {
    setTableCacheSource({ id: 'build-1', read });
    let composed = 0;
    const cached = cachedSchema(0, 'route', ROUTE_SPECS, () => (composed++, routeSchema))!;
    assert.ok(cached, 'the index is good');
    assert.deepEqual(cached.structs.ifinfomsg, routeSchema.structs.ifinfomsg);
    assert.equal(composed, 1);
    for (const kind of KINDS) assert.deepStrictEqual(Object.entries(cached[kind]!), Object.entries(routeSchema[kind]!), kind);
    assert.deepEqual(recordsOf(recv('route-route'), cached), recordsOf(recv('route-route'), routeSchema));
  }
  setTableCacheSource({ id: 'build-1', read: (f) => files[f] });
});

test('a spec on the search path for one of the families: the cache is not used', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-specs-'));
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await configureSpecs([], {});
  });
  assert.ok(cachedSchema(0, 'route', ROUTE_SPECS, never));
  writeFileSync(join(dir, 'tc.yaml'), 'name: tc\n');
  await configureSpecs([], { NLCTL_SPEC_PATH: dir });
  assert.equal(cachedSchema(0, 'route', ROUTE_SPECS, never), undefined);
  assert.ok(cachedSchema(12, 'netfilter', NF_SPECS, never), 'other protocols keep theirs');
});
