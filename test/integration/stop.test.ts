// Stopping under load: SIGINT, SIGTERM and a closed stdout end `listen` at once even with a
// large receive queue full, after writing what was already read (stdout and pcap complete).
// The flood comes from bench/flood.c (NETLINK_USERSOCK between processes, no module needed).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { NLCTL, ROOT, ndjson, requireNamespaces, requireTool, runNlctl, startNlctl } from '../helpers.js';

/** Exit within this long of the signal, process teardown included (the goal is 100 ms of work). */
const STOP_BOUND_MS = 500;

function setup(t: TestContext): { dir: string; flood: string } | undefined {
  if (!requireTool(t, 'gcc')) return undefined;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-stop-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const flood = `${dir}/flood`;
  execFileSync('gcc', ['-O2', '-o', flood, `${ROOT}bench/flood.c`]);
  return { dir, flood };
}

const port = () => 300000 + Math.floor(Math.random() * 1_000_000);

/** Records in a pcap file, each checked to lie inside the file (a cut record fails). */
function pcapRecordCount(file: string): number {
  const b = readFileSync(file);
  assert.equal(b.readUInt32LE(0), 0xa1b23c4d, 'nanosecond pcap magic');
  let n = 0, off = 24;
  for (; off + 16 <= b.length; n++) off += 16 + b.readUInt32LE(off + 8);
  assert.equal(off, b.length, 'the last record is complete');
  return n;
}

async function stopAfterBurst(t: TestContext, signal: 'SIGINT' | 'SIGTERM') {
  const env = setup(t);
  if (!env) return;
  const p = port();
  const pcap = `${env.dir}/burst.pcap`;
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(p), '--rcvbuf', String(64 << 20), '--pcap', pcap]);
  await l.ready;
  const burst = 150000;
  assert.equal(execFileSync(env.flood, ['unicast', String(p), String(burst)], { encoding: 'utf8' }).trim(), String(burst));
  const t0 = performance.now();
  l.kill(signal);
  const r = await l.done;
  const ms = performance.now() - t0;
  process.stderr.write(`# ${signal} after a ${burst}-message burst: exit after ${ms.toFixed(0)} ms\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(ms < STOP_BOUND_MS, `stopped in ${ms.toFixed(0)} ms`);
  const printed = ndjson(r.stdout).length;
  assert.ok(printed > 0 && printed < burst, `${printed} printed: the queue was not drained first`);
  assert.match(r.stderr, new RegExp(`${printed} message\\(s\\) received, 0 overrun\\(s\\), ${printed} record\\(s\\) in `));
  assert.equal(pcapRecordCount(pcap), printed, 'every printed message is in the pcap');
  const back = runNlctl(['-f', 'ndjson', 'decode', pcap]);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(ndjson(back.stdout).length, printed, 'the pcap reads back');
}

test('SIGINT after a 150k burst into listen --rcvbuf 64M: exits at once, stdout and pcap complete', (t) => stopAfterBurst(t, 'SIGINT'));

test('SIGTERM after a 150k burst: the same', (t) => stopAfterBurst(t, 'SIGTERM'));

test('SIGINT in the middle of a flood: exits at once', async (t) => {
  const env = setup(t);
  if (!env) return;
  const p = port();
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(p), '--rcvbuf', String(64 << 20)]);
  await l.ready;
  const sender = spawn(env.flood, ['unicast', String(p), '100000000'], { stdio: 'ignore' });
  t.after(() => sender.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 700));
  const t0 = performance.now();
  l.kill('SIGINT');
  const r = await l.done;
  const ms = performance.now() - t0;
  process.stderr.write(`# SIGINT mid-flood: exit after ${ms.toFixed(0)} ms\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(ms < STOP_BOUND_MS, `stopped in ${ms.toFixed(0)} ms`);
  const printed = ndjson(r.stdout).length;
  assert.ok(printed > 1000, `${printed} printed`);
  assert.match(r.stderr, new RegExp(`${printed} message\\(s\\) received`));
});

test('listen | head -3 under a burst: three lines, and the listener is gone at once', async (t) => {
  const env = setup(t);
  if (!env) return;
  const p = port();
  const err = `${env.dir}/listen.err`;
  // The pipeline's own exit status is head's; the listener's is written to a file.
  const sh = spawn('sh', ['-c', `{ "${process.execPath}" "${NLCTL}" -f ndjson listen --proto usersock --pid ${p} --rcvbuf ${64 << 20} 2>"${err}"; echo $? > "${err}.code"; }`
    + ` | head -3`], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => sh.kill('SIGKILL'));
  let out = '';
  sh.stdout.on('data', (d) => (out += d));
  const done = new Promise<number>((resolve) => sh.on('close', () => resolve(performance.now())));
  for (let i = 0; i < 100 && !/listening on/.test(safeRead(err)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(safeRead(err), /listening on/);
  const t0 = performance.now();
  const burst = spawnSync(env.flood, ['unicast', String(p), '150000'], { encoding: 'utf8' });
  const sent = Number(burst.stdout.trim());
  const ended = await done;
  process.stderr.write(`# | head -3: pipeline ended ${(ended - t0).toFixed(0)} ms after the burst began (${sent} sent)\n`);
  assert.equal(out.split('\n').filter(Boolean).length, 3);
  assert.equal(safeRead(`${err}.code`).trim(), '0', safeRead(err));
  // The sender blocks once the queue is full; a listener that stopped at the closed pipe lets
  // most of the burst go unread rather than printing it into nowhere.
  assert.ok(ended - t0 < 2000, `pipeline ended after ${(ended - t0).toFixed(0)} ms`);
  assert.match(safeRead(err), /message\(s\) received/);
});

test('SIGINT while stdout\'s reader has stopped reading: exits at once, and says what output it dropped', async (t) => {
  const env = setup(t);
  if (!env) return;
  const p = port();
  // A pipe on stdout that is never read: it fills, and the listener waits for its reader.
  const child = spawn(process.execPath, [NLCTL, '-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(p)], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  child.stdout.pause();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  for (let i = 0; i < 100 && !/listening on/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(stderr, /listening on/);
  // The sender blocks once the listener stops reading its socket; it is killed at the end.
  const flood = spawn(env.flood, ['unicast', String(p), '100000'], { stdio: 'ignore' });
  t.after(() => flood.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(child.exitCode, null, 'the listener is still running');
  const t0 = performance.now();
  child.kill('SIGINT');
  const code = await done;
  const ms = performance.now() - t0;
  process.stderr.write(`# SIGINT with a stalled reader: exit after ${ms.toFixed(0)} ms\n`);
  assert.equal(code, 0, stderr);
  // Its wait for the reader (200 ms) and the exit.
  assert.ok(ms < STOP_BOUND_MS + 1000, `stopped in ${ms.toFixed(0)} ms`);
  assert.match(stderr, /message\(s\) received/);
  assert.match(stderr, /stopped while the output's reader was not reading: [1-9]\d* byte\(s\) of output it had not taken are dropped/);
});

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

test('multicast flood into a small receive buffer: sent - received == reported loss', async (t) => {
  if (!requireNamespaces(t)) return; // sending to a usersock group needs root
  const env = setup(t);
  if (!env) return;
  const group = 1 + Math.floor(Math.random() * 32);
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--group', String(group), '--rcvbuf', '65536']);
  await l.ready;
  const sent = Number(execFileSync(env.flood, ['multicast', String(group), '200000', '0.5'], { encoding: 'utf8' }).trim());
  await new Promise((r) => setTimeout(r, 300));
  l.kill('SIGINT');
  const r = await l.done;
  const lines = ndjson(r.stdout);
  const received = lines.filter((x) => x.event === undefined).length;
  const overruns = lines.filter((x) => x.event === 'overrun');
  const m = /(\d+) message\(s\) lost \(kernel drop counter, (sock_diag|proc)\)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.ok(overruns.length > 0, 'overrun events');
  assert.equal(sent - received, Number(m[1]), `sent ${sent}, received ${received}: ${r.stderr}`);
  assert.ok(Number(m[1]) > 0);
});
