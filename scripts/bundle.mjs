#!/usr/bin/env node
// Bundles the CLI into dist/ with esbuild: one script instead of ~80 ES modules, run by bin/nlctl
// with V8's code cache (dist/main.cjs.cache, made here by running the bundle once), so that a
// tool run once per command from shell scripts starts about as fast as node itself. ffi-rs stays
// external (native addon); the decode worker is its own ES module (worker threads load it by file).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { netfilterSchema, NF_SPECS } from '../build/src/schema/protocols/netfilter/index.js';
import { ROUTE_SPECS, routeSchema } from '../build/src/schema/protocols/route/index.js';
import { tableCacheFiles } from '../build/src/schema/protocols/table-cache-files.js';
import { builtinIndex, compileBuiltin, familyCacheFile, familyCacheText } from '../build/src/schema/ynl/index.js';
import { CACHE_GROUPS } from './cache-training.mjs';

// Clear the old build so that the package holds only this one.
try {
  for (const f of readdirSync('dist')) if (/\.(c?js|cache)$/.test(f)) rmSync(`dist/${f}`);
} catch {}

// The composed rtnetlink and netfilter tables, cut per spec family (src/schema/protocols/table-cache.ts),
// and every built-in spec family compiled (src/schema/ynl/family-cache.ts), made here by the modules
// tsc just compiled. Their id is a hash of their content: the bundle uses a cache only when it
// carries the id this build gave it.
const composed = [[routeSchema, ROUTE_SPECS], [netfilterSchema, NF_SPECS]];
const compiled = Object.keys(builtinIndex().families).map((name) => compileBuiltin(name));
const cacheId = createHash('sha256')
  .update(JSON.stringify(composed.map(([schema, families]) => tableCacheFiles(schema, families, ''))))
  .update(JSON.stringify(compiled))
  .digest('hex')
  .slice(0, 16);

// commander requires child_process (and with it net and streams) for executable subcommands,
// which nlctl has none of: load it only if ever used, not at every start.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (a) => (/node_modules[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

// chalk's colour detection loads tty and net (2-3 ms) when chalk is first imported; nlctl decides
// colour itself (src/output.ts useColor) and always gives chalk its level, so the bundle carries
// none: chalk's own default instance, which nlctl never uses, is colourless.
const noColorDetection = {
  name: 'no-color-detection',
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (a) => (/node_modules[\\/]chalk[\\/]/.test(a.importer) ? { path: 'supports-color', namespace: 'no-color-detection' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-color-detection' }, () => ({
      contents: 'export function createSupportsColor() { return false; }\nexport default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};

// strace's table of C names (src/input/strace/cnames.json, 285 kB: a third of the bundle) is
// needed only when strace text is decoded: the bundle reads it then, from beside the spec tables,
// instead of carrying it as source that every start reads.
const CNAMES = 'specs/strace-cnames.json';
const cnamesBeside = {
  name: 'cnames-beside',
  setup(b) {
    b.onResolve({ filter: /cnames\.json$/ }, (a) => (/src[\\/]input[\\/]strace[\\/]names\.ts$/.test(a.importer) ? { path: 'cnames', namespace: 'cnames-beside' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'cnames-beside' }, () => ({
      contents: `module.exports = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(CNAMES)}), 'utf8'));`,
      loader: 'js',
    }));
  },
};

// Each protocol's tables are loaded when a message of that protocol is first decoded, not at every
// start (~3 ms): src/schema/protocols/loaders.ts imports them all (ES modules cannot be required),
// and route/loaders.ts the composition of rtnetlink's tables, which the table cache makes needless,
// and the bundle makes each of its loaders a require() of the module instead, which esbuild runs
// on the first call. Anything in the file but imports and `name: () => schema` loaders is refused.
const lazyProtocols = {
  name: 'lazy-protocols',
  setup(b) {
    b.onLoad({ filter: /src[\\/]schema[\\/]protocols[\\/](?:route[\\/])?loaders\.ts$/ }, (a) => {
      const from = new Map();
      let text = readFileSync(a.path, 'utf8').replace(/^import \{ (\w+) \} from '([^']+)';\n/gm, (_, name, path) => {
        from.set(name, path);
        return '';
      });
      for (const [name, path] of from) {
        const call = new RegExp(`\\(\\) => ${name}(\\(\\))?,`, 'g');
        if (!call.test(text)) throw new Error(`bundle: ${a.path}: ${name} is not used as a loader`);
        text = text.replace(call, (_, called) => `() => require(${JSON.stringify(path)}).${name}${called ?? ''},`);
        if (new RegExp(`\\b${name}\\b(?!\\()`).test(text.replace(/require\([^)]*\)\.\w+/g, '')) ) throw new Error(`bundle: ${a.path}: ${name} is used other than as a loader`);
      }
      return { contents: text, loader: 'ts', resolveDir: dirname(a.path) };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // yaml (a dependency, read only for --spec and the search path) is loaded from node_modules when used.
  external: ['ffi-rs', 'yaml'],
  // Comments and blank space out (names stay, for stack traces): a third less to read at every
  // start, and the bundle is then plain ASCII (esbuild escapes other characters in strings), which
  // the launcher reads as latin1, without UTF-8 decoding.
  minifyWhitespace: true,
  plugins: [lazyChildProcess, noColorDetection, lazyProtocols],
  logLevel: 'warning',
  define: { NLCTL_TABLE_CACHE_ID: JSON.stringify(cacheId) },
};

// The CLI: one CommonJS script (a vm.Script can carry a code cache, an ES module cannot on Node 20).
// Its import.meta.url (where the spec tables and the decode worker are found) is its own file's.
await build({
  ...common,
  entryPoints: ['src/main.ts'],
  format: 'cjs',
  outfile: 'dist/main.cjs',
  plugins: [...common.plugins, cnamesBeside],
  // import() of an external (yaml) as require(): a vm.Script has no loader for dynamic imports.
  supported: { 'dynamic-import': false },
  // Computed when first asked for (pathToFileURL costs ~0.7 ms, and --version never asks).
  define: { ...common.define, 'import.meta.url': '__nlctl.url', 'import.meta.dirname': '__dirname' },
  banner: { js: '"use strict";\nvar __nlctl = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
});
// The bundle ends with its content's hash, and its code cache starts with it: bin/nlctl gives V8
// a cache only for the bundle it was made from (V8's own check compares the source's length only).
const bundleBytes = readFileSync('dist/main.cjs');
const nonAscii = bundleBytes.findIndex((b) => b > 0x7f);
if (nonAscii >= 0) throw new Error(`bundle: dist/main.cjs has a non-ASCII byte at ${nonAscii}; bin/nlctl reads it as latin1`);
const bundleId = createHash('sha256').update(bundleBytes).digest('hex').slice(0, 16);
// Written already wrapped as Node wraps a CommonJS module: the file is one function expression,
// which bin/nlctl compiles as it lies (wrapping it at run time copied 0.6 MB into a new string,
// and that copy alone cost a young-generation GC at every start).
writeFileSync('dist/main.cjs', `${Module.wrap(bundleBytes.toString('latin1'))}\n//# nlctl-build ${bundleId}\n`);

await build({
  ...common,
  entryPoints: ['src/commands/decode-worker.ts'],
  format: 'esm',
  outfile: 'dist/decode-worker.js',
  // CommonJS dependencies (cli-table3) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __nlctlCreateRequire } from 'node:module'; const require = __nlctlCreateRequire(import.meta.url);" },
});

// The built-in spec tables are read lazily, per family, from a directory next to the bundle.
cpSync('src/schema/specs', 'dist/specs', { recursive: true });
cpSync('src/input/strace/cnames.json', `dist/${CNAMES}`);
for (const [schema, families] of composed) {
  for (const [file, text] of Object.entries(tableCacheFiles(schema, families, cacheId))) writeFileSync(`dist/specs/${file}`, text);
}
for (const family of compiled) writeFileSync(`dist/specs/${familyCacheFile(family.name)}`, familyCacheText(family, cacheId));

// V8's code caches of the bundle, one per group of commands (cache-training.mjs), each made in a
// process of its own by code-cache.mjs. A Node of another V8 rejects them, and bin/nlctl then
// compiles the script as if there were none.
for (const group of CACHE_GROUPS) execFileSync(process.execPath, ['scripts/code-cache.mjs', group], { stdio: 'inherit' });
