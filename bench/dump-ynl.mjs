// `nlctl dump --family rt-link --cmd getlink -j` against the kernel's own YNL CLI
// (`cli.py --spec rt-link.yaml --dump getlink --output-json`, from the same linux-source package
// as nlctl's tables) on 1,000 veth links in a throwaway network namespace. Goal: nlctl at least
// 20x faster. Needs root and scripts/kernel-source.sh's cache (.cache/kernel).
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

execFileSync('ip', ['netns', 'add', ns]);
try {
  const batch = [];
  for (let i = 0; i < LINKS / 2; i++) batch.push(`link add y${i}a type veth peer name y${i}b`);
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n' });

  const inNs = (argv) => ['netns', 'exec', ns, ...argv];
  const ynlArgs = inNs(['python3', cli, '--spec', spec, '--dump', 'getlink', '--output-json']);
  const nlArgs = inNs([process.execPath, nlctl, 'dump', '--family', 'rt-link', '--cmd', 'getlink', '-j']);
  // Same answer first: the comparison means nothing otherwise.
  const ynlLinks = JSON.parse(time('ip', ynlArgs, { stdout: 'pipe' }).stdout);
  const nlLinks = JSON.parse(time('ip', nlArgs, { stdout: 'pipe' }).stdout);
  if (ynlLinks.length !== nlLinks.length) throw new Error(`YNL lists ${ynlLinks.length} links, nlctl ${nlLinks.length}`);
  const names = (list) => list.map((l) => l.ifname).join(',');
  if (names(ynlLinks) !== names(nlLinks)) throw new Error('YNL and nlctl list different links');

  const results = race([
    { name: 'nlctl dump --family rt-link -j', run: () => time('ip', nlArgs).ms },
    { name: 'YNL cli.py --dump getlink', run: () => time('ip', ynlArgs).ms },
  ], ROUNDS);
  report(`dump ${ynlLinks.length} links by the rt-link spec`, results);
  const ratio = results[1].median / results[0].median;
  console.log(`  nlctl is ${ratio.toFixed(1)}x faster than YNL's CLI (goal >= 20x)`);
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
}
