// `--group all`: every multicast group of a protocol. For rtnetlink it is the set `ip monitor
// all` joins (read from its socket with `nlctl sockets` while it ran under iproute2 6.1):
// link, neigh, addresses, routes, multicast routes, rules, prefixes, netconf, nsid, nexthop, stats.
export const IP_MONITOR_ALL = [
  'link', 'neigh', 'ipv4-ifaddr', 'ipv4-mroute', 'ipv4-route', 'ipv4-rule', 'ipv6-ifaddr', 'ipv6-mroute',
  'ipv6-route', 'ipv6-prefix', 'ipv6-rule', 'ipv4-netconf', 'ipv6-netconf', 'mpls-route', 'nsid', 'mpls-netconf',
  'nexthop', 'stats',
];

/** The group names of a protocol table, `all` first. */
export function groupNames(groups: Record<string, number> | undefined): string[] {
  return groups && Object.keys(groups).length ? ['all', ...Object.keys(groups)] : [];
}

/** The group numbers `all` stands for, given the protocol and its table. */
export function allGroups(protocol: number, groups: Record<string, number> | undefined): number[] {
  if (!groups) return [];
  if (protocol === 0) return IP_MONITOR_ALL.map((n) => groups[n]).filter((g): g is number => g !== undefined);
  return [...new Set(Object.values(groups))];
}
