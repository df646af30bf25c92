// Start-up against Node itself: `nlctl --version` and `nlctl decode` of one message (lo's
// RTM_NEWLINK, as the kernel sent it) beside `node -e 0`, alternated in one run, medians.
// The bar is 1.2x node's own start-up (goal 1.05x). ROUNDS sets the number of runs (default 31).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { race, report, time } from './common.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/codec/getlink-dump-lo.hex', import.meta.url));
// The first reply datagram: RTM_NEWLINK of lo, 1468 bytes.
const newlink = readFileSync(fixture, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))[1];

const contender = (name, args) => ({ name, run: () => time(process.execPath, args).ms });
const node = contender('node -e 0', ['-e', '0']);
const version = contender('nlctl --version', [nlctl, '--version']);
const decode = contender('nlctl decode <RTM_NEWLINK hex>', [nlctl, 'decode', '--proto', 'route', newlink]);

// One race, so that every command sees the same machine load; each ratio is nlctl / node.
const [n, v, d] = race([node, version, decode], ROUNDS);
const ratio = (r) => `${(r.median / n.median).toFixed(2)}x node (bar 1.2x, goal 1.05x)`;
report(`start-up, ${ROUNDS} alternated runs`, [v, n], { 'nlctl --version': ratio(v) });
report(`decode of one message, ${ROUNDS} alternated runs`, [d, n], { 'nlctl decode': ratio(d) });
