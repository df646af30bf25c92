// listen under a flood, against a small C sender (bench/flood.c, compiled here with gcc):
//  1. unicast: 300,000 usersock messages to `listen --proto usersock --pid P -f ndjson --pcap F`.
//     The kernel holds the sender back while the queue is full, so this measures the drain rate;
//     every message must be printed and be in the pcap.
//  2. multicast: 100,000 msg/s for 2 s to `listen --group G --rcvbuf 4M -f ndjson` (root).
//     The kernel drops what the queue cannot hold: loss = sent - received, in messages.
// NLCTL=path/to/bin/nlctl benchmarks another build (e.g. an older one, for before/after).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NLCTL = process.env.NLCTL ?? `${ROOT}bin/nlctl`;
const COUNT = Number(process.env.FLOOD_COUNT ?? 300000);
const RATE = Number(process.env.FLOOD_RATE ?? 100000);
const SECONDS = Number(process.env.FLOOD_SECONDS ?? 2);

const dir = mkdtempSync(`${tmpdir()}/nlctl-flood-`);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const flood = `${dir}/flood`;
execFileSync('gcc', ['-O2', '-o', flood, `${ROOT}bench/flood.c`]);

/** Start nlctl with stdout into a file; resolves `ready` once it listens, `done` when it exits. */
function listener(args, outFile) {
  const out = openSync(outFile, 'w');
  const child = spawn(NLCTL, args, { stdio: ['ignore', out, 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  closeSync(out);
  let stderr = '';
  let onReady;
  const ready = new Promise((r) => (onReady = r));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/listening on/.test(stderr)) onReady();
  });
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, at: performance.now() })));
  return { child, ready, done };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** Records in a pcap file: 24-byte file header, then 16-byte record headers with incl_len at 8. */
function pcapRecords(file) {
  const b = readFileSync(file);
  let n = 0;
  for (let off = 24; off + 16 <= b.length; n++) off += 16 + b.readUInt32LE(off + 8);
  return n;
}

function ndjsonLines(file) {
  const text = readFileSync(file, 'utf8');
  let messages = 0, events = 0, lastSeq = -1, inOrder = true;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line);
    if (o.event) {
      events++;
      continue;
    }
    if (o.seq !== lastSeq + 1) inOrder = false;
    lastSeq = o.seq;
    messages++;
  }
  return { messages, events, inOrder };
}

async function unicast() {
  const port = 200000 + Math.floor(Math.random() * 1e6);
  const pcap = `${dir}/uni.pcap`, out = `${dir}/uni.ndjson`;
  const l = listener(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(port), '--count', String(COUNT), '--timeout', '300', '--pcap', pcap], out);
  await l.ready;
  const t0 = performance.now();
  const sent = Number(await run(flood, ['unicast', String(port), String(COUNT)]));
  const r = await l.done;
  const secs = (r.at - t0) / 1000;
  const lines = ndjsonLines(out);
  const records = pcapRecords(pcap);
  console.log(`\nlisten --proto usersock --pid P -f ndjson --pcap F, unicast flood of ${COUNT} messages (${NLCTL})`);
  console.log(`  sent ${sent}, printed ${lines.messages} (in order: ${lines.inOrder}), pcap records ${records}, exit ${r.code}`);
  console.log(`  drained in ${secs.toFixed(2)} s: ${Math.round(COUNT / secs).toLocaleString('en')} msg/s`);
  const ok = sent === COUNT && lines.messages === COUNT && records === COUNT && lines.inOrder && r.code === 0;
  console.log(`  every message printed and in the pcap: ${ok ? 'yes' : 'NO'}`);
  return ok;
}

async function multicast() {
  if (process.getuid?.() !== 0) {
    console.log('\nmulticast flood: SKIPPED (sending to a usersock group needs root)');
    return true;
  }
  const group = 1 + Math.floor(Math.random() * 32);
  const out = `${dir}/multi.ndjson`;
  const l = listener(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--group', String(group), '--rcvbuf', String(4 << 20)], out);
  await l.ready;
  const sent = Number(await run(flood, ['multicast', String(group), String(RATE), String(SECONDS)]));
  // Let the listener drain what is queued, then stop it the way a user would.
  await new Promise((r) => setTimeout(r, 500));
  l.child.kill('SIGINT');
  const r = await l.done;
  const lines = ndjsonLines(out);
  const lost = /(\d+) message\(s\) lost/.exec(r.stderr)?.[1] ?? 'not reported';
  console.log(`\nlisten --group G --rcvbuf 4M -f ndjson, multicast flood paced at ${RATE.toLocaleString('en')} msg/s for ${SECONDS} s`);
  console.log(`  sent ${sent}, received ${lines.messages}, lost (sent - received) ${sent - lines.messages}; nlctl reported lost: ${lost}, overrun events ${lines.events}`);
  return true;
}

const okUni = await unicast();
await multicast();
if (!okUni) process.exitCode = 1;
