// rtnetlink's constants that more than its tables use: the spec families it is composed of, the
// address families of its headers (sock_diag's too) and its multicast groups.

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
