// dump addr / route / neigh / rule / family against the real kernel, compared with ip -j.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { nlctlJson, requireNamespaces, requireTool, runNlctl, sh, withNetns } from '../helpers.js';

function setup(ns: string): void {
  sh(`ip -n ${ns} link add t0 type veth peer name t1
      ip -n ${ns} link set t0 up; ip -n ${ns} link set t1 up; ip -n ${ns} link set lo up
      ip -n ${ns} addr add 192.0.2.1/24 dev t0
      ip -n ${ns} addr add 198.51.100.7/25 dev t0 label t0:x
      ip -n ${ns} addr add 2001:db8::1/64 dev t0 nodad
      ip -n ${ns} route add 203.0.113.0/24 via 192.0.2.254
      ip -n ${ns} route add 10.9.0.0/16 dev t1 metric 50
      ip -n ${ns} route add default via 192.0.2.1
      ip -n ${ns} neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev t0 nud permanent
      ip -n ${ns} rule add from 192.0.2.0/24 table 100 priority 1000`);
}

function ipJson(ns: string, ...args: string[]): any[] {
  return JSON.parse(execFileSync('ip', ['-n', ns, '-j', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

test('dump addr lists the addresses ip -j addr lists', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  setup(ns);
  const want = ipJson(ns, 'addr').flatMap((l) => l.addr_info.map((a: any) => `${l.ifindex} ${a.family} ${a.local}/${a.prefixlen} ${a.scope}`)).sort();
  const got = nlctlJson('dump', 'addr', '--netns', ns)
    .map((a) => `${a.ifindex} ${a.family === 'AF_INET' ? 'inet' : a.family === 'AF_INET6' ? 'inet6' : a.family} ${a.local ?? a.address}/${a.prefixlen} ${a.scope}`).sort();
  assert.deepEqual(got, want);
  const labelled = nlctlJson('dump', 'addr', '-4', '--netns', ns).find((a) => a.label === 't0:x');
  assert.equal(labelled?.local ?? labelled?.address, '198.51.100.7');
});

function normRoute(dst: string, len?: number): string {
  if (dst === 'default') return '0.0.0.0/0';
  if (dst.includes('/')) return dst;
  return `${dst}/${len ?? 32}`;
}

test('dump route lists the main-table routes ip -j route lists', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  setup(ns);
  const links = new Map(ipJson(ns, 'link').map((l) => [l.ifname, l.ifindex]));
  const want = ipJson(ns, 'route', 'show').map((r) => `${normRoute(r.dst)} via ${r.gateway ?? '-'} dev ${links.get(r.dev)} metric ${r.metric ?? 0}`).sort();
  const got = nlctlJson('dump', 'route', '-4', '--netns', ns)
    .map((r) => `${normRoute(r.dst, r.dst_len)} via ${r.gateway ?? '-'} dev ${r.oif} metric ${r.priority ?? 0}`).sort();
  assert.deepEqual(got, want);
});

/** A route as both tools can say it: table, type, destination, gateway, device, metric. */
function routeKey(r: any): string {
  return `${r.table ?? 'main'} ${r.type ?? 'unicast'} ${r.dst} via ${r.gateway ?? '-'} dev ${r.dev} metric ${r.metric ?? 0}`;
}

test('dump route --table all lists what ip -j route show table all lists, in ip\'s words', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  setup(ns);
  sh(`ip -n ${ns} route add 10.77.0.0/24 dev t1 table 100`);
  for (const fam of ['-4', '-6']) {
    const ipRoutes = () => ipJson(ns, fam, 'route', 'show', 'table', 'all').map(routeKey).sort();
    // The kernel adds routes of its own while links come up (IPv6 link-local and multicast):
    // compare once ip's view is the same before and after nlctl's dump.
    let want: string[] = [];
    let got: string[] = [];
    for (let tries = 0; tries < 20; tries++) {
      const before = ipRoutes();
      got = nlctlJson('dump', 'route', fam, '--table', 'all', '--netns', ns).map((r) => routeKey({ ...r, table: r.table === 'main' ? undefined : String(r.table) })).sort();
      want = ipRoutes();
      if (JSON.stringify(before) === JSON.stringify(want)) break;
      sh('sleep 0.2');
    }
    assert.ok(want.length > 3, want.join('\n'));
    assert.deepEqual(got, want);
  }
  const t100 = nlctlJson('dump', 'route', '--table', '100', '--netns', ns);
  assert.deepEqual(t100.map((r) => `${r.dst} ${r.dev}`), ['10.77.0.0/24 t1']);
  const local = nlctlJson('dump', 'route', '-4', '--table', 'local', '--netns', ns);
  assert.ok(local.length && local.every((r) => r.table === 'local'), JSON.stringify(local));
});

test('--dev filters addresses, routes and neighbours by interface name', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  setup(ns);
  const addrs = nlctlJson('dump', 'addr', '--dev', 't0', '--netns', ns);
  const want = ipJson(ns, 'addr', 'show', 'dev', 't0').flatMap((l) => l.addr_info.map((a: any) => `${a.local}/${a.prefixlen}`)).sort();
  assert.deepEqual(addrs.map((a) => `${a.local ?? a.address}/${a.prefixlen}`).sort(), want);
  assert.ok(addrs.every((a) => a.dev === 't0'));
  const routes = nlctlJson('dump', 'route', '-4', '--dev', 't1', '--netns', ns);
  assert.deepEqual(routes.map((r) => r.dst), ipJson(ns, '-4', 'route', 'show', 'dev', 't1').map((r) => r.dst));
  const neigh = nlctlJson('dump', 'neigh', '-4', '--dev', 't0', '--netns', ns);
  assert.deepEqual(neigh.map((n) => n.dst), ['192.0.2.9']);
  assert.deepEqual(nlctlJson('dump', 'neigh', '-4', '--dev', 't1', '--netns', ns), []);
  const r = runNlctl(['dump', 'addr', '--dev', 't9', '--netns', ns]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^nlctl: --dev: no interface 't9' in namespace \S+; did you mean t0 or t1\?$/m);
});

test('dump neigh and rule show what was added', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  setup(ns);
  const neigh = nlctlJson('dump', 'neigh', '-4', '--netns', ns).find((n) => n.dst === '192.0.2.9');
  assert.equal(neigh?.lladdr, '02:00:00:00:00:09');
  assert.ok(JSON.stringify(neigh.state).includes('PERMANENT'), JSON.stringify(neigh));
  const rule = nlctlJson('dump', 'rule', '-4', '--netns', ns).find((r) => r.priority === 1000);
  assert.equal(rule?.table, 100);
  assert.equal(rule?.src, '192.0.2.0');
});

test('dump family lists nlctrl with its id, version and multicast group', () => {
  const fams = nlctlJson('dump', 'family');
  const ctrl = fams.find((f) => f.family_name === 'nlctrl');
  assert.ok(ctrl, JSON.stringify(fams.map((f) => f.family_name)));
  assert.equal(ctrl.family_id, 16);
  assert.ok(ctrl.version >= 1);
  assert.match(JSON.stringify(ctrl.mcast_groups), /notify/);
});

test('dump route -j of 40,000 routes, read ahead on a thread batch after batch, lists ip -j route\'s routes in ip\'s order', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link add b0 type veth peer name b1; ip -n ${ns} link set b0 up; ip -n ${ns} addr add 10.0.0.1/8 dev b0`);
  const batch = Array.from({ length: 40000 }, (_, i) => `route add 20.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/${i % 6 ? 32 : 31} via 10.0.0.2 dev b0 metric ${i % 5}`);
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n' });
  const want = ipJson(ns, 'route', 'show').map((r) => `${r.dst} via ${r.gateway ?? '-'} dev ${r.dev} metric ${r.metric ?? 0}`);
  const got = nlctlJson('dump', 'route', '--netns', ns).map((r) => `${r.dst} via ${r.gateway ?? '-'} dev ${r.dev} metric ${r.metric ?? 0}`);
  assert.ok(want.length > 40000, `${want.length} routes`);
  assert.deepEqual(got, want);
});
