// Peak memory of `nlctl decode` on big inputs, generated here (never committed): a pcap of
// CAPTURE_MB (default 500) and hex dumps of HEX_MB (default 100) in two shapes — plain hex, one
// datagram per block, and one xxd dump of everything (a single block with no blank line).
// Measured with /usr/bin/time -v; the bar is 300 MB of maximum resident set size each.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PcapWriter } from '../build/src/capture/pcap.js';
import { splitMessages } from '../build/src/codec/index.js';
import { hexFixture } from '../build/test/helpers.js';

const CAPTURE_MB = Number(process.env.CAPTURE_MB ?? 500);
const HEX_MB = Number(process.env.HEX_MB ?? 100);
const LIMIT_MB = Number(process.env.LIMIT_MB ?? 300);
const FORMAT = process.env.FORMAT ?? 'ndjson';
const nlctl = fileURLToPath(new URL('../bin/nlctl', import.meta.url));

const samples = [];
for (const f of ['codec/getlink-dump-lo.hex', 'codec/newroute-enetunreach.hex', 'dissect/route-addr-v4.hex', 'dissect/route-route.hex', 'dissect/route-neigh.hex']) {
  for (const { bytes } of hexFixture(f)) for (const m of splitMessages(bytes).messages) samples.push(m.bytes);
}

/** Writes `make(i)` pieces until the file holds `mb` megabytes; batched writes keep this process small. */
function generate(path, mb, first, make) {
  const fd = openSync(path, 'w');
  let size = 0;
  let parts = [];
  let pending = 0;
  if (first) { writeSync(fd, first); size += first.length; }
  for (let i = 0; size < mb * 1e6; i++) {
    const p = make(i);
    parts.push(p);
    pending += p.length;
    size += p.length;
    if (pending > 4e6) { writeSync(fd, Buffer.concat(parts)); parts = []; pending = 0; }
  }
  if (parts.length) writeSync(fd, Buffer.concat(parts));
  closeSync(fd);
}

function xxdRows(bytes, start) {
  let out = '';
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, o + 16);
    let hex = '';
    for (let j = 0; j < 16; j += 2) hex += j < row.length ? Buffer.from(row.subarray(j, j + 2)).toString('hex').padEnd(4, ' ') + ' ' : '     ';
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out += `${(start + o).toString(16).padStart(8, '0')}: ${hex} ${ascii}\n`;
  }
  return out;
}

function peak(file) {
  const r = spawnSync('/usr/bin/time', ['-v', nlctl, 'decode', file, '-f', FORMAT], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(r.stderr);
  if (!rss) throw new Error(`no measurement (is /usr/bin/time installed?): ${r.stderr.slice(-500)}`);
  if (r.status !== 0) throw new Error(`nlctl decode ${file} failed (${r.status}): ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
  return { mb: Number(rss[1]) / 1024, wall: wall?.[1] ?? '?' };
}

const dir = mkdtempSync(`${tmpdir()}/nlctl-mem-`);
let failed = false;
try {
  const w = new PcapWriter({ resolution: 'ns' });
  const inputs = [
    { name: `pcap, ${CAPTURE_MB} MB`, file: `${dir}/big.pcap`, make: () => generate(`${dir}/big.pcap`, CAPTURE_MB, w.header(), (i) => w.record({ protocol: 0, payload: samples[i % samples.length], tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000, direction: i % 2 ? 'in' : 'out' })) },
    { name: `plain hex, a block per datagram, ${HEX_MB} MB`, file: `${dir}/big-plain.txt`, make: () => generate(`${dir}/big-plain.txt`, HEX_MB, null, (i) => Buffer.from(Buffer.from(samples[i % samples.length]).toString('hex').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n\n'))) },
    { name: `xxd of everything (one block), ${HEX_MB} MB`, file: `${dir}/big-xxd.txt`, make: () => { let off = 0; generate(`${dir}/big-xxd.txt`, HEX_MB, null, (i) => { const s = samples[i % samples.length]; const t = xxdRows(s, off); off += s.length; return Buffer.from(t); }); } },
  ];
  console.log(`\ndecode peak memory (maximum RSS, /usr/bin/time -v), -f ${FORMAT} > /dev/null; bar ${LIMIT_MB} MB`);
  for (const input of inputs) {
    input.make();
    const size = statSync(input.file).size / 1e6;
    const r = peak(input.file);
    const ok = r.mb < LIMIT_MB;
    failed ||= !ok;
    console.log(`  ${input.name.padEnd(44)} ${size.toFixed(0).padStart(5)} MB in: peak ${r.mb.toFixed(0).padStart(4)} MB, ${r.wall} wall  ${ok ? 'ok' : 'OVER THE BAR'}`);
    rmSync(input.file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
