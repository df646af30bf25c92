// ESLint rule nlctl/import-cycle: an import that leads, through the project's own modules, back to
// the importing file. Every kind of import counts, type-only and dynamic ones too: a cycle of types
// still ties the modules together. (eslint-plugin-import-x's no-cycle skips type-only imports, so
// it cannot see a cycle closed by an `import type`.)
//
// The graph of the other files comes from TypeScript's import scanner (ts.preProcessFile), read
// once per file and process; ESLint's --cache must stay off, since a file can join a cycle without
// changing.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** file → { mtimeMs, deps: resolved files it imports } */
const graph = new Map();

/** A relative specifier as the compiler resolves it: './x.js' → x.ts, a directory → index. */
export function resolveSpecifier(fromFile, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [`${stem}.ts`, `${stem}.mts`, `${stem}.cts`, base, `${base}/index.ts`];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function depsOf(file) {
  let mtimeMs;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const known = graph.get(file);
  if (known && known.mtimeMs === mtimeMs) return known.deps;
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const deps = [...new Set(info.importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter(Boolean))];
  graph.set(file, { mtimeMs, deps });
  return deps;
}

/** The shortest chain of imports from `start` back to `target`, or undefined. */
export function pathBack(start, target) {
  const parent = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const f = queue.shift();
    for (const d of depsOf(f)) {
      if (d === target) {
        const chain = [d];
        for (let p = f; p !== undefined; p = parent.get(p)) chain.unshift(p);
        return chain;
      }
      if (!parent.has(d) && !d.includes(`${path.sep}node_modules${path.sep}`)) {
        parent.set(d, f);
        queue.push(d);
      }
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow imports that lead back to the importing module' },
    schema: [],
    messages: { cycle: 'import cycle: {{chain}}' },
  },
  create(context) {
    const file = context.physicalFilename;
    const cwd = context.cwd;
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = resolveSpecifier(file, source.value);
      if (!target) return;
      const chain = target === file ? [file, file] : pathBack(target, file);
      if (chain) {
        const shown = (target === file ? chain : [file, ...chain]).map((f) => path.relative(cwd, f)).join(' → ');
        context.report({ node, messageId: 'cycle', data: { chain: shown } });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check(n, n.argument?.literal ?? n.argument),
    };
  },
};
