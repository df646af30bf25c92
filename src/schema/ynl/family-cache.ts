// Built-in spec families compiled at build time: `make build` writes dist/specs/compiled-<name>.json
// (the result of compileSpec on the built-in table, which is plain JSON data), so that a run that
// meets a generic netlink family parses its compiled tables instead of checking and compiling the
// spec. Each file carries the build's id (the bundler's NLCTL_TABLE_CACHE_ID, a hash of the cached
// content): a file from another build, a damaged one or none is ignored, and the family is
// compiled from its spec as before. Outside the bundle (build/, tests) there is no id: no cache.
import { builtinFile } from './builtin.js';
import type { SpecFamily } from './compile.js';

/** Set by the bundler (scripts/bundle.mjs) to the id written into the caches of the same build. */
declare const NLCTL_TABLE_CACHE_ID: string | undefined;

let cacheId: string | undefined = typeof NLCTL_TABLE_CACHE_ID === 'string' ? NLCTL_TABLE_CACHE_ID : undefined;

/** The build id compiled families must carry (tests); undefined: no cache is used. */
export function setFamilyCacheId(id: string | undefined): void {
  cacheId = id;
}

export const familyCacheFile = (name: string): string => `compiled-${name}.json`;

/** The cache file's text for a compiled built-in family (build time). */
export function familyCacheText(family: SpecFamily, build: string): string {
  return JSON.stringify({ build, family });
}

/** The compiled built-in family from the cache of this build, or undefined. */
export function cachedFamily(name: string): SpecFamily | undefined {
  if (cacheId === undefined) return undefined;
  const text = builtinFile(familyCacheFile(name));
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as { build?: unknown; family?: SpecFamily };
    return c.build === cacheId && c.family?.name === name && c.family.source === 'built-in' ? c.family : undefined;
  } catch {
    return undefined;
  }
}
