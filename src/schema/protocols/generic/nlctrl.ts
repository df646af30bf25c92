// The generic netlink controller "nlctrl" (GENL_ID_CTRL): CTRL_CMD_* and CTRL_ATTR_* (<linux/genetlink.h>, <linux/netlink.h>).
import { attrSet, enumSeq, flagBits } from '../../define.js';
import type { AttrSet } from '../../types.js';
import { keyed } from '../common.js';
import type { GenlFamilyDef } from './types.js';

export const GENL_ID_CTRL = 0x10;

export const nlctrlFamily: GenlFamilyDef = {
  name: 'nlctrl',
  id: GENL_ID_CTRL,
  cmds: enumSeq(0, [
    null, 'CTRL_CMD_NEWFAMILY', 'CTRL_CMD_DELFAMILY', 'CTRL_CMD_GETFAMILY', 'CTRL_CMD_NEWOPS', 'CTRL_CMD_DELOPS',
    'CTRL_CMD_GETOPS', 'CTRL_CMD_NEWMCAST_GRP', 'CTRL_CMD_DELMCAST_GRP', 'CTRL_CMD_GETMCAST_GRP', 'CTRL_CMD_GETPOLICY',
  ]),
  attrs: 'ctrl',
  mcastGroups: ['notify'],
};

export const nlctrlAttrSets: Record<string, AttrSet> = {
  ctrl: keyed(attrSet('CTRL_ATTR_', 0, [
    null,
    ['CTRL_ATTR_FAMILY_ID', 'u16'],
    ['CTRL_ATTR_FAMILY_NAME', 'string'],
    ['CTRL_ATTR_VERSION', 'u32'],
    ['CTRL_ATTR_HDRSIZE', 'u32'],
    ['CTRL_ATTR_MAXATTR', 'u32'],
    ['CTRL_ATTR_OPS', 'nest-array', { nested: 'ctrl-op' }],
    ['CTRL_ATTR_MCAST_GROUPS', 'nest-array', { nested: 'ctrl-mcast-grp' }],
    // GETPOLICY replies: policy index → attribute type → NL_POLICY_TYPE_ATTR_*.
    ['CTRL_ATTR_POLICY', 'nest-array', { nested: 'policy-type', depth: 2, indexed: true }],
    // GETPOLICY replies: command → CTRL_ATTR_POLICY_DO / _DUMP (policy indexes).
    ['CTRL_ATTR_OP_POLICY', 'nest-array', { nested: 'ctrl-op-policy', indexed: true }],
    ['CTRL_ATTR_OP', 'u32'],
  ])),
  'ctrl-op': keyed(attrSet('CTRL_ATTR_OP_', 0, [
    null,
    ['CTRL_ATTR_OP_ID', 'u32'],
    ['CTRL_ATTR_OP_FLAGS', 'u32', { flags: 'genl-op-flags' }],
  ])),
  'ctrl-mcast-grp': keyed(attrSet('CTRL_ATTR_MCAST_GRP_', 0, [
    null,
    ['CTRL_ATTR_MCAST_GRP_NAME', 'string'],
    ['CTRL_ATTR_MCAST_GRP_ID', 'u32'],
  ])),
  'ctrl-op-policy': keyed(attrSet('CTRL_ATTR_POLICY_', 0, [
    null,
    ['CTRL_ATTR_POLICY_DO', 'u32'],
    ['CTRL_ATTR_POLICY_DUMP', 'u32'],
  ])),
  'policy-type': keyed(attrSet('NL_POLICY_TYPE_ATTR_', 0, [
    null,
    ['NL_POLICY_TYPE_ATTR_TYPE', 'u32', { enum: 'nl-attr-type' }],
    ['NL_POLICY_TYPE_ATTR_MIN_VALUE_S', 's64'],
    ['NL_POLICY_TYPE_ATTR_MAX_VALUE_S', 's64'],
    ['NL_POLICY_TYPE_ATTR_MIN_VALUE_U', 'u64'],
    ['NL_POLICY_TYPE_ATTR_MAX_VALUE_U', 'u64'],
    ['NL_POLICY_TYPE_ATTR_MIN_LENGTH', 'u32'],
    ['NL_POLICY_TYPE_ATTR_MAX_LENGTH', 'u32'],
    ['NL_POLICY_TYPE_ATTR_POLICY_IDX', 'u32'],
    ['NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE', 'u32'],
    ['NL_POLICY_TYPE_ATTR_BITFIELD32_MASK', 'u32', { display: 'hex' }],
    ['NL_POLICY_TYPE_ATTR_PAD', 'binary'],
    ['NL_POLICY_TYPE_ATTR_MASK', 'u64', { display: 'hex' }],
  ])),
};

export const nlctrlEnums: Record<string, Record<number, string>> = {
  // NL_ATTR_TYPE_*, lower case without the prefix (as the kernel's policy dumps are usually shown).
  'nl-attr-type': enumSeq(0, [
    'invalid', 'flag', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'binary', 'string', 'nul_string',
    'nested', 'nested_array', 'bitfield32',
  ]),
};

export const nlctrlFlagSets: Record<string, Record<number, string>> = {
  // GENL_ADMIN_PERM …, lower case without the GENL_ prefix.
  'genl-op-flags': flagBits(['admin_perm', 'cmd_cap_do', 'cmd_cap_dump', 'cmd_cap_haspol', 'uns_admin_perm']),
};
