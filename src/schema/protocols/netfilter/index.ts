// NETLINK_NETFILTER (12): struct nfgenmsg; type = subsystem << 8 | message (<linux/netfilter/nfnetlink.h>).
import { attrSet, enumSeq } from '../../define.js';
import type { AttrSet, MessageDef, Schema, StructDef } from '../../types.js';
import { IPPROTO, kindOf } from '../common.js';
import { ctAttrSets, ctEnums, ctFlagSets } from './ctnetlink.js';
import { nftAttrSets } from './nftables.js';

/** A subsystem: its NFNL_SUBSYS_* name, message names by number, attribute sets by message. */
export interface NfSubsystem {
  name: string;
  messages: Record<number, string>;
  attrs?: string;
  msgAttrs?: Record<number, string>;
}

const NFT_MSGS = enumSeq(0, [
  'NFT_MSG_NEWTABLE', 'NFT_MSG_GETTABLE', 'NFT_MSG_DELTABLE', 'NFT_MSG_NEWCHAIN', 'NFT_MSG_GETCHAIN', 'NFT_MSG_DELCHAIN',
  'NFT_MSG_NEWRULE', 'NFT_MSG_GETRULE', 'NFT_MSG_DELRULE', 'NFT_MSG_NEWSET', 'NFT_MSG_GETSET', 'NFT_MSG_DELSET',
  'NFT_MSG_NEWSETELEM', 'NFT_MSG_GETSETELEM', 'NFT_MSG_DELSETELEM', 'NFT_MSG_NEWGEN', 'NFT_MSG_GETGEN', 'NFT_MSG_TRACE',
  'NFT_MSG_NEWOBJ', 'NFT_MSG_GETOBJ', 'NFT_MSG_DELOBJ', 'NFT_MSG_GETOBJ_RESET', 'NFT_MSG_NEWFLOWTABLE',
  'NFT_MSG_GETFLOWTABLE', 'NFT_MSG_DELFLOWTABLE',
]);

export const NF_SUBSYSTEMS: Record<number, NfSubsystem> = {
  0: { name: 'NFNL_SUBSYS_NONE', messages: { 16: 'NFNL_MSG_BATCH_BEGIN', 17: 'NFNL_MSG_BATCH_END' }, attrs: 'nfnl-batch' },
  1: {
    name: 'NFNL_SUBSYS_CTNETLINK',
    messages: enumSeq(0, [
      'IPCTNL_MSG_CT_NEW', 'IPCTNL_MSG_CT_GET', 'IPCTNL_MSG_CT_DELETE', 'IPCTNL_MSG_CT_GET_CTRZERO',
      'IPCTNL_MSG_CT_GET_STATS_CPU', 'IPCTNL_MSG_CT_GET_STATS', 'IPCTNL_MSG_CT_GET_DYING', 'IPCTNL_MSG_CT_GET_UNCONFIRMED',
    ]),
    attrs: 'ct',
    msgAttrs: { 4: 'ct-stats-cpu', 5: 'ct-stats-global' },
  },
  2: {
    name: 'NFNL_SUBSYS_CTNETLINK_EXP',
    messages: enumSeq(0, ['IPCTNL_MSG_EXP_NEW', 'IPCTNL_MSG_EXP_GET', 'IPCTNL_MSG_EXP_DELETE', 'IPCTNL_MSG_EXP_GET_STATS_CPU']),
    attrs: 'ct-exp',
  },
  3: { name: 'NFNL_SUBSYS_QUEUE', messages: enumSeq(0, ['NFQNL_MSG_PACKET', 'NFQNL_MSG_VERDICT', 'NFQNL_MSG_CONFIG', 'NFQNL_MSG_VERDICT_BATCH']) },
  4: { name: 'NFNL_SUBSYS_ULOG', messages: enumSeq(0, ['NFULNL_MSG_PACKET', 'NFULNL_MSG_CONFIG']) },
  5: { name: 'NFNL_SUBSYS_OSF', messages: enumSeq(0, ['OSF_MSG_ADD', 'OSF_MSG_REMOVE']) },
  6: {
    name: 'NFNL_SUBSYS_IPSET',
    messages: enumSeq(0, [
      null, 'IPSET_CMD_PROTOCOL', 'IPSET_CMD_CREATE', 'IPSET_CMD_DESTROY', 'IPSET_CMD_FLUSH', 'IPSET_CMD_RENAME',
      'IPSET_CMD_SWAP', 'IPSET_CMD_LIST', 'IPSET_CMD_SAVE', 'IPSET_CMD_ADD', 'IPSET_CMD_DEL', 'IPSET_CMD_TEST',
      'IPSET_CMD_HEADER', 'IPSET_CMD_TYPE', 'IPSET_CMD_GET_BYNAME', 'IPSET_CMD_GET_BYINDEX',
    ]),
  },
  7: {
    name: 'NFNL_SUBSYS_ACCT',
    messages: enumSeq(0, ['NFNL_MSG_ACCT_NEW', 'NFNL_MSG_ACCT_GET', 'NFNL_MSG_ACCT_GET_CTRZERO', 'NFNL_MSG_ACCT_DEL', 'NFNL_MSG_ACCT_OVERQUOTA']),
  },
  8: {
    name: 'NFNL_SUBSYS_CTNETLINK_TIMEOUT',
    messages: enumSeq(0, [
      'IPCTNL_MSG_TIMEOUT_NEW', 'IPCTNL_MSG_TIMEOUT_GET', 'IPCTNL_MSG_TIMEOUT_DELETE', 'IPCTNL_MSG_TIMEOUT_DEFAULT_SET',
      'IPCTNL_MSG_TIMEOUT_DEFAULT_GET',
    ]),
  },
  9: { name: 'NFNL_SUBSYS_CTHELPER', messages: enumSeq(0, ['NFNL_MSG_CTHELPER_NEW', 'NFNL_MSG_CTHELPER_GET', 'NFNL_MSG_CTHELPER_DEL']) },
  10: {
    name: 'NFNL_SUBSYS_NFTABLES',
    messages: NFT_MSGS,
    msgAttrs: { 0: 'nft-table', 1: 'nft-table', 2: 'nft-table', 3: 'nft-chain', 4: 'nft-chain', 5: 'nft-chain', 15: 'nft-gen', 16: 'nft-gen' },
  },
  11: { name: 'NFNL_SUBSYS_NFT_COMPAT', messages: { 0: 'NFNL_MSG_COMPAT_GET' } },
  12: { name: 'NFNL_SUBSYS_HOOK', messages: { 0: 'NFNL_MSG_HOOK_GET' } },
};

/** Attributes of subsystems with no table: walked generically. */
const UNKNOWN_SET = 'nf-unknown';

const structs: Record<string, StructDef> = {
  nfgenmsg: {
    name: 'nfgenmsg',
    fields: [
      { name: 'nfgen_family', type: 'u8', enum: 'nfproto', key: 'family' },
      { name: 'version', type: 'u8' },
      { name: 'res_id', type: 'u16', be: true },
    ],
  },
};

const attrSets: Record<string, AttrSet> = {
  ...ctAttrSets,
  ...nftAttrSets,
  'nfnl-batch': attrSet('NFNL_BATCH_', 0, [null, ['NFNL_BATCH_GENID', 'u32', { be: true }]]),
  [UNKNOWN_SET]: attrSet('', 0, []),
};

const messages: Record<number, MessageDef> = {};
for (const [sub, s] of Object.entries(NF_SUBSYSTEMS)) {
  for (const [msg, name] of Object.entries(s.messages)) {
    messages[(Number(sub) << 8) | Number(msg)] = {
      name,
      kind: kindOf(name),
      header: 'nfgenmsg',
      attrs: s.msgAttrs?.[Number(msg)] ?? s.attrs ?? UNKNOWN_SET,
    };
  }
}

export const netfilterSchema: Schema = {
  protocol: 12,
  name: 'netfilter',
  messages,
  structs,
  attrSets,
  enums: {
    // NFPROTO_* (<linux/netfilter.h>), named as nft names the families.
    nfproto: { 0: 'unspec', 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6', 12: 'decnet' },
    ipproto: IPPROTO,
    ...ctEnums,
  },
  flagSets: { ...ctFlagSets },
  // NFNLGRP_*.
  groups: {
    'conntrack-new': 1, 'conntrack-update': 2, 'conntrack-destroy': 3, 'conntrack-exp-new': 4,
    'conntrack-exp-update': 5, 'conntrack-exp-destroy': 6, nftables: 7, 'acct-quota': 8, nftrace: 9,
  },
  // Messages of an unknown subsystem or number still have an nfgenmsg.
  resolve: (type, _payload, _ctx) => (messages[type] ? undefined : { name: '', kind: 'other', header: 'nfgenmsg', attrs: UNKNOWN_SET }),
};
