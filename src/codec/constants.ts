// Constants from <linux/netlink.h>; test/unit/uapi.test.ts checks them against the installed header.

/** Netlink protocol numbers (socket(AF_NETLINK, SOCK_RAW, protocol)), route 0 … test 25. */
export const NETLINK_PROTOCOLS: Record<number, string> = {
  0: 'route',
  1: 'unused',
  2: 'usersock',
  3: 'firewall',
  4: 'sock_diag',
  5: 'nflog',
  6: 'xfrm',
  7: 'selinux',
  8: 'iscsi',
  9: 'audit',
  10: 'fib_lookup',
  11: 'connector',
  12: 'netfilter',
  13: 'ip6_fw',
  14: 'dnrtmsg',
  15: 'uevent',
  16: 'generic',
  18: 'scsitransport',
  19: 'ecryptfs',
  20: 'rdma',
  21: 'crypto',
  22: 'smc',
  25: 'test',
};

/** Other names people type for the same protocols. */
export const PROTOCOL_ALIASES: Record<string, number> = {
  rtnetlink: 0,
  inet_diag: 4,
  diag: 4,
  nf: 12,
  kobject_uevent: 15,
  genl: 16,
  genetlink: 16,
  // The names ss -A netlink prints (iproute2's nl_proto table).
  rtnl: 0,
  fw: 3,
  tcpdiag: 4,
  fiblookup: 10,
  nft: 12,
  ip6fw: 13,
  'dec-rt': 14,
  'scsi-trans': 18,
};

/** Address families a request names (<linux/socket.h>). */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

export const NETLINK_ROUTE = 0;
export const NETLINK_USERSOCK = 2;
export const NETLINK_SOCK_DIAG = 4;
export const NETLINK_GENERIC = 16;
/** The protocol of the kernel test module in kmod/ (netlink_test.h, not a uapi header). */
export const NETLINK_TEST = 25;

/** <linux/sock_diag.h>: the one request type of NETLINK_SOCK_DIAG. */
export const SOCK_DIAG_BY_FAMILY = 20;
/** <linux/sock_diag.h> and <linux/netlink_diag.h>: what a netlink socket's drop count is read from. */
export const SK_MEMINFO_DROPS = 8;
export const NDIAG_SHOW_MEMINFO = 0x1;
export const NETLINK_DIAG_MEMINFO = 0;

/** <linux/genetlink.h>: the controller's fixed family id, and what a family lookup names. */
export const GENL_ID_CTRL = 0x10;
export const GENL_HDRLEN = 4;
export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;
export const CTRL_ATTR_MCAST_GROUPS = 7;
export const CTRL_ATTR_MCAST_GRP_NAME = 1;
export const CTRL_ATTR_MCAST_GRP_ID = 2;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;
export const NLMSG_MIN_TYPE = 0x10;

export const CONTROL_TYPES: Record<number, string> = {
  [NLMSG_NOOP]: 'NLMSG_NOOP',
  [NLMSG_ERROR]: 'NLMSG_ERROR',
  [NLMSG_DONE]: 'NLMSG_DONE',
  [NLMSG_OVERRUN]: 'NLMSG_OVERRUN',
};

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;
// Modifiers to GET requests
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_ATOMIC = 0x400;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
// Modifiers to NEW requests
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
// Modifiers to DELETE requests
export const NLM_F_NONREC = 0x100;
export const NLM_F_BULK = 0x200;
// Flags for ACK messages
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_COOKIE = 3;
export const NLMSGERR_ATTR_POLICY = 4;
export const NLMSGERR_ATTR_MISS_TYPE = 5;
export const NLMSGERR_ATTR_MISS_NEST = 6;

// Socket options at SOL_NETLINK.
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_PKTINFO = 3;
export const NETLINK_BROADCAST_ERROR = 4;
export const NETLINK_NO_ENOBUFS = 5;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const NETLINK_LIST_MEMBERSHIPS = 9;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;
