// RTM_*ROUTE: struct rtmsg + RTA_* attributes (<linux/rtnetlink.h>, <linux/lwtunnel.h>, <linux/icmpv6.h>).
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const routeStructs: Record<string, StructDef> = {
  rtmsg: {
    name: 'rtmsg',
    fields: [
      { name: 'rtm_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'rtm_dst_len', type: 'u8', key: 'dst_len' },
      { name: 'rtm_src_len', type: 'u8', key: 'src_len' },
      { name: 'rtm_tos', type: 'u8', key: 'tos' },
      // Tables above 255 only fit in RTA_TABLE, which then overrides this in records.
      { name: 'rtm_table', type: 'u8', enum: 'rt-table', key: 'table' },
      { name: 'rtm_protocol', type: 'u8', enum: 'rtprot', key: 'protocol' },
      { name: 'rtm_scope', type: 'u8', enum: 'rt-scope', key: 'scope' },
      { name: 'rtm_type', type: 'u8', enum: 'rtn', key: 'type' },
      { name: 'rtm_flags', type: 'u32', flags: 'rtm-flags', key: 'flags' },
    ],
  },
  rta_cacheinfo: {
    name: 'rta_cacheinfo',
    fields: [
      { name: 'rta_clntref', type: 'u32' },
      { name: 'rta_lastuse', type: 'u32' },
      { name: 'rta_expires', type: 's32' },
      { name: 'rta_error', type: 'u32' },
      { name: 'rta_used', type: 'u32' },
      { name: 'rta_id', type: 'u32' },
      { name: 'rta_ts', type: 'u32' },
      { name: 'rta_tsage', type: 'u32' },
    ],
  },
  rtnexthop: {
    name: 'rtnexthop',
    fields: [
      { name: 'rtnh_len', type: 'u16' },
      { name: 'rtnh_flags', type: 'u8', flags: 'rtnh-flags' },
      { name: 'rtnh_hops', type: 'u8' },
      { name: 'rtnh_ifindex', type: 's32' },
    ],
  },
  rtvia: {
    name: 'rtvia',
    fields: [
      { name: 'rtvia_family', type: 'u16', enum: 'af' },
      { name: 'rtvia_addr', type: 'binary', display: 'addr' },
    ],
  },
  rta_mfc_stats: {
    name: 'rta_mfc_stats',
    fields: [
      { name: 'mfcs_packets', type: 'u64' },
      { name: 'mfcs_bytes', type: 'u64' },
      { name: 'mfcs_wrong_if', type: 'u64' },
    ],
  },
};

export const routeAttrSets: Record<string, AttrSet> = {
  route: attrSet('RTA_', 0, [
    null,
    ['RTA_DST', 'binary', { display: 'addr' }],
    ['RTA_SRC', 'binary', { display: 'addr' }],
    ['RTA_IIF', 'u32'],
    ['RTA_OIF', 'u32'],
    ['RTA_GATEWAY', 'binary', { display: 'addr' }],
    ['RTA_PRIORITY', 'u32'],
    ['RTA_PREFSRC', 'binary', { display: 'addr' }],
    ['RTA_METRICS', 'nest', { nested: 'metrics' }],
    ['RTA_MULTIPATH', 'struct-list', { struct: 'rtnexthop', lengthField: 'rtnh_len', nested: 'route' }],
    ['RTA_PROTOINFO', 'binary'],
    ['RTA_FLOW', 'u32'],
    ['RTA_CACHEINFO', 'struct', { struct: 'rta_cacheinfo' }],
    ['RTA_SESSION', 'binary'],
    ['RTA_MP_ALGO', 'u32'],
    ['RTA_TABLE', 'u32', { enum: 'rt-table' }],
    ['RTA_MARK', 'u32', { display: 'hex' }],
    ['RTA_MFC_STATS', 'struct', { struct: 'rta_mfc_stats' }],
    ['RTA_VIA', 'struct', { struct: 'rtvia' }],
    ['RTA_NEWDST', 'binary'],
    ['RTA_PREF', 'u8', { enum: 'rt-pref' }],
    ['RTA_ENCAP_TYPE', 'u16', { enum: 'lwtunnel-encap' }],
    // Its set depends on RTA_ENCAP_TYPE (a number, which `switch` cannot key on yet): walked generically.
    ['RTA_ENCAP', 'nest'],
    ['RTA_EXPIRES', 'u64'],
    ['RTA_PAD', 'binary'],
    ['RTA_UID', 'u32'],
    ['RTA_TTL_PROPAGATE', 'u8'],
    ['RTA_IP_PROTO', 'u8'],
    ['RTA_SPORT', 'u16', { be: true }],
    ['RTA_DPORT', 'u16', { be: true }],
    ['RTA_NH_ID', 'u32'],
  ]),
  metrics: attrSet('RTAX_', 0, [
    null,
    // Bit n set: metric n is locked.
    ['RTAX_LOCK', 'u32', { display: 'hex' }],
    ['RTAX_MTU', 'u32'],
    ['RTAX_WINDOW', 'u32'],
    ['RTAX_RTT', 'u32'],
    ['RTAX_RTTVAR', 'u32'],
    ['RTAX_SSTHRESH', 'u32'],
    ['RTAX_CWND', 'u32'],
    ['RTAX_ADVMSS', 'u32'],
    ['RTAX_REORDERING', 'u32'],
    ['RTAX_HOPLIMIT', 'u32'],
    ['RTAX_INITCWND', 'u32'],
    ['RTAX_FEATURES', 'u32', { flags: 'rtax-features' }],
    ['RTAX_RTO_MIN', 'u32'],
    ['RTAX_INITRWND', 'u32'],
    ['RTAX_QUICKACK', 'u32'],
    ['RTAX_CC_ALGO', 'string'],
    ['RTAX_FASTOPEN_NO_COOKIE', 'u32'],
  ]),
};

// Display names are the ones `ip -j route` prints (/etc/iproute2/rt_*).
export const routeEnums: Record<string, Record<number, string>> = {
  'rt-table': { 0: 'unspec', 252: 'compat', 253: 'default', 254: 'main', 255: 'local' },
  'rt-scope': { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' },
  rtprot: {
    0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
    12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 17: 'mrouted', 18: 'keepalived', 42: 'babel',
    99: 'openr', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
  },
  rtn: enumSeq(0, [
    'unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit',
    'throw', 'nat', 'xresolve',
  ]),
  'rt-pref': { 0: 'medium', 1: 'high', 2: 'invalid', 3: 'low' },
  'lwtunnel-encap': enumSeq(0, ['none', 'mpls', 'ip', 'ila', 'ip6', 'seg6', 'bpf', 'seg6local', 'rpl', 'ioam6', 'xfrm']),
};

export const routeFlagSets: Record<string, Record<number, string>> = {
  // rtm_flags carries the RTNH_F_* nexthop bits too; names as `ip route` prints them.
  'rtm-flags': {
    ...flagBits(['dead', 'pervasive', 'onlink', 'offload', 'linkdown', 'unresolved', 'trap']),
    0x100: 'notify', 0x200: 'cloned', 0x400: 'equalize', 0x800: 'prefix', 0x1000: 'lookup_table', 0x2000: 'fib_match',
    0x4000: 'rt_offload', 0x8000: 'rt_trap', 0x20000000: 'rt_offload_failed',
  },
  'rtnh-flags': flagBits(['dead', 'pervasive', 'onlink', 'offload', 'linkdown', 'unresolved', 'trap']),
  'rtax-features': flagBits(['ecn', 'sack', 'timestamp', 'allfrag']),
};
