// RTM_*ADDR: struct ifaddrmsg + IFA_* attributes (<linux/if_addr.h>).
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const addrStructs: Record<string, StructDef> = {
  ifaddrmsg: {
    name: 'ifaddrmsg',
    fields: [
      { name: 'ifa_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'ifa_prefixlen', type: 'u8', key: 'prefixlen' },
      { name: 'ifa_flags', type: 'u8', flags: 'ifa-flags', key: 'flags' },
      { name: 'ifa_scope', type: 'u8', enum: 'rt-scope', key: 'scope' },
      { name: 'ifa_index', type: 'u32', key: 'ifindex' },
    ],
  },
  ifa_cacheinfo: {
    name: 'ifa_cacheinfo',
    fields: [
      { name: 'ifa_prefered', type: 'u32' },
      { name: 'ifa_valid', type: 'u32' },
      { name: 'cstamp', type: 'u32' },
      { name: 'tstamp', type: 'u32' },
    ],
  },
};

export const addrAttrSets: Record<string, AttrSet> = {
  addr: attrSet('IFA_', 0, [
    null,
    // For point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL the local address.
    ['IFA_ADDRESS', 'binary', { display: 'addr' }],
    ['IFA_LOCAL', 'binary', { display: 'addr' }],
    ['IFA_LABEL', 'string'],
    ['IFA_BROADCAST', 'binary', { display: 'addr' }],
    ['IFA_ANYCAST', 'binary', { display: 'addr' }],
    ['IFA_CACHEINFO', 'struct', { struct: 'ifa_cacheinfo' }],
    ['IFA_MULTICAST', 'binary', { display: 'addr' }],
    // Extends the u8 ifa_flags; when present it is the one to believe.
    ['IFA_FLAGS', 'u32', { flags: 'ifa-flags' }],
    ['IFA_RT_PRIORITY', 'u32'],
    ['IFA_TARGET_NETNSID', 's32'],
    ['IFA_PROTO', 'u8', { enum: 'ifa-proto' }],
  ]),
};

export const addrEnums: Record<string, Record<number, string>> = {
  'ifa-proto': enumSeq(0, ['unspec', 'kernel_lo', 'kernel_ra', 'kernel_ll']),
};

export const addrFlagSets: Record<string, Record<number, string>> = {
  // IFA_F_*, lower case as `ip -j addr` spells them (IFA_F_SECONDARY is "temporary" for IPv6).
  'ifa-flags': flagBits([
    'secondary', 'nodad', 'optimistic', 'dadfailed', 'homeaddress', 'deprecated', 'tentative', 'permanent',
    'managetempaddr', 'noprefixroute', 'mcautojoin', 'stable_privacy',
  ]),
};
