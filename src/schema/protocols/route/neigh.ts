// RTM_*NEIGH: struct ndmsg + NDA_* attributes (<linux/neighbour.h>).
import { attrSet, flagBits } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const neighStructs: Record<string, StructDef> = {
  ndmsg: {
    name: 'ndmsg',
    fields: [
      { name: 'ndm_family', type: 'u8', enum: 'af', key: 'family' },
      // ndm_pad1 (u8) and ndm_pad2 (u16) skipped.
      { name: 'ndm_ifindex', type: 's32', pad: 3, key: 'ifindex' },
      { name: 'ndm_state', type: 'u16', flags: 'nud', key: 'state' },
      { name: 'ndm_flags', type: 'u8', flags: 'ntf', key: 'flags' },
      { name: 'ndm_type', type: 'u8', enum: 'rtn', key: 'type' },
    ],
  },
  nda_cacheinfo: {
    name: 'nda_cacheinfo',
    fields: [
      { name: 'ndm_confirmed', type: 'u32' },
      { name: 'ndm_used', type: 'u32' },
      { name: 'ndm_updated', type: 'u32' },
      { name: 'ndm_refcnt', type: 'u32' },
    ],
  },
};

export const neighAttrSets: Record<string, AttrSet> = {
  neigh: attrSet('NDA_', 0, [
    null,
    ['NDA_DST', 'binary', { display: 'addr' }],
    ['NDA_LLADDR', 'binary', { display: 'mac' }],
    ['NDA_CACHEINFO', 'struct', { struct: 'nda_cacheinfo' }],
    ['NDA_PROBES', 'u32'],
    ['NDA_VLAN', 'u16'],
    ['NDA_PORT', 'u16', { be: true }],
    ['NDA_VNI', 'u32'],
    ['NDA_IFINDEX', 'u32'],
    ['NDA_MASTER', 'u32'],
    ['NDA_LINK_NETNSID', 's32'],
    ['NDA_SRC_VNI', 'u32'],
    ['NDA_PROTOCOL', 'u8', { enum: 'rtprot' }],
    ['NDA_NH_ID', 'u32'],
    ['NDA_FDB_EXT_ATTRS', 'nest', { nested: 'fdb-ext' }],
    ['NDA_FLAGS_EXT', 'u32', { flags: 'ntf-ext' }],
    ['NDA_NDM_STATE_MASK', 'u16', { flags: 'nud' }],
    ['NDA_NDM_FLAGS_MASK', 'u8', { flags: 'ntf' }],
  ]),
  'fdb-ext': attrSet('NFEA_', 0, [null, ['NFEA_ACTIVITY_NOTIFY', 'u8'], ['NFEA_DONT_REFRESH', 'flag']]),
};

export const neighFlagSets: Record<string, Record<number, string>> = {
  // NUD_* states, upper case as `ip -j neigh` prints them (NUD_NONE is the empty list).
  nud: flagBits(['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT']),
  ntf: flagBits(['use', 'self', 'master', 'proxy', 'extern_learn', 'offload', 'sticky', 'router']),
  'ntf-ext': flagBits(['managed']),
};
