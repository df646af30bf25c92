// Generic netlink families by their specs against the real kernel, in a namespace of their own:
// dumps and dos by spec names, replies in YNL's JSON shape, compared with what ip(8) reports.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { ipLink, ndjson, netnsWithNewLink, nlctlJson, requireNamespaces, requireTool, runNlctl, sh, startNlctl, withNetns } from '../helpers.js';

test('netdev dev-get dump: one object per device, ifindexes as ip link has them', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link add s0 type veth peer name s1; ip -n ${ns} link set lo up`);
  const want = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link'], { encoding: 'utf8' })).map((l: any) => l.ifindex).sort();
  const got = nlctlJson('dump', '--family', 'netdev', '--cmd', 'dev-get', '--netns', ns);
  assert.deepEqual(got.map((d: any) => d.ifindex).sort(), want);
  for (const d of got) assert.ok(Array.isArray(d['xdp-features']), 'flags by name, as a list');
  // The decoded-message view keeps C names with the spec names beside them.
  const msgs = runNlctl(['dump', '--family', 'netdev', '--cmd', 'NETDEV_CMD_DEV_GET', '--messages', '-f', 'ndjson', '--netns', ns]);
  const first = JSON.parse(msgs.stdout.split('\n')[0]);
  assert.equal(first.attrs[0].name, 'NETDEV_A_DEV_IFINDEX');
  assert.equal(first.attrs[0].spec_name, 'ifindex');
});

test('ethtool by spec names: a do with --json, a dump of features, channels of a veth', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link add e0 type veth peer name e1; ip -n ${ns} link set e0 up; ip -n ${ns} link set lo up`);
  const [info] = nlctlJson('send', '--family', 'ethtool', '--cmd', 'linkinfo-get', '--json', '{"header": {"dev-name": "e0"}}', '--netns', ns);
  assert.equal(info.header['dev-name'], 'e0');
  assert.equal(typeof info.port, 'number');
  const byAttr = nlctlJson('send', '--family', 'ethtool', '--cmd', 'ETHTOOL_MSG_LINKINFO_GET', '--attr', 'header={dev-name=e0}', '--netns', ns);
  assert.deepEqual(byAttr, [info]);
  const features = nlctlJson('dump', '--family', 'ethtool', '--cmd', 'features-get', '--netns', ns);
  const e0 = features.find((f: any) => f.header['dev-name'] === 'e0');
  assert.ok(e0.hw.bits.bit.some((b: any) => typeof b.name === 'string'), 'feature bits by name');
  // veth has channels (one queue pair by default), no rings.
  const channels = nlctlJson('dump', '--family', 'ethtool', '--cmd', 'channels-get', '--netns', ns);
  const ch = channels.find((c: any) => c.header['dev-name'] === 'e0');
  assert.deepEqual([ch['rx-count'], ch['tx-count']], [1, 1]);
  assert.deepEqual(nlctlJson('dump', '--family', 'ethtool', '--cmd', 'rings-get', '--netns', ns), []);
});

test('nlctrl getfamily do: ops and groups as YNL lists them; an unknown family is a kernel error', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const [fam] = nlctlJson('send', '--family', 'nlctrl', '--cmd', 'getfamily', '--json', '{"family-name": "nlctrl"}', '--netns', ns);
  assert.equal(fam['family-name'], 'nlctrl');
  assert.equal(fam['family-id'], 16);
  assert.deepEqual(fam['mcast-groups'], [{ 1: { id: 16, name: 'notify' } }]);
  assert.ok(fam.ops.some((o: any) => o[1]?.id === 3 && o[1].flags.includes('cmd-cap-dump')));
  const r = runNlctl(['send', '--family', 'nlctrl', '--cmd', 'getfamily', '--json', '{"family-name": "no-such"}', '--netns', ns]);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^nlctl: .*No such file or directory|ENOENT/m);
});

test('listen --group netdev:mgmt: -p generic implied, notifications named by the spec', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  const l = startNlctl(['listen', '--group', 'netdev:mgmt', '-c', '2', '--timeout', '10', '-f', 'ndjson', '--netns', ns]);
  await l.ready;
  sh(`ip -n ${ns} link add n0 type veth peer name n1`);
  const done = await l.done;
  assert.equal(done.code, 0, done.stderr);
  const msgs = ndjson(done.stdout);
  assert.equal(msgs.length, 2);
  for (const m of msgs) {
    assert.equal(m.family, 'netdev');
    assert.equal(m.type_name, 'NETDEV_CMD_DEV_ADD_NTF');
    assert.equal(m.op, 'dev-add-ntf');
    assert.equal(m.attrs[0].spec_name, 'ifindex');
  }
});

test('rt-link by its spec: newlink of a bridge with spec names, dumped back the same', (t) => {
  const ns = netnsWithNewLink(t, ['--family', 'rt-link', '--cmd', 'newlink'],
    ['--json', '{"ifname": "br7", "mtu": 1400, "linkinfo": {"kind": "bridge", "data": {"stp-state": 1, "forward-delay": 800}}}']);
  if (!ns) return;
  const [link] = nlctlJson('send', '--family', 'rt-link', '--cmd', 'getlink', '--attr', 'ifname=br7', '--netns', ns);
  assert.equal(link.ifname, 'br7');
  assert.equal(link.mtu, 1400);
  assert.equal(link.linkinfo.kind, 'bridge');
  assert.deepEqual([link.linkinfo.data['stp-state'], link.linkinfo.data['forward-delay']], [1, 800]);
  const ip = ipLink(ns, 'br7');
  assert.equal(ip.linkinfo.info_kind, 'bridge');
  assert.equal(ip.linkinfo.info_data.stp_state, 1);
  assert.equal(link['ifi-index'], ip.ifindex);
});
