// "Does nlctl's JSON hold everything YNL printed?": a recursive subset comparison with a
// readable list of differences. Values the kernel changed between two YNL runs (counters,
// timers, ages) are volatile: nlctl only has to have them, with a value of the same kind.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Stands for a value that differed between two YNL runs. */
export class Volatile {
  constructor(readonly sample: Json) {}
}

export type Expected = null | boolean | number | string | Volatile | Expected[] | { [k: string]: Expected };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Volatile);
}

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  // Integers too big for a JSON number may come as decimal strings: the same kind.
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return 'number';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merge two YNL runs into one expectation: what both printed alike must match exactly; what
 * changed in between is Volatile; keys or elements only one run printed are left out.
 */
export function mergeRuns(a: Json, b: Json): Expected {
  if (isObject(a) && isObject(b)) {
    const out: { [k: string]: Expected } = {};
    for (const k of Object.keys(a)) if (k in b) out[k] = mergeRuns(a[k] as Json, b[k] as Json);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return new Volatile(a);
    return a.map((x, i) => mergeRuns(x, b[i]));
  }
  return deepEqual(a, b) ? a : new Volatile(a);
}

function sameScalar(e: Json, a: unknown): boolean {
  if (e === a) return true;
  // 64-bit values: a JSON number on one side, an exact decimal string on the other.
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : undefined);
  const x = num(e), y = num(a);
  return x !== undefined && y !== undefined && x === y;
}

function show(v: unknown): string {
  if (v instanceof Volatile) return `(changing, e.g. ${show(v.sample)})`;
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 120 ? s.slice(0, 117) + '...' : s;
}

/** Differences: where nlctl's JSON does not hold what YNL printed; empty when it does. */
export function missing(expected: Expected, actual: unknown, path = '$'): string[] {
  if (expected instanceof Volatile) {
    return kind(actual) === kind(expected.sample) ? [] : [`${path}: YNL printed a changing ${kind(expected.sample)} ${show(expected.sample)}, nlctl has ${show(actual)}`];
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${path}: YNL printed an object, nlctl has ${show(actual)}`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual)) out.push(`${path}.${k}: missing in nlctl's output (YNL: ${show(v)})`);
      else out.push(...missing(v, actual[k], `${path}.${k}`));
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: YNL printed an array, nlctl has ${show(actual)}`];
    return missingInArray(expected, actual, path);
  }
  return sameScalar(expected, actual) ? [] : [`${path}: YNL printed ${show(expected)}, nlctl has ${show(actual)}`];
}

function missingInArray(expected: Expected[], actual: unknown[], path: string): string[] {
  // Lists of names (flag sets) may come in any order; YNL sorts them, nlctl keeps bit order.
  if (expected.every((e) => typeof e === 'string') && actual.every((a) => typeof a === 'string')) {
    const want = [...(expected as string[])].sort(), have = [...(actual as string[])].sort();
    return deepEqual(want, have) ? [] : [`${path}: YNL printed ${show(expected)}, nlctl has ${show(actual)}`];
  }
  if (actual.length < expected.length) {
    return [`${path}: YNL printed ${expected.length} element(s), nlctl has ${actual.length}: ${show(actual)}`];
  }
  const out: string[] = [];
  // Numbers keep their places (arrays of counters, struct members as lists).
  if (!expected.some((e) => isObject(e) || Array.isArray(e))) {
    expected.forEach((e, i) => out.push(...missing(e, actual[i], `${path}[${i}]`)));
    return out;
  }
  const used = new Set<number>();
  expected.forEach((e, i) => {
    // The same position first (both read the same kernel table in order), then any unused element.
    if (!used.has(i) && missing(e, actual[i]).length === 0) {
      used.add(i);
      return;
    }
    const j = actual.findIndex((a, k) => !used.has(k) && missing(e, a).length === 0);
    if (j >= 0) {
      used.add(j);
      return;
    }
    out.push(...missing(e, actual[i], `${path}[${i}]`));
  });
  return out;
}

/** The differences as one message, at most `limit` lines. */
export function report(diffs: string[], limit = 40): string {
  const head = diffs.slice(0, limit).join('\n  ');
  return `nlctl's output lacks what YNL printed (${diffs.length} difference(s)):\n  ${head}${diffs.length > limit ? `\n  … ${diffs.length - limit} more` : ''}`;
}
