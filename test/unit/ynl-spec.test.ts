// The YNL spec reader: malformed specs give one line naming the file and the YAML path; mutated
// specs never crash it (a clean SpecError or a compiled family whose decoder survives random
// bytes); C names by the generator's rules; and the YNL value types on hand-made bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { concat, encodeAttrs, encodeMessage, splitMessages } from '../../src/codec/index.js';
import { decodeAttrs, decodeMessage, newContext } from '../../src/schema/index.js';
import { attrsObject, ynlMessage } from '../../src/schema/ynl-json.js';
import { builtinFile, compileSpec, loadYamlParser, readSpecText, SpecError, specFamily } from '../../src/schema/ynl/index.js';
import { NLCTL, randomBytes, rng } from '../helpers.js';

await loadYamlParser();

const MINIMAL = `
name: demo
protocol: genetlink
attribute-sets:
  -
    name: main
    attributes:
      - { name: ifindex, type: u32 }
      - { name: inner, type: nest, nested-attributes: inner }
  -
    name: inner
    attributes:
      - { name: label, type: string }
operations:
  list:
    - { name: get, attribute-set: main, do: { request: { attributes: [ifindex] }, reply: { attributes: [ifindex, inner] } } }
`;

function problem(text: string): string {
  try {
    readSpecText(text, 'bad.yaml');
  } catch (e) {
    assert.ok(e instanceof SpecError, `not a SpecError: ${(e as Error).stack}`);
    assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
    return e.message;
  }
  return 'accepted';
}

/** The minimal spec with one change made to its parsed form. */
function mutate(change: (doc: Record<string, any>) => void): string {
  const doc = parse(MINIMAL);
  change(doc);
  return stringify(doc);
}

test('malformed specs: one line naming the file, the YAML path and what is wrong', () => {
  assert.equal(problem(MINIMAL), 'accepted');
  const cases: [string, RegExp][] = [
    ['name: [unclosed\n', /^bad\.yaml: line \d+, column \d+: /],
    ['- just\n- a list\n', /^bad\.yaml: \(top\): expected a mapping, found a list$/],
    [mutate((d) => delete d.name), /^bad\.yaml: \(top\): 'name' is missing$/],
    [mutate((d) => (d.protocol = 'genetlink-new')), /^bad\.yaml: protocol: 'genetlink-new' is not one of genetlink, /],
    [mutate((d) => (d['attribute-sets'][0].attributes[0].type = 'u7')), /^bad\.yaml: attribute-sets\[0\]\.attributes\[0\]\.type: 'u7' is not one of /],
    [mutate((d) => (d['attribute-sets'][0].attributes[1]['nested-attributes'] = 'nowhere')), /^bad\.yaml: attribute-sets\[0\]\.attributes\[1\]\.nested-attributes: no attribute set 'nowhere'$/],
    [mutate((d) => (d['attribute-sets'][0].attributes[1].value = 1)), /^bad\.yaml: attribute-sets\[0\]\.attributes\[1\]: attribute 'inner' has number 1, as 'ifindex' does$/],
    [mutate((d) => (d.operations.list[0]['attribute-set'] = 'other')), /^bad\.yaml: operations\.list\[0\]\.attribute-set: no attribute set 'other'$/],
    [mutate((d) => (d.operations.list[0].do.request.attributes = [7])), /^bad\.yaml: operations\.list\[0\]\.do\.request\.attributes\[0\]: expected an attribute name$/],
    [mutate((d) => { d.protocol = 'netlink-raw'; }), /^bad\.yaml: \(top\): 'protonum' is missing \(netlink-raw families need one\)$/],
    [mutate((d) => (d.definitions = [{ name: 'e', type: 'enum', entries: ['a', 'a'] }])), /^bad\.yaml: definitions\[0\]\.entries\[1\]: entry 'a' is defined twice$/],
    [mutate((d) => (d['attribute-sets'][0].attributes[0].enum = 'missing')), /^bad\.yaml: attribute-sets\[0\]\.attributes\[0\]\.enum: no enum 'missing' in definitions$/],
    [mutate((d) => (d['attribute-sets'][0].attributes.push({ name: 'm', type: 'sub-message', selector: 'ifindex' }))), /^bad\.yaml: attribute-sets\[0\]\.attributes\[2\]: a sub-message needs 'sub-message'$/],
    [mutate((d) => (d['attribute-sets'][0].attributes[0].value = 70000)), /^bad\.yaml: attribute-sets\[0\]\.attributes\[0\]\.value: expected a whole number from 0 to 16383, found 70000$/],
  ];
  for (const [text, want] of cases) assert.match(problem(text), want);
});

test('a malformed --spec at the CLI: exit 2 and one nlctl: line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-spec-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, mutate((d) => (d['attribute-sets'][0].attributes[0].type = 'u7')));
  const r = spawnSync(process.execPath, [NLCTL, '--spec', file, 'spec', 'demo'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^nlctl: ${file}: attribute-sets\\[0\\]\\.attributes\\[0\\]\\.type: 'u7' is not one of [^\\n]+\\n$`));
  const missing = spawnSync(process.execPath, [NLCTL, '--spec', join(dir, 'none.yaml'), 'spec'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `nlctl: ${join(dir, 'none.yaml')}: (file): no such file\n`);
  // A good one replaces the built-in family of its name.
  const good = join(dir, 'netdev.yaml');
  writeFileSync(good, MINIMAL.replace('name: demo', 'name: netdev'));
  const ok = spawnSync(process.execPath, [NLCTL, '--spec', good, '-j', 'spec', 'netdev'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const fam = JSON.parse(ok.stdout);
  assert.equal(fam.source, good);
  assert.deepEqual(fam.operations.map((o: { name: string }) => o.name), ['get']);
});

/** Replace a random node of a parsed document by junk, or delete it. */
function mutateNode(doc: unknown, next: () => number): unknown {
  const junk = [null, 0, -1, 99999, 'x', '', true, [], {}, [1, 'a'], { name: 5 }, 'u32', 'nest', 'sub-message'];
  const pickJunk = () => structuredClone(junk[Math.floor(next() * junk.length)]);
  const walk = (node: unknown, depth: number): unknown => {
    if (node === null || typeof node !== 'object' || (depth > 0 && next() < 0.15)) return next() < 0.5 ? pickJunk() : node;
    if (Array.isArray(node)) {
      if (!node.length) return node;
      const i = Math.floor(next() * node.length);
      const copy = [...node];
      if (next() < 0.1) copy.splice(i, 1);
      else copy[i] = walk(copy[i], depth + 1);
      return copy;
    }
    const keys = Object.keys(node);
    if (!keys.length) return node;
    const k = keys[Math.floor(next() * keys.length)];
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    if (next() < 0.1) delete copy[k];
    else copy[k] = walk(copy[k], depth + 1);
    return copy;
  };
  return walk(doc, 0);
}

test('fuzzed specs: a clean SpecError or a family whose decoder survives random bytes, never a crash', () => {
  const next = rng(0x5eed);
  const bases = ['netdev', 'rt-link', 'tc', 'nlctrl', 'ethtool'].map((n) => JSON.parse(builtinFile(`${n}.json`)!));
  let rejected = 0;
  let compiled = 0;
  for (let i = 0; i < 400; i++) {
    const base = bases[i % bases.length];
    let doc: unknown = base;
    for (let n = 1 + Math.floor(next() * 3); n > 0; n--) doc = mutateNode(doc, next);
    // Some as text, cut or spliced, for the YAML parser's errors too.
    let text = i % 4 === 0 ? stringify(doc) : JSON.stringify(doc);
    if (i % 7 === 0) text = text.slice(0, Math.floor(next() * text.length));
    let fam;
    try {
      fam = compileSpec(readSpecText(text, `fuzz-${i}.yaml`), 'fuzz');
    } catch (e) {
      assert.ok(e instanceof SpecError, `case ${i}: not a SpecError: ${(e as Error).stack}`);
      assert.ok(!e.message.includes('\n'), `case ${i}: more than one line`);
      rejected++;
      continue;
    }
    compiled++;
    for (const setName of Object.keys(fam.schema.attrSets).slice(0, 6)) {
      for (let k = 0; k < 5; k++) {
        const d = decodeAttrs(randomBytes(next, Math.floor(next() * 80)), setName, fam.schema, newContext(), 0, []);
        // The YNL view of whatever came out never throws either.
        attrsObject(d, fam.schema.attrSets[setName], fam.schema);
      }
    }
  }
  assert.ok(rejected > 50 && compiled > 50, `rejected ${rejected}, compiled ${compiled}: the mutations should do both`);
});

test('C names by the kernel generator\'s rules', () => {
  const netdev = specFamily('netdev')!;
  assert.equal(netdev.schema.attrSets.dev.attrs[1].name, 'NETDEV_A_DEV_IFINDEX');
  assert.equal(netdev.schema.attrSets.dev.attrs[1].spec, 'ifindex');
  assert.equal(netdev.ops.find((o) => o.name === 'dev-get')!.cName, 'NETDEV_CMD_DEV_GET');
  assert.equal(netdev.groups.find((g) => g.name === 'mgmt')!.cName, 'NETDEV_MCGRP_MGMT');
  const ethtool = specFamily('ethtool')!;
  const linkinfo = ethtool.ops.find((o) => o.name === 'linkinfo-get')!;
  assert.deepEqual([linkinfo.cName, linkinfo.replyCName, linkinfo.reqValue, linkinfo.rspValue], ['ETHTOOL_MSG_LINKINFO_GET', 'ETHTOOL_MSG_LINKINFO_GET_REPLY', 2, 2]);
  assert.equal(ethtool.schema.attrSets.header.attrs[2].name, 'ETHTOOL_A_HEADER_DEV_NAME');
  const devlink = specFamily('devlink')!;
  const get = devlink.ops.find((o) => o.name === 'get')!;
  assert.deepEqual([get.cName, get.replyCName, get.rspValue], ['DEVLINK_CMD_GET', 'DEVLINK_CMD_NEW', 3]);
  const rtlink = specFamily('rt-link')!;
  assert.equal(rtlink.protonum, 0);
  assert.equal(rtlink.schema.messages[16].name, 'RTM_NEWLINK');
  assert.equal(rtlink.schema.messages[18].name, 'RTM_GETLINK');
  assert.equal(rtlink.schema.attrSets['linkinfo-attrs'].attrs[1].name, 'IFLA_INFO_KIND');
  assert.equal(rtlink.schema.structs.ifinfomsg.fields.find((f) => f.spec === 'ifi-flags')?.flags, 'ifinfo-flags');
});

const u32 = (n: number) => Uint8Array.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
const str = (s: string) => new TextEncoder().encode(s + '\0');

test('rt-link from its spec: ifinfomsg, flags by name, a sub-message by kind, a struct attribute', () => {
  const fam = specFamily('rt-link')!;
  const ifinfomsg = concat([Uint8Array.from([0, 0, 1, 0]), u32(5), u32(0x1 | 0x8), u32(0)]);
  const stats = new Uint8Array(fam.schema.structs.rtnl_link_stats64 ? 8 * 24 : 0);
  stats[0] = 7; // rx-packets
  const attrs = encodeAttrs([
    { type: 3, value: str('br0') },
    { type: 18, children: [{ type: 1, value: str('bridge') }, { type: 2, children: [{ type: 1, value: u32(1500) }] }] },
    { type: 23, value: stats },
    { type: 999, value: Uint8Array.from([1, 2]) },
  ]);
  const bytes = encodeMessage({ type: 16, flags: 0, seq: 1, pid: 0 }, concat([ifinfomsg, attrs]));
  const m = decodeMessage(splitMessages(bytes).messages[0], fam.schema, newContext());
  assert.deepEqual(m.diagnostics, []);
  assert.equal(m.type_name, 'RTM_NEWLINK');
  assert.equal(m.header?.name, 'ifinfomsg');
  assert.deepEqual(m.header?.fields.ifi_flags, ['up', 'loopback']);
  const linkinfo = m.attrs!.find((a) => a.type === 18)!;
  assert.equal(linkinfo.name, 'IFLA_LINKINFO');
  assert.equal(linkinfo.spec_name, 'linkinfo');
  const data = linkinfo.attrs!.find((a) => a.type === 2)!;
  assert.equal(data.attrs?.[0].name, 'IFLA_BR_FORWARD_DELAY');
  assert.equal(data.attrs?.[0].spec_name, 'forward-delay');
  const y = ynlMessage(m)!;
  assert.equal(y.ifname, 'br0');
  assert.deepEqual(y.linkinfo, { kind: 'bridge', data: { 'forward-delay': 1500 } });
  assert.equal((y.stats64 as Record<string, number>)['rx-packets'], 7);
  assert.equal(y['UnknownAttr(999)'], '0102');
  assert.equal(y['ifi-index'], 5);
  assert.deepEqual(y['ifi-flags'], ['loopback', 'up']);
});

test('tc from its spec: a sub-message with a fixed header (prio) picked by TCA_KIND', () => {
  const fam = specFamily('tc')!;
  const tcmsg = new Uint8Array(20);
  tcmsg[4] = 2; // tcm_ifindex
  const qopt = concat([u32(3), Uint8Array.from([1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])]);
  const attrs = encodeAttrs([{ type: 1, value: str('prio') }, { type: 2, value: qopt }]);
  const bytes = encodeMessage({ type: 36, flags: 0, seq: 1, pid: 0 }, concat([tcmsg, attrs]));
  const m = decodeMessage(splitMessages(bytes).messages[0], fam.schema, newContext());
  assert.deepEqual(m.diagnostics, []);
  assert.equal(m.type_name, 'RTM_NEWQDISC');
  const options = m.attrs!.find((a) => a.type === 2)!;
  assert.equal(options.name, 'TCA_OPTIONS');
  assert.deepEqual(options.value, { bands: 3, priomap: '01020202010200000101010101010101' });
  const y = ynlMessage(m)!;
  assert.deepEqual(y.options, { bands: 3, priomap: '01020202010200000101010101010101' });
  assert.equal(y.kind, 'prio');
  // No format for the kind: a diagnostic, the bytes kept.
  const odd = encodeMessage({ type: 36, flags: 0, seq: 1, pid: 0 }, concat([tcmsg, encodeAttrs([{ type: 1, value: str('nosuch') }, { type: 2, value: u32(1) }])]));
  const m2 = decodeMessage(splitMessages(odd).messages[0], fam.schema, newContext());
  assert.match(m2.diagnostics.concat(m2.attrs!.flatMap((a) => a.diagnostics ?? [])).map((d) => d.message).join(), /no format for kind 'nosuch'/);
  assert.equal(m2.attrs!.find((a) => a.type === 2)!.hex, '01000000');
});

test('YNL value types: uint/sint widths, bitfield32, indexed-array of scalars, uuid, binary arrays, pad', () => {
  const fam = compileSpec(readSpecText(`
name: types
definitions:
  - { name: fl, type: flags, entries: [a, b, c] }
attribute-sets:
  - name: t
    attributes:
      - { name: u, type: uint }
      - { name: s, type: sint }
      - { name: bf, type: bitfield32, enum: fl }
      - { name: arr, type: indexed-array, sub-type: u16 }
      - { name: id, type: binary, display-hint: uuid }
      - { name: words, type: binary, sub-type: u32 }
      - { name: pad, type: pad }
      - { name: many, type: u8, multi-attr: true }
      - { name: hx, type: binary, display-hint: hex }
operations:
  list:
    - { name: get, attribute-set: t, do: { reply: { attributes: [u] } } }
`, 'types.yaml'), 'test');
  const u64 = Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0]);
  const bytes = encodeAttrs([
    { type: 1, value: u64 }, { type: 2, value: Uint8Array.from([0xff, 0xff, 0xff, 0xff]) },
    { type: 3, value: concat([u32(5), u32(7)]) },
    { type: 4, children: [{ type: 0, value: Uint8Array.from([1, 0]) }, { type: 1, value: Uint8Array.from([2, 0]) }] },
    { type: 5, value: Uint8Array.from({ length: 16 }, (_, i) => i) },
    { type: 6, value: concat([u32(1), u32(2)]) },
    { type: 7, value: new Uint8Array(4) },
    { type: 8, value: Uint8Array.from([1]) }, { type: 8, value: Uint8Array.from([2]) },
    { type: 9, value: Uint8Array.from([0xab, 0xcd]) },
    { type: 1, value: Uint8Array.from([1, 2, 3]) },
  ]);
  const d = decodeAttrs(bytes, 't', fam.schema, newContext(), 0, []);
  assert.equal(d[0].value, 2 ** 32);
  assert.equal(d[1].value, -1);
  assert.deepEqual(d[2].value, { value: ['a', 'c'], selector: ['a', 'b', 'c'] });
  assert.deepEqual(d[3].attrs?.map((c) => c.value), [1, 2]);
  assert.equal(d[4].value, '00010203-0405-0607-0809-0a0b0c0d0e0f');
  assert.deepEqual(d[5].value, [1, 2]);
  assert.equal(d[10].hex ?? d[10].value, '010203');
  assert.match(d[10].diagnostics?.[0].message ?? '', /uint needs 4 or 8 bytes, found 3/);
  // The YNL view of the same attributes.
  const y = attrsObject(d.slice(0, 10), fam.schema.attrSets.t, fam.schema);
  assert.deepEqual(y, {
    u: 2 ** 32, s: -1, bf: { value: ['a', 'c'], selector: ['a', 'b', 'c'] }, arr: [1, 2],
    id: '00010203-0405-0607-0809-0a0b0c0d0e0f', words: [1, 2], many: [1, 2], hx: 'ab cd',
  });
});

test('records straight from bytes resolve a sub-message as the full decoder does', async () => {
  const { decodeRecord, toRecord } = await import('../../src/schema/index.js');
  const fam = specFamily('rt-link')!;
  const ifinfomsg = new Uint8Array(16);
  const attrs = encodeAttrs([{ type: 3, value: str('br9') }, { type: 18, children: [{ type: 1, value: str('bridge') }, { type: 2, children: [{ type: 1, value: u32(1500) }] }] }]);
  const raw = splitMessages(encodeMessage({ type: 16, flags: 0, seq: 1, pid: 0 }, concat([ifinfomsg, attrs]))).messages[0];
  const fast = decodeRecord(raw, fam.schema, newContext());
  assert.deepEqual(fast, toRecord(decodeMessage(raw, fam.schema, newContext()), fam.schema));
  assert.deepEqual((fast as any).linkinfo.data, { forward_delay: 1500 });
});

test('every built-in family: random attributes of every set decode and show as YNL would, never a throw', async () => {
  const { builtinIndex } = await import('../../src/schema/ynl/index.js');
  const next = rng(0xa77);
  let decoded = 0;
  for (const name of Object.keys(builtinIndex().families)) {
    const fam = specFamily(name)!;
    for (const [setName, set] of Object.entries(fam.schema.attrSets)) {
      const types = Object.keys(set.attrs).map(Number);
      for (let k = 0; k < 4; k++) {
        // Well-formed TLVs of the set's own types (nested ones too), with random values.
        const specs = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
          const type = types.length && next() < 0.9 ? types[Math.floor(next() * types.length)] : Math.floor(next() * 400);
          return next() < 0.3
            ? { type, children: [{ type: Math.floor(next() * 8), value: randomBytes(next, Math.floor(next() * 12)) }] }
            : { type, value: randomBytes(next, [0, 1, 2, 4, 8, 16, 3][Math.floor(next() * 7)]) };
        });
        const d = decodeAttrs(encodeAttrs(specs), setName, fam.schema, newContext(), 0, []);
        attrsObject(d, set, fam.schema);
        decoded++;
      }
    }
  }
  assert.ok(decoded > 1000, `${decoded} attribute lists`);
});

test('64-bit values beyond 2^53 print as exact JSON numbers in the YNL view, as YNL prints them', async () => {
  const { JsonWriter } = await import('../../src/format/json.js');
  const fam = specFamily('netdev')!;
  const big = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0x10]); // 0x1000000000000001
  // qstats rx-packets (8) is a uint: 8 bytes here.
  const d = decodeAttrs(encodeAttrs([{ type: 1, value: u32(3) }, { type: 8, value: big }]), 'qstats', fam.schema, newContext(), 0, []);
  assert.equal(d[1].value, '1152921504606846977');
  let out = '';
  const w = new JsonWriter({ write: (t: string) => (out += t) });
  w.write({ record: attrsObject(d, fam.schema.attrSets.qstats, fam.schema) });
  w.end();
  assert.match(out, /:1152921504606846977[,}]/);
  assert.doesNotMatch(out, /u0000/);
});
