// nlctl against the kernel's YNL CLI, family by family, in one network namespace that has
// something in every table: a veth pair with IPv4/IPv6 addresses, routes, neighbours, rules,
// qdiscs, classes and a filter, tcp_metrics entries, an MPTCP endpoint, nftables objects and
// conntrack entries. Every family here with a spec and a get operation is covered.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { vethPair } from '../helpers.js';
import { bothRefuse, nsShell, requireYnl, sideBySide, type Op } from './ynl.js';

const NS = `nlctl-ynl-${process.pid}`;
let ready = false;
let setupError = '';
let v0 = 0; // ifindex of v0

const SETUP = `
sysctl -qw net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
${vethPair('v0', 'v1')}ip addr add 10.1.0.1/24 dev v0
ip addr add 10.1.0.2/24 dev v1
ip addr add 2001:db8::1/64 dev v0 nodad
ip route add 10.9.0.0/16 via 10.1.0.2 dev v0 metric 50
ip route add 10.8.0.0/16 proto static table 100 nexthop via 10.1.0.2 dev v0 weight 1 nexthop via 10.1.0.1 dev v1 weight 2
ip -6 route add 2001:db8:9::/48 via 2001:db8::2 dev v0
ip neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v0
ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev v0
ip rule add from 10.1.0.0/24 table 100 prio 1000
ip rule add fwmark 0x10/0xff ipproto tcp dport 80 table 100 prio 1001
ip -6 rule add from 2001:db8::/64 table 100 prio 1000
tc qdisc add dev v0 root handle 1: htb default 10
tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit
tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.1.0.2/32 flowid 1:10
tc qdisc add dev v1 root pfifo limit 100
tc qdisc add dev v1 ingress
tc filter add dev v1 parent ffff: prio 9 protocol ip u32 match ip src 10.0.0.0/8 classid 1:1
ip mptcp endpoint add 10.1.0.1 dev v0 signal
ip mptcp limits set subflow 2 add_addr_accepted 2
nft -f - <<'EOF'
table inet t {
  set s { type ipv4_addr; elements = { 10.1.0.7 } }
  counter c { packets 0 bytes 0 }
  chain out { type filter hook output priority 0; ct state new counter; }
}
EOF
python3 - <<'EOF'
# One TCP connection: a tcp_metrics entry when it closes, and a conntrack entry.
import socket, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('10.1.0.2', 5001)); srv.listen()
cli = socket.create_connection(('10.1.0.2', 5001), source_address=('10.1.0.1', 0))
conn, _ = srv.accept(); cli.send(b'x' * 1000); conn.recv(1000)
cli.close(); conn.close(); srv.close(); time.sleep(0.2)
EOF
# Let the IPv6 multicast reports of the new links go out before anything is compared.
sleep 2
cat /sys/class/net/v0/ifindex
`;

before(() => {
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return;
  if (spawnSync('ip', ['netns', 'add', NS]).status !== 0) return;
  try {
    v0 = Number(nsShell(NS, SETUP).trim().split('\n').pop());
    ready = true;
  } catch (e) {
    setupError = (e as Error).message;
  }
});

after(() => {
  spawnSync('ip', ['netns', 'del', NS]);
});

function check(t: TestContext, o: Op | (() => Op), expectContent = true, ignore: RegExp[] = []): unknown {
  if (!requireYnl(t)) return undefined;
  assert.ok(ready, `namespace ${NS} could not be set up: ${setupError}`);
  const op = typeof o === 'function' ? o() : o;
  const { ynl, nlctl } = sideBySide(NS, op, ignore);
  // A comparison with nothing in it proves nothing: the setup must have given this op content.
  if (expectContent) assert.ok(Array.isArray(ynl) ? ynl.length > 0 : ynl !== null && Object.keys(ynl).length > 0, `YNL printed nothing for ${op.family} ${op.op}: the namespace setup lacks content`);
  return nlctl;
}

describe('side by side with YNL: netdev', () => {
  test('dump dev-get', (t) => void check(t, { family: 'netdev', mode: 'dump', op: 'dev-get' }));
  test('do dev-get', (t) => void check(t, () => ({ family: 'netdev', mode: 'do', op: 'dev-get', json: { ifindex: v0 } })));
  test('dump queue-get', (t) => void check(t, { family: 'netdev', mode: 'dump', op: 'queue-get' }));
});

describe('side by side with YNL: ethtool', () => {
  const hdr = { header: { 'dev-name': 'v0' } };
  for (const op of ['linkinfo-get', 'linkmodes-get', 'linkstate-get', 'features-get', 'channels-get', 'strset-get', 'tsinfo-get']) {
    test(`dump ${op}`, (t) => void check(t, { family: 'ethtool', mode: 'dump', op }));
    test(`do ${op}`, (t) => void check(t, { family: 'ethtool', mode: 'do', op, json: hdr }));
  }
  // No device this kernel can make (veth, tun, vxlan, …) reports rings: both must say so alike.
  test('do rings-get (not supported by veth)', (t) => {
    if (!requireYnl(t)) return;
    assert.ok(ready, `namespace ${NS} could not be set up: ${setupError}`);
    assert.equal(bothRefuse(NS, { family: 'ethtool', mode: 'do', op: 'rings-get', json: hdr }), 'Operation not supported');
  });
  test('dump rings-get (empty)', (t) => void check(t, { family: 'ethtool', mode: 'dump', op: 'rings-get' }, false));
});

describe('side by side with YNL: nlctrl', () => {
  test('dump getfamily', (t) => void check(t, { family: 'nlctrl', mode: 'dump', op: 'getfamily' }));
  test('do getfamily', (t) => void check(t, { family: 'nlctrl', mode: 'do', op: 'getfamily', json: { 'family-name': 'ethtool' } }));
  test('dump getpolicy', (t) => void check(t, { family: 'nlctrl', mode: 'dump', op: 'getpolicy', json: { 'family-name': 'netdev' } }));
});

describe('side by side with YNL: tcp_metrics and mptcp_pm', () => {
  test('tcp_metrics dump get', (t) => void check(t, { family: 'tcp_metrics', mode: 'dump', op: 'get' }));
  test('mptcp_pm dump get-addr', (t) => void check(t, { family: 'mptcp_pm', mode: 'dump', op: 'get-addr' }));
  test('mptcp_pm do get-limits', (t) => void check(t, { family: 'mptcp_pm', mode: 'do', op: 'get-limits' }));
});

describe('side by side with YNL: rtnetlink', () => {
  test('rt-link dump getlink', (t) => void check(t, { family: 'rt-link', mode: 'dump', op: 'getlink' }));
  test('rt-link do getlink', (t) => void check(t, () => ({ family: 'rt-link', mode: 'do', op: 'getlink', json: { 'ifi-index': v0 } })));
  test('rt-addr dump getaddr', (t) => void check(t, { family: 'rt-addr', mode: 'dump', op: 'getaddr' }));
  test('rt-route dump getroute', (t) => void check(t, { family: 'rt-route', mode: 'dump', op: 'getroute' }));
  test('rt-neigh dump getneigh', (t) => void check(t, { family: 'rt-neigh', mode: 'dump', op: 'getneigh' }));
  test('rt-neigh dump getneightbl', (t) => void check(t, { family: 'rt-neigh', mode: 'dump', op: 'getneightbl' }));
  test('rt-rule dump getrule', (t) => void check(t, { family: 'rt-rule', mode: 'dump', op: 'getrule' }));
  test('tc dump getqdisc', (t) => void check(t, { family: 'tc', mode: 'dump', op: 'getqdisc' }));
  test('tc dump gettfilter', (t) => {
    // The spec's struct tc-u32-sel leaves out the pad byte after nkeys, so YNL reads the key one
    // byte off; nlctl lays the struct out as C does. Its values are checked against the filter
    // made above (match ip dst 10.1.0.2/32: mask ffffffff, value 0a010002 at offset 16) instead.
    const nl = check(t, () => ({ family: 'tc', mode: 'dump', op: 'gettfilter', json: { ifindex: v0, parent: 0x10000 } }), true, [/\.options\.sel\.keys\./]);
    if (nl === undefined) return;
    const keys = (nl as { options?: { sel?: { keys?: unknown } } }[]).map((f) => f.options?.sel?.keys).find((k) => k !== undefined);
    assert.deepEqual(keys, { mask: 0xffffffff, val: 0x0a010002, off: 16, offmask: 0 });
  });
});

describe('side by side with YNL: netfilter', () => {
  test('conntrack dump get', (t) => void check(t, { family: 'conntrack', mode: 'dump', op: 'get' }));
  test('conntrack dump get-stats', (t) => void check(t, { family: 'conntrack', mode: 'dump', op: 'get-stats' }));
  for (const op of ['gettable', 'getchain', 'getrule', 'getset', 'getobj']) {
    test(`nftables dump ${op}`, (t) => void check(t, { family: 'nftables', mode: 'dump', op }));
  }
});
