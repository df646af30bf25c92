// RTM_*NEIGH beyond the rt-neigh spec (<linux/neighbour.h>): record keys and values as `ip -j neigh`
// shows them, and what the spec leaves as bytes.
import { attrSet, flagBits } from '../../define.js';
import type { AttrDef, AttrSet, FieldDef, StructDef } from '../../types.js';

export const neighFields: Record<string, Record<string, Partial<FieldDef>>> = {
  ndmsg: {
    ndm_family: { enum: 'af', key: 'family' },
    ndm_ifindex: { key: 'ifindex' },
    ndm_state: { flags: 'nud', key: 'state' },
    ndm_flags: { flags: 'ntf', key: 'flags' },
    ndm_type: { enum: 'rtn', key: 'type' },
  },
};

export const neighStructs: Record<string, StructDef> = {
  // The C member names (the spec drops their ndm_ prefix).
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

export const neighAttrs: Record<string, Partial<AttrDef>> = {
  NDA_PORT: { be: true },
  NDA_PROTOCOL: { enum: 'rtprot' },
  NDA_FDB_EXT_ATTRS: { type: 'nest', nested: 'fdb-ext' },
  NDA_FLAGS_EXT: { flags: 'ntf-ext' },
  NDA_NDM_STATE_MASK: { flags: 'nud' },
  NDA_NDM_FLAGS_MASK: { flags: 'ntf' },
};

export const neighAttrSets: Record<string, AttrSet> = {
  'fdb-ext': attrSet('NFEA_', 0, [null, ['NFEA_ACTIVITY_NOTIFY', 'u8'], ['NFEA_DONT_REFRESH', 'flag']]),
};

export const neighFlagSets: Record<string, Record<number, string>> = {
  // NUD_* states, upper case as `ip -j neigh` prints them (NUD_NONE is the empty list).
  nud: flagBits(['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT']),
  ntf: flagBits(['use', 'self', 'master', 'proxy', 'extern_learn', 'offload', 'sticky', 'router']),
  'ntf-ext': flagBits(['managed']),
};
