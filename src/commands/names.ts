// Names the user types, looked up with a "did you mean" when they match nothing: protocols,
// message types, and the attribute / header-field / enum names inside encoder errors.
import { NETLINK_PROTOCOLS, PROTOCOL_ALIASES } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { messageType, protocolNumber, type Schema } from '../schema/index.js';
import { didYouMean } from '../suggest.js';

export function protocolNames(): string[] {
  return [...Object.values(NETLINK_PROTOCOLS).filter((n) => n !== 'unused'), ...Object.keys(PROTOCOL_ALIASES)];
}

/** A protocol by name or number, or a usage error that offers the closest names. */
export function protocolOrThrow(spec: string): number {
  const n = protocolNumber(spec);
  if (n !== undefined) return n;
  throw new UsageError(`unknown protocol '${spec}'${didYouMean(spec, protocolNames())} (a name like route, generic, test, or a number 0-31)`);
}

export function typeNames(schema: Schema): string[] {
  return Object.values(schema.messages).map((d) => d.name);
}

/** A message type by number or name in the protocol, or a usage error with the closest names. */
export function typeOrThrow(schema: Schema, spec: string): number {
  const t = messageType(schema, spec);
  if (t !== undefined && t > 0xffff) throw new UsageError(`--type ${spec}: nlmsg_type is 16 bits (0-65535)`);
  if (t !== undefined) return t;
  const suggestion = didYouMean(spec, typeNames(schema));
  const examples = Object.values(schema.messages).slice(0, 3).map((d) => d.name);
  const hint = suggestion || ` (${examples.length ? `a name like ${examples.join(', ')}, or a number` : 'it has no names: give a number'})`;
  throw new UsageError(`unknown message type '${spec}' for protocol ${schema.name}${hint}`);
}

/** Every attribute name of a set (or of the whole protocol when the set is unknown). */
export function attrNames(schema: Schema, setName?: string): string[] {
  const sets = setName && schema.attrSets[setName] ? [schema.attrSets[setName]] : Object.values(schema.attrSets);
  return sets.flatMap((s) => Object.values(s.attrs).map((d) => d.name));
}

/**
 * An encoder message about a name that matched nothing, with the closest names added:
 * "unknown attribute 'IFLA_IFNAM' in link (…)", "ifinfomsg has no field 'ifi_indx' (…)",
 * "'universx' is neither a number nor a name in rt-scope (…)".
 */
export function suggestInMessage(message: string, schema: Schema, attrSet?: string): string {
  let m = /unknown attribute '([^']+)'(?: in (\S+))?/.exec(message);
  if (m) return message + didYouMean(m[1], attrNames(schema, m[2] ?? attrSet));
  m = /^(\S+) has no field '([^']+)'/.exec(message);
  if (m && schema.structs[m[1]]) return message + didYouMean(m[2], schema.structs[m[1]].fields.map((f) => f.name));
  m = /'([^']+)' is (?:not|neither) a number nor a name in (\S+)/.exec(message);
  if (m && schema.enums[m[2]]) return message + didYouMean(m[1], Object.values(schema.enums[m[2]]));
  m = /'([^']+)' is not a flag of (\S+)/.exec(message);
  if (m && schema.flagSets[m[2]]) return message + didYouMean(m[1], Object.values(schema.flagSets[m[2]]));
  return message;
}
