// RTM_*ROUTE beyond the rt-route spec (<linux/rtnetlink.h>, <linux/lwtunnel.h>, <linux/icmpv6.h>):
// the structs it leaves as bytes or cuts short, and record values as `ip -j route` shows them.
import { enumSeq, flagBits } from '../../define.js';
import type { AttrDef, FieldDef, StructDef } from '../../types.js';

export const routeStructs: Record<string, StructDef> = {
  // The spec's rta_cacheinfo stops after rta_used; the C struct goes on.
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

export const routeFields: Record<string, Record<string, Partial<FieldDef>>> = {
  rtmsg: {
    rtm_family: { enum: 'af', key: 'family' },
    rtm_dst_len: { key: 'dst_len' },
    rtm_src_len: { key: 'src_len' },
    rtm_tos: { key: 'tos' },
    // Tables above 255 only fit in RTA_TABLE, which then overrides this in records.
    rtm_table: { enum: 'rt-table', key: 'table' },
    rtm_protocol: { enum: 'rtprot', key: 'protocol' },
    rtm_scope: { enum: 'rt-scope', key: 'scope' },
    rtm_type: { enum: 'rtn', key: 'type' },
    rtm_flags: { flags: 'rtm-flags', key: 'flags' },
  },
};

/** Where the kernel's layout is more than the spec says (checked against the uapi headers), and ip's names. */
export const routeAttrs: Record<string, Partial<AttrDef>> = {
  RTA_MULTIPATH: { type: 'struct-list', struct: 'rtnexthop', lengthField: 'rtnh_len', nested: 'route-attrs' },
  RTA_MP_ALGO: { type: 'u32' },
  RTA_TABLE: { enum: 'rt-table' },
  RTA_MARK: { display: 'hex' },
  RTA_MFC_STATS: { type: 'struct', struct: 'rta_mfc_stats' },
  RTA_VIA: { type: 'struct', struct: 'rtvia' },
  RTA_PREF: { enum: 'rt-pref' },
  RTA_ENCAP_TYPE: { enum: 'lwtunnel-encap' },
  // Its set depends on RTA_ENCAP_TYPE: walked generically.
  RTA_ENCAP: { type: 'nest' },
  // nla_put_u64_64bit in the kernel.
  RTA_EXPIRES: { type: 'u64' },
  RTA_SPORT: { be: true },
  RTA_DPORT: { be: true },
  // Bit n set: metric n is locked.
  RTAX_LOCK: { display: 'hex' },
  RTAX_FEATURES: { flags: 'rtax-features' },
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
