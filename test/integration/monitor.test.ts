// listen --group all as a monitor: one line per event, interfaces by name, the same events as
// `ip monitor all` reports for the same changes (both listen at once in one namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { NLCTL, requireNamespaces, requireTool, runNlctl, sh, startNlctl, withNetns } from '../helpers.js';

/** `[TAG] Deleted?` of each event line (ip's continuation lines start with spaces). */
function events(text: string): string[] {
  return text.split('\n').filter((l) => /^(\[[^\]]+\] )?\[[A-Z]+\]/.test(l)).map((l) => {
    const m = /\[([A-Z]+)\] ?(Deleted )?/.exec(l.replace(/^\[\d{4}-[^\]]+\] /, ''))!;
    return `${m[1]}${m[2] ? ' deleted' : ''}`;
  });
}

test('listen --group all prints one line per event with interface names, the events ip monitor all prints', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link set lo up`);
  const ip = spawn('ip', ['-n', ns, '-ts', 'monitor', 'all'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let ipOut = '';
  ip.stdout.on('data', (d) => (ipOut += d));
  const l = startNlctl(['listen', '-ts', '--netns', ns, '--group', 'all', '--timeout', '4']);
  await l.ready;
  await new Promise((r) => setTimeout(r, 300)); // ip monitor prints no "ready"
  sh(`ip -n ${ns} link add dv0 type veth peer name dv1
      ip -n ${ns} link set dv0 up
      ip -n ${ns} addr add 10.88.0.1/24 dev dv0
      ip -n ${ns} addr del 10.88.0.1/24 dev dv0`);
  const r = await l.done;
  await new Promise((res) => setTimeout(res, 200));
  ip.kill();
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length >= 6, r.stdout);
  for (const line of lines) assert.match(line, /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] \[[A-Z]+\] \S/, 'one line per event, with the time as ip -ts prints it');
  assert.ok(lines.some((l) => /\[LINK\] dv0 UP mtu 1500\b/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /\[ADDR\] 10\.88\.0\.1\/24 dev dv0\b/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /\[ADDR\] Deleted 10\.88\.0\.1\/24 dev dv0\b/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /\[ROUTE\] 10\.88\.0\.0\/24 dev dv0 proto kernel scope link src 10\.88\.0\.1/.test(l)), r.stdout);
  // The kernel announces a new device's netconf before its link (ip says "if2" there too);
  // every event after the link's own is named.
  const named = lines.filter((l) => !/\[NETCONF\]/.test(l));
  assert.ok(named.every((l) => !/\bif\d+\b/.test(l)), `interface indexes named:\n${named.join('\n')}`);
  // ip names the interfaces its own cache knows; the event list must be the same.
  assert.deepEqual(events(r.stdout), events(ipOut), `nlctl:\n${r.stdout}\nip:\n${ipOut}`);
  assert.ok(events(ipOut).includes('ADDR deleted'), ipOut);
});

test('listen --verbose prints whole messages; -f table streams rows under one header', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  const v = startNlctl(['listen', '--verbose', '--netns', ns, '--group', 'link', '--count', '1', '--timeout', '5']);
  await v.ready;
  sh(`ip -n ${ns} link add dv0 type veth peer name dv1`);
  const rv = await v.done;
  assert.match(rv.stdout, /RTM_NEWLINK route len \d+/);
  assert.match(rv.stdout, /\n {2}IFLA_IFNAME "dv[01]"/);

  // The table is streamed: a row is printed while the listener still runs.
  const tb = spawn(process.execPath, [NLCTL, '-f', 'table', 'listen', '--netns', ns, '--group', 'link', '--timeout', '20'], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '', err = '';
  tb.stdout.on('data', (d) => (out += d));
  tb.stderr.on('data', (d) => (err += d));
  const until = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 100 && !cond(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(cond(), `${what}: ${err}`);
  };
  await until(() => /listening on/.test(err), 'listening');
  sh(`ip -n ${ns} link set dv0 up`);
  await until(() => /RTM_NEWLINK/.test(out), 'a row before the end');
  assert.equal(tb.exitCode, null, 'still running');
  tb.kill('SIGINT');
  await new Promise((res) => tb.on('close', res));
  const rows = out.trimEnd().split('\n');
  assert.match(rows[0], /^time\s+dir\s+type\s+flags\s+seq\s+pid\s+summary$/);
  assert.ok(rows.length >= 2 && rows.slice(1).every((r) => /RTM_NEWLINK/.test(r)), out);
});

test('--group all on generic netlink joins every family group; unknown groups list the names', (t) => {
  const all = runNlctl(['listen', '-p', 'generic', '--group', 'all', '--timeout', '0']);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /listening on generic port \d+ groups 16(,\d+)+/);
  const bad = runNlctl(['listen', '--group', 'lnk', '--timeout', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown group 'lnk'; did you mean link\? \(groups: all, link, /);
});

test('interface names are accepted where an ifindex goes', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link add dv0 type veth peer name dv1`);
  const idx = JSON.parse(runNlctl(['dump', 'link', '--netns', ns, '-j']).stdout).find((l: any) => l.ifname === 'dv0').ifindex;
  const add = runNlctl(['send', '--netns', ns, '-t', 'RTM_NEWADDR', '--flags', 'request,ack,create',
    '--header', 'ifa_family=inet,ifa_prefixlen=24,ifa_scope=universe,ifa_index=dv0', '--attr', 'IFA_LOCAL=10.66.0.1', '--attr', 'IFA_ADDRESS=10.66.0.1']);
  assert.equal(add.code, 0, add.stderr);
  const addrs = JSON.parse(runNlctl(['dump', 'addr', '-4', '--dev', 'dv0', '--netns', ns, '-j']).stdout);
  assert.deepEqual(addrs.map((a: any) => `${a.local}/${a.prefixlen} ${a.ifindex} ${a.dev} ${a.scope}`), [`10.66.0.1/24 ${idx} dv0 global`]);
  const get = runNlctl(['send', '--netns', ns, '-t', 'RTM_GETLINK', '--attr', 'IFLA_LINK=dv1', '--dry-run', '-j']);
  assert.equal(get.code, 0, get.stderr);
  const peer = JSON.parse(runNlctl(['dump', 'link', '--netns', ns, '-j']).stdout).find((l: any) => l.ifname === 'dv1').ifindex;
  assert.equal(JSON.parse(get.stdout)[0].attrs.find((a: any) => a.name === 'IFLA_LINK').value, peer);
});

test('listen --group all joins the groups ip monitor all joins', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  const ip = spawn('ip', ['-n', ns, 'monitor', 'all'], { stdio: 'ignore' });
  const l = startNlctl(['listen', '--netns', ns, '--group', 'all', '--timeout', '10']);
  try {
    await l.ready;
    await new Promise((r) => setTimeout(r, 300));
    const r = runNlctl(['-j', 'sockets', '--proto', 'route', '--netns', ns]);
    assert.equal(r.code, 0, r.stderr);
    const socks = JSON.parse(r.stdout) as { groups: number[]; process?: string }[];
    const groupsOf = (who: RegExp) => socks.filter((s) => who.test(s.process ?? '') && s.groups.length).map((s) => s.groups.join(','));
    const ipGroups = groupsOf(/^ip\//);
    assert.equal(ipGroups.length, 1, r.stdout);
    assert.deepEqual(groupsOf(/^nlctl\//), ipGroups);
  } finally {
    ip.kill();
    l.kill();
    await l.done;
  }
});
