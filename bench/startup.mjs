// Start-up against Node itself: `nlctl --version` and `nlctl decode` of one message (lo's
// RTM_NEWLINK, as the kernel sent it) beside `node -e 0`, alternated in one run, medians.
// The bar is 1.2x node's own start-up (goal 1.05x). ROUNDS sets the number of runs (default 31);
// NLCTL=path/bin/nlctl adds another build beside this one; the single executable (make sea,
// dist/nlctl-linux-<arch>) is timed too when it exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, race, time } from './common.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const sea = fileURLToPath(new URL(`../dist/nlctl-linux-${process.arch}`, import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/codec/getlink-dump-lo.hex', import.meta.url));
// The first reply datagram: RTM_NEWLINK of lo, 1468 bytes.
const newlink = readFileSync(fixture, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))[1];

// CPU time (user + system) of each run as well as its wall clock, from wait4's rusage: Python
// starts the command and times it, so its own start-up is in neither figure. Without python3, wall
// clock only (time() of common.mjs).
const WAIT4 = `
import os, sys, time
t0 = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, '/dev/null', os.O_WRONLY, 0)])
_, status, ru = os.wait4(pid, 0)
print((time.perf_counter() - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, os.waitstatus_to_exitcode(status))
`;
const python = spawnSync('python3', ['-c', 'import os; os.wait4; os.posix_spawn'], { stdio: 'ignore' }).status === 0;
const cpu = new Map();
function timed(name, cmd, args) {
  if (!python) return time(cmd, args).ms;
  const r = spawnSync('python3', ['-c', WAIT4, cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [wall, used, code] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${code}): ${r.stderr}`);
  if (!cpu.has(name)) cpu.set(name, []);
  cpu.get(name).push(used);
  return wall;
}

const runs = (cmd, pre) => [
  { name: `${pre} --version`, run: () => timed(`${pre} --version`, cmd[0], [...cmd.slice(1), '--version']) },
  { name: `${pre} decode <RTM_NEWLINK>`, run: () => timed(`${pre} decode`, cmd[0], [...cmd.slice(1), 'decode', '--proto', 'route', newlink]) },
];
const node = { name: 'node -e 0', run: () => timed('node', process.execPath, ['-e', '0']) };
const contenders = [node, ...runs([nlctl], 'nlctl')];
if (process.env.NLCTL) contenders.push(...runs([process.env.NLCTL], 'other'));
if (existsSync(sea)) contenders.push(...runs([sea], 'sea'));

// One race, so that every command sees the same machine load; each ratio is against node.
const [n, ...rest] = race(contenders, ROUNDS);
console.log(`\nstart-up, ${ROUNDS} alternated runs (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);
// The CPU figures of the warm-up run (the first of each) are left out, as race() leaves out its wall clock.
const cpuOf = (r) => {
  const list = cpu.get(r.name.replace(/ <RTM_NEWLINK>$/, '').replace(/^node -e 0$/, 'node'))?.slice(1);
  return list?.length ? median(list) : undefined;
};
const nodeCpu = cpuOf(n);
for (const r of [n, ...rest]) {
  const ratio = r === n ? '' : `  ${(r.median / n.median).toFixed(2)}x node (bar 1.2x, goal 1.05x)`;
  const c = cpuOf(r);
  const cpuText = c === undefined ? '' : `; CPU ${c.toFixed(0)} ms${r === n ? '' : ` ${(c / nodeCpu).toFixed(2)}x`}`;
  console.log(`  ${r.name.padEnd(30)} median ${r.median.toFixed(0).padStart(5)} ms${ratio}${cpuText}   (runs: ${r.all.map((x) => x.toFixed(0)).join(', ')})`);
}
if (!python) console.log('  (no python3: wall clock only, no CPU time)');
