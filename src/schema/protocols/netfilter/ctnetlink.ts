// ctnetlink: CTA_* attributes of conntrack and expectation messages (<linux/netfilter/nfnetlink_conntrack.h>).
// Values are big-endian on the wire, whether or not NLA_F_NET_BYTEORDER is set: hence `be: true`.
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrSet } from '../../types.js';
import { keyed } from '../common.js';

const be = { be: true } as const;

export const ctAttrSets: Record<string, AttrSet> = {
  ct: keyed(attrSet('CTA_', 0, [
    null,
    ['CTA_TUPLE_ORIG', 'nest', { nested: 'ct-tuple' }],
    ['CTA_TUPLE_REPLY', 'nest', { nested: 'ct-tuple' }],
    ['CTA_STATUS', 'u32', { ...be, flags: 'ct-status' }],
    ['CTA_PROTOINFO', 'nest', { nested: 'ct-protoinfo' }],
    ['CTA_HELP', 'nest', { nested: 'ct-help' }],
    ['CTA_NAT_SRC', 'nest', { nested: 'ct-nat' }],
    ['CTA_TIMEOUT', 'u32', be],
    ['CTA_MARK', 'u32', be],
    ['CTA_COUNTERS_ORIG', 'nest', { nested: 'ct-counters' }],
    ['CTA_COUNTERS_REPLY', 'nest', { nested: 'ct-counters' }],
    ['CTA_USE', 'u32', be],
    ['CTA_ID', 'u32', be],
    ['CTA_NAT_DST', 'nest', { nested: 'ct-nat' }],
    ['CTA_TUPLE_MASTER', 'nest', { nested: 'ct-tuple' }],
    ['CTA_SEQ_ADJ_ORIG', 'nest', { nested: 'ct-seqadj' }],
    ['CTA_SEQ_ADJ_REPLY', 'nest', { nested: 'ct-seqadj' }],
    ['CTA_SECMARK', 'u32', be],
    ['CTA_ZONE', 'u16', be],
    ['CTA_SECCTX', 'nest', { nested: 'ct-secctx' }],
    ['CTA_TIMESTAMP', 'nest', { nested: 'ct-tstamp' }],
    ['CTA_MARK_MASK', 'u32', be],
    ['CTA_LABELS', 'binary'],
    ['CTA_LABELS_MASK', 'binary'],
    ['CTA_SYNPROXY', 'nest', { nested: 'ct-synproxy' }],
    ['CTA_FILTER', 'nest', { nested: 'ct-filter' }],
    ['CTA_STATUS_MASK', 'u32', { ...be, flags: 'ct-status' }],
  ])),
  'ct-tuple': keyed(attrSet('CTA_TUPLE_', 0, [
    null,
    ['CTA_TUPLE_IP', 'nest', { nested: 'ct-ip' }],
    ['CTA_TUPLE_PROTO', 'nest', { nested: 'ct-proto' }],
    ['CTA_TUPLE_ZONE', 'u16', be],
  ])),
  'ct-ip': keyed(attrSet('CTA_IP_', 0, [
    null,
    ['CTA_IP_V4_SRC', 'binary', { display: 'ipv4' }],
    ['CTA_IP_V4_DST', 'binary', { display: 'ipv4' }],
    ['CTA_IP_V6_SRC', 'binary', { display: 'ipv6' }],
    ['CTA_IP_V6_DST', 'binary', { display: 'ipv6' }],
  ])),
  'ct-proto': keyed(attrSet('CTA_PROTO_', 0, [
    null,
    ['CTA_PROTO_NUM', 'u8', { enum: 'ipproto' }],
    ['CTA_PROTO_SRC_PORT', 'u16', be],
    ['CTA_PROTO_DST_PORT', 'u16', be],
    ['CTA_PROTO_ICMP_ID', 'u16', be],
    ['CTA_PROTO_ICMP_TYPE', 'u8'],
    ['CTA_PROTO_ICMP_CODE', 'u8'],
    ['CTA_PROTO_ICMPV6_ID', 'u16', be],
    ['CTA_PROTO_ICMPV6_TYPE', 'u8'],
    ['CTA_PROTO_ICMPV6_CODE', 'u8'],
  ])),
  'ct-protoinfo': keyed(attrSet('CTA_PROTOINFO_', 0, [
    null,
    ['CTA_PROTOINFO_TCP', 'nest', { nested: 'ct-protoinfo-tcp' }],
    ['CTA_PROTOINFO_DCCP', 'nest'],
    ['CTA_PROTOINFO_SCTP', 'nest'],
  ])),
  'ct-protoinfo-tcp': keyed(attrSet('CTA_PROTOINFO_TCP_', 0, [
    null,
    ['CTA_PROTOINFO_TCP_STATE', 'u8', { enum: 'tcp-conntrack' }],
    ['CTA_PROTOINFO_TCP_WSCALE_ORIGINAL', 'u8'],
    ['CTA_PROTOINFO_TCP_WSCALE_REPLY', 'u8'],
    // struct nf_ct_tcp_flags { u8 flags; u8 mask; }
    ['CTA_PROTOINFO_TCP_FLAGS_ORIGINAL', 'binary'],
    ['CTA_PROTOINFO_TCP_FLAGS_REPLY', 'binary'],
  ])),
  'ct-counters': keyed(attrSet('CTA_COUNTERS_', 0, [
    null,
    ['CTA_COUNTERS_PACKETS', 'u64', be],
    ['CTA_COUNTERS_BYTES', 'u64', be],
    ['CTA_COUNTERS32_PACKETS', 'u32', be],
    ['CTA_COUNTERS32_BYTES', 'u32', be],
    ['CTA_COUNTERS_PAD', 'binary'],
  ])),
  'ct-tstamp': keyed(attrSet('CTA_TIMESTAMP_', 0, [
    null,
    ['CTA_TIMESTAMP_START', 'u64', be],
    ['CTA_TIMESTAMP_STOP', 'u64', be],
    ['CTA_TIMESTAMP_PAD', 'binary'],
  ])),
  'ct-nat': keyed(attrSet('CTA_NAT_', 0, [
    null,
    ['CTA_NAT_V4_MINIP', 'binary', { display: 'ipv4' }],
    ['CTA_NAT_V4_MAXIP', 'binary', { display: 'ipv4' }],
    ['CTA_NAT_PROTO', 'nest', { nested: 'ct-protonat' }],
    ['CTA_NAT_V6_MINIP', 'binary', { display: 'ipv6' }],
    ['CTA_NAT_V6_MAXIP', 'binary', { display: 'ipv6' }],
  ])),
  'ct-protonat': keyed(attrSet('CTA_PROTONAT_', 0, [
    null,
    ['CTA_PROTONAT_PORT_MIN', 'u16', be],
    ['CTA_PROTONAT_PORT_MAX', 'u16', be],
  ])),
  'ct-seqadj': keyed(attrSet('CTA_SEQADJ_', 0, [
    null,
    ['CTA_SEQADJ_CORRECTION_POS', 'u32', be],
    ['CTA_SEQADJ_OFFSET_BEFORE', 'u32', be],
    ['CTA_SEQADJ_OFFSET_AFTER', 'u32', be],
  ])),
  'ct-help': keyed(attrSet('CTA_HELP_', 0, [null, ['CTA_HELP_NAME', 'string'], ['CTA_HELP_INFO', 'binary']])),
  'ct-secctx': keyed(attrSet('CTA_SECCTX_', 0, [null, ['CTA_SECCTX_NAME', 'string']])),
  'ct-synproxy': keyed(attrSet('CTA_SYNPROXY_', 0, [
    null,
    ['CTA_SYNPROXY_ISN', 'u32', be],
    ['CTA_SYNPROXY_ITS', 'u32', be],
    ['CTA_SYNPROXY_TSOFF', 'u32', be],
  ])),
  // Host byte order: the kernel reads these with nla_get_u32.
  'ct-filter': keyed(attrSet('CTA_FILTER_', 0, [null, ['CTA_FILTER_ORIG_FLAGS', 'u32', { display: 'hex' }], ['CTA_FILTER_REPLY_FLAGS', 'u32', { display: 'hex' }]])),
  'ct-stats-cpu': keyed(attrSet('CTA_STATS_', 0, [
    null,
    ['CTA_STATS_SEARCHED', 'u32', be],
    ['CTA_STATS_FOUND', 'u32', be],
    ['CTA_STATS_NEW', 'u32', be],
    ['CTA_STATS_INVALID', 'u32', be],
    ['CTA_STATS_IGNORE', 'u32', be],
    ['CTA_STATS_DELETE', 'u32', be],
    ['CTA_STATS_DELETE_LIST', 'u32', be],
    ['CTA_STATS_INSERT', 'u32', be],
    ['CTA_STATS_INSERT_FAILED', 'u32', be],
    ['CTA_STATS_DROP', 'u32', be],
    ['CTA_STATS_EARLY_DROP', 'u32', be],
    ['CTA_STATS_ERROR', 'u32', be],
    ['CTA_STATS_SEARCH_RESTART', 'u32', be],
    ['CTA_STATS_CLASH_RESOLVE', 'u32', be],
    ['CTA_STATS_CHAIN_TOOLONG', 'u32', be],
  ])),
  'ct-stats-global': keyed(attrSet('CTA_STATS_GLOBAL_', 0, [
    null,
    ['CTA_STATS_GLOBAL_ENTRIES', 'u32', be],
    ['CTA_STATS_GLOBAL_MAX_ENTRIES', 'u32', be],
  ])),
  'ct-exp': keyed(attrSet('CTA_EXPECT_', 0, [
    null,
    ['CTA_EXPECT_MASTER', 'nest', { nested: 'ct-tuple' }],
    ['CTA_EXPECT_TUPLE', 'nest', { nested: 'ct-tuple' }],
    ['CTA_EXPECT_MASK', 'nest', { nested: 'ct-tuple' }],
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
