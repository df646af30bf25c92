#!/usr/bin/env node
// Builds nlctl as one executable file with Node's single-executable applications (SEA), offline:
// the CLI bundled into one CommonJS script, a SEA blob from `node --experimental-sea-config`,
// injected into a copy of this `node` binary with postject.
//
//   node scripts/build-sea.mjs [--out FILE] [--no-code-cache]   (default dist/nlctl-linux-<arch>)
//
// --no-code-cache leaves V8's code cache out of the blob (to measure what it buys: bench/startup.mjs).
//
// A SEA's require() loads built-in modules only, so ffi-rs's native addon travels as a SEA asset:
// at run time it is written once to a private cache file named by its hash and loaded with
// process.dlopen.
import { build } from 'esbuild';
import { inject } from 'postject';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The fuse Node checks to find out that it carries a SEA blob (from the Node SEA docs).
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ASSET = 'ffi-rs.node';

const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
  throw new Error(`build-sea: linux x64/arm64 only, not ${process.platform}-${process.arch}`);
}
const out = resolve(outArg >= 0 ? args[outArg + 1] : join(ROOT, 'dist', `nlctl-linux-${process.arch}`));

// The addon ffi-rs would load on this machine (glibc; the SEA carries only this one).
const addonPkg = `@yuuang/ffi-rs-linux-${process.arch}-gnu`;
const require = createRequire(join(ROOT, 'node_modules', 'ffi-rs', 'index.js'));
const addonPath = join(dirname(require.resolve(`${addonPkg}/package.json`)), `ffi-rs.linux-${process.arch}-gnu.node`);
const addon = readFileSync(addonPath);
const addonHash = createHash('sha256').update(addon).digest('hex').slice(0, 16);

// Replaces the module ffi-rs's index.js requires for its binding. Runs inside the SEA.
const addonLoader = `
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const name = 'ffi-rs-' + ${JSON.stringify(addonHash)} + '.node';

// A directory only we can write to: a file there that has the right name is ours to load.
function privateDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) {
    throw new Error(dir + ' is not a private directory');
  }
  return dir;
}

function place(dir) {
  const file = path.join(privateDir(dir), name);
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size !== ${addon.length}) {
    // Written under a unique name and renamed, so a concurrent run never loads half a file.
    const tmp = file + '.' + process.pid + '.tmp';
    fs.writeFileSync(tmp, new Uint8Array(require('node:sea').getRawAsset(${JSON.stringify(ASSET)})), { mode: 0o500 });
    fs.renameSync(tmp, file);
  }
  return file;
}

const uid = process.getuid();
const home = os.homedir();
// /tmp first; the user's cache directory when /tmp is mounted noexec (dlopen fails there).
const dirs = [path.join(os.tmpdir(), 'nlctl-' + uid)];
if (process.env.XDG_CACHE_HOME) dirs.push(path.join(process.env.XDG_CACHE_HOME, 'nlctl'));
else if (home) dirs.push(path.join(home, '.cache', 'nlctl'));
const errors = [];
for (const dir of dirs) {
  try {
    const m = { exports: {} };
    process.dlopen(m, place(dir));
    module.exports = m.exports;
    break;
  } catch (e) {
    errors.push(dir + ': ' + e.message);
  }
}
if (errors.length === dirs.length) throw new Error('cannot load the embedded ffi-rs addon: ' + errors.join('; '));
`;

const seaAddonPlugin = {
  name: 'sea-ffi-rs-addon',
  setup(b) {
    // ffi-rs/index.js: require('./ffi-rs.<triple>.node') or require('@yuuang/ffi-rs-<triple>').
    b.onResolve({ filter: /^(@yuuang\/ffi-rs-|\.\/ffi-rs\..*\.node$)/ }, (a) => ({ path: a.path, namespace: 'sea-addon' }));
    b.onLoad({ filter: /.*/, namespace: 'sea-addon' }, (a) => {
      const ours = a.path === addonPkg || a.path === `./ffi-rs.linux-${process.arch}-gnu.node`;
      return {
        contents: ours ? addonLoader : `throw new Error(${JSON.stringify(`this nlctl executable carries ${addonPkg} only, not ${a.path}`)});`,
        loader: 'js',
        resolveDir: ROOT,
      };
    });
  },
};

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'nlctl-sea-build-'));
try {
  const script = join(work, 'nlctl.cjs');
  await build({
    stdin: {
      contents: "import { main } from './src/main.ts';\nprocess.title = 'nlctl';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
      resolveDir: ROOT,
      sourcefile: 'sea-main.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: script,
    define: { NLCTL_SEA: 'true' },
    plugins: [seaAddonPlugin],
    logLevel: 'warning',
    // import.meta.url only names the decode worker's file, which the SEA never starts (NLCTL_SEA).
    logOverride: { 'empty-import-meta': 'silent' },
  });

  const blob = join(work, 'nlctl.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(config, JSON.stringify({
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: !args.includes('--no-code-cache'),
    // The built-in spec tables ride along as assets, read per family when first used.
    assets: {
      [ASSET]: addonPath,
      ...Object.fromEntries(readdirSync(join(ROOT, 'src/schema/specs')).map((f) => [`specs/${f}`, join(ROOT, 'src/schema/specs', f)])),
    },
  }, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { cwd: work, stdio: 'pipe' });

  // Injected into a copy next to the output, then renamed: the output is never half-written.
  mkdirSync(dirname(out), { recursive: true });
  const tmpOut = `${out}.${process.pid}.tmp`;
  copyFileSync(process.execPath, tmpOut);
  chmodSync(tmpOut, 0o755);
  // postject's ELF parser warns about every unnamed note section of node; show that only on failure.
  const said = [];
  const { log, warn } = console;
  console.log = console.warn = (...m) => said.push(m.join(' '));
  try {
    await inject(tmpOut, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
    renameSync(tmpOut, out);
  } catch (e) {
    rmSync(tmpOut, { force: true });
    process.stderr.write(said.map((l) => l + '\n').join(''));
    throw e;
  } finally {
    Object.assign(console, { log, warn });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const mb = (statSync(out).size / 1048576).toFixed(1);
process.stderr.write(`build-sea: ${out} (${mb} MiB, node ${process.version}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
