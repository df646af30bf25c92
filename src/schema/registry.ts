// Dissectors registered by netlink protocol number; anything else gets a raw fallback.
import { NETLINK_PROTOCOLS, PROTOCOL_ALIASES } from '../codec/index.js';
import { emptySchema } from './decode.js';
import { PROTOCOL_LOADERS } from './protocols/loaders.js';
import type { Schema } from './types.js';

/** Protocol number → its schema's loader (protocols/loaders.ts): tables load on first use. */
const LOADERS = new Map<number, () => Schema>(Object.entries(PROTOCOL_LOADERS).map(([name, load]) => {
  const n = Number(Object.entries(NETLINK_PROTOCOLS).find(([, p]) => p === name)?.[0] ?? NaN);
  if (!Number.isInteger(n)) throw new Error(`protocols/loaders.ts: no netlink protocol is named ${name}`);
  return [n, load];
}));

/** The schemas loaded so far: a loader in the bundle is a require(), too slow to call per message. */
const LOADED = new Map<number, Schema>();

export function schemaFor(protocol: number): Schema {
  let schema = LOADED.get(protocol);
  if (schema) return schema;
  const load = LOADERS.get(protocol);
  if (!load) return emptySchema(protocol);
  LOADED.set(protocol, (schema = load()));
  return schema;
}

export function hasDissector(protocol: number): boolean {
  return LOADERS.has(protocol);
}

export function protocolName(protocol: number): string {
  return NETLINK_PROTOCOLS[protocol] ?? String(protocol);
}

/** "route", "NETLINK_ROUTE", "0", "genl" … → number; undefined when unknown. */
export function protocolNumber(spec: string): number | undefined {
  const s = spec.trim().toLowerCase().replace(/^netlink_/, '');
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n < 32 ? n : undefined;
  }
  for (const [n, name] of Object.entries(NETLINK_PROTOCOLS)) if (name === s) return Number(n);
  return PROTOCOL_ALIASES[s];
}

/**
 * Message type by number or by name within a protocol: the C name (RTM_GETLINK) or any tail of it
 * after an underscore (getlink, msg_echo, echo, ct_new), case-insensitive. When several names end
 * the same way, the shortest wins (echo → NLTEST_MSG_ECHO, not NLTEST_MSG_LEGACY_ECHO).
 */
export function messageType(schema: Schema, spec: string): number | undefined {
  const s = spec.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return Number(s);
  const want = s.toUpperCase().replace(/-/g, '_');
  const named: [number, string][] = [
    ...Object.entries(schema.messages).map(([n, def]) => [Number(n), def.name.toUpperCase()] as [number, string]),
    [1, 'NLMSG_NOOP'], [2, 'NLMSG_ERROR'], [3, 'NLMSG_DONE'], [4, 'NLMSG_OVERRUN'],
  ];
  const exact = named.find(([, name]) => name === want);
  if (exact) return exact[0];
  let best: [number, string] | undefined;
  for (const entry of named) {
    if (entry[1].endsWith('_' + want) && (!best || entry[1].length < best[1].length)) best = entry;
  }
  return best?.[0];
}
