// Start-up against Node itself: `nlctl --version` and `nlctl decode` of one message (lo's
// RTM_NEWLINK, as the kernel sent it) beside `node -e 0`, alternated in one run, medians.
// The bar is 1.2x node's own start-up (goal 1.05x). ROUNDS sets the number of runs (default 31);
// NLCTL=path/bin/nlctl adds another build beside this one; the single executable (make sea,
// dist/nlctl-linux-<arch>) is timed too when it exists.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { race, time } from './common.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const sea = fileURLToPath(new URL(`../dist/nlctl-linux-${process.arch}`, import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/codec/getlink-dump-lo.hex', import.meta.url));
// The first reply datagram: RTM_NEWLINK of lo, 1468 bytes.
const newlink = readFileSync(fixture, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))[1];

const runs = (cmd, pre) => [
  { name: `${pre} --version`, run: () => time(cmd[0], [...cmd.slice(1), '--version']).ms },
  { name: `${pre} decode <RTM_NEWLINK>`, run: () => time(cmd[0], [...cmd.slice(1), 'decode', '--proto', 'route', newlink]).ms },
];
const node = { name: 'node -e 0', run: () => time(process.execPath, ['-e', '0']).ms };
const contenders = [node, ...runs([process.execPath, nlctl], 'nlctl')];
if (process.env.NLCTL) contenders.push(...runs([process.execPath, process.env.NLCTL], 'other'));
if (existsSync(sea)) contenders.push(...runs([sea], 'sea'));

// One race, so that every command sees the same machine load; each ratio is against node.
const [n, ...rest] = race(contenders, ROUNDS);
console.log(`\nstart-up, ${ROUNDS} alternated runs (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);
for (const r of [n, ...rest]) {
  const ratio = r === n ? '' : `  ${(r.median / n.median).toFixed(2)}x node (bar 1.2x, goal 1.05x)`;
  console.log(`  ${r.name.padEnd(30)} median ${r.median.toFixed(0).padStart(5)} ms${ratio}   (runs: ${r.all.map((x) => x.toFixed(0)).join(', ')})`);
}
