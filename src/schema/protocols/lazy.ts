// A protocol's schema that costs nothing until a table is looked up (start-up, other protocols).
import { overviewOf, provideOverview } from '../overview.js';
import type { Schema } from '../types.js';
import { cachedSchema } from './table-cache.js';

/**
 * A schema whose tables are built on first use: start-up and other protocols never pay for them.
 * With `families` (the spec families composed), the build-time table cache serves them instead,
 * one family's slice at a time (table-cache.ts).
 */
export function lazySchema(protocol: number, name: string, build: () => Schema, extra: Partial<Schema> = {}, families: string[] = []): Schema {
  let built: Schema | undefined;
  let composed: Schema | undefined;
  const compose = () => (composed ??= build());
  const get = () => (built ??= (families.length ? cachedSchema(protocol, name, families, compose) : undefined) ?? compose());
  const lazy = { protocol, name, ...extra } as Schema;
  for (const key of ['messages', 'structs', 'attrSets', 'enums', 'flagSets', 'groups', 'subMessages'] as const) {
    if (key in extra) continue;
    Object.defineProperty(lazy, key, { get: () => get()[key], enumerable: true, configurable: true });
  }
  // The tables' own (a cached schema carries it: working it out would read every table).
  provideOverview(lazy, () => overviewOf(get()));
  return lazy;
}
