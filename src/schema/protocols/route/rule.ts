// RTM_*RULE: struct fib_rule_hdr + FRA_* attributes (<linux/fib_rules.h>).
import { attrSet, enumSeq } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';

export const ruleStructs: Record<string, StructDef> = {
  fib_rule_hdr: {
    name: 'fib_rule_hdr',
    fields: [
      { name: 'family', type: 'u8', enum: 'af' },
      { name: 'dst_len', type: 'u8' },
      { name: 'src_len', type: 'u8' },
      { name: 'tos', type: 'u8' },
      { name: 'table', type: 'u8', enum: 'rt-table' },
      { name: 'res1', type: 'u8' },
      { name: 'res2', type: 'u8' },
      { name: 'action', type: 'u8', enum: 'fr-act' },
      { name: 'flags', type: 'u32', flags: 'fib-rule-flags' },
    ],
  },
  fib_rule_uid_range: {
    name: 'fib_rule_uid_range',
    fields: [{ name: 'start', type: 'u32' }, { name: 'end', type: 'u32' }],
  },
  fib_rule_port_range: {
    name: 'fib_rule_port_range',
    fields: [{ name: 'start', type: 'u16' }, { name: 'end', type: 'u16' }],
  },
};

export const ruleAttrSets: Record<string, AttrSet> = {
  rule: attrSet('FRA_', 0, [
    null,
    ['FRA_DST', 'binary', { display: 'addr' }],
    ['FRA_SRC', 'binary', { display: 'addr' }],
    ['FRA_IIFNAME', 'string'],
    ['FRA_GOTO', 'u32'],
    ['FRA_UNUSED2', 'binary'],
    ['FRA_PRIORITY', 'u32'],
    ['FRA_UNUSED3', 'binary'],
    ['FRA_UNUSED4', 'binary'],
    ['FRA_UNUSED5', 'binary'],
    ['FRA_FWMARK', 'u32', { display: 'hex' }],
    ['FRA_FLOW', 'u32'],
    ['FRA_TUN_ID', 'u64', { be: true }],
    ['FRA_SUPPRESS_IFGROUP', 'u32'],
    ['FRA_SUPPRESS_PREFIXLEN', 'u32'],
    ['FRA_TABLE', 'u32', { enum: 'rt-table' }],
    ['FRA_FWMASK', 'u32', { display: 'hex' }],
    ['FRA_OIFNAME', 'string'],
    ['FRA_PAD', 'binary'],
    ['FRA_L3MDEV', 'u8'],
    ['FRA_UID_RANGE', 'struct', { struct: 'fib_rule_uid_range' }],
    ['FRA_PROTOCOL', 'u8', { enum: 'rtprot' }],
    ['FRA_IP_PROTO', 'u8'],
    ['FRA_SPORT_RANGE', 'struct', { struct: 'fib_rule_port_range' }],
    ['FRA_DPORT_RANGE', 'struct', { struct: 'fib_rule_port_range' }],
  ]),
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
