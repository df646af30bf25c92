// Helpers to write protocol tables compactly, in the order the uapi headers declare them
// (C enums count up from a start value). test/unit/uapi.test.ts compiles every name against
// the installed headers, so a slip in the order fails a test.
import type { AttrDef, AttrSet, MessageDef, MessageKind, ValueDef, WireType } from './types.js';

export type AttrEntry = [name: string, type: WireType, extra?: Omit<ValueDef, 'type'>] | null;

/** An attribute set from entries numbered start, start+1, …; null leaves a number out. */
export function attrSet(prefix: string, start: number, entries: AttrEntry[], more: Partial<AttrSet> = {}): AttrSet {
  const attrs: Record<number, AttrDef> = {};
  entries.forEach((e, i) => {
    if (e) attrs[start + i] = { name: e[0], type: e[1], ...(e[2] ?? {}) };
  });
  return { prefix, attrs, ...more };
}

/** An enum table from names numbered start, start+1, …; null leaves a number out. */
export function enumSeq(start: number, names: (string | null)[]): Record<number, string> {
  const out: Record<number, string> = {};
  names.forEach((n, i) => {
    if (n) out[start + i] = n;
  });
  return out;
}

/** A flag table from names for bits 0, 1, 2, …; null leaves a bit out. */
export function flagBits(names: (string | null)[]): Record<number, string> {
  const out: Record<number, string> = {};
  names.forEach((n, i) => {
    if (n) out[2 ** i] = n;
  });
  return out;
}

/** The NEW/DEL/GET triple rtnetlink uses for each object, from the NEW type's number. */
export function rtmTriple(newType: number, object: string, header: string, attrs: string): Record<number, MessageDef> {
  const kinds: [string, MessageKind][] = [['NEW', 'new'], ['DEL', 'del'], ['GET', 'get']];
  const out: Record<number, MessageDef> = {};
  kinds.forEach(([verb, kind], i) => {
    out[newType + i] = { name: `RTM_${verb}${object}`, kind, header, attrs };
  });
  return out;
}

/** Lower-case record key for a C name: IFLA_IFNAME with prefix IFLA_ → "ifname". */
export function keyOf(name: string, prefix: string): string {
  return (name.startsWith(prefix) ? name.slice(prefix.length) : name).toLowerCase();
}
