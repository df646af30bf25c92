// Small helpers shared by the protocol tables.
import { keyOf } from '../define.js';
import type { AttrSet, MessageDef, MessageKind } from '../types.js';

/**
 * Record keys from the set's whole prefix: CTRL_ATTR_FAMILY_ID in a set with prefix CTRL_ATTR_
 * becomes "family_id" (the default rule strips only up to the first underscore: "attr_family_id").
 * Keys already given in the table win.
 */
export function keyed(set: AttrSet): AttrSet {
  const attrs: AttrSet['attrs'] = {};
  for (const [n, def] of Object.entries(set.attrs)) {
    const key = def.key ?? keyOf(def.name, set.prefix);
    const dflt = keyOf(def.name, def.name.slice(0, def.name.indexOf('_') + 1));
    attrs[Number(n)] = key === dflt ? def : { ...def, key };
  }
  return { ...set, attrs };
}

/** Message kind from a C name's verb: NEW/ADD/SET → new, DEL → del, GET/LIST/DUMP → get. Tables call it once per name, when built. */
export function kindOf(name: string): MessageKind {
  const tail = name.split('_').slice(1).join('_');
  return /(^|_)(GET|LIST|DUMP)/.test(tail) ? 'get' : /(^|_)(NEW|ADD|SET|CREATE)/.test(tail) ? 'new' : /(^|_)(DEL|DELETE|REMOVE|DESTROY)/.test(tail) ? 'del' : 'other';
}

/** Messages known by name only: value → name, with no layout beyond a generic walk. */
export function namesOnly(names: Record<number, string>, extra: Partial<MessageDef> = {}): Record<number, MessageDef> {
  const out: Record<number, MessageDef> = {};
  for (const [n, name] of Object.entries(names)) out[Number(n)] = { name, kind: kindOf(name), ...extra };
  return out;
}

/** IP protocol numbers (IPPROTO_* in <netinet/in.h>), lower case as ss and conntrack print them. */
export const IPPROTO: Record<number, string> = {
  0: 'ip', 1: 'icmp', 2: 'igmp', 4: 'ipip', 6: 'tcp', 17: 'udp', 33: 'dccp', 41: 'ipv6', 47: 'gre', 58: 'icmpv6',
  132: 'sctp', 136: 'udplite', 255: 'raw', 262: 'mptcp',
};
