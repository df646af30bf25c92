// The single executable (make sea): built by scripts/build-sea.mjs into a temp dir with no
// node_modules around, it must behave as bin/nlctl and load ffi-rs from its embedded asset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, ROOT, runNlctl } from '../helpers.js';

const HEX = '2000000012000103e90300000000000000000000000000000000000000000000';

test('single executable: --version, decode and dump link without node_modules', { timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-sea-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const exe = join(dir, 'nlctl');
  // Fails when postject (a devDependency) is missing: the build script imports it.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-sea.mjs'), '--out', exe], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 100_000 });

  // Its own TMPDIR, so the addon it writes out shows that the embedded asset was used.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, TMPDIR: tmp, NO_COLOR: '1' };
  const run = (args: string[]) => {
    const r = spawnSync(exe, args, { cwd: dir, env, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const v = run(['--version']);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout.trim(), version);

  for (const args of [['decode', HEX], ['-f', 'ndjson', 'decode', '--jobs', '4', fixturePath('pcap/rtnl-getlink.pcap')]]) {
    const got = run(args);
    const want = runNlctl(args);
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual(got, want, args.join(' '));
  }

  const d = run(['dump', 'link', '-j']);
  assert.equal(d.code, 0, d.stderr);
  const links = JSON.parse(d.stdout) as { ifname: string }[];
  assert.ok(links.some((l) => l.ifname === 'lo'), d.stdout);
  const cache = join(tmp, `nlctl-${process.getuid!()}`);
  assert.match(readdirSync(cache).join(' '), /^ffi-rs-[0-9a-f]{16}\.node$/);
});
