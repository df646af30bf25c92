// rtnetlink dissectors on real traffic of `ip` (test/fixtures/dissect/route-*.hex, see capture.mjs there).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageType, schemaFor } from '../../src/schema/index.js';
import { attr, decodeFixture, field, ofType } from './dissect-util.js';

test('RTM_GETADDR dump: request, one RTM_NEWADDR per address, NLMSG_DONE', () => {
  const all = decodeFixture('route-addr-v4', 0);
  const req = ofType(all, 'RTM_GETADDR', 'send');
  assert.equal(req.length, 1);
  assert.deepEqual(req[0].message.flag_names, ['request', 'dump']);
  assert.equal(field(req[0].message, 'ifa_family'), 'AF_INET');

  const addrs = ofType(all, 'RTM_NEWADDR');
  assert.equal(addrs.length, 3);
  const lo = addrs[0];
  assert.equal(lo.message.header?.name, 'ifaddrmsg');
  assert.equal(lo.message.header?.offset, lo.message.offset + 16);
  assert.equal(field(lo.message, 'ifa_prefixlen'), 8);
  assert.equal(field(lo.message, 'ifa_scope'), 'host');
  assert.equal(lo.message.header?.raw?.ifa_scope, 254);
  assert.equal(field(lo.message, 'ifa_index'), 1);
  assert.equal(attr(lo.message.attrs, 'IFA_ADDRESS').value, '127.0.0.1');
  assert.equal(attr(lo.message.attrs, 'IFA_LOCAL').value, '127.0.0.1');
  assert.equal(attr(lo.message.attrs, 'IFA_LABEL').value, 'lo');
  assert.deepEqual(attr(lo.message.attrs, 'IFA_FLAGS').value, ['permanent']);
  const ci = attr(lo.message.attrs, 'IFA_CACHEINFO').value as Record<string, number>;
  assert.equal(ci.ifa_valid, 0xffffffff);
  assert.equal(ci.ifa_prefered, 0xffffffff);
  // The bytes behind the value: 127.0.0.1 right after IFA_ADDRESS's 4-byte header.
  const a = attr(lo.message.attrs, 'IFA_ADDRESS');
  assert.deepEqual([...lo.bytes.subarray(a.offset + 4, a.offset + 8)], [127, 0, 0, 1]);

  assert.deepEqual(
    { ifindex: lo.record.ifindex, family: lo.record.family, prefixlen: lo.record.prefixlen, scope: lo.record.scope, flags: lo.record.flags, address: lo.record.address, local: lo.record.local, label: lo.record.label },
    { ifindex: 1, family: 'AF_INET', prefixlen: 8, scope: 'host', flags: ['permanent'], address: '127.0.0.1', local: '127.0.0.1', label: 'lo' },
  );
  const veth = addrs.find((d) => d.record.label === 'veth-a:main');
  assert.ok(veth);
  assert.equal(veth.record.address, '10.1.0.1');
  assert.equal(veth.record.broadcast, '10.1.0.255');
  assert.equal(veth.record.prefixlen, 24);
  assert.equal(veth.record.scope, 'global');

  assert.equal(all[all.length - 1].message.type_name, 'NLMSG_DONE');
  for (const d of all) assert.deepEqual(d.message.diagnostics, [], `${d.message.type_name} at ${d.message.offset}`);
});

test('RTM_NEWADDR for IPv6: 16-byte addresses, flags and scope', () => {
  const addrs = ofType(decodeFixture('route-addr-v6', 0), 'RTM_NEWADDR');
  const global = addrs.find((d) => d.record.address === '2001:db8::1');
  assert.ok(global);
  assert.equal(global.record.family, 'AF_INET6');
  assert.equal(global.record.prefixlen, 64);
  assert.equal(global.record.scope, 'global');
  assert.deepEqual(global.record.flags, ['nodad', 'permanent']);
  const ll = addrs.find((d) => d.record.scope === 'link');
  assert.ok(ll);
  assert.equal(ll.record.address, 'fe80::ff:fe00:a');
  assert.equal(ll.record.proto, 'kernel_ll');
});

test('RTM_NEWROUTE: tables, protocols, gateways, metrics and multipath', () => {
  const routes = ofType(decodeFixture('route-route', 0), 'RTM_NEWROUTE').map((d) => d.record);
  const via = routes.find((r) => r.dst === '192.0.2.0');
  assert.ok(via);
  assert.deepEqual(
    { family: via.family, dst_len: via.dst_len, table: via.table, protocol: via.protocol, scope: via.scope, type: via.type, gateway: via.gateway, oif: via.oif, priority: via.priority },
    { family: 'AF_INET', dst_len: 24, table: 'main', protocol: 'static', scope: 'global', type: 'unicast', gateway: '10.1.0.254', oif: 3, priority: 100 },
  );
  const connected = routes.find((r) => r.dst === '10.1.0.0' && r.oif === 3);
  assert.ok(connected);
  assert.equal(connected.protocol, 'kernel');
  assert.equal(connected.scope, 'link');
  assert.equal(connected.prefsrc, '10.1.0.1');

  // Table 100 does not fit rtm_table's u8 names: RTA_TABLE carries it.
  const t100 = routes.find((r) => r.dst === '203.0.113.0');
  assert.ok(t100);
  assert.equal(t100.table, 100);
  assert.deepEqual(t100.metrics, { mtu: 1400 });

  const mp = routes.find((r) => r.dst === '198.51.100.0');
  assert.ok(mp);
  const hops = mp.multipath as Record<string, unknown>[];
  assert.equal(hops.length, 2);
  assert.deepEqual(hops.map((h) => [h.gateway, h.rtnh_ifindex, h.rtnh_hops]), [['10.1.0.253', 3, 0], ['10.1.0.252', 3, 1]]);

  const local = routes.filter((r) => r.table === 'local');
  assert.ok(local.some((r) => r.dst === '127.0.0.1' && r.type === 'local' && r.scope === 'host'));
  assert.ok(local.some((r) => r.dst === '10.1.0.255' && r.type === 'broadcast'));
  const v6 = routes.find((r) => r.dst === '2001:db8::' && r.dst_len === 64);
  assert.ok(v6);
  assert.equal(v6.pref, 'medium');
  assert.equal(v6.priority, 256);
});

test('RTM_NEWNEIGH: destination, link-layer address and NUD state', () => {
  const neigh = ofType(decodeFixture('route-neigh', 0), 'RTM_NEWNEIGH').map((d) => d.record);
  const perm = neigh.find((n) => n.dst === '10.1.0.254');
  assert.ok(perm);
  assert.deepEqual(
    { ifindex: perm.ifindex, dst: perm.dst, lladdr: perm.lladdr, state: perm.state, family: perm.family },
    { ifindex: 3, dst: '10.1.0.254', lladdr: '02:00:00:00:00:fe', state: ['PERMANENT'], family: 'AF_INET' },
  );
  const stale = neigh.find((n) => n.dst === '10.1.0.253');
  assert.ok(stale);
  assert.deepEqual(stale.state, ['STALE']);
  assert.equal(stale.lladdr, '02:00:00:00:00:fd');
});

test('RTM_NEWRULE: priority, table, action, selectors', () => {
  const rules = ofType(decodeFixture('route-rule', 0), 'RTM_NEWRULE').map((d) => d.record);
  assert.deepEqual(rules.map((r) => r.priority ?? 0), [0, 1000, 1001, 32766, 32767]);
  assert.deepEqual(rules.map((r) => r.table), ['local', 100, 200, 'main', 'default']);
  for (const r of rules) assert.equal(r.action, 'to_tbl');
  const from = rules[1];
  assert.equal(from.src, '10.1.0.0');
  assert.equal(from.src_len, 24);
  assert.equal(from.dst, undefined);
  assert.equal(rules[2].fwmark, '0x10');
  assert.equal(rules[2].fwmask, '0xff');
});

test('NLMSG_ERROR with extended ACK decodes the echoed RTM_NEWROUTE', () => {
  const all = decodeFixture('route-error-extack', 0);
  const err = all.find((d) => d.message.type_name === 'NLMSG_ERROR' && d.message.error?.errno);
  assert.ok(err);
  const e = err.message.error!;
  assert.equal(e.name, 'ENETUNREACH');
  assert.equal(e.errno, 101);
  assert.equal(e.extack?.msg, 'Nexthop has invalid gateway');
  assert.deepEqual(err.message.flag_names, ['ack_tlvs']);
  const req = e.request!;
  assert.equal(req.type_name, 'RTM_NEWROUTE');
  assert.equal(req.offset, err.message.offset + 20);
  assert.deepEqual(req.flag_names, ['request', 'ack', 'excl', 'create']);
  assert.equal(attr(req.attrs, 'RTA_DST').value, '10.0.0.0');
  assert.equal(attr(req.attrs, 'RTA_GATEWAY').value, '1.2.3.4');
  assert.equal(req.header?.fields.rtm_dst_len, 8);
});

test('rtnetlink message names resolve both ways', () => {
  const s = schemaFor(0);
  assert.equal(messageType(s, 'getaddr'), 22);
  assert.equal(messageType(s, 'RTM_NEWROUTE'), 24);
  assert.equal(messageType(s, 'newneigh'), 28);
  assert.equal(messageType(s, 'GETRULE'), 34);
  assert.equal(messageType(s, 'newnsid'), 88);
  assert.equal(messageType(s, 'newnetconf'), 80);
  assert.equal(messageType(s, 'getqdisc'), 38);
  assert.equal(s.messages[92].name, 'RTM_NEWSTATS');
  assert.equal(s.groups?.['ipv4-route'], 7);
  assert.equal(s.groups?.stats, 36);
});
