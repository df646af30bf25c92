#!/usr/bin/env node
// Host side of the pcap scenario (test/vm/run.sh): tshark must read the capture that
// `nlctl listen --pcap` wrote inside the VM, and see what nlctl printed there (-f ndjson):
// one frame per message, with the same protocol, type, length, seq and arrival time.
//   node test/vm/check-pcap.mjs CAPTURE.pcap PRINTED.ndjson
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [pcap, printed] = process.argv.slice(2);
const fail = (why) => {
  console.log(`FAIL: ${why}`);
  process.exit(1);
};

let msgs;
try {
  msgs = readFileSync(printed, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
} catch (e) {
  fail(`what nlctl printed (${printed}): ${e.message}`);
}
let out;
try {
  out = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-E', 'separator=,',
    '-e', 'frame.time_epoch', '-e', 'netlink.family', '-e', 'netlink.hdr_type', '-e', 'netlink.hdr_len', '-e', 'netlink.hdr_seq'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
} catch (e) {
  fail(`tshark could not read ${pcap}: ${e.stderr || e.message}`);
}
const frames = out.trim().split('\n').filter(Boolean).map((l) => l.split(','));
if (frames.length !== msgs.length) fail(`tshark sees ${frames.length} frames, nlctl printed ${msgs.length} messages`);
if (!msgs.length) fail('no messages');
const types = new Map();
frames.forEach(([epoch, family, type, len, seq], i) => {
  const m = msgs[i];
  const got = { protocol: Number(family), type: Number(type), len: Number(len), seq: Number(seq) };
  const want = { protocol: m.protocol_number, type: m.type, len: m.len, seq: m.seq };
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`frame ${i + 1}: tshark ${JSON.stringify(got)}, nlctl ${JSON.stringify(want)}`);
  // Both come from the same receive timestamp: equal to the microsecond.
  const us = Math.round(Number(epoch) * 1e6);
  const printedUs = Math.round(Date.parse(m.meta.time) * 1000) + Number(m.meta.time.slice(23, 26));
  if (us !== printedUs) fail(`frame ${i + 1}: time ${epoch} in the capture, ${m.meta.time} printed`);
  types.set(m.type_name, (types.get(m.type_name) ?? 0) + 1);
});
console.log(`  tshark: ${frames.length} frames of protocol ${msgs[0].protocol_number}, as printed: ` +
  [...types].map(([t, n]) => `${n} ${t}`).join(', '));
