// Checks on typed attributes written on the command line (NAME=[type:]value), so that nlctl
// refuses what would be malformed instead of masking or dropping it.
import { NLA_TYPE_MASK } from '../codec/index.js';
import type { ValueDef } from './types.js';

export class AttrSpecError extends Error {}

/** An attribute given by number ("5", "0x10"); undefined when it is a name. */
export function attrTypeNumber(name: string): number | undefined {
  if (!/^(\d+|0x[0-9a-f]+)$/i.test(name)) return undefined;
  const type = Number(name);
  // The top two bits of nla_type are NLA_F_NESTED and NLA_F_NET_BYTEORDER; nlctl sets those itself.
  if (type > NLA_TYPE_MASK) throw new AttrSpecError(`attribute type ${name} does not fit in nla_type's 14 bits (0-${NLA_TYPE_MASK})`);
  return type;
}

/** Braces must pair up: "A={B=1" or "A=1}" would otherwise be read as values. */
export function checkBraces(text: string): void {
  let depth = 0;
  for (const c of text) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) break;
  }
  if (depth !== 0) throw new AttrSpecError(`unbalanced braces in '${text}'`);
}

/** A bare NAME (no '=') means a flag attribute: refuse it for attributes that hold a value. */
export function checkBare(name: string, def: ValueDef | undefined): void {
  if (!def || def.type === 'flag') return;
  if (def.type === 'nest' || def.type === 'nest-array') {
    throw new AttrSpecError(`${name} is nested: write ${name}={ATTR=value,…} ({} for an empty nest)`);
  }
  throw new AttrSpecError(`${name} needs a value: ${name}=<${def.type}> (a bare name is only for flag attributes)`);
}

/** Braces on an attribute the table knows as a plain value. */
export function checkNestable(name: string, def: ValueDef | undefined): void {
  if (def && def.type !== 'nest' && def.type !== 'nest-array' && def.type !== 'indexed-array' && def.type !== 'sub-message') {
    throw new AttrSpecError(`${name} holds a ${def.type}, not attributes: write ${name}=value`);
  }
}

/**
 * "TYPE:" in front of a value that names no known type, e.g. IFLA_MTU=bogustype:5; undefined
 * when the text before the colon cannot be a type name (hex digits of a MAC or IPv6 address).
 */
export function unknownTypeWord(rest: string, known: string[]): string | undefined {
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const word = rest.slice(0, colon);
  if (!/^[a-z][a-z0-9]*$/i.test(word) || !/[g-z]/i.test(word) || known.includes(word.toLowerCase())) return undefined;
  return `unknown type '${word}' (types: ${known.join(', ')})`;
}
