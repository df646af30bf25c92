// Live captures of families nlctl knows from the kernel's specs (test/fixtures/dissect/capture-spec.mjs):
// ethtool and netdev as the kernel's YNL CLI drives them, tc qdiscs/classes/filters, links of
// several kinds with their statistics, and from the VM (capture-vm.sh) nl80211 and tunnel links.
// Every attribute must come out named, with no diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedAttr, DecodedMessage } from '../../src/schema/index.js';
import { attr, decodeFixture } from './dissect-util.js';

/** Attributes (at any depth) that no table named; index children of arrays ("[3]") count as named. */
function unnamed(messages: DecodedMessage[]): string[] {
  const out: string[] = [];
  const walk = (attrs: DecodedAttr[] | undefined, path: string) => {
    for (const a of attrs ?? []) {
      if (a.type < 0) continue;
      if (!a.name) out.push(`${path}/${a.type}`);
      walk(a.attrs, `${path}/${a.name ?? a.type}`);
    }
  };
  for (const m of messages) walk(m.attrs, m.type_name ?? String(m.type));
  return out;
}

function decoded(name: string, protocol: number): DecodedMessage[] {
  const msgs = decodeFixture(name, protocol).map((d) => d.message);
  assert.ok(msgs.length > 5, `${name}: only ${msgs.length} message(s)`);
  assert.deepEqual(unnamed(msgs), [], `${name}: attributes without a name`);
  assert.deepEqual(msgs.flatMap((m) => m.diagnostics), [], `${name}: diagnostics`);
  return msgs;
}

const byType = (msgs: DecodedMessage[], type: string) => msgs.filter((m) => m.type_name === type);
const dev = (m: DecodedMessage, header: string) => attr(attr(m.attrs, header).attrs, 'ETHTOOL_A_HEADER_DEV_NAME').value;

test('ethtool: the family is learned from the capture, then LINKINFO, FEATURES, CHANNELS and STRSET replies are named', () => {
  const msgs = decoded('genl-ethtool', 16);
  const channels = byType(msgs, 'ETHTOOL_MSG_CHANNELS_GET_REPLY');
  const a = channels.find((m) => dev(m, 'ETHTOOL_A_CHANNELS_HEADER') === 'veth-a');
  assert.ok(a, 'no CHANNELS reply for veth-a');
  assert.equal(a.family, 'ethtool');
  assert.equal(a.op, 'channels-get');
  assert.equal(attr(a.attrs, 'ETHTOOL_A_CHANNELS_RX_MAX').value, 2);
  assert.equal(attr(a.attrs, 'ETHTOOL_A_CHANNELS_RX_COUNT').value, 1);
  assert.equal(attr(a.attrs, 'ETHTOOL_A_CHANNELS_RX_COUNT').spec_name, 'rx-count');

  const linkinfo = byType(msgs, 'ETHTOOL_MSG_LINKINFO_GET_REPLY');
  assert.deepEqual(linkinfo.map((m) => dev(m, 'ETHTOOL_A_LINKINFO_HEADER')).sort(), ['br0', 'veth-a', 'veth-b', 'vx42']);
  assert.equal(attr(linkinfo[0].attrs, 'ETHTOOL_A_LINKINFO_TP_MDIX').value, 0);

  const features = byType(msgs, 'ETHTOOL_MSG_FEATURES_GET_REPLY')[0];
  const hw = attr(features.attrs, 'ETHTOOL_A_FEATURES_HW');
  assert.equal(attr(hw.attrs, 'ETHTOOL_A_BITSET_SIZE').value, 64);
  const bits = attr(hw.attrs, 'ETHTOOL_A_BITSET_BITS').attrs ?? [];
  const names = bits.map((b) => attr(b.attrs, 'ETHTOOL_A_BITSET_BIT_NAME').value);
  assert.ok(names.includes('tx-generic-segmentation'), JSON.stringify(names.slice(0, 12)));

  const strset = byType(msgs, 'ETHTOOL_MSG_STRSET_GET_REPLY')[0];
  assert.match(JSON.stringify(strset.attrs), /peer_ifindex/);

  // veth has no ring parameters: the kernel says so in an error with an extended ACK.
  const refused = msgs.find((m) => m.type_name === 'NLMSG_ERROR' && m.error?.errno === 95);
  assert.ok(refused, 'no EOPNOTSUPP for RINGS_GET');
  // The ACK is capped (the echoed request is its header only): the family is known from the id.
  assert.equal(refused.error?.request?.family, 'ethtool');
});

test('netdev: DEV_GET and QUEUE_GET replies, with XDP feature flags by name', () => {
  const msgs = decoded('genl-netdev', 16);
  const devs = byType(msgs, 'NETDEV_CMD_DEV_GET');
  const veth = devs.find((m) => m.attrs?.some((a) => a.name === 'NETDEV_A_DEV_XDP_FEATURES' && Array.isArray(a.value) && a.value.length));
  assert.ok(veth, 'no veth in the DEV_GET replies');
  assert.deepEqual(attr(veth.attrs, 'NETDEV_A_DEV_XDP_FEATURES').value, ['basic', 'redirect', 'rx-sg']);
  assert.equal(typeof attr(veth.attrs, 'NETDEV_A_DEV_IFINDEX').value, 'number');
  const queues = byType(msgs, 'NETDEV_CMD_QUEUE_GET').filter((m) => m.attrs?.length);
  assert.deepEqual([...new Set(queues.map((m) => attr(m.attrs, 'NETDEV_A_QUEUE_TYPE').value))].sort(), ['rx', 'tx']);
});

test('tc: qdiscs, an htb class and a u32 filter, with their options and statistics', () => {
  const msgs = decoded('route-tc', 0);
  const qdiscs = byType(msgs, 'RTM_NEWQDISC');
  const kinds = qdiscs.map((m) => attr(m.attrs, 'TCA_KIND').value);
  for (const k of ['htb', 'pfifo', 'ingress', 'noqueue']) assert.ok(kinds.includes(k), `no ${k} qdisc among ${kinds.join(', ')}`);
  const pfifo = qdiscs.find((m) => attr(m.attrs, 'TCA_KIND').value === 'pfifo')!;
  assert.deepEqual(attr(pfifo.attrs, 'TCA_OPTIONS').value, { limit: 100 });
  const stats2 = attr(pfifo.attrs, 'TCA_STATS2');
  assert.equal(typeof (attr(stats2.attrs, 'TCA_STATS_BASIC').value as Record<string, unknown>).bytes, 'number');
  assert.equal(typeof pfifo.header?.fields.ifindex, 'number');

  const cls = byType(msgs, 'RTM_NEWTCLASS').find((m) => attr(m.attrs, 'TCA_KIND').value === 'htb');
  assert.ok(cls, 'no htb class');
  const parms = attr(attr(cls.attrs, 'TCA_OPTIONS').attrs, 'TCA_HTB_PARMS').value as Record<string, Record<string, number>>;
  // rate 1mbit, ceil 2mbit: bytes per second.
  assert.equal(parms.rate.rate, 125000);
  assert.equal(parms.ceil.rate, 250000);

  const filters = byType(msgs, 'RTM_NEWTFILTER').filter((m) => attr(m.attrs, 'TCA_KIND').value === 'u32');
  const withSel = filters.find((m) => m.attrs?.find((a) => a.name === 'TCA_OPTIONS')?.attrs?.some((a) => a.name === 'TCA_U32_SEL'))!;
  const opts = attr(withSel.attrs, 'TCA_OPTIONS').attrs;
  const sel = attr(opts, 'TCA_U32_SEL').value as Record<string, unknown>;
  // match ip dst 10.1.0.2/32: one key, the destination address at offset 16 of the IP header.
  assert.equal(sel.nkeys, 1);
  assert.deepEqual(sel.keys, { mask: 0xffffffff, val: 0x0a010002, off: 16, offmask: 0 });
  assert.equal(attr(opts, 'TCA_U32_CLASSID').value, 0x10010);
});

test('links: IFLA_INFO_DATA of bridge and vxlan, bridge port data, and the statistics structs', () => {
  const msgs = decoded('route-link-kinds', 0);
  const links = byType(msgs, 'RTM_NEWLINK').filter((m) => m.attrs?.some((a) => a.name === 'IFLA_IFNAME'));
  const named = (n: string) => links.find((m) => attr(m.attrs, 'IFLA_IFNAME').value === n)!;
  const info = (n: string) => attr(attr(named(n).attrs, 'IFLA_LINKINFO').attrs, 'IFLA_INFO_DATA').attrs;

  assert.equal(attr(info('vx42'), 'IFLA_VXLAN_ID').value, 42);
  assert.equal(attr(info('vx42'), 'IFLA_VXLAN_PORT').value, 4789);
  assert.equal(attr(info('vx42'), 'IFLA_VXLAN_TTL').value, 64);
  assert.equal(attr(info('vx42'), 'IFLA_VXLAN_LEARNING').value, 0);
  assert.equal(attr(info('vx42'), 'IFLA_VXLAN_LOCAL').value, '10.1.0.1');

  assert.equal(attr(info('br0'), 'IFLA_BR_FORWARD_DELAY').value, 500);
  assert.equal(attr(info('br0'), 'IFLA_BR_STP_STATE').value, 0);
  assert.deepEqual(Object.keys(attr(info('br0'), 'IFLA_BR_BRIDGE_ID').value as object).sort(), ['addr', 'prio']);
  const port = attr(attr(named('veth-b').attrs, 'IFLA_LINKINFO').attrs, 'IFLA_INFO_SLAVE_DATA').attrs;
  assert.equal(attr(port, 'IFLA_BRPORT_COST').value, 2);

  const veth = named('veth-a');
  const stats = attr(veth.attrs, 'IFLA_STATS').value as Record<string, number>;
  const stats64 = attr(veth.attrs, 'IFLA_STATS64').value as Record<string, number>;
  assert.equal(Object.keys(stats).length, 24);
  assert.equal(stats64.rx_otherhost_dropped, 0);
  assert.equal(stats.tx_packets, stats64.tx_packets);
  const inet6 = attr(attr(veth.attrs, 'IFLA_AF_SPEC').attrs, 'AF_INET6').attrs;
  const mib = attr(inet6, 'IFLA_INET6_STATS').value as number[];
  assert.ok(Array.isArray(mib) && mib.length >= 36, 'IFLA_INET6_STATS is not a list of counters');
  assert.ok(Array.isArray(attr(inet6, 'IFLA_INET6_ICMP6STATS').value));
  assert.equal(typeof (attr(inet6, 'IFLA_INET6_CACHEINFO').value as Record<string, number>).reachable_time, 'number');
  // Attributes newer than Linux 6.1 are named too.
  for (const n of ['IFLA_GSO_IPV4_MAX_SIZE', 'IFLA_GRO_IPV4_MAX_SIZE']) assert.equal(typeof attr(veth.attrs, n).value, 'number');
});

test('nl80211 (captured in the VM, two mac80211_hwsim radios): wiphys and interfaces, every attribute named', () => {
  const msgs = decoded('genl-nl80211', 16);
  assert.deepEqual(attr(byType(msgs, 'NL80211_CMD_GET_PROTOCOL_FEATURES').find((m) => m.attrs?.length)!.attrs, 'NL80211_ATTR_PROTOCOL_FEATURES').value, ['split-wiphy-dump']);
  const wiphys = byType(msgs, 'NL80211_CMD_NEW_WIPHY');
  assert.ok(wiphys.length > 20, `only ${wiphys.length} split wiphy messages`);
  assert.deepEqual([...new Set(wiphys.map((m) => attr(m.attrs, 'NL80211_ATTR_WIPHY_NAME').value))].sort(), ['phy0', 'phy1']);
  const cmds = wiphys.flatMap((m) => m.attrs?.find((a) => a.name === 'NL80211_ATTR_SUPPORTED_COMMANDS')?.attrs ?? []).map((a) => a.value);
  assert.ok(cmds.includes('new-interface') && cmds.includes('new-station'), JSON.stringify(cmds.slice(0, 8)));
  const ifaces = byType(msgs, 'NL80211_CMD_NEW_INTERFACE');
  assert.deepEqual(ifaces.map((m) => attr(m.attrs, 'NL80211_ATTR_IFNAME').value).sort(), ['wlan0', 'wlan1']);
  assert.equal(attr(ifaces.find((m) => attr(m.attrs, 'NL80211_ATTR_IFNAME').value === 'wlan0')!.attrs, 'NL80211_ATTR_MAC').value, '02:00:00:00:00:00');
});

test('tunnel links (captured in the VM): IFLA_INFO_DATA of gre, gretap, erspan, ipip and sit named', () => {
  const msgs = decoded('route-link-tunnels', 0);
  const data = (name: string) => {
    const m = byType(msgs, 'RTM_NEWLINK').find((x) => x.attrs?.some((a) => a.name === 'IFLA_IFNAME' && a.value === name));
    assert.ok(m, `no link ${name}`);
    return attr(attr(m.attrs, 'IFLA_LINKINFO').attrs, 'IFLA_INFO_DATA').attrs;
  };
  const gre = data('gre1');
  assert.deepEqual([attr(gre, 'IFLA_GRE_LOCAL').value, attr(gre, 'IFLA_GRE_REMOTE').value, attr(gre, 'IFLA_GRE_TTL').value], ['10.9.0.1', '10.9.0.2', 64]);
  assert.equal(attr(gre, 'IFLA_GRE_IKEY').value, 7);
  assert.equal(attr(data('gretap1'), 'IFLA_GRE_REMOTE').value, '10.9.0.3');
  const erspan = data('erspan1');
  assert.equal(attr(erspan, 'IFLA_GRE_ERSPAN_VER').value, 1);
  assert.equal(attr(erspan, 'IFLA_GRE_ERSPAN_INDEX').value, 12);
  assert.deepEqual([attr(data('ipip1'), 'IFLA_IPTUN_REMOTE').value, attr(data('ipip1'), 'IFLA_IPTUN_TTL').value], ['10.9.0.5', 16]);
  assert.deepEqual([attr(data('sit1'), 'IFLA_IPTUN_REMOTE').value, attr(data('sit1'), 'IFLA_IPTUN_TTL').value], ['10.9.0.6', 8]);
  assert.equal(attr(data('sit1'), 'IFLA_IPTUN_6RD_PREFIX').value, '2002::');
});
