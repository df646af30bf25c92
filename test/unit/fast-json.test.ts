// The fast JSON path (src/format/fast) against the general decoder and its JSON writers, byte
// for byte: every fixture (dissect and codec hex, hex dumps, captures, strace), seeded mutations
// of every datagram under every protocol, and whole `nlctl decode` runs of fuzzed captures with
// the fast path on and off. A mutation check: tables changed for the fast path alone (one key, one
// value) must make the comparison fail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { PcapWriter, readCapture, stripCookedHeader } from '../../src/capture/pcap.js';
import { concat, encodeAttrs, encodeMessage, type AttrSpec } from '../../src/codec/index.js';
import { straceTables } from '../../src/commands/strace-tables.js';
import { isoTime, isoTimeOf } from '../../src/commands/stream.js';
import { timeText, writeTime } from '../../src/format/fast/time.js';
import type { CaptureMeta } from '../../src/format/fast/message.js';
import { ByteWriter } from '../../src/format/json-bytes.js';
import { parseHexDump } from '../../src/input/hex/index.js';
import { parseStraceText } from '../../src/input/strace/index.js';
import { main } from '../../src/main.js';
import { schemaFor, type Schema } from '../../src/schema/index.js';
import { captureRecords, DATAGRAMS, mutate } from '../fuzz-inputs.js';
import { fast, firstDifference, general, same, type Datagram } from '../fast-compare.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

const PROTOCOLS = [0, 4, 9, 12, 15, 16, 25];
const PREFIX: Record<string, number> = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

const META: CaptureMeta[] = [{ time: '2026-12-01T12:00:00.000001Z', direction: 'in' }, { direction: 'out' }, {}];

function dissectFixtures(): { name: string; ds: Datagram[] }[] {
  const dir = fixturePath('dissect');
  return readdirSync(dir).filter((n) => n.endsWith('.hex')).sort().map((n) => ({
    name: `dissect/${n}`,
    ds: hexFixture(`dissect/${n}`).map((d, i) => ({ protocol: PREFIX[n.split('-')[0]!]!, bytes: d.bytes, meta: META[i % META.length] })),
  }));
}

function hexDumpFixtures(): { name: string; ds: Datagram[] }[] {
  const out: { name: string; ds: Datagram[] }[] = [];
  for (const n of readdirSync(fixturePath('codec')).filter((x) => x.endsWith('.hex')).sort()) {
    out.push({ name: `codec/${n}`, ds: hexFixture(`codec/${n}`).map((d) => ({ protocol: 0, bytes: d.bytes })) });
  }
  for (const n of readdirSync(fixturePath('hex')).filter((x) => x.endsWith('.txt')).sort()) {
    let chunks;
    try {
      chunks = parseHexDump(readFileSync(fixturePath(`hex/${n}`), 'utf8'));
    } catch {
      continue; // strace's own rendering: read below
    }
    out.push({
      name: `hex/${n}`,
      ds: chunks.map((c) => {
        const cooked = stripCookedHeader(c.bytes);
        return cooked ? { protocol: cooked.protocol, bytes: cooked.payload } : { protocol: 0, bytes: c.bytes };
      }),
    });
  }
  for (const n of readdirSync(fixturePath('pcap')).filter((x) => /\.pcap(ng)?$/.test(x)).sort()) {
    const ds: Datagram[] = [];
    for (const p of readCapture(new Uint8Array(readFileSync(fixturePath(`pcap/${n}`)))).packets) {
      if (!p.netlink) continue;
      const direction = p.netlink.direction === 'unknown' ? undefined : p.netlink.direction;
      ds.push({ protocol: p.netlink.protocol, bytes: p.netlink.payload, meta: { time: isoTime(BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec)), ...(direction ? { direction } : {}) } });
    }
    out.push({ name: `pcap/${n}`, ds });
  }
  return out;
}

async function straceFixtures(): Promise<{ name: string; ds: Datagram[] }[]> {
  const files = [
    ...readdirSync(fixturePath('strace')).filter((x) => x.endsWith('.txt')).map((x) => `strace/${x}`),
    ...readdirSync(fixturePath('hex')).filter((x) => x.startsWith('strace')).map((x) => `hex/${x}`),
  ].sort();
  const out: { name: string; ds: Datagram[] }[] = [];
  for (const f of files) {
    const ds = await parseStraceText(readFileSync(fixturePath(f), 'utf8'), straceTables);
    out.push({ name: f, ds: ds.map((d) => ({ protocol: d.protocol ?? 0, bytes: d.bytes, meta: { direction: d.direction } })) });
  }
  return out;
}

test('every fixture: the fast path writes what the general decoder and JSON.stringify write, and renders nearly all of it itself', async () => {
  let messages = 0, generalCount = 0;
  const all = [...dissectFixtures(), ...hexDumpFixtures(), ...(await straceFixtures())];
  assert.ok(all.length >= 40, `only ${all.length} fixture files found`);
  for (const { name, ds } of all) {
    const r = same(ds, name);
    messages += r.messages;
    generalCount += r.general;
  }
  // A fast path that sent everything to the general decoder would pass the comparison above.
  assert.ok(messages > 1000, `${messages} messages`);
  assert.ok(generalCount / messages < 0.05, `${generalCount} of ${messages} messages left to the general decoder`);
});

test('the same datagrams under every other protocol\'s tables', () => {
  for (const { name, ds } of dissectFixtures()) {
    for (const protocol of PROTOCOLS) same(ds.map((d) => ({ ...d, protocol })), `${name} as protocol ${protocol}`);
  }
});

test('seeded mutations of every fixture datagram (4,000 cases, mostly under their own protocol)', () => {
  const r = rng(0x66617374);
  const ds: Datagram[] = [];
  for (let i = 0; i < 4000; i++) {
    const src = DATAGRAMS[Math.floor(r() * DATAGRAMS.length)]!;
    let bytes = mutate(src, r);
    if (r() < 0.3) bytes = mutate(bytes, r);
    ds.push({ protocol: PROTOCOLS[Math.floor(r() * PROTOCOLS.length)]!, bytes, meta: META[i % META.length] });
    // In small groups, so a failure names a short run of cases.
    if (ds.length === 20) {
      same(ds, `cases ${i - 19}..${i}: ${ds.map((d) => `${d.protocol}:${Buffer.from(d.bytes).toString('hex')}`).join(' ')}`);
      ds.length = 0;
    }
  }
});

class Text extends Writable {
  text = '';
  override _write(c: Buffer, _e: string, done: () => void): void {
    this.text += c.toString();
    done();
  }
}

async function decodeCli(bytes: Uint8Array, format: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Text();
  const stderr = new Text();
  const code = await main(['-f', format, 'decode'], { stdin: Readable.from([Buffer.from(bytes)]), stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('nlctl decode of fuzzed captures prints the same with the fast path as without it (300 cases)', async () => {
  const r = rng(0x6e6c6a73);
  let printed = 0;
  for (let i = 0; i < 300; i++) {
    const bytes = captureRecords(r);
    const format = i % 2 ? 'ndjson' : 'json';
    const a = await decodeCli(bytes, format, {});
    const b = await decodeCli(bytes, format, { NLCTL_GENERAL_DECODER: '1' });
    assert.deepEqual(a, b, `case ${i} (${format}): ${Buffer.from(bytes).toString('hex')}`);
    if (a.stdout.length > 2) printed++;
  }
  assert.ok(printed > 100, `only ${printed} cases printed messages`);
});

/** The route tables with one thing changed, for the fast path only: a struct field's name (a JSON key) or an enum's name (a value). */
function mutatedRoute(what: 'key' | 'value'): Schema {
  const route = schemaFor(0);
  if (what === 'key') {
    const st = route.structs.ifinfomsg!;
    const fields = st.fields.map((f) => (f.name === 'ifi_index' ? { ...f, name: 'ifi_indeks' } : f));
    return { ...route, structs: { ...route.structs, ifinfomsg: { ...st, fields } } };
  }
  const [setName, set] = Object.entries(route.attrSets).find(([, x]) => Object.values(x.attrs).some((d) => d.name === 'IFLA_OPERSTATE'))!;
  const [type, def] = Object.entries(set.attrs).find(([, d]) => d.name === 'IFLA_OPERSTATE')!;
  const table = Object.fromEntries(Object.entries(route.enums[def.enum!]!).map(([k, v]) => [k, `${v}-mutated`]));
  const enumName = `${def.enum!}-mutated`;
  return {
    ...route,
    enums: { ...route.enums, [enumName]: table },
    attrSets: { ...route.attrSets, [setName]: { ...set, attrs: { ...set.attrs, [type]: { ...def, enum: enumName } } } },
  };
}

test('mutation check: a key or a value the fast path renders differently fails the comparison', () => {
  const ds = dissectFixtures().find((f) => f.name === 'dissect/route-link-kinds.hex')!.ds;
  const want = general(ds, 'ndjson');
  assert.equal(fast(ds, 'ndjson').text, want);
  for (const what of ['key', 'value'] as const) {
    const schema = mutatedRoute(what);
    const got = fast(ds, 'ndjson', new ByteWriter(64), () => schema).text;
    const diff = firstDifference(got, want);
    assert.notEqual(diff, undefined, `a changed ${what} went unnoticed`);
    assert.match(diff!, what === 'key' ? /ifi_indeks/ : /-mutated"/);
  }
});

// Generic netlink learns family ids from nlctrl's CTRL_CMD_NEWFAMILY replies (and forgets them on
// CTRL_CMD_DELFAMILY). The fast path shows the general decoder's learn() only the top-level values
// of such a message (src/format/fast/lesson.ts): these cases check it learns what the general
// decoder learns, and that what it learns shows in the messages after. Numbers are the uapi's
// (<linux/genetlink.h>: GENL_ID_CTRL 16, CTRL_CMD_NEWFAMILY 1, DELFAMILY 2, CTRL_ATTR_FAMILY_ID 1
// u16, CTRL_ATTR_FAMILY_NAME 2 string; <linux/netdev.h>: NETDEV_CMD_DEV_GET 1).
const GENL = 16;
const u16 = (n: number, be = false): Uint8Array => Uint8Array.of(be ? n >> 8 : n & 0xff, be ? n & 0xff : n >> 8);
const u32 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
const cstr = (s: string): Uint8Array => new TextEncoder().encode(s + '\0');

function genl(type: number, cmd: number, attrs: AttrSpec[], flags = 0): Uint8Array {
  const body = encodeAttrs(attrs);
  const payload = new Uint8Array(4 + body.length);
  payload.set([cmd, 1, 0, 0]);
  payload.set(body, 4);
  return encodeMessage({ type, flags, seq: 7, pid: 0 }, payload);
}

const newFamily = (attrs: AttrSpec[]): Uint8Array => genl(GENL, 1, attrs);
const named = (id: number, name: string): AttrSpec[] => [{ type: 2, value: cstr(name) }, { type: 1, value: u16(id) }];
/** A netdev dev-get reply under the id `id`: named "netdev" only once that id was learned. */
const devGet = (id: number): Uint8Array => genl(id, 1, [{ type: 1, value: u32(3) }]);

function nlmsgError(errno: number, request: Uint8Array): Uint8Array {
  const payload = new Uint8Array(4 + request.length);
  new DataView(payload.buffer).setInt32(0, errno, true);
  payload.set(request, 4);
  return encodeMessage({ type: 2, flags: 0, seq: 7, pid: 0 }, payload);
}

const LEARNING: { what: string; ds: Uint8Array[]; learned?: string[]; unnamed?: number[] }[] = [
  { what: 'NEWFAMILY, then a message of that id', ds: [newFamily(named(0x22, 'netdev')), devGet(0x22)], learned: ['"type":34,', '"family":"netdev","type_name":"NETDEV_CMD_DEV_GET"'] },
  { what: 'a family no table knows, by name', ds: [newFamily(named(0x31, 'not_a_family')), devGet(0x31)], learned: ['"family":"not_a_family"'] },
  { what: 'NEWFAMILY and its use in one datagram', ds: [concat([newFamily(named(0x23, 'netdev')), devGet(0x23)])], learned: ['"family":"netdev","type_name":"NETDEV_CMD_DEV_GET"'] },
  { what: 'DELFAMILY forgets the id', ds: [newFamily(named(0x24, 'netdev')), genl(GENL, 2, named(0x24, 'netdev')), devGet(0x24)], unnamed: [0x24] },
  { what: 'the first of two FAMILY_ID attributes', ds: [newFamily([...named(0x25, 'netdev'), { type: 1, value: u16(0x26) }]), devGet(0x25), devGet(0x26)], unnamed: [0x26] },
  { what: 'FAMILY_ID in network byte order', ds: [newFamily([{ type: 2, value: cstr('netdev') }, { type: 1, value: u16(0x27, true), netByteOrder: true }]), devGet(0x27)], learned: ['"family":"netdev"'] },
  { what: 'a FAMILY_ID of the wrong size (a problem: the general decoder, which learns nothing)', ds: [newFamily([{ type: 2, value: cstr('netdev') }, { type: 1, value: u32(0x28) }]), devGet(0x28)], unnamed: [0x28] },
  { what: 'a name beyond ASCII (the general decoder reads it)', ds: [newFamily(named(0x2d, 'netdév')), devGet(0x2d)], learned: ['"family":"netdév"'] },
  { what: 'a name with bytes after its NUL', ds: [newFamily([{ type: 2, value: Uint8Array.of(...cstr('netdev'), 0x41, 0x42, 0) }, { type: 1, value: u16(0x2e) }]), devGet(0x2e)], learned: ['"family":"netdev","type_name":"NETDEV_CMD_DEV_GET"'] },
  { what: 'a name with no NUL', ds: [newFamily([{ type: 2, value: new TextEncoder().encode('netdev') }, { type: 1, value: u16(0x29) }]), devGet(0x29)] },
  { what: 'a NEWFAMILY request echoed in an error (the general decoder learns from the echo)', ds: [nlmsgError(-22, genl(GENL, 1, named(0x2a, 'netdev'), 1)), devGet(0x2a)], learned: ['"type":42,"flags":0,"flag_names":[],"seq":7,"pid":0,"diagnostics":[],"family":"netdev"'] },
  { what: 'a capped echo: only the request\'s header', ds: [encodeMessage({ type: 2, flags: 0x100, seq: 7, pid: 0 }, concat([Uint8Array.of(0xea, 0xff, 0xff, 0xff), genl(GENL, 1, named(0x2c, 'netdev'), 1).subarray(0, 16)])), devGet(0x2c)], unnamed: [0x2c] },
  { what: 'NEWFAMILY with nests and unknown attributes around the values', ds: [newFamily([{ type: 6, children: [{ type: 1, children: [{ type: 1, value: u32(1) }] }] }, ...named(0x2b, 'netdev'), { type: 99, value: u32(5) }]), devGet(0x2b)], learned: ['"family":"netdev"'] },
];

test('generic netlink family ids: the fast path learns from nlctrl what the general decoder learns', () => {
  for (const c of LEARNING) {
    const ds = c.ds.map((bytes, i) => ({ protocol: GENL, bytes, meta: META[i % META.length] }));
    const r = same(ds, c.what);
    const text = fast(ds, 'ndjson').text;
    for (const want of c.learned ?? []) assert.ok(text.includes(want), `${c.what}: no ${want} in ${text}`);
    for (const id of c.unnamed ?? []) {
      const line = text.split('\n').find((l) => l.includes(`"type":${id},`) && l.includes('"protocol":"generic"'));
      assert.ok(line && !line.includes('"family"'), `${c.what}: id ${id} should be unknown: ${line}`);
    }
    assert.ok(r.messages >= ds.length, c.what);
  }
  // The nlctrl replies of the captured fixtures are the fast path's own work, not the general decoder's.
  const ds = dissectFixtures().filter((f) => f.name.startsWith('dissect/genl-')).flatMap((f) => f.ds);
  const r = same(ds, 'genl fixtures in one context');
  assert.ok(r.messages > 100 && r.general === 0, `${r.general} of ${r.messages} generic netlink messages left to the general decoder`);
});

test('nlctl decode of a mixed capture with nlctrl frames prints the same with the fast path as without it', async () => {
  const w = new PcapWriter({ resolution: 'ns' });
  const parts = [w.header()];
  let i = 0;
  const add = (protocol: number, payload: Uint8Array): void => {
    parts.push(w.record({ protocol, payload, tsSec: 1_700_000_000, tsNsec: i * 1000, direction: i++ % 2 ? 'in' : 'out' }));
  };
  for (const f of dissectFixtures()) for (const d of f.ds) add(d.protocol, d.bytes);
  for (const c of LEARNING) for (const d of c.ds) add(GENL, d);
  // Family ids learned early are used late, across other protocols' frames.
  add(0, hexFixture('dissect/route-route.hex')[0]!.bytes);
  add(GENL, devGet(0x22));
  const bytes = Buffer.concat(parts);
  for (const format of ['ndjson', 'json']) {
    const a = await decodeCli(bytes, format, {});
    const b = await decodeCli(bytes, format, { NLCTL_GENERAL_DECODER: '1' });
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(a, b, format);
    assert.ok(a.stdout.includes('"family":"nl80211"') && a.stdout.includes('"family":"netdev","type_name":"NETDEV_CMD_DEV_GET"'), 'learned families named');
  }
});

test('capture times written from their numbers read as isoTimeOf writes them', () => {
  const r = rng(0x74696d65);
  const cases: [number, number][] = [[0, 0], [0, 999999], [2 ** 32 - 1, 999999], [1_700_000_000, 1], [1_700_000_000, 100000], [951782400, 5]];
  for (let i = 0; i < 2000; i++) cases.push([Math.floor(r() * 2 ** 32), Math.floor(r() * 1e6)]);
  const w = new ByteWriter(16);
  for (const [sec, us] of cases) {
    w.clear();
    writeTime(w, sec, us);
    assert.equal(w.view().toString('latin1'), JSON.stringify(isoTimeOf(sec, us)), `${sec} s ${us} us`);
    assert.equal(timeText(sec, us), isoTimeOf(sec, us));
  }
});
