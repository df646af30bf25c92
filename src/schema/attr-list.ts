// How a command-line attribute list (A=1,B=x,y,C={…}) is read beyond splitting at commas: flag
// lists keep their commas.

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
