// The lint rules of eslint.config.js catch what they are there for: imports across the layers,
// ffi-rs outside src/sys, unused imports, facts declared away from their home, and import
// cycles made of type-only and dynamic imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { ROOT } from '../helpers.js';

const eslint = new ESLint({ cwd: ROOT });

/** Messages (`line:rule:text`) for `code` (text, or its lines) as if it were the file at `rel` (which need not exist). */
async function lint(rel: string, code: string | string[]): Promise<string[]> {
  const [r] = await eslint.lintText(typeof code === 'string' ? code : code.join('\n'), { filePath: join(ROOT, rel) });
  return r.messages.map((m) => `${m.line}:${m.ruleId}:${m.message}`);
}

/** The messages are, in order, of these `line:rule`s. */
function assertRules(got: string[], want: string[], label?: string): void {
  const why = got.join('\n');
  assert.deepEqual(got.map((m) => m.split(':').slice(0, 2).join(':')), want, label ? `${label}: ${why}` : why);
}

/** A file linted at a path: the `line:rule` of each message, and what each message's text says. */
const CASES: { name: string; rel: string; code: string[]; rules: string[]; says?: RegExp[] }[] = [
  {
    name: 'lint: src/codec imports nothing of the project outside codec, types included',
    rel: 'src/codec/probe.ts',
    code: [
      "import { a } from './attr.js';",
      "import { b } from '../schema/index.js';",
      "import type { C } from '../cli.js';",
      'export type { C };',
      'export { a, b };',
    ],
    rules: ['2:no-restricted-imports', '3:no-restricted-imports'],
    says: [/src\/codec imports nothing of the project outside codec/, /src\/codec imports nothing/],
  },
  {
    name: 'lint: src/schema imports only codec and schema, at any depth',
    rel: 'src/schema/protocols/probe.ts',
    code: [
      "import { a } from '../../codec/index.js';",
      "import { b } from '../index.js';",
      "import { c } from './common.js';",
      "import { d } from '../../transport/index.js';",
      "export { e } from '../../output.js';",
      'export { a, b, c, d };',
    ],
    rules: ['4:no-restricted-imports', '5:no-restricted-imports'],
    says: [/src\/schema imports only codec and schema/],
  },
  {
    name: 'lint: src/format never imports src/transport or src/sys',
    rel: 'src/format/probe.ts',
    code: [
      "import { a } from '../schema/index.js';",
      "import { b } from '../sys/index.js';",
      "export * from '../transport/index.js';",
      'export { a, b };',
    ],
    rules: ['2:no-restricted-imports', '3:no-restricted-imports'],
  },
  {
    name: 'lint: unused imports and locals are errors, unused parameters are not',
    rel: 'src/probe.ts',
    code: [
      "import { readFileSync } from 'node:fs';",
      'export function f(unusedParameter: number): number {',
      '  const unused = 1;',
      '  return 2;',
      '}',
    ],
    rules: ['1:@typescript-eslint/no-unused-vars', '3:@typescript-eslint/no-unused-vars'],
  },
];

for (const c of CASES) {
  test(c.name, async () => {
    const got = await lint(c.rel, c.code);
    assertRules(got, c.rules);
    c.says?.forEach((re, i) => assert.match(got[i], re));
  });
}

test('lint: only src/sys imports ffi-rs', async () => {
  const code = "import { load } from 'ffi-rs';\nexport { load };\n";
  for (const rel of ['src/commands/probe.ts', 'src/transport/probe.ts', 'test/unit/probe.ts']) {
    const got = await lint(rel, code);
    assert.equal(got.length, 1, `${rel}: ${got.join('\n')}`);
    assert.match(got[0], /^1:no-restricted-imports:.*only src\/sys imports ffi-rs/);
  }
  assert.deepEqual(await lint('src/sys/probe.ts', code), []);
});

test('lint: a constant or helper with one home is not declared again elsewhere', async () => {
  const code = [
    'export const NETLINK_TEST = 25;',
    'export const GENL_ID_CTRL = 0x10;',
    'export function align4(n: number): number { return (n + 3) & ~3; }',
    'export const ownName = 1;',
  ];
  for (const rel of ['src/commands/probe.ts', 'src/capture/probe.ts', 'test/unit/probe.ts']) {
    const got = await lint(rel, code);
    assertRules(got, ['1:no-restricted-syntax', '2:no-restricted-syntax', '3:no-restricted-syntax'], rel);
    assert.match(got[0], /one home, src\/codec\/constants\.ts/);
    assert.match(got[2], /one home, src\/codec\/align\.ts/);
  }
  // The homes themselves declare them.
  assert.deepEqual(await lint('src/codec/constants.ts', 'export const NETLINK_TEST = 25;\n'), []);
});

test('lint: an import cycle of a type-only import one way and import() the other is found', async () => {
  const { default: rule } = await import(pathToFileURL(join(ROOT, 'scripts/eslint/import-cycle.mjs')).href);
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-cycle-'));
  try {
    const files: Record<string, string> = {
      'a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
      'b.ts': "export type B = number;\nexport const load = () => import('./a.js');\n",
      'c.ts': "import type { B } from './b.js';\nexport type C = B;\n",
      'd.ts': "export * from './e.js';\n",
      'e.ts': "export { x } from './sub/index.js';\n",
      'sub/index.ts': "import '../d.js';\nexport const x = 1;\n",
    };
    mkdirSync(join(dir, 'sub'));
    for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), code);
    const linter = new Linter({ cwd: dir });
    const config = [{
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { nlctl: { rules: { 'import-cycle': rule } } },
      rules: { 'nlctl/import-cycle': 'error' as const },
    }];
    const verify = (name: string) => linter.verify(files[name], config, { filename: join(dir, name) }).map((m) => `${m.line}:${m.message}`);
    assert.deepEqual(verify('a.ts'), ['1:import cycle: a.ts → b.ts → a.ts']);
    assert.deepEqual(verify('b.ts'), ['2:import cycle: b.ts → a.ts → b.ts']);
    assert.deepEqual(verify('c.ts'), []);
    assert.deepEqual(verify('d.ts'), ['1:import cycle: d.ts → e.ts → sub/index.ts → d.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
