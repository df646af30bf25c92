// Dissectors registered by netlink protocol number; anything else gets a raw fallback.
import { NETLINK_PROTOCOLS, PROTOCOL_ALIASES } from '../codec/index.js';
import { emptySchema } from './decode.js';
import { routeSchema } from './protocols/route/index.js';
import type { Schema } from './types.js';

const SCHEMAS = new Map<number, Schema>([[0, routeSchema]]);

export function schemaFor(protocol: number): Schema {
  return SCHEMAS.get(protocol) ?? emptySchema(protocol);
}

export function hasDissector(protocol: number): boolean {
  return SCHEMAS.has(protocol);
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

/** Message type by number or by name (RTM_GETLINK, getlink) within a protocol. */
export function messageType(schema: Schema, spec: string): number | undefined {
  const s = spec.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return Number(s);
  const want = s.toUpperCase();
  for (const [n, def] of Object.entries(schema.messages)) {
    const name = def.name.toUpperCase();
    if (name === want || name.replace(/^[A-Z0-9]+_/, '') === want) return Number(n);
  }
  for (const [n, name] of Object.entries({ 1: 'NLMSG_NOOP', 2: 'NLMSG_ERROR', 3: 'NLMSG_DONE', 4: 'NLMSG_OVERRUN' })) {
    if (name === want || name.slice(6) === want) return Number(n);
  }
  return undefined;
}
