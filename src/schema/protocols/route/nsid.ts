// RTM_*NSID: struct rtgenmsg + NETNSA_* attributes (<linux/net_namespace.h>, <linux/rtnetlink.h>).
import { attrSet } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const nsidStructs: Record<string, StructDef> = {
  rtgenmsg: { name: 'rtgenmsg', fields: [{ name: 'rtgen_family', type: 'u8', enum: 'af', key: 'family' }] },
};

export const nsidAttrSets: Record<string, AttrSet> = {
  nsid: attrSet('NETNSA_', 0, [
    null,
    ['NETNSA_NSID', 's32'],
    ['NETNSA_PID', 'u32'],
    ['NETNSA_FD', 'u32'],
    ['NETNSA_TARGET_NSID', 's32'],
    ['NETNSA_CURRENT_NSID', 's32'],
  ]),
};
