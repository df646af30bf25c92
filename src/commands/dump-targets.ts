// The dump shortcuts as data: which protocol and request type, which family header, which
// columns people want to see. Adding a shortcut is adding an entry here.
import { CTRL_CMD_GETFAMILY, GENL_ID_CTRL, NETLINK_GENERIC } from '../codec/index.js';
import type { Column } from '../format/index.js';
import { genlHeader } from '../transport/index.js';

export interface DumpTarget {
  protocol: number;
  type: number;
  /** The fixed family header of the request, given the address family to ask for. */
  header: (family: number) => Uint8Array;
  columns: Column[];
  /** The request's name, for errors and notes (RTM_GETLINK, CTRL_CMD_GETFAMILY). */
  label: string;
  /** The message type of the records (RTM_NEWLINK for RTM_GETLINK): their plans are made while the first replies come. */
  reply?: number;
}

function familyHeader(size: number) {
  return (family: number) => {
    const h = new Uint8Array(size);
    h[0] = family;
    return h;
  };
}

const cols = (...keys: string[]): Column[] => keys.map((k) => ({ key: k, title: k }));
/** A column dropped on a narrow terminal; higher ranks go first. */
const optional = (key: string, drop: number, more: Partial<Column> = {}): Column => ({ key, title: key, drop, ...more });

/** genl ops: by name where nlctl knows it, else by number; just how many when none is known. */
function opsCell(v: unknown): string {
  if (!Array.isArray(v)) return '';
  const ops = v.map((op) => (op && typeof op === 'object' ? (op as { name?: string; id?: number }) : {}));
  return ops.some((op) => op.name) ? ops.map((op) => op.name ?? String(op.id)).join(',') : `${v.length} ops`;
}

export const DUMP_TARGETS: Record<string, DumpTarget> = {
  link: {
    protocol: 0, type: 18, reply: 16, label: 'RTM_GETLINK', header: familyHeader(16),
    columns: [...cols('ifindex', 'ifname', 'flags', 'mtu', 'operstate'), optional('address', 1)],
  },
  addr: {
    protocol: 0, type: 22, reply: 20, label: 'RTM_GETADDR', header: familyHeader(8),
    columns: [...cols('dev', 'family', 'address', 'prefixlen', 'scope'), optional('flags', 1), optional('label', 2)],
  },
  route: {
    protocol: 0, type: 26, reply: 24, label: 'RTM_GETROUTE', header: familyHeader(12),
    columns: [
      ...cols('dst', 'gateway', 'dev'), optional('table', 3), optional('protocol', 4), optional('scope', 2),
      optional('type', 5), optional('metric', 1), optional('family', 6),
    ],
  },
  neigh: {
    protocol: 0, type: 30, reply: 28, label: 'RTM_GETNEIGH', header: familyHeader(12),
    columns: [...cols('dev', 'family', 'dst', 'lladdr', 'state'), optional('flags', 1)],
  },
  rule: {
    protocol: 0, type: 34, reply: 32, label: 'RTM_GETRULE', header: familyHeader(12),
    columns: [...cols('priority', 'src', 'dst', 'table', 'action'), optional('family', 2), optional('fwmark', 1)],
  },
  family: {
    protocol: NETLINK_GENERIC, type: GENL_ID_CTRL, label: 'CTRL_CMD_GETFAMILY', header: () => genlHeader(CTRL_CMD_GETFAMILY),
    columns: [
      ...cols('family_id', 'family_name'), optional('version', 2), optional('maxattr', 1),
      { key: 'ops', title: 'ops', show: opsCell, overflow: 'truncate', min: 12 },
      {
        key: 'mcast_groups', title: 'mcast_groups',
        show: (v) => (Array.isArray(v) ? v.map((g) => (g && typeof g === 'object' && !Array.isArray(g) ? `${g.name}:${g.id}` : String(g))).join(', ') : ''),
      },
    ],
  },
};
