// The test module's YNL specs (kmod/netlink_test.yaml, kmod/nlctl_test.yaml) against its C uapi
// header: every C name the specs give compiles to the same value with gcc, and every message,
// attribute and command of the header is in a spec. nlctl decodes the module's traffic from them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { schemaFor } from '../../src/schema/index.js';
import { loadSpecFile, loadYamlParser, type SpecFamily } from '../../src/schema/ynl/index.js';
import { ROOT } from '../helpers.js';

await loadYamlParser();
const HEADER = join(ROOT, 'kmod/netlink_test.h');
const specs = (): SpecFamily[] => ['netlink_test.yaml', 'nlctl_test.yaml'].map((f) => loadSpecFile(join(ROOT, 'kmod', f)));

test('kmod specs: every C name compiles against kmod/netlink_test.h with the same value', () => {
  assert.equal(spawnSync('gcc', ['--version']).status, 0, 'gcc is missing (make test-deps)');
  const checks: [string, number][] = [];
  for (const fam of specs()) {
    for (const table of [fam.cNames.attrs, fam.cNames.ops, fam.cNames.consts, fam.cNames.enums]) for (const [c, v] of Object.entries(table)) checks.push([c, v]);
    for (const [c, g] of Object.entries(fam.cNames.groups)) if (fam.protocol !== 'netlink-raw') checks.push([`strcmp(${c}, ${JSON.stringify(g)}) == 0`, 1]);
    if (fam.protocol !== 'netlink-raw') checks.push([`strcmp(${fam.cNames.family[0]}, ${JSON.stringify(fam.cNames.family[1])}) == 0`, 1], ['NLTEST_GENL_VERSION', fam.version]);
    else checks.push(['NETLINK_TEST', fam.protonum]);
  }
  assert.ok(checks.length > 30, `only ${checks.length} names`);
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-kmod-spec-'));
  const src = ['#include <stdio.h>', '#include <string.h>', '#include <sys/socket.h>', `#include "${HEADER}"`, 'int main(void) {',
    ...checks.map(([e]) => `  printf("%lld\\n", (long long)(${e}));`), '  return 0;', '}'].join('\n');
  writeFileSync(join(dir, 'k.c'), src);
  const cc = spawnSync('gcc', ['-w', '-o', join(dir, 'k'), join(dir, 'k.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, `names the header lacks:\n${[...cc.stderr.matchAll(/['‘]([A-Za-z0-9_]+)['’] undeclared/g)].map((m) => m[1]).join(', ') || cc.stderr}`);
  const values = execFileSync(join(dir, 'k'), { encoding: 'utf8' }).trim().split('\n');
  const wrong = checks.filter(([, want], i) => Number(values[i]) !== want).map(([e, want], i) => `${e}: header ${values[i]}, spec ${want}`);
  assert.deepEqual(wrong, []);
});

test('kmod specs: every message, attribute and command of netlink_test.h is in a spec', () => {
  const header = readFileSync(HEADER, 'utf8');
  const names = [...header.matchAll(/^\s*(NLTEST_(?:MSG|ATTR|STATS|GENL_CMD|GENL_ATTR)_[A-Z0-9_]+)\s*=/gm)].map((m) => m[1]).filter((n) => !/_(UNSPEC|MAX)$/.test(n));
  assert.ok(names.length > 25, 'no NAME = value lines found in the header');
  const known = new Set(specs().flatMap((f) => [...Object.keys(f.cNames.attrs), ...Object.keys(f.cNames.ops)]));
  assert.deepEqual(names.filter((n) => !known.has(n)), []);
});

test('protocol 25 and the nlctl_test family decode from the built-in copies of these specs', () => {
  const raw = schemaFor(25);
  const fam = specs()[0];
  assert.equal(raw.protocol, 25);
  assert.deepEqual(Object.values(raw.messages).map((m) => m.name).sort(), Object.keys(fam.cNames.ops).sort());
  assert.deepEqual(raw.groups, { group1: 1, group2: 2, group3: 3, group4: 4 });
  assert.equal(raw.attrSets.stats.attrs[1].name, 'NLTEST_STATS_RX');
  assert.equal(raw.attrSets['stats-msg'].attrs[10].name, 'NLTEST_ATTR_RESET');
});
