// NETLINK_NETFILTER (12): struct nfgenmsg; type = subsystem << 8 | message (<linux/netfilter/nfnetlink.h>).
// nf_tables and conntrack come from the kernel's nftables and conntrack specs; the message names
// (the specs give them names the headers do not have), expectations, statistics and the other
// subsystems from hand tables.
import { attrSet, enumSeq } from '../../define.js';
import { layoutResolver, type MessageLayouts } from '../../layouts.js';
import type { AttrSet, MessageDef, Schema, StructDef } from '../../types.js';
import { specFamily } from '../../ynl/index.js';
import { IPPROTO, kindOf } from '../common.js';
import { composeSchema } from '../compose.js';
import { lazySchema } from '../lazy.js';
import { CT_NUMBERS, ctAttrChanges, ctAttrSets, ctEnums, ctFlagSets, prefixRenames } from './ctnetlink.js';
import { NFT_NAMES, NFT_NUMBERS, NFT_PREFIXES } from './nftables.js';

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
  'NFT_MSG_GETFLOWTABLE', 'NFT_MSG_DELFLOWTABLE', 'NFT_MSG_GETRULE_RESET', 'NFT_MSG_DESTROYTABLE', 'NFT_MSG_DESTROYCHAIN',
  'NFT_MSG_DESTROYRULE', 'NFT_MSG_DESTROYSET', 'NFT_MSG_DESTROYSETELEM', 'NFT_MSG_DESTROYOBJ', 'NFT_MSG_DESTROYFLOWTABLE',
  'NFT_MSG_GETSETELEM_RESET',
]);

export const NF_SUBSYSTEMS: Record<number, NfSubsystem> = {
  0: { name: 'NFNL_SUBSYS_NONE', messages: { 16: 'NFNL_MSG_BATCH_BEGIN', 17: 'NFNL_MSG_BATCH_END' }, attrs: 'batch-attrs' },
  1: {
    name: 'NFNL_SUBSYS_CTNETLINK',
    messages: enumSeq(0, [
      'IPCTNL_MSG_CT_NEW', 'IPCTNL_MSG_CT_GET', 'IPCTNL_MSG_CT_DELETE', 'IPCTNL_MSG_CT_GET_CTRZERO',
      'IPCTNL_MSG_CT_GET_STATS_CPU', 'IPCTNL_MSG_CT_GET_STATS', 'IPCTNL_MSG_CT_GET_DYING', 'IPCTNL_MSG_CT_GET_UNCONFIRMED',
    ]),
    attrs: 'conntrack-attrs',
    msgAttrs: { 4: 'conntrack-stats-attrs', 5: 'ct-stats-global' },
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
    // The spec's sets by message, where the spec has the message (NFT_MSG_TRACE and GETOBJ_RESET it has not).
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

const handSets: Record<string, AttrSet> = {
  ...ctAttrSets,
  [UNKNOWN_SET]: attrSet('', 0, []),
};

/** The spec families of netfilter, in the order their names are claimed. */
export const NF_SPECS = ['nftables', 'conntrack'];

function build(): Schema {
  const [nft, ct] = NF_SPECS.map((n) => {
    const fam = specFamily(n);
    if (!fam) throw new Error(`no spec for the ${n} family: the built-in tables are missing (make specs)`);
    return fam;
  });
  const composed = composeSchema(12, 'netfilter', [nft, ct], {
    cNameKeys: false,
    attrs: { ...prefixRenames(nft.schema, NFT_PREFIXES, NFT_NAMES), ...ctAttrChanges(ct.schema) },
    numbers: { ...NFT_NUMBERS, ...CT_NUMBERS },
    structs,
    attrSets: handSets,
    enums: {
      // NFPROTO_* (<linux/netfilter.h>), named as nft names the families.
      nfproto: { 0: 'unspec', 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6', 12: 'decnet' },
      ipproto: IPPROTO,
      ...ctEnums,
    },
    flagSets: { ...ctFlagSets },
  });
  // Message names from the headers; attribute sets from the specs where they have the message.
  const messages: Record<number, MessageDef> = {};
  for (const [sub, s] of Object.entries(NF_SUBSYSTEMS)) {
    for (const [msg, name] of Object.entries(s.messages)) {
      const type = (Number(sub) << 8) | Number(msg);
      const spec = composed.messages[type];
      messages[type] = {
        name,
        kind: kindOf(name),
        header: 'nfgenmsg',
        attrs: (Number(sub) === 10 ? spec?.attrs : undefined) ?? s.msgAttrs?.[Number(msg)] ?? s.attrs ?? UNKNOWN_SET,
        ...(spec?.spec ? { spec: spec.spec } : {}),
      };
    }
  }
  return { ...composed, messages };
}

const MESSAGES_BY_TYPE = new Set(Object.entries(NF_SUBSYSTEMS).flatMap(([sub, s]) => Object.keys(s.messages).map((m) => (Number(sub) << 8) | Number(m))));

/** Messages of an unknown subsystem or number still have an nfgenmsg. */
export const netfilterLayouts: MessageLayouts = {
  unknown: { known: MESSAGES_BY_TYPE, layout: { name: '', kind: 'other', header: 'nfgenmsg', attrs: UNKNOWN_SET } },
};

export const netfilterSchema: Schema = lazySchema(12, 'netfilter', build, {
  // NFNLGRP_*.
  groups: {
    'conntrack-new': 1, 'conntrack-update': 2, 'conntrack-destroy': 3, 'conntrack-exp-new': 4,
    'conntrack-exp-update': 5, 'conntrack-exp-destroy': 6, nftables: 7, 'acct-quota': 8, nftrace: 9,
  },
  resolve: layoutResolver(netfilterLayouts),
}, NF_SPECS);
