// NETLINK_ROUTE (rtnetlink): links, addresses, routes, neighbours, rules (<linux/rtnetlink.h>).
import { rtmTriple } from '../../define.js';
import type { Schema } from '../../types.js';
import { namesOnly } from '../common.js';
import { addrAttrSets, addrEnums, addrFlagSets, addrStructs } from './addr.js';
import { linkAttrSets, linkEnums, linkFlagSets, linkStructs } from './link.js';
import { neighAttrSets, neighFlagSets, neighStructs } from './neigh.js';
import { netconfAttrSets, netconfEnums, netconfStructs } from './netconf.js';
import { nsidAttrSets, nsidStructs } from './nsid.js';
import { routeAttrSets, routeEnums, routeFlagSets, routeStructs } from './route.js';
import { ruleAttrSets, ruleEnums, ruleFlagSets, ruleStructs } from './rule.js';

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

/** rtnetlink message types with no table yet: named, shown as raw payload. */
const NAMED_ONLY: Record<number, string> = {
  36: 'RTM_NEWQDISC', 37: 'RTM_DELQDISC', 38: 'RTM_GETQDISC',
  40: 'RTM_NEWTCLASS', 41: 'RTM_DELTCLASS', 42: 'RTM_GETTCLASS',
  44: 'RTM_NEWTFILTER', 45: 'RTM_DELTFILTER', 46: 'RTM_GETTFILTER',
  48: 'RTM_NEWACTION', 49: 'RTM_DELACTION', 50: 'RTM_GETACTION',
  52: 'RTM_NEWPREFIX',
  64: 'RTM_NEWNEIGHTBL', 66: 'RTM_GETNEIGHTBL', 67: 'RTM_SETNEIGHTBL',
  68: 'RTM_NEWNDUSEROPT',
  72: 'RTM_NEWADDRLABEL', 73: 'RTM_DELADDRLABEL', 74: 'RTM_GETADDRLABEL',
  78: 'RTM_GETDCB', 79: 'RTM_SETDCB',
  84: 'RTM_NEWMDB', 85: 'RTM_DELMDB', 86: 'RTM_GETMDB',
  92: 'RTM_NEWSTATS', 94: 'RTM_GETSTATS', 95: 'RTM_SETSTATS',
  96: 'RTM_NEWCACHEREPORT',
  100: 'RTM_NEWCHAIN', 101: 'RTM_DELCHAIN', 102: 'RTM_GETCHAIN',
  104: 'RTM_NEWNEXTHOP', 105: 'RTM_DELNEXTHOP', 106: 'RTM_GETNEXTHOP',
  108: 'RTM_NEWLINKPROP', 109: 'RTM_DELLINKPROP', 110: 'RTM_GETLINKPROP',
  112: 'RTM_NEWVLAN', 113: 'RTM_DELVLAN', 114: 'RTM_GETVLAN',
  116: 'RTM_NEWNEXTHOPBUCKET', 117: 'RTM_DELNEXTHOPBUCKET', 118: 'RTM_GETNEXTHOPBUCKET',
  120: 'RTM_NEWTUNNEL', 121: 'RTM_DELTUNNEL', 122: 'RTM_GETTUNNEL',
};

export const routeSchema: Schema = {
  protocol: 0,
  name: 'route',
  messages: {
    ...namesOnly(NAMED_ONLY),
    ...rtmTriple(16, 'LINK', 'ifinfomsg', 'link'),
    19: { name: 'RTM_SETLINK', kind: 'new', header: 'ifinfomsg', attrs: 'link' },
    ...rtmTriple(20, 'ADDR', 'ifaddrmsg', 'addr'),
    ...rtmTriple(24, 'ROUTE', 'rtmsg', 'route'),
    ...rtmTriple(28, 'NEIGH', 'ndmsg', 'neigh'),
    ...rtmTriple(32, 'RULE', 'fib_rule_hdr', 'rule'),
    // Multicast and anycast addresses are listed as ifaddrmsg + IFA_* (IFA_MULTICAST, IFA_ANYCAST).
    58: { name: 'RTM_GETMULTICAST', kind: 'get', header: 'ifaddrmsg', attrs: 'addr' },
    62: { name: 'RTM_GETANYCAST', kind: 'get', header: 'ifaddrmsg', attrs: 'addr' },
    ...rtmTriple(80, 'NETCONF', 'netconfmsg', 'netconf'),
    ...rtmTriple(88, 'NSID', 'rtgenmsg', 'nsid'),
  },
  structs: { ...linkStructs, ...addrStructs, ...routeStructs, ...neighStructs, ...ruleStructs, ...netconfStructs, ...nsidStructs },
  attrSets: { ...linkAttrSets, ...addrAttrSets, ...routeAttrSets, ...neighAttrSets, ...ruleAttrSets, ...netconfAttrSets, ...nsidAttrSets },
  enums: { af: AF, ...linkEnums, ...addrEnums, ...routeEnums, ...ruleEnums, ...netconfEnums },
  flagSets: { ...linkFlagSets, ...addrFlagSets, ...routeFlagSets, ...neighFlagSets, ...ruleFlagSets },
  groups: RTNL_GROUPS,
};
