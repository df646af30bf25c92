// Shared test helpers: fixtures, a seeded random generator, and the guard for tests that need
// root and namespaces (they fail loudly under CI instead of skipping).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { fromHex, NLA_TYPE_MASK } from '../src/codec/index.js';

/** The project root (tests run from build/test/…). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NLCTL = `${ROOT}bin/nlctl`;

export function fixturePath(rel: string): string {
  return `${ROOT}test/fixtures/${rel}`;
}

/** A .hex fixture: comment lines start with '#'; each other line is one datagram in plain hex. */
export function hexFixture(rel: string): { comment: string; bytes: Uint8Array }[] {
  const out: { comment: string; bytes: Uint8Array }[] = [];
  let comment = '';
  for (const line of readFileSync(fixturePath(rel), 'utf8').split('\n')) {
    if (line.startsWith('#')) comment = line.slice(1).trim();
    else if (line.trim()) out.push({ comment, bytes: fromHex(line.trim()) });
  }
  return out;
}

/** Mulberry32: small, fast, seeded, so a failing fuzz case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(next: () => number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = Math.floor(next() * 256);
  return b;
}

let privileged: boolean | undefined;

/** True when this process may create network namespaces (root, or unshare -Urn works). */
export function canUseNamespaces(): boolean {
  if (privileged === undefined) {
    privileged = spawnSync('unshare', ['-n', 'true']).status === 0;
  }
  return privileged;
}

/**
 * Call at the top of a test that needs root and namespaces. Returns false (and marks the test
 * skipped, loudly) only outside CI; under CI a missing privilege is a failure.
 */
export function requireNamespaces(t: TestContext): boolean {
  if (canUseNamespaces()) return true;
  const why = 'needs root to create network namespaces (unshare -n failed)';
  if (process.env.CI) throw new Error(`${why}: this test must run in CI`);
  process.stderr.write(`\n*** SKIPPED ${t.name}: ${why} ***\n`);
  t.skip(why);
  return false;
}

export function requireTool(t: TestContext, tool: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0) return true;
  const why = `needs '${tool}' (installed by make test as root)`;
  if (process.env.CI) throw new Error(`${why}: this test must run in CI`);
  process.stderr.write(`\n*** SKIPPED ${t.name}: ${why} ***\n`);
  t.skip(why);
  return false;
}

/** Run a shell script in a fresh network namespace and return its stdout. */
export function inNetns(script: string, opts: { input?: string; timeoutMs?: number } = {}): string {
  return execFileSync('unshare', ['-n', 'sh', '-ec', script], {
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeoutMs ?? 30000,
    env: { ...process.env, NLCTL, NO_COLOR: '1' },
  });
}

/** Run nlctl and collect its exit code and output. */
export function runNlctl(args: string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [NLCTL, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    input: opts.input,
    timeout: opts.timeoutMs ?? 30000,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run nlctl -j …, which must succeed, and parse what it printed. */
export function nlctlJson(...args: string[]): any[] {
  const r = runNlctl(['-j', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Start a long-running nlctl (e.g. listen) and resolve `ready` once it says it is listening,
 * so that the test sends only when the listener can hear.
 */
export function startNlctl(args: string[], env: NodeJS.ProcessEnv = {}): { ready: Promise<void>; done: Promise<Finished>; kill: (sig?: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [NLCTL, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  let onReady: () => void, onFail: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => ((onReady = res), (onFail = rej)));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/listening on/.test(stderr)) onReady();
  });
  const done = new Promise<Finished>((resolve) => {
    child.on('close', (code) => {
      onFail(new Error(`nlctl exited (${code}) before listening: ${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  return { ready, done, kill: (sig = 'SIGINT') => child.kill(sig) };
}

/** A named network namespace for the duration of a test (`ip netns add`), removed afterwards. */
export function withNetns(t: TestContext): string {
  const name = `nlctl-t${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.after(() => {
    spawnSync('ip', ['netns', 'del', name]);
  });
  return name;
}

export function sh(script: string): string {
  return execFileSync('sh', ['-ec', script], { encoding: 'utf8', env: { ...process.env, NLCTL, NO_COLOR: '1' } });
}

export function ndjson(text: string): Record<string, any>[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * Shell lines that ready a fresh namespace for traffic: IPv6 duplicate address detection off (so
 * that no address is tentative in one run and not the next), lo up, and the veth pair a/b, up.
 */
export function vethPair(a: string, b: string): string {
  return `sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip link set lo up
ip link add ${a} type veth peer name ${b}
ip link set ${a} up
ip link set ${b} up
`;
}

/**
 * A named namespace (withNetns) with a link made in it by `nlctl send MESSAGE --flags
 * request,ack,create,excl --netns NS ATTRS`, which must succeed; undefined where the test cannot
 * run here (skipped, loudly).
 */
export function netnsWithNewLink(t: TestContext, message: string[], attrs: string[]): string | undefined {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return undefined;
  const ns = withNetns(t);
  const made = runNlctl(['send', ...message, '--flags', 'request,ack,create,excl', '--netns', ns, ...attrs]);
  assert.equal(made.code, 0, made.stderr);
  return ns;
}

/** iproute2's reading of a link in the namespace (`ip -d -j link show NAME`). */
export function ipLink(ns: string, name: string): any {
  return JSON.parse(execFileSync('ip', ['-n', ns, '-d', '-j', 'link', 'show', name], { encoding: 'utf8' }))[0];
}

/** Where the value of top-level attribute `type` starts in message m (its family header `header` bytes long), or -1. */
export function attrValueAt(m: Uint8Array, header: number, type: number): number {
  for (let off = 16 + header; off + 4 <= m.length;) {
    const len = m[off]! | (m[off + 1]! << 8);
    if (len < 4) break;
    if (((m[off + 2]! | (m[off + 3]! << 8)) & NLA_TYPE_MASK) === type) return off + 4;
    off += (len + 3) & ~3;
  }
  return -1;
}

/** lo's RTM_NEWLINK (1468 bytes) as the kernel sent it, and where the value of its attribute `type` starts. */
export function linkMessage(type: number): { d: Uint8Array; at: number } {
  const d = hexFixture('codec/getlink-dump-lo.hex')[1]!.bytes;
  if (d[4] !== 16) throw new Error('getlink-dump-lo.hex: not an RTM_NEWLINK');
  const at = attrValueAt(d, 16, type);
  if (at < 0) throw new Error(`lo's link message has no attribute ${type}`);
  return { d, at };
}
