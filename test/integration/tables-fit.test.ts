// Tables fit an 80-column terminal (a pseudo-terminal from script(1)); piped, they print in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixturePath, NLCTL, requireNamespaces, requireTool } from '../helpers.js';

const SETUP = `ip link add veth-long-name0 type veth peer name veth-long-name1
ip link set veth-long-name0 up; ip link set veth-long-name1 up; ip link set lo up
ip addr add 2001:db8:1234:5678:9abc:def0:1234:5678/64 dev veth-long-name0 nodad
ip addr add 198.51.100.7/25 dev veth-long-name0
ip route add 203.0.113.0/24 via 198.51.100.1 metric 100 proto static`;

const CASES: [string, string, RegExp][] = [
  ['dump link', 'dump link', /veth-long-name0/],
  ['dump route', 'dump route', /203\.0\.113\.0\/24/],
  ['dump addr', 'dump addr', /198\.51\.100\.7/],
  ['dump family', 'dump family', /nlctrl/],
  ['decode -f table', `decode -f table ${fixturePath('hex/strace-ip-link-lo.txt')}`, /RTM_NEWLINK/],
];

/** Output of `nlctl ARGS` in a namespace: piped, or on an 80-column pseudo-terminal. */
function run(args: string, pty: boolean): string {
  const cmd = `${SETUP}\n${process.execPath} ${NLCTL} ${args} 2>/dev/null`;
  const inner = `unshare -n sh -ec '${cmd.replace(/'/g, `'\\''`)}'`;
  const r = pty
    ? spawnSync('script', ['-qec', `stty cols 80 rows 50; ${inner}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '' } })
    : spawnSync('sh', ['-c', inner], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.replace(/\r/g, '');
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l.replace(/\x1b\[[0-9;]*m/g, '')].length));

for (const [name, args, mustShow] of CASES) {
  test(`${name} fits 80 columns on a terminal and is printed in full when piped`, (t) => {
    if (!requireNamespaces(t) || !requireTool(t, 'script')) return;
    const piped = run(args, false);
    const onTty = run(args, true);
    assert.ok(widest(piped) > 80, `piped ${name} is ${widest(piped)} wide: the test needs a table wider than 80`);
    assert.ok(widest(onTty) <= 80, `${name} on an 80-column terminal:\n${onTty}`);
    assert.match(onTty, mustShow);
    assert.match(onTty, /^┌/m, 'still a table');
  });
}

test('$COLUMNS wins over the terminal size', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'script')) return;
  const inner = `unshare -n sh -ec '${SETUP.replace(/'/g, `'\\''`)}; ${process.execPath} ${NLCTL} dump link'`;
  const r = spawnSync('script', ['-qec', `stty cols 200; ${inner}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '60' } });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(widest(r.stdout.replace(/\r/g, '')) <= 60, r.stdout);
});
