// The rtnetlink tables composed from the kernel's rt-link, rt-addr, rt-route, rt-neigh, rt-rule
// and tc specs with the hand tables. Run only when the build-time table cache cannot serve
// (src/schema/protocols/table-cache.ts): a --spec or search-path spec for one of the families, or
// no cache at all. Loaded through ./loaders.ts, so that a start-up with the cache never loads it.
import { rtmTriple } from '../../define.js';
import type { Schema } from '../../types.js';
import { specFamily } from '../../ynl/index.js';
import { namesOnly } from '../common.js';
import { composeSchema, type SpecTables } from '../compose.js';
import { actionAttrSets, actionMessages, actionStructs } from './action.js';
import { addrAttrs, addrEnums, addrFields, addrFlagSets } from './addr.js';
import { AF, ROUTE_SPECS } from './constants.js';
import { linkAttrs, linkAttrSets, linkEnums, linkFields, linkFlagSets, linkStructs, linkSubMessages } from './link.js';
import { neighAttrs, neighAttrSets, neighFields, neighFlagSets, neighStructs } from './neigh.js';
import { netconfAttrSets, netconfEnums, netconfStructs } from './netconf.js';
import { nsidAttrSets, nsidStructs } from './nsid.js';
import { routeAttrs, routeEnums, routeFields, routeFlagSets, routeStructs } from './route.js';
import { ruleAttrs, ruleEnums, ruleFields, ruleFlagSets } from './rule.js';

/** rtnetlink message types no spec describes: named, shown as raw payload. */
const NAMED_ONLY: Record<number, string> = {
  52: 'RTM_NEWPREFIX',
  68: 'RTM_NEWNDUSEROPT',
  72: 'RTM_NEWADDRLABEL', 73: 'RTM_DELADDRLABEL', 74: 'RTM_GETADDRLABEL',
  78: 'RTM_GETDCB', 79: 'RTM_SETDCB',
  84: 'RTM_NEWMDB', 85: 'RTM_DELMDB', 86: 'RTM_GETMDB',
  92: 'RTM_NEWSTATS', 95: 'RTM_SETSTATS',
  96: 'RTM_NEWCACHEREPORT',
  104: 'RTM_NEWNEXTHOP', 105: 'RTM_DELNEXTHOP', 106: 'RTM_GETNEXTHOP',
  108: 'RTM_NEWLINKPROP', 109: 'RTM_DELLINKPROP', 110: 'RTM_GETLINKPROP',
  112: 'RTM_NEWVLAN', 113: 'RTM_DELVLAN', 114: 'RTM_GETVLAN',
  116: 'RTM_NEWNEXTHOPBUCKET', 117: 'RTM_DELNEXTHOPBUCKET', 118: 'RTM_GETNEXTHOPBUCKET',
  120: 'RTM_NEWTUNNEL', 121: 'RTM_DELTUNNEL', 122: 'RTM_GETTUNNEL',
};

function specTables(names: string[]): SpecTables[] {
  return names.map((n) => {
    const fam = specFamily(n);
    if (!fam) throw new Error(`no spec for the ${n} family: the built-in tables are missing (make specs)`);
    return fam;
  });
}

/** The rtnetlink tables, composed from the specs and the hand tables. */
export function composeRouteTables(): Schema {
  return composeSchema(0, 'route', specTables(ROUTE_SPECS), {
    cNameKeys: true,
    attrs: {
      ...linkAttrs, ...addrAttrs, ...routeAttrs, ...neighAttrs, ...ruleAttrs,
      // hfsc-attrs has no name-prefix in the spec: the header's names.
      TC_A_HFSC_ATTRS_RSC: { name: 'TCA_HFSC_RSC' }, TC_A_HFSC_ATTRS_FSC: { name: 'TCA_HFSC_FSC' }, TC_A_HFSC_ATTRS_USC: { name: 'TCA_HFSC_USC' },
    },
    fields: { ...linkFields, ...addrFields, ...routeFields, ...neighFields, ...ruleFields },
    structs: { ...actionStructs, ...linkStructs, ...routeStructs, ...neighStructs, ...netconfStructs, ...nsidStructs },
    attrSets: { ...actionAttrSets, ...linkAttrSets, ...neighAttrSets, ...netconfAttrSets, ...nsidAttrSets },
    enums: { af: AF, ...linkEnums, ...addrEnums, ...routeEnums, ...ruleEnums, ...netconfEnums },
    flagSets: { ...linkFlagSets, ...addrFlagSets, ...routeFlagSets, ...neighFlagSets, ...ruleFlagSets },
    subMessages: linkSubMessages,
    messageNames: { 64: 'RTM_NEWNEIGHTBL', 92: 'RTM_NEWSTATS' },
    messages: {
      ...namesOnly(NAMED_ONLY),
      ...actionMessages,
      // Anycast addresses are listed as ifaddrmsg + IFA_* (IFA_ANYCAST).
      62: { name: 'RTM_GETANYCAST', kind: 'get', header: 'ifaddrmsg', attrs: 'addr-attrs' },
      ...rtmTriple(80, 'NETCONF', 'netconfmsg', 'netconf'),
      ...rtmTriple(88, 'NSID', 'rtgenmsg', 'nsid'),
    },
  });
}
