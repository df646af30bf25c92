// The built-in tables: one JSON per family (generated from the kernel's specs by `make specs`),
// read only when a family is first used. They live beside the code that reads them: in the
// source tree (src/schema/specs), copied next to the bundle (dist/specs), or as SEA assets.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SeaModule { isSea(): boolean; getAsset(key: string, encoding: string): string }

let dirCache: string | null | undefined;

let seaCache: SeaModule | null | undefined;

/** node:sea when running as the single executable (asked once: every table read asks). */
function seaModule(): SeaModule | undefined {
  if (seaCache === undefined) {
    seaCache = null;
    try {
      const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
      const sea = getBuiltin?.('node:sea') as SeaModule | undefined;
      if (sea?.isSea()) seaCache = sea;
    } catch {}
  }
  return seaCache ?? undefined;
}

/** The directory holding the tables, wherever this module runs from (build/, dist/, src/). */
function specDir(): string | undefined {
  if (dirCache !== undefined) return dirCache ?? undefined;
  dirCache = null;
  let here: string | undefined;
  try {
    // A path, not a URL (the bundle defines it as its __dirname): no URL parsing at start-up.
    // import.meta.dirname is Node 20.11's; older ones get it from the module's URL.
    here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url));
  } catch {
    here = undefined;
  }
  if (!here) return undefined;
  // build/src/schema/ynl → src/schema/specs of the tree; dist/*.js → dist/specs.
  for (const rel of ['specs', '../specs', '../../../../src/schema/specs', '../src/schema/specs']) {
    const dir = `${join(here, rel)}/`;
    if (existsSync(dir + 'index.json')) {
      dirCache = dir;
      break;
    }
  }
  return dirCache ?? undefined;
}

/** The text of a built-in table file (index.json, VERSION, netdev.json …), or undefined. */
export function builtinFile(file: string): string | undefined {
  const sea = seaModule();
  if (sea) {
    try {
      return sea.getAsset(`specs/${file}`, 'utf8');
    } catch {
      return undefined;
    }
  }
  const dir = specDir();
  if (!dir) return undefined;
  try {
    return readFileSync(dir + file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface BuiltinIndex {
  /** Package version the tables came from (linux-source-7.3 7.3.4-1~bpo13+1). */
  version: string;
  /** Family name → its protocol and netlink protocol number, and its table's file. */
  families: Record<string, { protocol: string; protonum: number; file: string }>;
}

let indexCache: BuiltinIndex | undefined;

export function builtinIndex(): BuiltinIndex {
  if (!indexCache) {
    const text = builtinFile('index.json');
    indexCache = text ? (JSON.parse(text) as BuiltinIndex) : { version: 'none', families: {} };
  }
  return indexCache;
}
