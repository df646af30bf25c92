// `nlctl decode FILE -f ndjson` against `tshark -r FILE -T json` on a capture of 200,000
// netlink messages (real rtnetlink messages from the test fixtures, repeated). Target: 20x.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../build/src/capture/pcap.js';
import { splitMessages } from '../build/src/codec/index.js';
import { hexFixture } from '../build/test/helpers.js';
import { race, report, time } from './common.mjs';

const MESSAGES = Number(process.env.MESSAGES ?? 200000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));

// One message per record, as nlmon captures notifications.
const samples = [];
for (const f of ['codec/getlink-dump-lo.hex', 'codec/newroute-enetunreach.hex', 'dissect/route-addr-v4.hex', 'dissect/route-route.hex', 'dissect/route-neigh.hex']) {
  for (const { bytes } of hexFixture(f)) for (const m of splitMessages(bytes).messages) samples.push(m.bytes);
}
const w = new PcapWriter({ resolution: 'ns' });
const parts = [w.header()];
for (let i = 0; i < MESSAGES; i++) {
  parts.push(w.record({ protocol: 0, payload: samples[i % samples.length], tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000, direction: i % 2 ? 'in' : 'out' }));
}
const dir = mkdtempSync(`${tmpdir()}/nlctl-bench-`);
const file = `${dir}/bench.pcap`;
writeFileSync(file, Buffer.concat(parts));
const mb = statSync(file).size / 1e6;
try {
  const results = race([
    { name: 'nlctl decode -f ndjson', run: () => time(process.execPath, [nlctl, 'decode', file, '-f', 'ndjson']).ms },
    { name: 'tshark -r -T json', run: () => time('tshark', ['-r', file, '-T', 'json']).ms },
  ], ROUNDS);
  report(`decode a pcap of ${MESSAGES} messages (${mb.toFixed(1)} MB)`, results, {
    'nlctl throughput': `${(mb / (results[0].median / 1000)).toFixed(1)} MB/s, ${Math.round(MESSAGES / (results[0].median / 1000))} messages/s`,
  });
  console.log(`  tshark / nlctl wall time: ${(results[1].median / results[0].median).toFixed(1)}x faster (target >= 20x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
