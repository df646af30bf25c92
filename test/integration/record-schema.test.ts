// The dump record keys the README documents as stable: read from its table, checked against
// live dumps in a namespace set up so that the optional keys appear too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireNamespaces, requireTool, ROOT, runNlctl, sh, withNetns } from '../helpers.js';

/** dump → { always, optional } from the README's "Dump records (stable)" table. */
function documented(): Map<string, { always: string[]; optional: string[] }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Dump records (stable)'));
  const keys = (cell: string) => [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]);
  const out = new Map<string, { always: string[]; optional: string[] }>();
  for (const line of section.split('\n')) {
    const m = /^\| (link|addr|route|neigh|rule|family) \| (.*) \| (.*) \|$/.exec(line);
    if (m) out.set(m[1], { always: keys(m[2]), optional: keys(m[3]) });
  }
  return out;
}

function records(what: string, ns?: string): Record<string, unknown>[] {
  const r = runNlctl(['-j', 'dump', what, ...(ns ? ['--netns', ns] : []), ...(what === 'route' ? ['--table', 'all'] : [])]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('every dump record has the documented keys; optional ones appear when the kernel sends them', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const docs = documented();
  assert.deepEqual([...docs.keys()].sort(), ['addr', 'family', 'link', 'neigh', 'route', 'rule']);
  const ns = withNetns(t);
  sh(`ip -n ${ns} link set lo up
      ip -n ${ns} link add br0 type bridge; ip -n ${ns} link set br0 up
      ip -n ${ns} link add d0 type veth peer name d1; ip -n ${ns} link set d0 master br0; ip -n ${ns} link set d0 up; ip -n ${ns} link set d1 up
      ip -n ${ns} addr add 192.0.2.1/24 dev d1
      ip -n ${ns} route add 198.51.100.0/24 via 192.0.2.2 metric 7
      ip -n ${ns} neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev d1
      ip -n ${ns} rule add from 192.0.2.0/24 table 100 priority 100`);
  for (const [what, keys] of docs) {
    const recs = records(what, what === 'family' ? undefined : ns);
    assert.ok(recs.length, what);
    for (const rec of recs) {
      for (const k of keys.always) assert.ok(k in rec, `${what}: '${k}' missing in ${JSON.stringify(rec).slice(0, 300)}`);
      assert.doesNotMatch(JSON.stringify(rec), /"attr_\d+"/, 'unknown attributes live under unknown');
    }
  }
  const link = records('link', ns);
  const d0 = link.find((l) => l.ifname === 'd0')!;
  const br0 = link.find((l) => l.ifname === 'br0')!;
  assert.equal(d0.master, br0.ifindex);
  assert.equal(d0.master_dev, 'br0');
  assert.equal(d0.link_dev, 'd1');
  const route = records('route', ns).find((r) => r.dst === '198.51.100.0/24')!;
  assert.deepEqual([route.family, route.gateway, route.dev, route.metric, route.priority, route.dst_len], ['inet', '192.0.2.2', 'd1', 7, 7, 24]);
  assert.equal(typeof route.oif, 'number');
  const addr = records('addr', ns).find((a) => a.local === '192.0.2.1')!;
  assert.deepEqual([addr.family, addr.dev, addr.prefixlen, addr.scope], ['inet', 'd1', 24, 'global']);
  const ipAddr = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', 'd1'], { encoding: 'utf8' }))[0].addr_info.find((a: any) => a.local === '192.0.2.1');
  for (const k of ['family', 'local', 'prefixlen', 'scope', 'label', 'valid_life_time', 'preferred_life_time']) assert.deepEqual(addr[k], ipAddr[k], `addr ${k} as ip -j has it`);
  const neigh = records('neigh', ns).find((n) => n.dst === '192.0.2.2')!;
  assert.deepEqual([neigh.dev, neigh.lladdr], ['d1', '02:00:00:00:00:02']);
  const ipNeigh = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'neigh', 'show', '192.0.2.2'], { encoding: 'utf8' }))[0];
  for (const k of ['dst', 'dev', 'lladdr', 'state']) assert.deepEqual(neigh[k], ipNeigh[k], `neigh ${k} as ip -j has it`);
  const rule = records('rule', ns).find((r) => r.priority === 100)!;
  assert.deepEqual([rule.family, rule.table, rule.src, rule.src_len], ['inet', 100, '192.0.2.0', 24]);
  const ctrl = records('family').find((f) => f.family_name === 'nlctrl')!;
  assert.ok((ctrl.ops as { name?: string }[]).some((op) => op.name === 'getfamily'), JSON.stringify(ctrl.ops));
  const hasUnknown = link.some((l) => l.unknown && typeof l.unknown === 'object' && Object.keys(l.unknown).every((k) => /^\d+$/.test(k)));
  assert.ok(hasUnknown || link.every((l) => !('unknown' in l)), 'unknown keyed by type number');
});
