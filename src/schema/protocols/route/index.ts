// NETLINK_ROUTE (rtnetlink): links, addresses, routes, neighbours, rules, tc — from the kernel's
// rt-link, rt-addr, rt-route, rt-neigh, rt-rule and tc specs, with hand tables for what no spec
// covers (netconf, nsid, some link kinds) and for record values shown the way `ip -j` shows them.
import { rtmTriple } from '../../define.js';
import type { Schema } from '../../types.js';
import { specFamily } from '../../ynl/index.js';
import { namesOnly } from '../common.js';
import { composeSchema, type SpecTables } from '../compose.js';
import { lazySchema } from '../lazy.js';
import { actionAttrSets, actionMessages, actionStructs } from './action.js';
import { addrAttrs, addrEnums, addrFields, addrFlagSets } from './addr.js';
import { linkAttrs, linkAttrSets, linkEnums, linkFields, linkFlagSets, linkStructs, linkSubMessages } from './link.js';
import { neighAttrs, neighAttrSets, neighFields, neighFlagSets, neighStructs } from './neigh.js';
import { netconfAttrSets, netconfEnums, netconfStructs } from './netconf.js';
import { nsidAttrSets, nsidStructs } from './nsid.js';
import { routeAttrs, routeEnums, routeFields, routeFlagSets, routeStructs } from './route.js';
import { ruleAttrs, ruleEnums, ruleFields, ruleFlagSets } from './rule.js';

/** The spec families of rtnetlink, in the order their names are claimed. */
export const ROUTE_SPECS = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc'];

/** Address families (<bits/socket.h>), shared by every rtnetlink family header. */
export const AF: Record<number, string> = {
  0: 'AF_UNSPEC', 1: 'AF_UNIX', 2: 'AF_INET', 3: 'AF_AX25', 4: 'AF_IPX', 5: 'AF_APPLETALK', 7: 'AF_BRIDGE',
  10: 'AF_INET6', 16: 'AF_NETLINK', 17: 'AF_PACKET', 28: 'AF_MPLS', 29: 'AF_CAN', 128: 'RTNL_FAMILY_IPMR', 129: 'RTNL_FAMILY_IP6MR',
};

/** rtnetlink multicast groups (RTNLGRP_*) by the names `ip monitor` users know. */
export const RTNL_GROUPS: Record<string, number> = {
  link: 1, notify: 2, neigh: 3, tc: 4, 'ipv4-ifaddr': 5, 'ipv4-mroute': 6, 'ipv4-route': 7, 'ipv4-rule': 8,
  'ipv6-ifaddr': 9, 'ipv6-mroute': 10, 'ipv6-route': 11, 'ipv6-ifinfo': 12, 'ipv6-prefix': 18, 'ipv6-rule': 19,
  'nd-useropt': 20, 'phonet-ifaddr': 21, 'phonet-route': 22, dcb: 23, 'ipv4-netconf': 24, 'ipv6-netconf': 25,
  mdb: 26, 'mpls-route': 27, nsid: 28, 'mpls-netconf': 29, 'ipv4-mroute-r': 30, 'ipv6-mroute-r': 31, nexthop: 32,
  brvlan: 33, mctp_ifaddr: 34, tunnel: 35, stats: 36,
};

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

function build(): Schema {
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

/** NLMSG_ALIGN(sizeof(struct rtgenmsg)): the most a dump request's short family header takes. */
const RTGENMSG_SPACE = 4;

export const routeSchema: Schema = lazySchema(0, 'route', build, { groups: RTNL_GROUPS, shortHeader: { struct: 'rtgenmsg', space: RTGENMSG_SPACE } }, ROUTE_SPECS);
