// nf_tables: NFTA_TABLE_*, NFTA_CHAIN_*, NFTA_GEN_* attributes (<linux/netfilter/nf_tables.h>); other objects walked generically.
import { attrSet } from '../../define.js';
import type { AttrSet } from '../../types.js';
import { keyed } from '../common.js';

const be = { be: true } as const;

export const nftAttrSets: Record<string, AttrSet> = {
  'nft-table': keyed(attrSet('NFTA_TABLE_', 0, [
    null,
    ['NFTA_TABLE_NAME', 'string'],
    ['NFTA_TABLE_FLAGS', 'u32', be],
    ['NFTA_TABLE_USE', 'u32', be],
    ['NFTA_TABLE_HANDLE', 'u64', be],
    ['NFTA_TABLE_PAD', 'binary'],
    ['NFTA_TABLE_USERDATA', 'binary'],
    ['NFTA_TABLE_OWNER', 'u32', be],
  ])),
  'nft-chain': keyed(attrSet('NFTA_CHAIN_', 0, [
    null,
    ['NFTA_CHAIN_TABLE', 'string'],
    ['NFTA_CHAIN_HANDLE', 'u64', be],
    ['NFTA_CHAIN_NAME', 'string'],
    ['NFTA_CHAIN_HOOK', 'nest'],
    ['NFTA_CHAIN_POLICY', 'u32', be],
    ['NFTA_CHAIN_USE', 'u32', be],
    ['NFTA_CHAIN_TYPE', 'string'],
    ['NFTA_CHAIN_COUNTERS', 'nest'],
    ['NFTA_CHAIN_PAD', 'binary'],
    ['NFTA_CHAIN_FLAGS', 'u32', be],
    ['NFTA_CHAIN_ID', 'u32', be],
    ['NFTA_CHAIN_USERDATA', 'binary'],
  ])),
  'nft-gen': keyed(attrSet('NFTA_GEN_', 0, [
    null,
    ['NFTA_GEN_ID', 'u32', be],
    ['NFTA_GEN_PROC_PID', 'u32', be],
    ['NFTA_GEN_PROC_NAME', 'string'],
  ])),
};
