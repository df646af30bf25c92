// Which spec describes a family: a --spec file, then the search path (NLCTL_SPEC_PATH, then
// where the kernel installs its specs), then the built-in tables. Each family is read and
// compiled once, when first asked for.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinFile, builtinIndex } from './builtin.js';
import { compileSpec, type SpecFamily } from './compile.js';
import { cachedFamily } from './family-cache.js';
import { checkSpec, loadYamlParser, readSpecText, SpecError } from './spec.js';
import { SYSTEM_SPEC_DIRS } from './spec-dirs.js';
import { givenFamilies, searchDirectories, searchPathFile, setSpecSources } from './spec-sources.js';
import { supplement } from './supplements.js';

export { specOverridden } from './spec-sources.js';

let configured: { files: string[]; specPath?: string } | undefined;
const cache = new Map<string, SpecFamily | null>();

/** Read and compile one spec file; a bad one throws SpecError naming the file and the YAML path. */
export function loadSpecFile(file: string): SpecFamily {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SpecError(file, '(file)', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message);
  }
  return compileSpec(readSpecText(text, file), file);
}

/**
 * Set where specs come from: `files` (--spec, read now so that a bad one fails at once) and the
 * environment's NLCTL_SPEC_PATH (colon-separated directories, searched before the system's).
 */
export async function configureSpecs(files: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  cache.clear();
  const given = new Map<string, SpecFamily>();
  configured = { files, ...(env.NLCTL_SPEC_PATH ? { specPath: env.NLCTL_SPEC_PATH } : {}) };
  const extra = (env.NLCTL_SPEC_PATH ?? '').split(':').filter(Boolean);
  const dirs = [...extra, ...SYSTEM_SPEC_DIRS].filter((d) => existsSync(d));
  setSpecSources(given, dirs);
  if (files.length || dirs.length) await loadYamlParser();
  for (const f of files) {
    const fam = loadSpecFile(f);
    given.set(fam.name, supplement(fam));
  }
}

function fromSearchPath(name: string): SpecFamily | undefined {
  const file = searchPathFile(name);
  return file === undefined ? undefined : loadSpecFile(file);
}

/** A built-in family compiled from its table, without the build-time cache (the bundler makes the cache with it). */
export function compileBuiltin(name: string): SpecFamily | undefined {
  const entry = builtinIndex().families[name];
  const text = entry ? builtinFile(entry.file) : undefined;
  if (!text) return undefined;
  return compileSpec(checkSpec(JSON.parse(text), `built-in ${entry!.file}`), 'built-in');
}

function fromBuiltin(name: string): SpecFamily | undefined {
  return builtinIndex().families[name] ? cachedFamily(name) ?? compileBuiltin(name) : undefined;
}

/** The family's spec, compiled; undefined when no spec names it. */
export function specFamily(name: string): SpecFamily | undefined {
  const user = givenFamilies().get(name);
  if (user) return user;
  let fam = cache.get(name);
  if (fam === undefined) {
    const found = fromSearchPath(name) ?? fromBuiltin(name);
    fam = found ? supplement(found) : null;
    cache.set(name, fam);
  }
  return fam ?? undefined;
}

export interface SpecListing {
  name: string;
  protocol: string;
  protonum: number;
  source: string;
}

/** Every family a spec is known for: given, on the search path, built in (the first one wins). */
export function listSpecFamilies(): SpecListing[] {
  const out = new Map<string, SpecListing>();
  for (const f of givenFamilies().values()) out.set(f.name, { name: f.name, protocol: f.protocol, protonum: f.protonum, source: f.source });
  for (const dir of searchDirectories()) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    } catch {
      continue;
    }
    for (const f of files) {
      try {
        const fam = loadSpecFile(join(dir, f));
        if (!out.has(fam.name)) out.set(fam.name, { name: fam.name, protocol: fam.protocol, protonum: fam.protonum, source: fam.source });
      } catch {
        // A broken spec on the search path shows up when it is used, with its error.
      }
    }
  }
  for (const [name, e] of Object.entries(builtinIndex().families)) {
    if (!out.has(name)) out.set(name, { name, protocol: e.protocol, protonum: e.protonum, source: 'built-in' });
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Families of one netlink protocol that are netlink-raw (protocol 25: the test module's). */
export function rawFamiliesOf(protonum: number): SpecFamily[] {
  const names = new Set<string>();
  for (const f of givenFamilies().values()) if (f.protocol === 'netlink-raw' && f.protonum === protonum) names.add(f.name);
  for (const [name, e] of Object.entries(builtinIndex().families)) if (e.protocol === 'netlink-raw' && e.protonum === protonum) names.add(name);
  return [...names].map((n) => specFamily(n)).filter((f): f is SpecFamily => f !== undefined && f.protocol === 'netlink-raw' && f.protonum === protonum);
}

/** Families given with --spec (they may be new to nlctl: decode and listen look here too). */
export function userSpecFamilies(): SpecFamily[] {
  return [...givenFamilies().values()];
}

/** What configureSpecs was given, for worker threads to do the same; undefined when it never ran. */
export function specConfig(): { files: string[]; specPath?: string } | undefined {
  return configured;
}

/** The version of the kernel package the built-in tables came from. */
export function builtinVersion(): string {
  return builtinIndex().version;
}
