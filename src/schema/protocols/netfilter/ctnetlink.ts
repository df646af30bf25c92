// ctnetlink beyond the conntrack spec (<linux/netfilter/nfnetlink_conntrack.h>): the C names of its
// attributes (the spec's sets have no name-prefix, so YNL's default rule names them otherwise),
// expectations and global statistics, which the spec has no messages for, and the names
// `conntrack -L` prints. Values are big-endian on the wire, whether or not NLA_F_NET_BYTEORDER is set.
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrDef, AttrSet, Schema } from '../../types.js';
import { keyed } from '../common.js';

const be = { be: true } as const;

/**
 * Each spec set's prefix in the headers, a leading word of the spec name the C name does not
 * repeat, and the prefix record keys drop (CTA_TUPLE_IP is "ip" in a tuple).
 */
const CT_PREFIXES: Record<string, [prefix: string, drop: string, key: string]> = {
  'conntrack-attrs': ['CTA_', '', 'CTA_'], 'tuple-attrs': ['CTA_', '', 'CTA_TUPLE_'], 'tuple-ip-attrs': ['CTA_', '', 'CTA_IP_'],
  'tuple-proto-attrs': ['CTA_', '', 'CTA_PROTO_'], 'protoinfo-attrs': ['CTA_', '', 'CTA_PROTOINFO_'],
  'protoinfo-tcp-attrs': ['CTA_PROTOINFO_', '', 'CTA_PROTOINFO_TCP_'], 'protoinfo-dccp-attrs': ['CTA_PROTOINFO_', '', 'CTA_PROTOINFO_DCCP_'],
  'protoinfo-sctp-attrs': ['CTA_PROTOINFO_SCTP_', 'sctp-', 'CTA_PROTOINFO_SCTP_'], 'help-attrs': ['CTA_', '', 'CTA_HELP_'],
  'nat-proto-attrs': ['CTA_PROTONAT_', 'nat-', 'CTA_PROTONAT_'], 'nat-attrs': ['CTA_', '', 'CTA_NAT_'],
  'seqadj-attrs': ['CTA_SEQADJ_', '', 'CTA_SEQADJ_'], 'secctx-attrs': ['CTA_', '', 'CTA_SECCTX_'],
  'synproxy-attrs': ['CTA_SYNPROXY_', '', 'CTA_SYNPROXY_'], 'filter-attrs': ['CTA_FILTER_', '', 'CTA_FILTER_'],
  'counter-attrs': ['CTA_COUNTERS_', '', 'CTA_COUNTERS_'], 'conntrack-stats-attrs': ['CTA_STATS_', '', 'CTA_STATS_'],
};

/** Where the spec lists attributes out of the headers' order, the headers' numbers. */
export const CT_NUMBERS: Record<string, number> = { CTA_NAT_PROTO: 3, CTA_NAT_V6_MINIP: 4, CTA_NAT_V6_MAXIP: 5 };

/** Values shown as `conntrack -L` shows them. */
const SHOWN: Record<string, Partial<AttrDef>> = {
  CTA_STATUS: { flags: 'ct-status' },
  CTA_STATUS_MASK: { flags: 'ct-status' },
  CTA_PROTOINFO_TCP_STATE: { enum: 'tcp-conntrack' },
  CTA_PROTO_NUM: { enum: 'ipproto' },
};

/** Renames (spec-rule C name → header C name, record key) by each set's header prefix. */
export function prefixRenames(spec: Schema, prefixes: Record<string, string>, names: Record<string, string> = {}): Record<string, Partial<AttrDef>> {
  const changes: Record<string, Partial<AttrDef>> = {};
  for (const [setName, set] of Object.entries(spec.attrSets)) {
    const prefix = prefixes[setName];
    if (prefix === undefined) continue;
    for (const d of Object.values(set.attrs)) {
      const tail = (d.spec ?? '').toUpperCase().replace(/-/g, '_');
      const name = names[`${setName}/${d.spec}`] ?? prefix + tail;
      changes[d.name] = { name, key: name.slice(prefix.length).toLowerCase() };
    }
  }
  return changes;
}

/** Renames (spec-rule C name → header C name) for the conntrack spec's attributes, and the hand ones. */
export function ctAttrChanges(spec: Schema): Record<string, Partial<AttrDef>> {
  const out: Record<string, Partial<AttrDef>> = {
    // 32-bit counters: CTA_COUNTERS32_*, not "…_OLD".
    'counter-attrs/packets-old': { name: 'CTA_COUNTERS32_PACKETS' },
    'counter-attrs/bytes-old': { name: 'CTA_COUNTERS32_BYTES' },
  };
  const changes: Record<string, Partial<AttrDef>> = {};
  for (const [setName, set] of Object.entries(spec.attrSets)) {
    const rule = CT_PREFIXES[setName];
    if (!rule) continue;
    for (const d of Object.values(set.attrs)) {
      const fixed = out[`${setName}/${d.spec}`];
      const tail = rule[1] !== '' && d.spec?.startsWith(rule[1]) ? d.spec.slice(rule[1].length) : d.spec ?? '';
      const name = fixed?.name ?? rule[0] + tail.toUpperCase().replace(/-/g, '_');
      const key = (name.startsWith(rule[2]) ? name.slice(rule[2].length) : name.slice(4)).toLowerCase();
      changes[d.name] = { name, key, ...SHOWN[name] };
    }
  }
  return changes;
}

export const ctAttrSets: Record<string, AttrSet> = {
  'ct-stats-global': keyed(attrSet('CTA_STATS_GLOBAL_', 0, [
    null,
    ['CTA_STATS_GLOBAL_ENTRIES', 'u32', be],
    ['CTA_STATS_GLOBAL_MAX_ENTRIES', 'u32', be],
  ])),
  'ct-exp': keyed(attrSet('CTA_EXPECT_', 0, [
    null,
    ['CTA_EXPECT_MASTER', 'nest', { nested: 'tuple-attrs' }],
    ['CTA_EXPECT_TUPLE', 'nest', { nested: 'tuple-attrs' }],
    ['CTA_EXPECT_MASK', 'nest', { nested: 'tuple-attrs' }],
    ['CTA_EXPECT_TIMEOUT', 'u32', be],
    ['CTA_EXPECT_ID', 'u32', be],
    ['CTA_EXPECT_HELP_NAME', 'string'],
    ['CTA_EXPECT_ZONE', 'u16', be],
    ['CTA_EXPECT_FLAGS', 'u32', be],
    ['CTA_EXPECT_CLASS', 'u32', be],
    ['CTA_EXPECT_NAT', 'nest'],
    ['CTA_EXPECT_FN', 'string'],
  ])),
};

export const ctEnums: Record<string, Record<number, string>> = {
  // TCP_CONNTRACK_* (<linux/netfilter/nf_conntrack_tcp.h>), as `conntrack -L` prints them.
  'tcp-conntrack': enumSeq(0, [
    'NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2',
  ]),
};

export const ctFlagSets: Record<string, Record<number, string>> = {
  // IPS_* (<linux/netfilter/nf_conntrack_common.h>).
  'ct-status': flagBits([
    'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED', 'SRC_NAT', 'DST_NAT', 'SEQ_ADJUST', 'SRC_NAT_DONE',
    'DST_NAT_DONE', 'DYING', 'FIXED_TIMEOUT', 'TEMPLATE', 'UNTRACKED', 'HELPER', 'OFFLOAD', 'HW_OFFLOAD',
  ]),
};
