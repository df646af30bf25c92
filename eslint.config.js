// ESLint (npm run lint): the layers of the source tree, no import cycles, no unused code.
//
// Layers (README, "How it is built"): codec imports nothing of the project; schema imports only
// codec and schema; only src/sys imports ffi-rs; format never imports transport or sys. They are
// no-restricted-imports patterns, written per directory (a relative import means something else
// one level down), computed from the tree so that a new directory is covered too.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import importCycle from './scripts/eslint/import-cycle.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(ROOT, 'src');

/** Top-level parts of src/ (directories, and modules by their .js name), e.g. 'codec', 'cli.js'. */
const parts = readdirSync(SRC, { withFileTypes: true })
  .filter((e) => e.isDirectory() || e.name.endsWith('.ts'))
  .map((e) => (e.isDirectory() ? e.name : e.name.replace(/\.ts$/, '.js')));

/** What each layer may not import: parts of src/ (and packages) with the reason. */
const LAYERS = {
  codec: { parts: parts.filter((p) => p !== 'codec'), why: 'src/codec imports nothing of the project outside codec' },
  schema: { parts: parts.filter((p) => p !== 'codec' && p !== 'schema'), why: 'src/schema imports only codec and schema' },
  format: { parts: ['transport', 'sys'], why: 'src/format never imports src/transport or src/sys' },
};
const FFI = { group: ['ffi-rs', 'ffi-rs/*'], message: 'only src/sys imports ffi-rs (the libc bindings)' };

/** Every directory under dir, itself included, relative to ROOT. */
function directories(dir) {
  const sub = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [path.relative(ROOT, dir), ...sub.flatMap((e) => directories(path.join(dir, e.name)))];
}

/** One config object per directory of src/: the patterns its files' imports must not match. */
function layerRules() {
  return directories(SRC).map((dir) => {
    const layer = dir.split(path.sep)[1];
    const patterns = layer === 'sys' ? [] : [FFI];
    const rule = LAYERS[layer];
    if (rule) {
      const group = rule.parts.flatMap((p) => {
        const rel = path.relative(path.join(ROOT, dir), path.join(SRC, p)).split(path.sep).join('/');
        return [rel, `${rel}/**`];
      });
      patterns.push({ group, message: rule.why });
    }
    return {
      files: [`${dir.split(path.sep).join('/')}/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    };
  });
}

/**
 * Facts with one home: a declaration of one of these names anywhere else is an error, so a copy
 * cannot drift from the value the uapi tests check (test/unit/uapi.test.ts).
 */
const ONE_HOME = {
  'src/codec/constants.ts': ['NETLINK_ROUTE', 'NETLINK_SOCK_DIAG', 'NETLINK_GENERIC', 'NETLINK_TEST', 'GENL_ID_CTRL', 'GENL_HDRLEN',
    'SOCK_DIAG_BY_FAMILY', 'SOL_NETLINK', 'NETLINK_PKTINFO', 'NETLINK_ADD_MEMBERSHIP', 'NLMSG_ERROR', 'NLMSG_DONE', 'NLM_F_DUMP'],
  'src/codec/align.ts': ['NLMSG_HDRLEN', 'NLA_HDRLEN', 'NLMSG_ALIGNTO', 'align4'],
  'src/codec/bytes.ts': ['view'],
  'src/sys/constants.ts': ['AF_NETLINK', 'SOCK_RAW', 'EPERM', 'ENOPROTOOPT', 'ECONNREFUSED', 'ENOBUFS'],
  'src/errors.ts': ['EXIT'],
};
function oneHomeRules() {
  const selectors = Object.entries(ONE_HOME).flatMap(([home, list]) => {
    const names = `/^(${list.join('|')})$/`;
    const message = `this name has one home, ${home}: import it from there`;
    return [
      { selector: `VariableDeclarator > Identifier.id[name=${names}]`, message },
      { selector: `FunctionDeclaration > Identifier.id[name=${names}]`, message },
    ];
  });
  return {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: Object.keys(ONE_HOME),
    rules: { 'no-restricted-syntax': ['error', ...selectors] },
  };
}

export default [
  { ignores: ['build/', 'dist/', '.vm/', '.cache/'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, nlctl: { rules: { 'import-cycle': importCycle } } },
    rules: {
      'nlctl/import-cycle': 'error',
      // Unused locals and imports, as tsc --noUnusedLocals sees them (parameters may go unused).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-imports': ['error', { patterns: [FFI] }],
    },
  },
  // src/ has one `any`, commented where commander hands over untyped arguments: keep it that way.
  // Small modules with one job: no source file over 450 lines (comments and blank lines count).
  { files: ['src/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'error', 'max-lines': ['error', { max: 450 }] } },
  ...layerRules(),
  oneHomeRules(),
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { 'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true }] },
  },
];
