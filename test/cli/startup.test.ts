// Start-up of the built CLI (make build): decoding one message reads only its family's tables,
// watched from outside through a preloaded hook on fs.readFileSync and JSON.parse; a damaged or
// stale table cache, or none, changes nothing but the time taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../../src/cli.js';
import { fixturePath, ROOT } from '../helpers.js';

const NEWLINK = readFileSync(fixturePath('codec/getlink-dump-lo.hex'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))[1];
/** The code caches of dist/ (scripts/code-cache.mjs): decode's of hex arguments, decode's own, and the one other commands share. */
const HEX_CACHE = 'dist/main.cjs.decode-hex.cache';
const DECODE_CACHE = 'dist/main.cjs.decode.cache';
const SHARED_CACHE = 'dist/main.cjs.cache';

// Preloaded into the CLI: every table file it reads, and how much JSON it parses.
const HOOK = `
const fs = require('node:fs');
const read = fs.readFileSync;
const seen = [];
let parsed = 0;
fs.readFileSync = function (p, ...rest) {
  if (/\\/specs\\//.test(String(p))) seen.push(require('node:path').basename(String(p)));
  return read.call(this, p, ...rest);
};
const parse = JSON.parse;
JSON.parse = function (text, ...rest) { parsed += String(text).length; return parse.call(this, text, ...rest); };
// Whether the FFI was loaded: decoding needs no socket, and ffi-rs costs ~8 ms to load.
const Module = require('node:module');
const load = Module._load;
let ffi = false;
Module._load = function (request, ...rest) { if (request === 'ffi-rs') ffi = true; return load.call(this, request, ...rest); };
process.on('exit', () => process.stderr.write('TABLES ' + JSON.stringify({ seen, parsed, ffi }) + '\\n'));
`;

function run(bin: string, args: string[], hook?: string) {
  const r = spawnSync(process.execPath, [...(hook ? ['--require', hook] : []), bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NLCTL_SPEC_PATH: '' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('TABLES '));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l && !l.startsWith('TABLES ')).join('\n'), tables: line ? (JSON.parse(line.slice(7)) as { seen: string[]; parsed: number; ffi: boolean }) : undefined };
}

function built(): void {
  assert.ok(existsSync(join(ROOT, 'dist/specs/composed-route.json')), 'dist/ has no table cache: run make build first');
}

test('decoding one RTM_NEWLINK reads the rt-link tables only: no tc, rt-route, nftables, devlink …', (t) => {
  built();
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-hook-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, HOOK);
  const bin = join(ROOT, 'bin/nlctl');
  for (const format of ['pretty', 'ndjson', 'json']) {
    const r = run(bin, ['-f', format, 'decode', '--proto', 'route', NEWLINK], hook);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /RTM_NEWLINK/);
    assert.ok(r.tables, 'the hook ran');
    assert.deepEqual(r.tables.seen, ['composed-route.json', 'composed-route.rt-link.json', 'composed-route.hand.json'], format);
    // The rt-link slice and the index; all of rtnetlink's specs are 105 kB, with tc 53 kB.
    assert.ok(r.tables.parsed < 90_000, `${format}: ${r.tables.parsed} bytes of JSON parsed`);
    assert.equal(r.tables.ffi, false, `${format}: decoding loaded ffi-rs`);
  }
  const v = run(bin, ['--version'], hook);
  assert.deepEqual(v.tables?.seen, [], '--version reads no tables');
});

test('a missing, stale or damaged table cache falls back to composing the tables, with the same output', (t) => {
  built();
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const args = ['-f', 'ndjson', 'decode', '--proto', 'route', NEWLINK];
  const want = run(join(ROOT, 'bin/nlctl'), args);
  assert.equal(want.code, 0, want.stderr);
  const specs = join(dir, 'dist/specs');
  const index = join(specs, 'composed-route.json');
  const good = readFileSync(index, 'utf8');
  const damage: [string, () => void][] = [
    ['a slice missing', () => rmSync(join(specs, 'composed-route.rt-link.json'))],
    ['an index of another build', () => writeFileSync(index, good.replace(/"build":"[0-9a-f]+"/, '"build":"0000000000000000"'))],
    ['an index that is not JSON', () => writeFileSync(index, good.slice(0, 100))],
    ['no table cache at all', () => {
      for (const f of readdirSync(specs)) if (f.startsWith('composed-')) rmSync(join(specs, f));
    }],
    // A decode of hex arguments reads its own code cache (bin/nlctl), then decode's, then the shared one.
    ['a code cache that is not one', () => writeFileSync(join(dir, HEX_CACHE), 'not a code cache')],
    ['a code cache cut short', () => writeFileSync(join(dir, HEX_CACHE), readFileSync(join(ROOT, HEX_CACHE)).subarray(0, 5000))],
    ['a code cache of other code', () => {
      const cache = readFileSync(join(ROOT, HEX_CACHE));
      writeFileSync(join(dir, HEX_CACHE), Buffer.concat([cache.subarray(0, 16), Buffer.alloc(cache.length - 16, 1)]));
    }],
    ['no code cache of its own', () => rmSync(join(dir, HEX_CACHE))],
    ['no code cache of decode', () => rmSync(join(dir, DECODE_CACHE))],
    ['no code cache', () => rmSync(join(dir, SHARED_CACHE))],
  ];
  for (const [what, spoil] of damage) {
    spoil();
    const r = run(join(dir, 'bin/nlctl'), args);
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, want.stdout, what);
    assert.equal(r.stderr, want.stderr, what);
  }
});

test('the launcher uses the code cache make build made, and says when it is rejected or missing', (t) => {
  built();
  // Not --version, which the launcher answers without the CLI.
  const status = (bin: string, args = ['decode', '--proto', 'route', NEWLINK]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NLCTL_DEBUG_CODE_CACHE: '1', NO_COLOR: '1', NLCTL_SPEC_PATH: '' } });
  const fresh = status(join(ROOT, 'bin/nlctl'));
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.equal(fresh.stderr, 'nlctl: code cache used (main.cjs.decode-hex.cache)\n', 'a message given as hex');
  // A file, or hex on stdin, reads decode's cache, which holds the capture readers too.
  const file = status(join(ROOT, 'bin/nlctl'), ['-f', 'ndjson', 'decode', fixturePath('pcap/rtnl-getlink.pcap')]);
  assert.equal(file.status, 0, file.stderr);
  assert.equal(file.stderr, 'nlctl: code cache used (main.cjs.decode.cache)\n', 'a capture file');
  const piped = spawnSync(process.execPath, [join(ROOT, 'bin/nlctl'), 'decode', '--proto', 'route'], { input: NEWLINK, encoding: 'utf8', env: { ...process.env, NLCTL_DEBUG_CODE_CACHE: '1', NO_COLOR: '1', NLCTL_SPEC_PATH: '' } });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, 'nlctl: code cache used (main.cjs.decode.cache)\n', 'hex on stdin');
  // Each command word its cache: the program's options before it are passed over.
  const encoded = status(join(ROOT, 'bin/nlctl'), ['-f', 'hex', 'encode', '--type', '3', '--flags', '0']);
  assert.equal(encoded.status, 0, encoded.stderr);
  assert.equal(encoded.stderr, 'nlctl: code cache used (main.cjs.cache)\n', 'encode has no cache of its own');
  const help = status(join(ROOT, 'bin/nlctl'), ['--format', 'dump', 'decode', '--help']);
  assert.match(help.stderr, /^nlctl: code cache used \(main\.cjs\.decode\.cache\)\n/, 'the value of --format is not the command');
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  assert.equal(status(join(dir, 'bin/nlctl')).stderr, 'nlctl: code cache used (main.cjs.decode-hex.cache)\n', 'the cache is not tied to where the package lies');
  // A bundle rebuilt after the cache was made: the cache is not given to V8.
  const bundle = join(dir, 'dist/main.cjs');
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/nlctl-build [0-9a-f]{16}\n$/, 'nlctl-build 0123456789abcdef\n'));
  const changed = status(join(dir, 'bin/nlctl'));
  assert.equal(changed.status, 0, changed.stderr);
  assert.equal(changed.stdout, fresh.stdout);
  assert.equal(changed.stderr, 'nlctl: code cache stale (main.cjs.decode-hex.cache)\n');
  // A cache V8 itself refuses (another Node, or damaged): compiled as if there were none.
  const cache = join(dir, HEX_CACHE);
  writeFileSync(cache, Buffer.concat([Buffer.from('0123456789abcdef'), Buffer.alloc(4000, 7)]));
  const refused = status(join(dir, 'bin/nlctl'));
  assert.equal(refused.status, 0, refused.stderr);
  assert.equal(refused.stdout, fresh.stdout);
  assert.equal(refused.stderr, 'nlctl: code cache rejected (main.cjs.decode-hex.cache)\n');
  // Without a cache of its own, decode's; without that, the shared one.
  rmSync(cache);
  assert.equal(status(join(dir, 'bin/nlctl')).stderr, 'nlctl: code cache stale (main.cjs.decode.cache)\n', 'the bundle changed: decode\'s cache is stale too');
  rmSync(join(dir, DECODE_CACHE));
  assert.equal(status(join(dir, 'bin/nlctl')).stderr, 'nlctl: code cache stale (main.cjs.cache)\n', 'the bundle changed: the shared cache is stale too');
});

test('--version alone is answered by the launcher, without the CLI, with the text the CLI prints', (t) => {
  built();
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-version-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  // Every file read, and whether Node's stream modules were loaded (process.stdout would load them).
  writeFileSync(hook, `
const fs = require('node:fs');
const read = fs.readFileSync;
const files = [];
fs.readFileSync = function (p, ...rest) { files.push(String(p)); return read.call(this, p, ...rest); };
// Written with writeSync: process.stderr would itself load the streams.
process.on('exit', () => fs.writeSync(2, 'LOADED ' + JSON.stringify({ files, stream: process.moduleLoadList.includes('NativeModule stream') }) + '\\n'));
`);
  const bin = join(ROOT, 'bin/nlctl');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(pkg.version, VERSION, 'package.json and src/cli.ts give the same version');
  for (const flag of ['--version', '-V']) {
    const r = spawnSync(process.execPath, ['--require', hook, bin, flag], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${VERSION}\n`);
    const seen = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('LOADED '))!.slice(7)) as { files: string[]; stream: boolean };
    assert.deepEqual(seen.files.filter((f) => /main\.cjs|build[/\\]src/.test(f)), [], `${flag}: the CLI was loaded`);
    assert.equal(seen.stream, false, `${flag}: Node's streams were loaded`);
  }
  // The CLI itself (--version with another option goes through commander) prints the same.
  const full = spawnSync(process.execPath, [bin, '--debug', '--version'], { encoding: 'utf8' });
  assert.equal(full.status, 0, full.stderr);
  assert.equal(full.stdout, `${VERSION}\n`);
});

test('decoding one message into a file loads no streams, terminal, socket, readline or worker modules, and writes what a pipe gets', (t) => {
  built();
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-modules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, "process.on('exit', () => require('node:fs').writeSync(2, 'MODULES ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n");
  const bin = join(ROOT, 'bin/nlctl');
  const env = { ...process.env, NO_COLOR: '1', NLCTL_SPEC_PATH: '' };
  const toFile = (args: string[], name: string) => {
    const file = join(dir, name);
    const fd = openSync(file, 'w');
    try {
      const r = spawnSync(process.execPath, ['--require', hook, bin, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env });
      return { code: r.status, stderr: r.stderr, stdout: readFileSync(file, 'utf8') };
    } finally {
      closeSync(fd);
    }
  };
  for (const format of ['pretty', 'json', 'ndjson', 'table']) {
    const args = ['-f', format, 'decode', '--proto', 'route', NEWLINK];
    const r = toFile(args, `${format}.out`);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
    assert.ok(line, 'the hook ran');
    const loaded = (JSON.parse(line.slice(8)) as string[]).filter((m) => /^NativeModule (stream|net|tty|readline|worker_threads|internal\/fs\/streams|internal\/streams\/readable|child_process)$/.test(m));
    assert.deepEqual(loaded, [], `${format}: modules loaded`);
    const piped = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(r.stdout, piped.stdout, `${format}: a file and a pipe get the same text`);
    assert.match(r.stdout, /RTM_NEWLINK/);
  }
  // Large output (batched writes, the fast path's byte chunks) and a message on stderr.
  for (const args of [['-f', 'ndjson', 'decode', fixturePath('pcap/devlink-nlmon.pcap')], ['-f', 'json', 'decode', fixturePath('pcap/devlink-nlmon.pcap')], ['decode', '--proto', 'route', '1400000012000103000000000000000000']]) {
    const r = toFile(args, 'big.out');
    const piped = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    assert.equal(r.code, piped.status, args.join(' '));
    assert.equal(r.stdout, piped.stdout, args.join(' '));
    assert.equal(r.stderr.split('\n').filter((l) => !l.startsWith('MODULES ')).join('\n'), piped.stderr, args.join(' '));
  }
});

test('strace\'s C-name table is a file beside the bundle, read only for strace text, with the output the modules give', async (t) => {
  built();
  const bundle = readFileSync(join(ROOT, 'dist/main.cjs'), 'latin1');
  // The table begins with the kernel source it was generated from; the bundle holds none of it.
  assert.ok(!bundle.includes('"linux-source-'), 'the C-name table is in the bundle');
  assert.ok(existsSync(join(ROOT, 'dist/specs/strace-cnames.json')));
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-cnames-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, HOOK);
  const trace = fixturePath('strace/ip-link.txt');
  const r = run(join(ROOT, 'bin/nlctl'), ['-f', 'ndjson', 'decode', trace], hook);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.tables?.seen.includes('strace-cnames.json'), `read: ${r.tables?.seen.join(' ')}`);
  // The same decode through the compiled modules (build/src), which import the table as JSON.
  const { main } = await import('../../src/main.js');
  const chunks: string[] = [];
  const errs: string[] = [];
  const { Writable } = await import('node:stream');
  const code = await main(['-f', 'ndjson', 'decode', trace], {
    stdout: new Writable({ write: (c, _e, done) => { chunks.push(String(c)); done(); } }),
    stderr: new Writable({ write: (c, _e, done) => { errs.push(String(c)); done(); } }),
    env: { NO_COLOR: '1', NLCTL_SPEC_PATH: '' },
  });
  assert.equal(code, 0, errs.join(''));
  assert.equal(r.stdout, chunks.join(''));
  assert.match(r.stdout, /RTM_NEWLINK/);
});

// Which of the bundle's modules ran: esbuild wraps each module it may load late in a function
// named by the module's path, and V8's precise coverage (NODE_V8_COVERAGE) counts their calls.
function bundleModules(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string; ran: Set<string>; wrapped: Set<string>; calls: Map<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-coverage-'));
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/nlctl'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NLCTL_SPEC_PATH: '', ...env, NODE_V8_COVERAGE: dir } });
    const ran = new Set<string>();
    const wrapped = new Set<string>();
    const calls = new Map<string, number>();
    for (const f of readdirSync(dir)) {
      const { result } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] };
      for (const script of result.filter((s) => s.url.endsWith('/dist/main.cjs'))) {
        for (const fn of script.functions) {
          calls.set(fn.functionName, (calls.get(fn.functionName) ?? 0) + fn.ranges[0].count);
          if (!/^(src|node_modules)\//.test(fn.functionName)) continue;
          wrapped.add(fn.functionName);
          if (fn.ranges[0].count > 0) ran.add(fn.functionName);
        }
      }
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, ran, wrapped, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const OTHER_PROTOCOLS = /^src\/schema\/protocols\/(audit|uevent|test)\.ts$|^src\/schema\/protocols\/(sock_diag|netfilter|generic)\//;
const TABLE3 = 'node_modules/cli-table3/index.js';
const CHALK = 'node_modules/chalk/source/index.js';

test('a route decode builds and loads no other protocol\'s tables; a genl decode loads genl\'s', () => {
  built();
  for (const format of ['pretty', 'ndjson', 'json', 'table']) {
    const r = bundleModules(['-f', format, 'decode', '--proto', 'route', NEWLINK]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /RTM_NEWLINK/);
    assert.ok(r.ran.has('src/schema/protocols/route/index.ts'), `${format}: the route tables did not load`);
    const others = [...r.wrapped].filter((m) => OTHER_PROTOCOLS.test(m));
    // Every other protocol is in the bundle, each behind its loader (else this proves nothing).
    for (const p of ['audit.ts', 'uevent.ts', 'test.ts', 'sock_diag/index.ts', 'netfilter/index.ts', 'generic/index.ts']) {
      assert.ok(others.includes(`src/schema/protocols/${p}`), `${p} is not loaded on demand in the bundle`);
    }
    assert.deepEqual(others.filter((m) => r.ran.has(m)), [], `${format}: other protocols' modules ran`);
  }
  const genl = bundleModules(['-f', 'ndjson', 'decode', fixturePath('pcap/devlink-nlmon.pcap')]);
  assert.equal(genl.code, 0, genl.stderr);
  assert.ok(genl.ran.has('src/schema/protocols/generic/index.ts'), 'a genl decode did not load the genl tables');
  assert.ok(!genl.ran.has('src/schema/protocols/sock_diag/index.ts'), 'a genl decode loaded sock_diag');
});

// Modules a hex message never needs: rtnetlink's composition (the table cache serves), the spec
// compiler, and the capture, fast-JSON, strace and pcap-writing paths of decode.
const NOT_FOR_HEX = ['src/schema/protocols/route/build.ts', 'src/schema/ynl/loader.ts', 'src/commands/decode-capture.ts', 'src/commands/decode-fast.ts', 'src/commands/decode-strace.ts', 'src/commands/decode-pcap.ts'];

test('a hex message runs none of the composition, spec compiler, capture, fast-path or strace modules; each runs where needed', (t) => {
  built();
  const hex = bundleModules(['decode', '--proto', 'route', NEWLINK]);
  assert.equal(hex.code, 0, hex.stderr);
  for (const m of NOT_FOR_HEX) {
    assert.ok(hex.wrapped.has(m), `${m} is not loaded on demand in the bundle: this test proves nothing`);
    assert.ok(!hex.ran.has(m), `a hex decode ran ${m}`);
  }
  const capture = bundleModules(['-f', 'ndjson', 'decode', fixturePath('pcap/rtnl-getlink.pcap')]);
  assert.equal(capture.code, 0, capture.stderr);
  assert.ok(capture.ran.has('src/commands/decode-capture.ts') && capture.ran.has('src/commands/decode-fast.ts'), 'a capture decode did not take the capture path');
  assert.ok(!capture.ran.has('src/schema/protocols/route/build.ts'), 'a capture decode composed the rtnetlink tables');
  // rt-link's spec on the search path (the built-in table is a spec in JSON, which is YAML): the
  // cache cannot serve, the tables are composed, and the decode is the same.
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-specs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(ROOT, 'dist/specs/rt-link.json'), join(dir, 'rt-link.yaml'));
  const composed = bundleModules(['decode', '--proto', 'route', NEWLINK], { NLCTL_SPEC_PATH: dir });
  assert.equal(composed.code, 0, composed.stderr);
  assert.ok(composed.ran.has('src/schema/protocols/route/build.ts'), 'a search-path spec did not make the tables composed');
  assert.equal(composed.stdout, hex.stdout);
});

// Modules a link dump never needs: generic netlink's tables (only `dump family` names genl
// operations), the spec compiler they load, and rtnetlink's composition (the table cache serves).
const NOT_FOR_LINKS = ['src/schema/protocols/generic/index.ts', 'src/schema/ynl/index.ts', 'src/schema/ynl/loader.ts', 'src/schema/ynl/compile.ts', 'src/schema/protocols/compose.ts', 'src/schema/protocols/route/build.ts'];

test('a link dump runs none of the genl tables, the spec compiler or the composition; dump family loads the genl tables', () => {
  built();
  for (const args of [['dump', 'link', '-j'], ['-f', 'ndjson', 'dump', 'link'], ['dump', 'link']]) {
    const r = bundleModules(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.ran.has('src/commands/dump.ts'), `${args.join(' ')}: the dump did not run`);
    for (const m of NOT_FOR_LINKS) {
      assert.ok(r.wrapped.has(m), `${m} is not loaded on demand in the bundle: this test proves nothing`);
      assert.ok(!r.ran.has(m), `${args.join(' ')} ran ${m}`);
    }
  }
  const family = bundleModules(['dump', 'family', '-j']);
  assert.equal(family.code, 0, family.stderr);
  assert.ok(family.ran.has('src/schema/protocols/generic/index.ts'), 'dump family did not load the genl tables');
  // The records name each family's operations from those tables (nlctrl's own, always there).
  const nlctrl = (JSON.parse(family.stdout) as { family_name: string; ops?: { name?: string }[] }[]).find((f) => f.family_name === 'nlctrl');
  assert.ok(nlctrl?.ops?.some((op) => op.name === 'getfamily'), 'dump family named no operation');
});

test('a capture decode takes each protocol\'s tables once, not once per message', () => {
  built();
  const r = bundleModules(['-f', 'ndjson', 'decode', fixturePath('pcap/devlink-nlmon.pcap')]);
  assert.equal(r.code, 0, r.stderr);
  const messages = r.stdout.trim().split('\n').length;
  assert.ok(messages >= 50, `${messages} messages`);
  // A module loaded on demand is handed over through esbuild's __toCommonJS, a copy of its exports.
  const handovers = r.calls.get('__toCommonJS');
  assert.ok(handovers !== undefined, 'the bundle has no __toCommonJS: this test proves nothing');
  assert.ok(handovers < messages / 2, `${handovers} module handovers for ${messages} messages`);
});

test('JSON output loads neither the table writer (cli-table3) nor chalk; table and colour load them when used', () => {
  built();
  for (const args of [['-f', 'ndjson', 'decode', '--proto', 'route', NEWLINK], ['-f', 'json', 'decode', '--proto', 'route', NEWLINK], ['dump', 'link', '-j'], ['dump', 'addr', '-j']]) {
    const r = bundleModules(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.wrapped.has(TABLE3) && r.wrapped.has(CHALK), 'cli-table3 and chalk are not loaded on demand in the bundle');
    assert.ok(!r.ran.has(TABLE3), `${args.join(' ')}: cli-table3 was loaded`);
    assert.ok(!r.ran.has(CHALK), `${args.join(' ')}: chalk was loaded`);
    assert.ok(!r.ran.has('src/format/pretty.ts') && !r.ran.has('src/format/table.ts'), `${args.join(' ')}: a text writer was loaded`);
  }
  const table = bundleModules(['-f', 'table', 'decode', '--proto', 'route', NEWLINK]);
  assert.ok(table.ran.has(TABLE3), 'the table format did not load cli-table3');
  assert.ok(!table.ran.has(CHALK), 'a table without colour loaded chalk');
  const plain = bundleModules(['decode', '--proto', 'route', NEWLINK]);
  assert.ok(!plain.ran.has(CHALK), 'pretty without colour loaded chalk');
  const coloured = bundleModules(['decode', '--proto', 'route', NEWLINK], { NO_COLOR: '', FORCE_COLOR: '1' });
  assert.equal(coloured.code, 0, coloured.stderr);
  assert.ok(coloured.ran.has(CHALK), 'colour did not load chalk');
  // The colourless text is the coloured text without its escapes: styles give the text as it is.
  assert.match(coloured.stdout, /\x1b\[3\dm/);
  assert.equal(coloured.stdout.replace(/\x1b\[\d+m/g, ''), plain.stdout);
});

test('bin/nlctl run as a program starts Node with --v8-pool-size=0, and decodes as `node bin/nlctl` does', (t) => {
  built();
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-shebang-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeSync(2, 'ARGV ' + JSON.stringify(process.execArgv) + '\\n'));`);
  const bin = join(ROOT, 'bin/nlctl');
  const capture = fixturePath('pcap/rtnl-getlink.pcap');
  const direct = spawnSync(bin, ['decode', capture, '-f', 'ndjson'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${hook}` } });
  assert.equal(direct.status, 0, direct.stderr);
  const argv = JSON.parse(direct.stderr.split('\n').find((l) => l.startsWith('ARGV '))!.slice(5)) as string[];
  assert.ok(argv.includes('--v8-pool-size=0'), `execArgv: ${argv.join(' ')}`);
  const viaNode = spawnSync(process.execPath, [bin, 'decode', capture, '-f', 'ndjson'], { encoding: 'utf8' });
  assert.equal(viaNode.status, 0, viaNode.stderr);
  assert.ok(direct.stdout.length > 0);
  assert.equal(direct.stdout, viaNode.stdout);
});
