// RTM_*ADDR beyond the rt-addr spec (<linux/if_addr.h>): record keys and values as `ip -j addr` shows them.
import { enumSeq, flagBits } from '../../define.js';
import type { AttrDef, FieldDef } from '../../types.js';

export const addrFields: Record<string, Record<string, Partial<FieldDef>>> = {
  ifaddrmsg: {
    ifa_family: { enum: 'af', key: 'family' },
    ifa_prefixlen: { key: 'prefixlen' },
    ifa_flags: { key: 'flags' },
    ifa_scope: { enum: 'rt-scope', key: 'scope' },
    ifa_index: { key: 'ifindex' },
  },
};

export const addrAttrs: Record<string, Partial<AttrDef>> = {
  IFA_ANYCAST: { display: 'addr' },
  IFA_MULTICAST: { display: 'addr' },
  IFA_TARGET_NETNSID: { type: 's32' },
  IFA_PROTO: { enum: 'ifa-proto' },
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
