// The npm package: `npm pack` builds it, it carries the built CLI and its man page and nothing
// else, installs into an empty prefix (dependencies from the registry) and runs from there,
// also through npx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, ROOT } from '../helpers.js';

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 180000, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
}

test('the packed tarball installs into an empty prefix and runs: --version, decode, dump link, man page, npx', { timeout: 300000 }, (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'nlctl-pack-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], ROOT));
  const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
  assert.ok(files.includes('bin/nlctl') && files.includes('dist/main.cjs') && ['', '.dump', '.decode', '.decode-hex'].every((c) => files.includes(`dist/main.cjs${c}.cache`)) && files.includes('dist/nlctl.1'), files.join(' '));
  const stray = files.filter((f) => !/^(bin\/nlctl|bin\/package\.json|dist\/[^/]+\.js|dist\/main\.cjs((\.dump|\.decode|\.decode-hex)?\.cache)?|dist\/specs\/([^/]+\.json|VERSION)|dist\/nlctl\.1|package\.json|README\.md|LICENSE)$/.test(f));
  assert.deepEqual(stray, [], 'nothing but the CLI, its man page and the package metadata');
  const tarball = join(tmp, packed[0].filename);

  const prefix = join(tmp, 'prefix');
  npm(['install', '-g', '--prefix', prefix, tarball], tmp);
  const nlctl = join(prefix, 'bin', 'nlctl');
  const run = (args: string[], input?: string) => spawnSync(nlctl, args, { encoding: 'utf8', input, cwd: tmp, env: { ...process.env, NO_COLOR: '1' } });

  const version = run(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), packed[0].version);

  const decoded = run(['decode', '-j', fixturePath('hex/newlink-lo.xxd.txt')]);
  assert.equal(decoded.status, 0, decoded.stderr);
  assert.equal(JSON.parse(decoded.stdout)[0].type_name, 'RTM_NEWLINK');

  const links = run(['dump', 'link', '-j']);
  assert.equal(links.status, 0, links.stderr);
  assert.ok(JSON.parse(links.stdout).some((l: { ifname: string }) => l.ifname === 'lo'), links.stdout.slice(0, 300));

  assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', 'nlctl.1')), 'npm links the man page');

  const npx = spawnSync('npx', ['--yes', '--package', tarball, 'nlctl', '--version'], { encoding: 'utf8', cwd: tmp, timeout: 180000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(npx.status, 0, npx.stderr);
  assert.equal(npx.stdout.trim(), packed[0].version);
});
