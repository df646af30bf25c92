// The compiled spec families make build caches in dist/specs (src/schema/ynl/family-cache.ts): each
// is what compiling the built-in table gives, a decode of generic netlink reads the cache and not
// the spec, and a cache from another build, a damaged one or none is not used, with the same output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinIndex, compileBuiltin, familyCacheFile } from '../../src/schema/ynl/index.js';
import { fixturePath, ROOT } from '../helpers.js';

const HOOK = `
const fs = require('node:fs');
const read = fs.readFileSync;
const seen = [];
fs.readFileSync = function (p, ...rest) {
  if (/\\/specs\\//.test(String(p))) seen.push(require('node:path').basename(String(p)));
  return read.call(this, p, ...rest);
};
process.on('exit', () => process.stderr.write('TABLES ' + JSON.stringify(seen) + '\\n'));
`;

function setup(t: { after(fn: () => void): void }) {
  assert.ok(existsSync(join(ROOT, 'dist/specs', familyCacheFile('devlink'))), 'dist/ has no compiled families: run make build first');
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-family-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, HOOK);
  return { dir, hook };
}

function decode(bin: string, hook: string, file: string) {
  const r = spawnSync(process.execPath, ['--require', hook, bin, '-f', 'ndjson', 'decode', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NLCTL_SPEC_PATH: '' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('TABLES '));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l && !l.startsWith('TABLES ')).join('\n'), seen: line ? (JSON.parse(line.slice(7)) as string[]) : [] };
}

test('every compiled family in dist/ is what compiling its built-in table gives, with the build id of the table cache', () => {
  const specs = join(ROOT, 'dist/specs');
  const build = (JSON.parse(readFileSync(join(specs, 'composed-route.json'), 'utf8')) as { build: string }).build;
  const names = Object.keys(builtinIndex().families);
  assert.ok(names.length > 20, `${names.length} built-in families`);
  for (const name of names) {
    const cached = JSON.parse(readFileSync(join(specs, familyCacheFile(name)), 'utf8')) as { build: string; family: unknown };
    assert.equal(cached.build, build, name);
    assert.deepStrictEqual(cached.family, compileBuiltin(name), name);
  }
  assert.deepEqual(readdirSync(specs).filter((f) => f.startsWith('compiled-')).sort(), names.map(familyCacheFile).sort());
});

test('decoding generic netlink reads the compiled families, and a stale, damaged or missing one changes nothing but that', (t) => {
  const { dir, hook } = setup(t);
  const pcap = fixturePath('pcap/devlink-nlmon.pcap');
  const want = decode(join(ROOT, 'bin/nlctl'), hook, pcap);
  assert.equal(want.code, 0, want.stderr);
  assert.match(want.stdout, /"family":"devlink"/);
  assert.ok(want.seen.includes('compiled-devlink.json'), want.seen.join(' '));
  assert.ok(!want.seen.includes('devlink.json'), `the devlink spec was read: ${want.seen.join(' ')}`);
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const file = join(dir, 'dist/specs', familyCacheFile('devlink'));
  const good = readFileSync(file, 'utf8');
  const damage: [string, () => void][] = [
    ['a cache of another build', () => writeFileSync(file, good.replace(/^\{"build":"[0-9a-f]+"/, '{"build":"0000000000000000"'))],
    ['a cache that is not JSON', () => writeFileSync(file, good.slice(0, 200))],
    ['a cache of another family', () => writeFileSync(file, readFileSync(join(dir, 'dist/specs', familyCacheFile('netdev'))))],
    ['no cache', () => rmSync(file)],
  ];
  for (const [what, spoil] of damage) {
    spoil();
    const r = decode(join(dir, 'bin/nlctl'), hook, pcap);
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, want.stdout, what);
    assert.equal(r.stderr, want.stderr, what);
    assert.ok(r.seen.includes('devlink.json'), `${what}: the spec was not compiled instead: ${r.seen.join(' ')}`);
  }
});
