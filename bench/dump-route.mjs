// `nlctl dump route -j` against `ip -j route show` (and pyroute2 where installed) on 100,000
// routes in a throwaway network namespace. Target: nlctl at most 1.5x ip's wall time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { race, report, time, warmMedian } from './common.mjs';

const ROUTES = Number(process.env.ROUTES ?? 100000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const ns = `nlctl-bench-${process.pid}`;

execFileSync('ip', ['netns', 'add', ns]);
try {
  execFileSync('ip', ['-n', ns, 'link', 'add', 'b0', 'type', 'veth', 'peer', 'name', 'b1']);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'b0', 'up']);
  execFileSync('ip', ['-n', ns, 'addr', 'add', '10.0.0.1/8', 'dev', 'b0']);
  const batch = [];
  for (let i = 0; i < ROUTES; i++) batch.push(`route add 20.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.0.2 dev b0`);
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') + '\n', maxBuffer: 1 << 28 });

  // Same answer first: the comparison means nothing otherwise.
  const ipRoutes = JSON.parse(time('ip', ['-n', ns, '-j', 'route', 'show'], { stdout: 'pipe' }).stdout);
  const nlRoutes = JSON.parse(time(nlctl, ['dump', 'route', '-j', '--netns', ns], { stdout: 'pipe' }).stdout);
  if (ipRoutes.length !== nlRoutes.length) throw new Error(`ip lists ${ipRoutes.length} routes, nlctl ${nlRoutes.length}`);

  const contenders = [
    { name: 'nlctl dump route -j', run: () => time(nlctl, ['dump', 'route', '-j', '--netns', ns]).ms },
    { name: 'ip -j route show', run: () => time('ip', ['-n', ns, '-j', 'route', 'show']).ms },
    // For comparison only (the bar is against plain -j): ip's details come closer to what nlctl's
    // records hold (type, protocol, scope besides dst, gateway and dev).
    { name: 'ip -d -j route show', run: () => time('ip', ['-n', ns, '-d', '-j', 'route', 'show']).ms },
  ];
  // Another build of nlctl (NLCTL_BASELINE=path/to/bin/nlctl), to see a change side by side.
  if (process.env.NLCTL_BASELINE) contenders.push({ name: 'baseline nlctl dump route -j', run: () => time(process.env.NLCTL_BASELINE, ['dump', 'route', '-j', '--netns', ns]).ms });
  // Debian's python3-pyroute2 installs for the system Python.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const hasPyroute2 = spawnSync(python, ['-c', 'import pyroute2']).status === 0;
  if (hasPyroute2) {
    const py = 'from pyroute2 import IPRoute\nimport json\nwith IPRoute() as ip:\n  r = [dict(m["attrs"], dst_len=m["dst_len"]) for m in ip.get_routes(family=2, table=254)]\nprint(json.dumps(r, default=str))';
    contenders.push({ name: 'pyroute2 get_routes + json', run: () => time('ip', ['netns', 'exec', ns, python, '-c', py]).ms });
  }
  const results = race(contenders, ROUNDS);
  report(`dump ${ROUTES} routes (${ipRoutes.length} listed)`, results, hasPyroute2 ? {} : { pyroute2: 'not installed (apt-get install python3-pyroute2)' });
  const ratio = results[0].median / results[1].median;
  console.log(`  nlctl / ip wall time: ${ratio.toFixed(2)} (target <= 1.5)`);
  const warm = warmMedian(['dump', 'route', '-j', '--netns', ns], ROUNDS);
  console.log(`  nlctl's dump in one warmed-up process: ${warm.toFixed(0)} ms, ${(warm / results[1].median).toFixed(2)}x ip (a fresh nlctl adds Node's start and V8's warm-up)`);
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
}
