// A vxlan link made by spec names (send --family rt-link --cmd newlink) and by C names (the
// route protocol's --attr), in a namespace, then read back: by ip -d -j, and by nlctl itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipLink, netnsWithNewLink, runNlctl } from '../helpers.js';

test('send --family rt-link --cmd newlink makes a vxlan link that dumps back the same', (t) => {
  const ns = netnsWithNewLink(t, ['--family', 'rt-link', '--cmd', 'newlink'],
    ['--attr', 'ifname=vx42,mtu=1400,linkinfo={kind=vxlan,data={id=42,port=4789,ttl=64,learning=0}}']);
  if (!ns) return;

  const ip = ipLink(ns, 'vx42');
  assert.equal(ip.mtu, 1400);
  assert.equal(ip.linkinfo.info_kind, 'vxlan');
  assert.equal(ip.linkinfo.info_data.id, 42);
  assert.equal(ip.linkinfo.info_data.port, 4789);
  assert.equal(ip.linkinfo.info_data.ttl, 64);
  assert.equal(ip.linkinfo.info_data.learning, false);

  // Read back in YNL's shape, by spec names.
  const dump = runNlctl(['dump', '--family', 'rt-link', '--cmd', 'getlink', '-j', '--netns', ns]);
  assert.equal(dump.code, 0, dump.stderr);
  const link = (JSON.parse(dump.stdout) as any[]).find((l) => l.ifname === 'vx42');
  assert.ok(link, dump.stdout.slice(0, 300));
  assert.equal(link['ifi-index'], ip.ifindex);
  assert.equal(link.mtu, 1400);
  assert.equal(link.linkinfo.kind, 'vxlan');
  assert.deepEqual({ id: link.linkinfo.data.id, port: link.linkinfo.data.port, ttl: link.linkinfo.data.ttl, learning: link.linkinfo.data.learning },
    { id: 42, port: 4789, ttl: 64, learning: 0 });
});

test('--attr with C names makes a vxlan link: IFLA_LINKINFO={IFLA_INFO_KIND=vxlan,IFLA_INFO_DATA={IFLA_VXLAN_ID=…}}', (t) => {
  const ns = netnsWithNewLink(t, ['-t', 'RTM_NEWLINK'],
    ['--attr', 'IFLA_IFNAME=vx43', '--attr', 'IFLA_LINKINFO={IFLA_INFO_KIND=vxlan,IFLA_INFO_DATA={IFLA_VXLAN_ID=43,IFLA_VXLAN_PORT=8472}}']);
  if (!ns) return;
  const ip = ipLink(ns, 'vx43');
  assert.equal(ip.linkinfo.info_data.id, 43);
  assert.equal(ip.linkinfo.info_data.port, 8472);

  // The dump shortcut's record names the link data too.
  const dump = runNlctl(['dump', 'link', '-j', '--netns', ns]);
  assert.equal(dump.code, 0, dump.stderr);
  const rec = (JSON.parse(dump.stdout) as any[]).find((l) => l.ifname === 'vx43');
  assert.equal(rec.linkinfo.info_kind, 'vxlan');
  assert.equal(rec.linkinfo.info_data.vxlan_id, 43);
  assert.equal(rec.linkinfo.info_data.vxlan_port, 8472);
});

test('a sub-message without its selector, or with a kind no table knows, is refused with one line', () => {
  const noKind = runNlctl(['send', '--dry-run', '-t', 'RTM_NEWLINK', '--attr', 'IFLA_LINKINFO={IFLA_INFO_DATA={IFLA_VXLAN_ID=1}}']);
  assert.equal(noKind.code, 2);
  assert.match(noKind.stderr, /^nlctl: .*kind/);
  assert.equal(noKind.stderr.trim().split('\n').length, 1);
  const unknown = runNlctl(['send', '--dry-run', '-t', 'RTM_NEWLINK', '--attr', 'IFLA_LINKINFO={IFLA_INFO_KIND=nosuchkind,IFLA_INFO_DATA={IFLA_VXLAN_ID=1}}']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^nlctl: .*nosuchkind/);
});
