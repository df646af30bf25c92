// `nlctl dump link -j` against `ip -j link` on 1,000 veth links (500 pairs) in a throwaway
// network namespace: the records of large messages (stats, per-family settings, link info).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { race, report, time, warmMedian } from './common.mjs';

const LINKS = Number(process.env.LINKS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const ns = `nlctl-bench-link-${process.pid}`;

execFileSync('ip', ['netns', 'add', ns]);
try {
  const batch = [];
  for (let i = 0; i < LINKS / 2; i++) batch.push(`link add v${i}a type veth peer name v${i}b`);
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n' });

  // Same answer first: the comparison means nothing otherwise.
  const ipLinks = JSON.parse(time('ip', ['-n', ns, '-j', 'link', 'show'], { stdout: 'pipe' }).stdout);
  const nlLinks = JSON.parse(time(nlctl, ['dump', 'link', '-j', '--netns', ns], { stdout: 'pipe' }).stdout);
  const names = (list) => list.map((l) => l.ifname).join(',');
  if (names(ipLinks) !== names(nlLinks)) throw new Error(`ip and nlctl list different links (${ipLinks.length}, ${nlLinks.length})`);

  const contenders = [
    { name: 'nlctl dump link -j', run: () => time(nlctl, ['dump', 'link', '-j', '--netns', ns]).ms },
    { name: 'ip -j link show', run: () => time('ip', ['-n', ns, '-j', 'link', 'show']).ms },
    // ip prints statistics with -s: closer to what nlctl's records hold (stats64 and the rest).
    { name: 'ip -s -j link show', run: () => time('ip', ['-n', ns, '-s', '-j', 'link', 'show']).ms },
    // The everyday command: a table for people, beside ip's text.
    { name: 'nlctl dump link (a table)', run: () => time(nlctl, ['dump', 'link', '--netns', ns]).ms },
    { name: 'ip link show', run: () => time('ip', ['-n', ns, 'link', 'show']).ms },
    // The floor of any Node program: its start alone.
    { name: 'node -e 0', run: () => time(process.execPath, ['-e', '0']).ms },
  ];
  // Another build of nlctl (NLCTL_BASELINE=path/to/bin/nlctl), to see a change side by side.
  if (process.env.NLCTL_BASELINE) contenders.push({ name: 'baseline nlctl dump link -j', run: () => time(process.env.NLCTL_BASELINE, ['dump', 'link', '-j', '--netns', ns]).ms });
  const results = race(contenders, ROUNDS);
  report(`dump ${ipLinks.length} links`, results);
  console.log(`  nlctl / ip wall time: ${(results[0].median / results[1].median).toFixed(2)} (target <= 1.5)`);
  const warm = warmMedian(['dump', 'link', '-j', '--netns', ns], 15);
  console.log(`  nlctl's dump in one warmed-up process: ${warm.toFixed(1)} ms, ${(warm / results[1].median).toFixed(2)}x ip (a fresh nlctl adds Node's start and V8's warm-up)`);
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
}
