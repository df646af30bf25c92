// nlctl spec, and messages built offline by spec names: what a family offers, spec and C names
// and --json/--request giving the same bytes, NLCTL_SPEC_PATH replacing a built-in family.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runNlctl } from '../helpers.js';

test('nlctl spec: the families, with the version of the built-in tables', () => {
  const r = runNlctl(['-j', 'spec']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.builtin_version, /^linux-source-\d+\.\d+ /);
  const names = out.families.map((f: { name: string }) => f.name);
  for (const n of ['netdev', 'ethtool', 'nlctrl', 'devlink', 'nl80211', 'tcp_metrics', 'rt-link', 'tc', 'nlctl_test', 'netlink-test']) assert.ok(names.includes(n), n);
  assert.equal(out.families.find((f: { name: string }) => f.name === 'netlink-test').protonum, 25);
});

test('nlctl spec FAMILY: operations with do/dump, sets, groups; --op like YNL --list-attrs', () => {
  const r = runNlctl(['-j', 'spec', 'netdev']);
  assert.equal(r.code, 0, r.stderr);
  const fam = JSON.parse(r.stdout);
  const devGet = fam.operations.find((o: { name: string }) => o.name === 'dev-get');
  assert.equal(devGet.c_name, 'NETDEV_CMD_DEV_GET');
  assert.deepEqual(devGet.do.request, ['ifindex']);
  assert.ok(devGet.dump.reply.includes('xdp-features'));
  assert.ok(fam.mcast_groups.some((g: { name: string }) => g.name === 'mgmt'));
  const text = runNlctl(['spec', 'ethtool', '--op', 'linkinfo-get']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^linkinfo-get \(ETHTOOL_MSG_LINKINFO_GET = 2\)/);
  assert.match(text.stdout, /request:\n {4}header: nest header/);
  const set = runNlctl(['spec', 'ethtool', '--set', 'header']);
  assert.match(set.stdout, /^\s+2 dev-name\s+ETHTOOL_A_HEADER_DEV_NAME\s+string$/m);
  const bad = runNlctl(['spec', 'netdev', '--op', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^nlctl: family netdev has no operation 'nope' \(it has: dev-get, /);
});

test('a request by spec names, C names or --json is the same message; decoding names both', () => {
  const base = ['encode', '--family', 'nlctrl', '--cmd', 'getfamily', '--seq', '5'];
  const bySpec = runNlctl([...base, '--attr', 'family-name=nlctrl']);
  const byC = runNlctl(['encode', '--family', 'nlctrl', '--cmd', 'CTRL_CMD_GETFAMILY', '--seq', '5', '--attr', 'CTRL_ATTR_FAMILY_NAME=nlctrl']);
  const byJson = runNlctl([...base, '--json', '{"family-name": "nlctrl"}']);
  assert.equal(bySpec.code, 0, bySpec.stderr);
  assert.equal(bySpec.stdout, byC.stdout);
  assert.equal(bySpec.stdout, byJson.stdout);
  // nlmsghdr (type 0x10, request), genlmsghdr cmd 3 version 2, CTRL_ATTR_FAMILY_NAME "nlctrl".
  assert.equal(bySpec.stdout.trim(), '2000000010000100050000000000000003020000' + '0b0002006e6c6374726c0000');
  const d = runNlctl(['decode', '-p', 'generic', '-j'], { input: bySpec.stdout });
  const [m] = JSON.parse(d.stdout);
  assert.equal(m.op, 'getfamily');
  assert.deepEqual([m.attrs[0].name, m.attrs[0].spec_name, m.attrs[0].value], ['CTRL_ATTR_FAMILY_NAME', 'family-name', 'nlctrl']);
  const wrong = runNlctl([...base, '--json', '{"family": "x"}']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^nlctl: --request: family: unknown attribute \(known: family-id, family-name/);
});

test('the test module protocol by its spec: --json with a flag, the reply set by direction', () => {
  const r = runNlctl(['encode', '-p', 'test', '-t', 'stats', '--seq', '1', '--json', '{"reset": true}']);
  assert.equal(r.code, 0, r.stderr);
  // NLTEST_MSG_STATS (0x13), then NLTEST_ATTR_RESET (10), a flag.
  assert.equal(r.stdout.trim(), '1400000013000100010000000000000004000a00');
  // A reply (no NLM_F_REQUEST) of the same type: counters, by their C and spec names.
  const reply = '1c000000130000000100000000000000' + '0c000100' + '0500000000000000';
  const d = runNlctl(['decode', '-p', 'test', '-j'], { input: reply });
  assert.equal(d.code, 0, d.stderr);
  const [m] = JSON.parse(d.stdout);
  assert.equal(m.type_name, 'NLTEST_MSG_STATS');
  assert.deepEqual([m.attrs[0].name, m.attrs[0].spec_name, m.attrs[0].value], ['NLTEST_STATS_RX', 'rx', 5]);
});

test('NLCTL_SPEC_PATH: a spec there replaces the built-in family of its name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-specpath-'));
  writeFileSync(join(dir, 'netdev.yaml'), `
name: netdev
protocol: genetlink
attribute-sets:
  - name: dev
    attributes:
      - { name: ifindex, type: u32 }
      - { name: newer-attr, type: string }
operations:
  list:
    - { name: dev-get, attribute-set: dev, dump: { reply: { attributes: [ifindex, newer-attr] } } }
`);
  const r = runNlctl(['-j', 'spec', 'netdev'], { env: { NLCTL_SPEC_PATH: dir } });
  assert.equal(r.code, 0, r.stderr);
  const fam = JSON.parse(r.stdout);
  assert.equal(fam.source, join(dir, 'netdev.yaml'));
  assert.deepEqual(fam.operations.map((o: { name: string }) => o.name), ['dev-get']);
  writeFileSync(join(dir, 'netdev.yaml'), 'name: netdev\nattribute-sets: 3\noperations: {list: []}\n');
  const bad = runNlctl(['spec', 'netdev'], { env: { NLCTL_SPEC_PATH: dir } });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, `nlctl: ${join(dir, 'netdev.yaml')}: attribute-sets: expected a list\n`);
});
