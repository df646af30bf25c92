// The fast JSON path (src/format/fast) against the general decoder and its JSON writers, byte
// for byte: every fixture (dissect and codec hex, hex dumps, captures, strace), seeded mutations
// of every datagram under every protocol, and whole `nlctl decode` runs of fuzzed captures with
// the fast path on and off. A mutation check: tables changed for the fast path alone (one key, one
// value) must make the comparison fail.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { readCapture, stripCookedHeader } from '../../src/capture/pcap.js';
import { straceTables } from '../../src/commands/strace-tables.js';
import { isoTime } from '../../src/commands/stream.js';
import { FastJson, type CaptureMeta, type Framing } from '../../src/format/fast/message.js';
import { JsonWriter, NdjsonWriter } from '../../src/format/json.js';
import { ByteWriter } from '../../src/format/json-bytes.js';
import { parseHexDump } from '../../src/input/hex/index.js';
import { parseStraceText } from '../../src/input/strace/index.js';
import { main } from '../../src/main.js';
import { decodeDatagram, newContext, schemaFor, type DecodeContext, type Schema } from '../../src/schema/index.js';
import { captureRecords, DATAGRAMS } from '../fuzz-inputs.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

interface Datagram { protocol: number; bytes: Uint8Array; meta?: CaptureMeta }

const PROTOCOLS = [0, 4, 9, 12, 15, 16, 25];
const PREFIX: Record<string, number> = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

function contexts(): (p: number) => DecodeContext {
  const m = new Map<number, DecodeContext>();
  return (p) => m.get(p) ?? m.set(p, newContext()).get(p)!;
}

/** The reference: decodeDatagram, then the ndjson or json writer over JSON.stringify. */
function general(ds: Datagram[], framing: 'ndjson' | 'json'): string {
  let text = '';
  const sink = { write: (t: string) => { text += t; } };
  const w = framing === 'ndjson' ? new NdjsonWriter(sink) : new JsonWriter(sink);
  const ctx = contexts();
  for (const d of ds) {
    for (const m of decodeDatagram(d.bytes, schemaFor(d.protocol), ctx(d.protocol))) {
      // As decode builds it for a capture: time, then direction, each when known.
      if (d.meta) m.meta = { ...(d.meta.time !== undefined ? { time: d.meta.time } : {}), ...(d.meta.direction ? { direction: d.meta.direction } : {}) };
      w.write({ message: m });
    }
  }
  w.end();
  return text;
}

function fast(ds: Datagram[], framing: Framing, writer = new ByteWriter(64), schemaOf: (p: number) => Schema = schemaFor): { text: string; messages: number; general: number } {
  const f = new FastJson(writer, framing, () => 0);
  const ctx = contexts();
  for (const d of ds) f.datagram(d.bytes, schemaOf(d.protocol), ctx(d.protocol), d.meta);
  f.end();
  return { text: writer.take().toString('utf8'), messages: f.messages, general: f.general };
}

/** The first line (or 200 characters) where two texts differ, for a readable failure. */
function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `at ${i}:\n  fast:    …${a.slice(Math.max(0, i - 120), i + 80)}\n  general: …${b.slice(Math.max(0, i - 120), i + 80)}`;
}

function same(ds: Datagram[], what: string): { messages: number; general: number } {
  const nd = fast(ds, 'ndjson');
  const diff = firstDifference(nd.text, general(ds, 'ndjson'));
  assert.equal(diff, undefined, `${what} (ndjson): ${diff}`);
  const js = fast(ds, 'json');
  const jdiff = firstDifference(js.text, general(ds, 'json'));
  assert.equal(jdiff, undefined, `${what} (json): ${jdiff}`);
  return nd;
}

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

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const pick = (n: number) => Math.floor(r() * n);
  switch (pick(6)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n && b.length; i++) b[pick(b.length)] ^= 1 + pick(255);
      return b;
    case 1:
      return b.subarray(0, pick(b.length + 1));
    case 2: { // a length that lies, at an aligned offset
      if (b.length < 4) return b;
      const at = pick(b.length >> 2) * 4;
      const lie = [0, 1, 3, 4, 5, 8, 15, 16, 17, 20, 0xffff, b.length + 4, pick(0x10000)][pick(13)]!;
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (r() < 0.4 && at + 4 <= b.length) v.setUint32(at, lie, true);
      else v.setUint16(at, lie & 0xffff, true);
      return b;
    }
    case 3: { // bytes spliced in
      const junk = Uint8Array.from({ length: 1 + pick(24) }, () => pick(256));
      const at = pick(b.length + 1);
      return Uint8Array.from([...b.subarray(0, at), ...junk, ...b.subarray(at)]);
    }
    case 4: // nested and byte-order flags toggled on an aligned attribute header
      if (b.length >= 24) b[16 + pick((b.length - 16) >> 2) * 4 + 3] ^= [0x80, 0x40, 0xc0][pick(3)]!;
      return b;
    default: // a value byte set to an edge: 0, 0xff, a printable or non-ASCII byte
      if (b.length) b[pick(b.length)] = [0, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x0a, 0xc3][pick(8)]!;
      return b;
  }
}

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
