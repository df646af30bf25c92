// How a command-line attribute list (A=1,B=x,y,C={…}) is read beyond splitting at commas: flag
// lists keep their commas, and a sibling's value picks a nest's table (IFLA_INFO_KIND).
import type { AttrSet } from './types.js';

/** `typeOf` gives an attribute's number by name, throwing for a name the set does not have. */
type TypeOf = (name: string) => number;

function isAttrName(typeOf: TypeOf, name: string): boolean {
  try {
    typeOf(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * A comma also separates flag names inside one value (IFA_FLAGS=permanent,noprefixroute): a part
 * without '=' that names no attribute continues the value before it.
 */
export function joinValueLists(items: string[], typeOf: TypeOf): string[] {
  const out: string[] = [];
  for (const item of items) {
    const prev = out.length ? out[out.length - 1] : undefined;
    if (prev !== undefined && prev.includes('=') && !prev.includes('{') && !item.includes('=') && !isAttrName(typeOf, item)) {
      out[out.length - 1] = `${prev},${item}`;
    } else out.push(item);
  }
  return out;
}

/** The set a sibling selects for the set's switch target (IFLA_INFO_KIND=veth → IFLA_INFO_DATA is linkinfo-veth). */
export function switchedSet(items: string[], set: AttrSet | undefined, typeOf: TypeOf): string | undefined {
  const sw = set?.switch;
  if (!sw) return undefined;
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0 || typeOf(item.slice(0, eq).trim()) !== sw.attr) continue;
    const value = item.slice(eq + 1).trim().replace(/^(str|string|strz):/i, '');
    return sw.sets[value];
  }
  return undefined;
}
