// RTM_*NETCONF: struct netconfmsg + NETCONFA_* attributes (<linux/netconf.h>).
import { attrSet } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const netconfStructs: Record<string, StructDef> = {
  netconfmsg: { name: 'netconfmsg', fields: [{ name: 'ncm_family', type: 'u8', enum: 'af', key: 'family' }] },
};

export const netconfAttrSets: Record<string, AttrSet> = {
  netconf: attrSet('NETCONFA_', 0, [
    null,
    // -1 is NETCONFA_IFINDEX_ALL, -2 NETCONFA_IFINDEX_DEFAULT.
    ['NETCONFA_IFINDEX', 's32', { enum: 'netconf-ifindex' }],
    ['NETCONFA_FORWARDING', 's32'],
    ['NETCONFA_RP_FILTER', 's32'],
    ['NETCONFA_MC_FORWARDING', 's32'],
    ['NETCONFA_PROXY_NEIGH', 's32'],
    ['NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN', 's32'],
    ['NETCONFA_INPUT', 's32'],
    ['NETCONFA_BC_FORWARDING', 's32'],
  ]),
};

export const netconfEnums: Record<string, Record<number, string>> = {
  'netconf-ifindex': { [-1]: 'all', [-2]: 'default' },
};
