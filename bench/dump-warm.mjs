// One nlctl command run again and again in one Node process, after a warm-up: what the command's
// own work costs once Node has started and V8 has compiled its hot code. A fresh `nlctl` pays
// both at every start; this figure says how much of a short dump's time they are.
//   node --v8-pool-size=0 bench/dump-warm.mjs ROUNDS ARGV...   (the output goes to stdout)
// Prints the median of the rounds after the warm-up, in ms, to stderr as `warm MEDIAN`.
import { writeSync } from 'node:fs';
import { median } from './common.mjs';

const [rounds, ...argv] = process.argv.slice(2);
const { main } = await import(new URL('../build/src/main.js', import.meta.url).href);
const WARM_UP = 5;
const times = [];
for (let i = 0; i < WARM_UP + Number(rounds); i++) {
  const t0 = performance.now();
  const code = await main(argv);
  if (code !== 0) throw new Error(`nlctl ${argv.join(' ')} exited ${code}`);
  if (i >= WARM_UP) times.push(performance.now() - t0);
}
writeSync(2, `warm ${median(times).toFixed(2)}\n`);
