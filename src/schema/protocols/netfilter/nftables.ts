// nf_tables beyond the nftables spec (<linux/netfilter/nf_tables.h>): the C names of its attributes.
// The spec's sets have no name-prefix, so YNL's default rule would name them NFTABLES_A_…; the
// headers' prefix of each set is here (test/unit/uapi.test.ts checks every resulting name).
export const NFT_PREFIXES: Record<string, string> = {
  'log-attrs': 'NFTA_LOG_', 'numgen-attrs': 'NFTA_NG_', 'range-attrs': 'NFTA_RANGE_', 'batch-attrs': 'NFNL_BATCH_',
  'table-attrs': 'NFTA_TABLE_', 'chain-attrs': 'NFTA_CHAIN_', 'counter-attrs': 'NFTA_COUNTER_', 'nft-hook-attrs': 'NFTA_HOOK_',
  'hook-dev-attrs': 'NFTA_DEVICE_', 'nft-counter-attrs': 'NFTA_COUNTER_', 'rule-attrs': 'NFTA_RULE_', 'expr-list-attrs': 'NFTA_LIST_',
  'expr-attrs': 'NFTA_EXPR_', 'rule-compat-attrs': 'NFTA_RULE_COMPAT_', 'set-attrs': 'NFTA_SET_', 'set-desc-attrs': 'NFTA_SET_DESC_',
  'set-desc-concat-attrs': 'NFTA_LIST_', 'set-field-attrs': 'NFTA_SET_FIELD_', 'set-list-attrs': 'NFTA_LIST_',
  'setelem-attrs': 'NFTA_SET_ELEM_', 'setelem-list-elem-attrs': 'NFTA_LIST_', 'setelem-list-attrs': 'NFTA_SET_ELEM_LIST_',
  'gen-attrs': 'NFTA_GEN_', 'obj-attrs': 'NFTA_OBJ_', 'quota-attrs': 'NFTA_QUOTA_', 'flowtable-attrs': 'NFTA_FLOWTABLE_',
  'flowtable-hook-attrs': 'NFTA_FLOWTABLE_HOOK_', 'expr-bitwise-attrs': 'NFTA_BITWISE_', 'expr-cmp-attrs': 'NFTA_CMP_',
  'data-attrs': 'NFTA_DATA_', 'verdict-attrs': 'NFTA_VERDICT_', 'expr-counter-attrs': 'NFTA_COUNTER_', 'expr-fib-attrs': 'NFTA_FIB_',
  'expr-ct-attrs': 'NFTA_CT_', 'expr-flow-offload-attrs': 'NFTA_FLOW_', 'expr-immediate-attrs': 'NFTA_IMMEDIATE_',
  'expr-lookup-attrs': 'NFTA_LOOKUP_', 'expr-masq-attrs': 'NFTA_MASQ_', 'expr-meta-attrs': 'NFTA_META_', 'expr-nat-attrs': 'NFTA_NAT_',
  'expr-payload-attrs': 'NFTA_PAYLOAD_', 'expr-reject-attrs': 'NFTA_REJECT_', 'expr-target-attrs': 'NFTA_TARGET_',
  'expr-tproxy-attrs': 'NFTA_TPROXY_', 'expr-objref-attrs': 'NFTA_OBJREF_', 'compat-target-attrs': 'NFTA_TARGET_',
  'compat-match-attrs': 'NFTA_MATCH_', 'compat-attrs': 'NFTA_COMPAT_',
};

/** Attributes whose C name is not the prefix and the spec name. */
export const NFT_NAMES: Record<string, string> = {
  'nft-hook-attrs/num': 'NFTA_HOOK_HOOKNUM',
  'expr-flow-offload-attrs/name': 'NFTA_FLOW_TABLE_NAME',
};

/** Where the spec leaves out an attribute (a pad) or lists them out of order, the headers' numbers. */
export const NFT_NUMBERS: Record<string, number> = {
  NFTA_CHAIN_FLAGS: 10, NFTA_CHAIN_ID: 11, NFTA_CHAIN_USERDATA: 12,
  NFTA_RULE_ID: 9, NFTA_RULE_POSITION_ID: 10, NFTA_RULE_CHAIN_ID: 11,
  NFTA_SET_ELEM_OBJREF: 9, NFTA_SET_ELEM_KEY_END: 10, NFTA_SET_ELEM_EXPRESSIONS: 11,
  NFTA_LOOKUP_SREG: 2, NFTA_LOOKUP_DREG: 3, NFTA_LOOKUP_SET_ID: 4,
};
