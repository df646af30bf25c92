// The C names nlctl derives from the built-in spec tables (attributes, commands and replies,
// enum and flag values, constants, multicast groups, struct sizes), compiled with gcc against
// the uapi headers of the same kernel package (scripts/kernel-source.sh puts them in
// .cache/kernel/include; `make test-deps` fetches them when root). Under CI a missing header
// directory fails; elsewhere the test says SKIPPED.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { structSize } from '../../src/schema/index.js';
import { builtinFile, builtinIndex, compileSpec, checkSpec, identName, type RawSpec } from '../../src/schema/ynl/index.js';
import { ROOT } from '../helpers.js';

const INCLUDE = join(ROOT, '.cache/kernel/include');

/** Compile one program printing each expression; returns the printed values (or gcc's complaint). */
function compile(dir: string, name: string, headers: string[], exprs: string[]): { values?: string[]; error?: string } {
  const lines = ['#include <stdio.h>', '#include <string.h>', '#include <sys/socket.h>', '#include <linux/types.h>', '#include <linux/netlink.h>', ...headers.map((h) => `#include <${h}>`), 'int main(void) {'];
  exprs.forEach((e) => lines.push(`  printf("%lld\\n", (long long)(${e}));`));
  lines.push('  return 0;', '}');
  const src = join(dir, `${name}.c`);
  writeFileSync(src, lines.join('\n') + '\n');
  const cc = spawnSync('gcc', ['-w', '-I', INCLUDE, '-o', join(dir, name), src], { encoding: 'utf8' });
  if (cc.status !== 0) {
    const names = [...new Set([...cc.stderr.matchAll(/['‘]([A-Za-z0-9_]+)['’] undeclared|incomplete type ['‘]struct ([A-Za-z0-9_]+)['’]|fatal error: ([^:]+): No such file/g)].map((m) => m[1] ?? m[2] ?? m[3]))];
    return { error: names.length ? `not in the headers: ${names.join(', ')}` : cc.stderr.slice(0, 1500) };
  }
  return { values: execFileSync(join(dir, name), { encoding: 'utf8' }).trim().split('\n') };
}

test('generic netlink spec tables: every C name and struct size matches the 7.3 uapi headers', (t) => {
  if (!existsSync(join(INCLUDE, 'linux/netlink.h'))) {
    if (process.env.CI === 'true') assert.fail(`${INCLUDE} is missing: run scripts/install-test-deps.sh (as root) or scripts/kernel-source.sh`);
    t.diagnostic(`SKIPPED: no uapi headers in ${INCLUDE} (run scripts/kernel-source.sh)`);
    console.error(`SKIPPED spec-uapi: no uapi headers in ${INCLUDE}`);
    return;
  }
  assert.equal(spawnSync('gcc', ['--version']).status, 0, 'gcc is missing (make test-deps)');
  // The headers must be of the package the tables came from.
  const version = readFileSync(join(ROOT, '.cache/kernel/VERSION'), 'utf8').trim();
  assert.equal(version.split(' ')[0], builtinIndex().version.split(' ')[0], 'the headers and the tables come from different kernel packages: run make specs');

  const dir = mkdtempSync(join(tmpdir(), 'nlctl-spec-uapi-'));
  const wrong: string[] = [];
  let checked = 0;
  const families = Object.entries(builtinIndex().families).filter(([, e]) => e.protocol !== 'netlink-raw');
  assert.ok(families.length >= 20, `only ${families.length} generic netlink families built in`);
  for (const [name, entry] of families) {
    if (entry.file.startsWith('nlctl_test')) continue; // the test module's: kmod-spec.test.ts
    const raw = JSON.parse(builtinFile(entry.file)!) as RawSpec;
    const fam = compileSpec(checkSpec(raw, entry.file), 'built-in');
    const main = raw['uapi-header'] ?? `linux/${identName(raw)}.h`;
    // Headers the definitions point to, where they are uapi headers (some are kernel-internal).
    const headers = [main, ...new Set((raw.definitions ?? []).map((d) => d.header).filter((h): h is string => !!h && existsSync(join(INCLUDE, h))))];
    // A header the kernel generates from the spec spells everything by the generator's rules; a
    // hand-written one (nl80211.h, devlink.h, genetlink.h) shares only the attribute and command names.
    const generated = /auto-generated from/.test(readFileSync(join(INCLUDE, main), 'utf8'));
    const checks: [string, number | bigint][] = [];
    for (const table of generated ? [fam.cNames.attrs, fam.cNames.ops, fam.cNames.enums, fam.cNames.consts] : [fam.cNames.attrs, fam.cNames.ops]) for (const [c, v] of Object.entries(table)) checks.push([c, v]);
    if (generated) {
      for (const [c, g] of Object.entries(fam.cNames.groups)) checks.push([`strcmp(${c}, ${JSON.stringify(g)}) == 0`, 1]);
      checks.push([`strcmp(${fam.cNames.family[0]}, ${JSON.stringify(fam.cNames.family[1])}) == 0`, 1]);
    }
    // Structs of the spec, where the header declares them by that name (nl80211.h prefixes its own).
    const text = readFileSync(join(INCLUDE, main), 'utf8');
    const defsWithHeader = new Set((raw.definitions ?? []).filter((d) => d.type === 'struct' && d.header === undefined).map((d) => d.name.replace(/-/g, '_')).filter((n) => generated || new RegExp(`struct ${n} \\{`).test(text)));
    for (const [sname, sdef] of Object.entries(fam.schema.structs)) if (defsWithHeader.has(sname)) checks.push([`sizeof(struct ${sname})`, structSize(sdef, fam.schema)]);
    const r = compile(dir, name.replace(/[^a-z0-9_]/gi, '_'), headers, checks.map(([e]) => e));
    if (r.error) {
      wrong.push(`${name} (${headers.join(', ')}): ${r.error}`);
      continue;
    }
    r.values!.forEach((v, i) => {
      if (BigInt(v) !== BigInt(checks[i][1])) wrong.push(`${name}: ${checks[i][0]} is ${v} in the headers, ${checks[i][1]} from the spec`);
    });
    checked += checks.length;
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 2000, `only ${checked} names checked`);
  t.diagnostic(`${checked} names of ${families.length} families checked`);
});
