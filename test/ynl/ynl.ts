// Side by side with the kernel's own YNL CLI (tools/net/ynl/pyynl/cli.py of the same
// linux-source package as nlctl's tables, fetched by scripts/kernel-source.sh into
// .cache/kernel): both run the same operation in the same network namespace, and nlctl's
// `-j` output must hold every attribute and value YNL printed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { canUseNamespaces, NLCTL, ROOT } from '../helpers.js';
import { mergeRuns, missing, report, type Json } from './compare.js';

export const KERNEL_SRC = process.env.NLCTL_KERNEL_SRC ?? `${ROOT}.cache/kernel/src`;
export const YNL_CLI = `${KERNEL_SRC}/tools/net/ynl/pyynl/cli.py`;
export const SPECS = `${KERNEL_SRC}/Documentation/netlink/specs`;

let missingWhy: string | undefined | null = null;

/** Why YNL cannot run here (undefined: it can). */
function ynlMissing(): string | undefined {
  if (missingWhy !== null) return missingWhy;
  if (!existsSync(YNL_CLI)) missingWhy = `needs the kernel's YNL CLI at ${YNL_CLI} (scripts/install-test-deps.sh runs scripts/kernel-source.sh as root)`;
  else if (spawnSync('python3', ['-c', 'import yaml, jsonschema']).status !== 0) missingWhy = 'needs python3 with python3-yaml and python3-jsonschema (installed by make test as root)';
  else if (!canUseNamespaces()) missingWhy = 'needs root to create network namespaces';
  else missingWhy = undefined;
  return missingWhy;
}

/** Call first in each side-by-side test: false (skipped, loudly) only outside CI. */
export function requireYnl(t: TestContext): boolean {
  const why = ynlMissing();
  if (!why) return true;
  if (process.env.CI) throw new Error(`${why}: this test must run in CI`);
  process.stderr.write(`\n*** SKIPPED ${t.name}: ${why} ***\n`);
  t.skip(why);
  return false;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function inNs(ns: string, argv: string[], timeoutMs = 60000): Run {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], {
    encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export interface Op {
  /** The spec's family name (its file name without .yaml). */
  family: string;
  /** 'dump' or 'do', as YNL's --dump / --do. */
  mode: 'dump' | 'do';
  op: string;
  /** Request attributes in the shape YNL's --json takes. */
  json?: Record<string, unknown>;
}

/**
 * YNL's reply: its last JSON line (it prints netlink warnings on stdout first), or its error
 * text when the kernel refused.
 */
export function ynl(ns: string, o: Op): { value?: Json; error?: string } {
  const args = ['python3', YNL_CLI, '--spec', `${SPECS}/${o.family}.yaml`, `--${o.mode}`, o.op, '--output-json'];
  if (o.json) args.push('--json', JSON.stringify(o.json));
  const r = inNs(ns, args);
  const line = r.stdout.split('\n').filter((l) => /^[[{]|^null$/.test(l)).pop();
  if (r.code === 0 && line !== undefined) return { value: JSON.parse(exactIntegers(line)) as Json };
  const error = (r.stdout + r.stderr).split('\n').find((l) => /Netlink error|Error|error/.test(l)) ?? r.stdout + r.stderr;
  return { error: error.trim() };
}

/** Integers beyond 2^53 (u64 maxima) as decimal strings, so that JSON.parse does not round them. */
export function exactIntegers(json: string): string {
  return json.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, (m, pre: string, digits: string) => (Number.isSafeInteger(Number(digits)) ? m : `${pre}"${digits}"`));
}

/** nlctl's equivalent: `dump --family F --cmd OP -j` for a dump, `send … -j` for a do. */
export function nlctlRun(ns: string, o: Op): Run {
  const args = [process.execPath, NLCTL, o.mode === 'dump' ? 'dump' : 'send', '--family', o.family, '--cmd', o.op];
  if (o.json) args.push('--json', JSON.stringify(o.json));
  args.push('-j');
  return inNs(ns, args);
}

/** The kernel errno text of a YNL "Netlink error: …" line, e.g. "Operation not supported". */
export function errnoText(error: string): string {
  const m = /Netlink error: (?:.*: )?([A-Z][A-Za-z ]+)$/.exec(error);
  return m ? m[1] : error;
}

export interface Compared {
  /** YNL's first reply (for the test's own checks of what it covered). */
  ynl: Json;
  nlctl: unknown;
}

/**
 * Run YNL, nlctl, YNL again; fail with a diff unless nlctl's JSON holds everything both YNL runs
 * agreed on (and has a value of the same kind where they did not).
 */
export function sideBySide(ns: string, o: Op, ignore: RegExp[] = []): Compared {
  const first = ynl(ns, o);
  if (first.error !== undefined) throw new Error(`YNL ${o.family} --${o.mode} ${o.op} failed: ${first.error}`);
  const r = nlctlRun(ns, o);
  const second = ynl(ns, o);
  if (second.error !== undefined) throw new Error(`YNL ${o.family} --${o.mode} ${o.op} failed on its second run: ${second.error}`);
  if (r.code !== 0) throw new Error(`nlctl ${o.mode} --family ${o.family} --cmd ${o.op} exited ${r.code}: ${r.stderr.trim()}`);
  let actual: unknown;
  try {
    actual = JSON.parse(exactIntegers(r.stdout));
  } catch {
    throw new Error(`nlctl's output is not JSON: ${r.stdout.slice(0, 300)}`);
  }
  const expected = mergeRuns(first.value!, second.value!);
  // A do prints one reply object in YNL; nlctl may print it as a list of one.
  if (o.mode === 'do' && !Array.isArray(first.value) && Array.isArray(actual) && actual.length === 1) actual = actual[0];
  const diffs = missing(expected, actual).filter((d) => !ignore.some((re) => re.test(d)));
  if (diffs.length) throw new Error(`${o.family} ${o.op}: ${report(diffs)}`);
  return { ynl: first.value!, nlctl: actual };
}

/** Both refuse the same way: YNL's error and nlctl's exit code 4 (kernel error) with the same errno text. */
export function bothRefuse(ns: string, o: Op): string {
  const y = ynl(ns, o);
  if (y.error === undefined) throw new Error(`YNL ${o.family} ${o.op} was expected to fail, printed ${JSON.stringify(y.value).slice(0, 200)}`);
  const r = nlctlRun(ns, o);
  if (r.code !== 4) throw new Error(`nlctl ${o.family} ${o.op}: expected exit 4 (kernel error, as YNL: ${y.error}), got ${r.code}: ${r.stderr.trim() || r.stdout.slice(0, 200)}`);
  const text = errnoText(y.error);
  if (!r.stderr.toLowerCase().includes(text.toLowerCase())) throw new Error(`nlctl ${o.family} ${o.op}: YNL says '${y.error}', nlctl says '${r.stderr.trim()}'`);
  return text;
}

/** Run a shell script inside the namespace (setup of links, addresses, …). */
export function nsShell(ns: string, script: string): string {
  const r = inNs(ns, ['sh', '-ec', script]);
  if (r.code !== 0) throw new Error(`setup in ${ns} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}
