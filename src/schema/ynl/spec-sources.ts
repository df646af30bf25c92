// Where specs come from besides the built-in tables: the --spec files' families and the search
// path's directories, as configureSpecs (loader.ts) set them. Apart from the loader so that the
// table cache can ask whether a family is overridden without loading the spec compiler.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecFamily } from './compile.js';

let userFamilies = new Map<string, SpecFamily>();
// Until configureSpecs runs (the CLI skips it when no spec directory exists), nothing is searched.
let searchDirs: string[] = [];

export function setSpecSources(families: Map<string, SpecFamily>, dirs: string[]): void {
  userFamilies = families;
  searchDirs = dirs;
}

/** The --spec files' families, by name. */
export function givenFamilies(): ReadonlyMap<string, SpecFamily> {
  return userFamilies;
}

/** The search path's directories that exist, in order. */
export function searchDirectories(): readonly string[] {
  return searchDirs;
}

/** The family's spec file on the search path, if there is one. */
export function searchPathFile(name: string): string | undefined {
  for (const dir of searchDirs) {
    // Files are named after the family, some with '_' for '-' (drm_ras.yaml holds drm-ras).
    for (const base of new Set([name, name.replace(/-/g, '_')])) {
      for (const ext of ['.yaml', '.yml']) {
        const file = join(dir, base + ext);
        if (existsSync(file)) return file;
      }
    }
  }
  return undefined;
}

/** True when the family's spec comes from --spec or the search path instead of the built-in tables. */
export function specOverridden(name: string): boolean {
  return userFamilies.has(name) || searchPathFile(name) !== undefined;
}
