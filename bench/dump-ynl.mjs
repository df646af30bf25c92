// `nlctl dump --family rt-link --cmd getlink -j` against the kernel's own YNL CLI
// (`cli.py --spec rt-link.yaml --dump getlink --output-json`, from the same linux-source package
// as nlctl's tables) on 1,000 veth links in a throwaway network namespace. Goal: nlctl at least
// 20x faster. Needs root and scripts/kernel-source.sh's cache (.cache/kernel).
//
// Both are also timed on a namespace with only `lo`: what each spends before and around the dump
// (start-up, reading the spec), so that the ratio of the 1,000-link runs can be read apart from
// the ratio of the per-link work. NLCTL_BASELINE=path/to/bin/nlctl adds another build of nlctl.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { race, report, time } from './common.mjs';

const LINKS = Number(process.env.LINKS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const root = fileURLToPath(new URL('../', import.meta.url));
const nlctl = `${root}bin/nlctl`;
const cli = `${root}.cache/kernel/src/tools/net/ynl/pyynl/cli.py`;
const spec = `${root}.cache/kernel/src/Documentation/netlink/specs/rt-link.yaml`;
if (!existsSync(cli)) {
  console.log(`\ndump-ynl: skipped — no YNL CLI at ${cli} (run scripts/kernel-source.sh)`);
  process.exit(0);
}
const ns = `nlctl-bench-ynl-${process.pid}`;
const empty = `${ns}-lo`;

execFileSync('ip', ['netns', 'add', ns]);
execFileSync('ip', ['netns', 'add', empty]);
try {
  const batch = [];
  for (let i = 0; i < LINKS / 2; i++) batch.push(`link add y${i}a type veth peer name y${i}b`);
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n' });

  const inNs = (where, argv) => ['netns', 'exec', where, ...argv];
  const ynl = (where) => inNs(where, ['python3', cli, '--spec', spec, '--dump', 'getlink', '--output-json']);
  const nl = (where, bin = nlctl) => inNs(where, [bin, 'dump', '--family', 'rt-link', '--cmd', 'getlink', '-j']);
  // Same answer first: the comparison means nothing otherwise.
  const ynlLinks = JSON.parse(time('ip', ynl(ns), { stdout: 'pipe' }).stdout);
  const nlLinks = JSON.parse(time('ip', nl(ns), { stdout: 'pipe' }).stdout);
  if (ynlLinks.length !== nlLinks.length) throw new Error(`YNL lists ${ynlLinks.length} links, nlctl ${nlLinks.length}`);
  const names = (list) => list.map((l) => l.ifname).join(',');
  if (names(ynlLinks) !== names(nlLinks)) throw new Error('YNL and nlctl list different links');

  const contenders = [
    { name: `nlctl, ${ynlLinks.length} links`, run: () => time('ip', nl(ns)).ms },
    { name: `YNL cli.py, ${ynlLinks.length} links`, run: () => time('ip', ynl(ns)).ms },
    { name: 'nlctl, lo only', run: () => time('ip', nl(empty)).ms },
    { name: 'YNL cli.py, lo only', run: () => time('ip', ynl(empty)).ms },
  ];
  if (process.env.NLCTL_BASELINE) contenders.push({ name: `baseline nlctl, ${ynlLinks.length} links`, run: () => time('ip', nl(ns, process.env.NLCTL_BASELINE)).ms });
  const results = race(contenders, ROUNDS);
  report(`dump ${ynlLinks.length} links by the rt-link spec`, results);
  const [n, y, n0, y0] = results.map((r) => r.median);
  console.log(`  nlctl is ${(y / n).toFixed(1)}x faster than YNL's CLI (goal >= 20x)`);
  console.log(`  start-up and spec loading (lo only): nlctl ${n0.toFixed(0)} ms, YNL ${y0.toFixed(0)} ms (${(100 * y0 / y).toFixed(0)}% of YNL's time)`);
  console.log(`  the ${ynlLinks.length} links alone: nlctl ${(n - n0).toFixed(0)} ms, YNL ${(y - y0).toFixed(0)} ms: ${((y - y0) / Math.max(1, n - n0)).toFixed(1)}x`);
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
  spawnSync('ip', ['netns', 'del', empty]);
}
