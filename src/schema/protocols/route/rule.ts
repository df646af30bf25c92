// RTM_*RULE beyond the rt-rule spec (<linux/fib_rules.h>): record keys and values as `ip -j rule` shows them.
import { enumSeq } from '../../define.js';
import type { AttrDef, FieldDef } from '../../types.js';

export const ruleFields: Record<string, Record<string, Partial<FieldDef>>> = {
  fib_rule_hdr: {
    family: { enum: 'af' },
    table: { enum: 'rt-table' },
    // Reserved bytes, kept as fields so that records keep their keys.
    res1: { type: 'u8' },
    res2: { type: 'u8' },
    action: { enum: 'fr-act' },
    flags: { flags: 'fib-rule-flags' },
  },
};

export const ruleAttrs: Record<string, Partial<AttrDef>> = {
  FRA_TUN_ID: { be: true },
  FRA_TABLE: { enum: 'rt-table' },
  FRA_PROTOCOL: { enum: 'rtprot' },
  FRA_SUPPRESS_PREFIXLEN: { display: undefined },
};

export const ruleEnums: Record<string, Record<number, string>> = {
  // FR_ACT_*; to_tbl is what `ip rule` shows as "lookup TABLE".
  'fr-act': enumSeq(0, ['unspec', 'to_tbl', 'goto', 'nop', 'res3', 'res4', 'blackhole', 'unreachable', 'prohibit']),
};

export const ruleFlagSets: Record<string, Record<number, string>> = {
  'fib-rule-flags': {
    0x1: 'permanent', 0x2: 'invert', 0x4: 'unresolved', 0x8: 'iif_detached', 0x10: 'oif_detached', 0x10000: 'find_saddr',
  },
};
