// `nlctl decode FILE -f ndjson` against `tshark -r FILE -T json` on two captures, side by side
// in one run (alternated, medians): 200,000 rtnetlink messages one per record, 20,000 frames of
// real traffic mixed across protocols (bench/captures.mjs). Target: 20x faster on each. And a dump
// of 50,000 routes and 5,000 links, none equal to another, with templates and without: tshark is
// left out there, as it stops dissecting a datagram of hundreds of messages part way ("Dissector
// bug ... gui_max_tree_depth"), doing less than nlctl.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dumpCapture, mixedCapture, rtnetlinkCapture } from './captures.mjs';
import { race, report, time } from './common.mjs';

const MESSAGES = Number(process.env.MESSAGES ?? 200000);
const FRAMES = Number(process.env.FRAMES ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));
const NO_TEMPLATES = { ...process.env, NLCTL_TEMPLATES: '0' };

const dir = mkdtempSync(`${tmpdir()}/nlctl-bench-`);
const rt = `${dir}/rtnetlink.pcap`;
const mixed = `${dir}/mixed.pcap`;
writeFileSync(rt, rtnetlinkCapture(MESSAGES));
const m = mixedCapture(FRAMES);
writeFileSync(mixed, m.bytes);
const dumps = `${dir}/dumps.pcap`;
const ROUTES = Number(process.env.ROUTES ?? 50000), LINKS = Number(process.env.LINKS ?? 5000);
const dm = dumpCapture(ROUTES, LINKS);
writeFileSync(dumps, dm.bytes);
const mb = (f) => statSync(f).size / 1e6;
try {
  const results = race([
    { name: 'nlctl decode -f ndjson (rtnetlink)', run: () => time(nlctl, ['decode', rt, '-f', 'ndjson']).ms },
    { name: 'tshark -r -T json (rtnetlink)', run: () => time('tshark', ['-r', rt, '-T', 'json']).ms },
    { name: 'nlctl decode -f ndjson (mixed)', run: () => time(nlctl, ['decode', mixed, '-f', 'ndjson']).ms },
    { name: 'tshark -r -T json (mixed)', run: () => time('tshark', ['-r', mixed, '-T', 'json']).ms },
    // Both captures repeat their messages; with templates off every message is written in full:
    // the figure for traffic whose messages are all new.
    { name: 'nlctl, templates off (rtnetlink)', run: () => time(nlctl, ['decode', rt, '-f', 'ndjson'], { env: NO_TEMPLATES }).ms },
    { name: 'nlctl, templates off (mixed)', run: () => time(nlctl, ['decode', mixed, '-f', 'ndjson'], { env: NO_TEMPLATES }).ms },
    { name: 'nlctl decode -f ndjson (dumps)', run: () => time(nlctl, ['decode', dumps, '-f', 'ndjson']).ms },
    { name: 'nlctl, templates off (dumps)', run: () => time(nlctl, ['decode', dumps, '-f', 'ndjson'], { env: NO_TEMPLATES }).ms },
  ], ROUNDS);
  const [nrt, trt, nmx, tmx, ort, omx, ndm, odm] = results;
  report(`decode a pcap of ${MESSAGES} rtnetlink messages (${mb(rt).toFixed(1)} MB)`, [nrt, trt], {
    'nlctl throughput': `${(mb(rt) / (nrt.median / 1000)).toFixed(1)} MB/s, ${Math.round(MESSAGES / (nrt.median / 1000))} messages/s`,
  });
  console.log(`  tshark / nlctl wall time: ${(trt.median / nrt.median).toFixed(1)}x faster (target >= 20x)`);
  console.log(`  with templates off (${ort.median.toFixed(0)} ms): ${(trt.median / ort.median).toFixed(1)}x faster`);
  report(`decode a mixed pcap of ${FRAMES} frames, ${m.messages} messages (rtnetlink, generic, sock_diag, netfilter, audit, uevent, errors; ${mb(mixed).toFixed(1)} MB)`, [nmx, tmx], {
    'nlctl throughput': `${(mb(mixed) / (nmx.median / 1000)).toFixed(1)} MB/s, ${Math.round(m.messages / (nmx.median / 1000))} messages/s`,
  });
  console.log(`  tshark / nlctl wall time: ${(tmx.median / nmx.median).toFixed(1)}x faster (target >= 20x)`);
  console.log(`  with templates off (${omx.median.toFixed(0)} ms): ${(tmx.median / omx.median).toFixed(1)}x faster`);
  report(`decode a dump of ${dm.messages} messages as captured (${ROUTES} routes, ${LINKS} links, each of its own values; ${mb(dumps).toFixed(1)} MB)`, [ndm, odm], {
    'nlctl throughput': `${(mb(dumps) / (ndm.median / 1000)).toFixed(1)} MB/s, ${Math.round(dm.messages / (ndm.median / 1000))} messages/s`,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
