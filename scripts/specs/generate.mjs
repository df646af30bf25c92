#!/usr/bin/env node
// Writes the built-in tables from the kernel's YNL specs: one compact JSON per family in
// src/schema/specs/ (facts only: names, numbers, types, layouts — no doc text), an index, and
// VERSION naming the package they came from. Also the test module's own specs (kmod/*.yaml).
//
//   node scripts/specs/generate.mjs KERNEL_DIR     (KERNEL_DIR as left by scripts/kernel-source.sh)
//
// Run by `make specs` after a build (it reads specs with the project's own reader). A spec the
// reader refuses stops the run with its one-line error. Prints what changed since the last run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { readSpecText, checkSpec, stripSpec, compileSpec } = await import(join(ROOT, 'build/src/schema/ynl/index.js'));
const { FIXES } = await import('./fixes.mjs');
await (await import(join(ROOT, 'build/src/schema/ynl/index.js'))).loadYamlParser();

const kdir = resolve(process.argv[2] ?? join(ROOT, '.cache/kernel'));
const specDir = join(kdir, 'src/Documentation/netlink/specs');
if (!existsSync(specDir)) {
  console.error(`generate: no specs in ${specDir} (run scripts/kernel-source.sh first)`);
  process.exit(2);
}
const version = readFileSync(join(kdir, 'VERSION'), 'utf8').trim();
const out = join(ROOT, 'src/schema/specs');
const before = existsSync(join(out, 'index.json')) ? JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) : { version: 'none', families: {} };
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f.endsWith('.json') || f === 'VERSION') rmSync(join(out, f));

const sources = [
  ...readdirSync(specDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(specDir, f)),
  ...readdirSync(join(ROOT, 'kmod')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ROOT, 'kmod', f)),
];
const families = {};
for (const file of sources) {
  let raw;
  try {
    raw = readSpecText(readFileSync(file, 'utf8'), file);
  } catch (e) {
    console.error(`generate: ${e.message}`);
    process.exit(2);
  }
  for (const fix of FIXES.filter((f) => f.family === raw.name)) {
    if (fix.apply(raw)) console.log(`specs: ${raw.name}: corrected to the uapi header: ${fix.what}`);
    else console.log(`specs: ${raw.name}: no longer needs: ${fix.what} (remove it from scripts/specs/fixes.mjs)`);
  }
  const facts = stripSpec(checkSpec(raw, file));
  const fam = compileSpec(facts, 'built-in');
  const name = `${fam.name}.json`;
  writeFileSync(join(out, name), JSON.stringify(facts) + '\n');
  families[fam.name] = { protocol: fam.protocol, protonum: fam.protonum, file: name };
}
writeFileSync(join(out, 'index.json'), JSON.stringify({ version, families }, null, 1) + '\n');
writeFileSync(join(out, 'VERSION'), version + '\n');

const added = Object.keys(families).filter((n) => !before.families[n]);
const removed = Object.keys(before.families).filter((n) => !families[n]);
console.log(`specs: ${Object.keys(families).length} families from ${version}` + (before.version !== version ? ` (was ${before.version})` : ''));
if (added.length) console.log(`specs: new: ${added.join(', ')}`);
if (removed.length) console.log(`specs: gone: ${removed.join(', ')}`);
