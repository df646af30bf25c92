// The dump shortcuts as data: which protocol and request type, which family header, which
// columns people want to see. Adding a shortcut is adding an entry here.
import type { Column } from '../format/index.js';

export interface DumpTarget {
  protocol: number;
  type: number;
  /** The fixed family header of the request, given the address family to ask for. */
  header: (family: number) => Uint8Array;
  columns: Column[];
  /** Generic netlink: the request goes to the nlctrl family with this genlmsghdr command. */
  label: string;
}

function familyHeader(size: number) {
  return (family: number) => {
    const h = new Uint8Array(size);
    h[0] = family;
    return h;
  };
}

const cols = (...keys: string[]): Column[] => keys.map((k) => ({ key: k, title: k }));

export const DUMP_TARGETS: Record<string, DumpTarget> = {
  link: {
    protocol: 0, type: 18, label: 'RTM_GETLINK', header: familyHeader(16),
    columns: cols('ifindex', 'ifname', 'flags', 'mtu', 'operstate', 'address'),
  },
  addr: {
    protocol: 0, type: 22, label: 'RTM_GETADDR', header: familyHeader(8),
    columns: cols('ifindex', 'label', 'family', 'address', 'prefixlen', 'scope', 'flags'),
  },
  route: {
    protocol: 0, type: 26, label: 'RTM_GETROUTE', header: familyHeader(12),
    columns: [
      ...cols('family'),
      // A route without RTA_DST is the default route, as `ip route` says.
      { key: 'dst', title: 'dst', show: (v) => (v === undefined ? 'default' : String(v)) },
      ...cols('dst_len', 'gateway', 'oif', 'table', 'protocol', 'scope', 'type', 'priority'),
    ],
  },
  neigh: {
    protocol: 0, type: 30, label: 'RTM_GETNEIGH', header: familyHeader(12),
    columns: cols('ifindex', 'family', 'dst', 'lladdr', 'state', 'flags'),
  },
  rule: {
    protocol: 0, type: 34, label: 'RTM_GETRULE', header: familyHeader(12),
    columns: cols('family', 'priority', 'src', 'dst', 'table', 'action', 'fwmark'),
  },
  family: {
    // CTRL_CMD_GETFAMILY (3), version 1, to GENL_ID_CTRL (0x10) on NETLINK_GENERIC.
    protocol: 16, type: 0x10, label: 'CTRL_CMD_GETFAMILY', header: () => new Uint8Array([3, 1, 0, 0]),
    columns: [
      ...cols('family_id', 'family_name', 'version', 'maxattr'),
      { key: 'ops', title: 'ops', show: (v) => (Array.isArray(v) ? String(v.length) : '') },
      {
        key: 'mcast_groups', title: 'mcast_groups',
        show: (v) => (Array.isArray(v) ? v.map((g) => (g && typeof g === 'object' && !Array.isArray(g) ? `${g.name}:${g.id}` : String(g))).join(', ') : ''),
      },
    ],
  },
};
