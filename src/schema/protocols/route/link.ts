// RTM_*LINK beyond the rt-link spec (<linux/if_link.h>, <linux/if.h>, <linux/if_arp.h>): record
// keys and values the way `ip -j link` shows them, and IFLA_INFO_DATA of kinds the spec lacks.
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrDef, AttrSet, FieldDef, StructDef, SubMessageFormat } from '../../types.js';
import { withSpecNames } from '../compose.js';

export const linkFields: Record<string, Record<string, Partial<FieldDef>>> = {
  ifinfomsg: {
    ifi_family: { enum: 'af', key: 'family' },
    ifi_type: { enum: 'arphrd', key: 'link_type' },
    ifi_index: { key: 'ifindex' },
    ifi_flags: { flags: 'iff', key: 'flags' },
    ifi_change: { flags: 'iff', display: 'hex', key: 'change' },
  },
};

export const linkStructs: Record<string, StructDef> = {
  // The spec leaves out the 4 bytes of tail padding that the u64 members give the C struct.
  rtnl_link_ifmap: {
    name: 'rtnl_link_ifmap',
    fields: [
      { name: 'mem_start', type: 'u64', display: 'hex' },
      { name: 'mem_end', type: 'u64', display: 'hex' },
      { name: 'base_addr', type: 'u64', display: 'hex' },
      { name: 'irq', type: 'u16' },
      { name: 'dma', type: 'u8' },
      { name: 'port', type: 'u8' },
      { name: 'pad', type: 'binary', size: 4 },
    ],
  },
};

export const linkAttrs: Record<string, Partial<AttrDef>> = {
  IFLA_OPERSTATE: { enum: 'operstate' },
  IFLA_LINKMODE: { enum: 'linkmode' },
  // A nest of IFLA_PROTO_DOWN_REASON_MASK/VALUE, which the spec calls a string.
  IFLA_PROTO_DOWN_REASON: { type: 'binary' },
  IFLA_INET6_FLAGS: { display: 'hex' },
  IFLA_INET6_TOKEN: { display: 'ipv6' },
  IFLA_INET6_ADDR_GEN_MODE: { enum: 'in6-addr-gen-mode' },
  IFLA_XDP_FLAGS: { display: 'hex' },
};

/** IFLA_INFO_DATA of link kinds the spec has no format for. */
export const linkAttrSets: Record<string, AttrSet> = {
  'linkinfo-veth': withSpecNames(attrSet('VETH_INFO_', 0, [null, ['VETH_INFO_PEER', 'binary']])),
  'linkinfo-vxlan': withSpecNames(attrSet('IFLA_VXLAN_', 0, [
    null,
    ['IFLA_VXLAN_ID', 'u32'],
    ['IFLA_VXLAN_GROUP', 'binary', { display: 'ipv4' }],
    ['IFLA_VXLAN_LINK', 'u32'],
    ['IFLA_VXLAN_LOCAL', 'binary', { display: 'ipv4' }],
    ['IFLA_VXLAN_TTL', 'u8'],
    ['IFLA_VXLAN_TOS', 'u8'],
    ['IFLA_VXLAN_LEARNING', 'u8'],
    ['IFLA_VXLAN_AGEING', 'u32'],
    ['IFLA_VXLAN_LIMIT', 'u32'],
    ['IFLA_VXLAN_PORT_RANGE', 'binary'],
    ['IFLA_VXLAN_PROXY', 'u8'],
    ['IFLA_VXLAN_RSC', 'u8'],
    ['IFLA_VXLAN_L2MISS', 'u8'],
    ['IFLA_VXLAN_L3MISS', 'u8'],
    ['IFLA_VXLAN_PORT', 'u16', { be: true }],
    ['IFLA_VXLAN_GROUP6', 'binary', { display: 'ipv6' }],
    ['IFLA_VXLAN_LOCAL6', 'binary', { display: 'ipv6' }],
    ['IFLA_VXLAN_UDP_CSUM', 'u8'],
    ['IFLA_VXLAN_UDP_ZERO_CSUM6_TX', 'u8'],
    ['IFLA_VXLAN_UDP_ZERO_CSUM6_RX', 'u8'],
    ['IFLA_VXLAN_REMCSUM_TX', 'u8'],
    ['IFLA_VXLAN_REMCSUM_RX', 'u8'],
    ['IFLA_VXLAN_GBP', 'flag'],
    ['IFLA_VXLAN_REMCSUM_NOPARTIAL', 'flag'],
    ['IFLA_VXLAN_COLLECT_METADATA', 'u8'],
    ['IFLA_VXLAN_LABEL', 'u32', { be: true }],
    ['IFLA_VXLAN_GPE', 'flag'],
    // The kernel's policy says flag, but vxlan_fill_info() puts a u8 (0 or 1).
    ['IFLA_VXLAN_TTL_INHERIT', 'u8'],
    ['IFLA_VXLAN_DF', 'u8'],
    ['IFLA_VXLAN_VNIFILTER', 'u8'],
    ['IFLA_VXLAN_LOCALBYPASS', 'u8'],
    ['IFLA_VXLAN_LABEL_POLICY', 'u32'],
    ['IFLA_VXLAN_RESERVED_BITS', 'binary'],
    ['IFLA_VXLAN_MC_ROUTE', 'u8'],
  ])),
  'linkinfo-macvlan': withSpecNames(attrSet('IFLA_MACVLAN_', 0, [
    null,
    ['IFLA_MACVLAN_MODE', 'u32', { enum: 'macvlan-mode' }],
    ['IFLA_MACVLAN_FLAGS', 'u16'],
  ])),
};

export const linkSubMessages: Record<string, Record<string, SubMessageFormat>> = {
  'linkinfo-data-msg': { veth: { attrs: 'linkinfo-veth' }, vxlan: { attrs: 'linkinfo-vxlan' }, macvlan: { attrs: 'linkinfo-macvlan' } },
};

export const linkEnums: Record<string, Record<number, string>> = {
  // RFC 2863 operational states, as `ip link` prints them.
  operstate: enumSeq(0, ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP']),
  linkmode: enumSeq(0, ['DEFAULT', 'DORMANT', 'TESTING']),
  'in6-addr-gen-mode': enumSeq(0, ['eui64', 'none', 'stable_privacy', 'random']),
  'macvlan-mode': { 1: 'private', 2: 'vepa', 4: 'bridge', 8: 'passthru', 16: 'source' },
  arphrd: {
    0: 'netrom', 1: 'ether', 2: 'eether', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet',
    8: 'appletlk', 15: 'dlci', 19: 'atm', 23: 'metricom', 24: 'ieee1394', 27: 'eui64', 32: 'infiniband',
    256: 'slip', 257: 'cslip', 258: 'slip6', 259: 'cslip6', 260: 'rsrvd', 264: 'adapt', 270: 'rose', 271: 'x25',
    272: 'hwx25', 280: 'can', 290: 'mctp', 512: 'ppp', 513: 'cisco', 516: 'lapb', 517: 'ddcmp', 518: 'rawhdlc',
    519: 'rawip', 768: 'ipip', 769: 'tunnel6', 770: 'frad', 771: 'skip', 772: 'loopback', 773: 'localtlk',
    774: 'fddi', 775: 'bif', 776: 'sit', 777: 'ipddp', 778: 'gre', 779: 'pimreg', 780: 'hippi', 781: 'ash',
    782: 'econet', 783: 'irda', 784: 'fcpp', 785: 'fcal', 786: 'fcpl', 787: 'fcfabric', 800: 'tr',
    801: 'ieee802.11', 802: 'ieee802.11/prism', 803: 'ieee802.11/radiotap', 804: 'ieee802.15.4',
    805: 'ieee802.15.4/monitor', 820: 'phonet', 821: 'phonet_pipe', 822: 'caif', 823: 'gre6', 824: 'netlink',
    825: '6lowpan', 826: 'vsockmon', 0xfffe: 'none', 0xffff: 'void',
  },
};

export const linkFlagSets: Record<string, Record<number, string>> = {
  iff: flagBits([
    'UP', 'BROADCAST', 'DEBUG', 'LOOPBACK', 'POINTOPOINT', 'NOTRAILERS', 'RUNNING', 'NOARP', 'PROMISC', 'ALLMULTI',
    'MASTER', 'SLAVE', 'MULTICAST', 'PORTSEL', 'AUTOMEDIA', 'DYNAMIC', 'LOWER_UP', 'DORMANT', 'ECHO',
  ]),
};
