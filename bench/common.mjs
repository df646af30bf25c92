// Timing helpers for the side-by-side benchmarks: each command runs alternately with its rival
// in the same run, and the medians are compared as a ratio. nlctl is run as a program, as a user
// runs it: bin/nlctl's `#!` line gives Node its options (--v8-pool-size=0).
import { spawnSync } from 'node:child_process';

export function time(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], maxBuffer: 1 << 30, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Run every contender `rounds` times, interleaved, after one warm-up each. */
export function race(contenders, rounds) {
  for (const c of contenders) c.run();
  const times = contenders.map(() => []);
  for (let i = 0; i < rounds; i++) contenders.forEach((c, j) => times[j].push(c.run()));
  return contenders.map((c, j) => ({ name: c.name, median: median(times[j]), all: times[j] }));
}

export function report(title, results, extra = {}) {
  const base = results[0];
  console.log(`\n${title}`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(34)} median ${r.median.toFixed(0).padStart(6)} ms   (runs: ${r.all.map((x) => x.toFixed(0)).join(', ')})`);
  }
  for (const r of results.slice(1)) console.log(`  ratio ${base.name} / ${r.name}: ${(base.median / r.median).toFixed(2)}x`);
  for (const [k, v] of Object.entries(extra)) console.log(`  ${k}: ${v}`);
}

/**
 * The median time of `argv` (nlctl's arguments) run `rounds` times in one warmed-up Node process
 * (dump-warm.mjs): the command's own work, without Node's start and V8's warm-up.
 */
export function warmMedian(argv, rounds) {
  const script = new URL('./dump-warm.mjs', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--v8-pool-size=0', script, String(rounds), ...argv], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const m = /^warm ([\d.]+)$/m.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`dump-warm ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(m[1]);
}
