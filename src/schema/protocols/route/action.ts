// RTM_*ACTION: struct tcamsg + TCA_ROOT_* (<linux/rtnetlink.h>), which the tc spec leaves out; each
// action in TCA_ROOT_TAB is the spec's act-attrs (kind, options by kind, index, stats …).
import { attrSet, rtmTriple } from '../../define.js';
import type { AttrSet, MessageDef, StructDef } from '../../types.js';
import { withSpecNames } from '../compose.js';

export const actionStructs: Record<string, StructDef> = {
  tcamsg: { name: 'tcamsg', fields: [{ name: 'tca_family', type: 'u8', enum: 'af', key: 'family' }, { name: 'tca__pad1', type: 'u8' }, { name: 'tca__pad2', type: 'u16' }] },
};

export const actionAttrSets: Record<string, AttrSet> = {
  'tca-root': withSpecNames(attrSet('TCA_ROOT_', 0, [
    null,
    // Actions by their place in the list (1, 2, …).
    ['TCA_ROOT_TAB', 'nest-array', { nested: 'act-attrs' }],
    ['TCA_ROOT_FLAGS', 'bitfield32'],
    ['TCA_ROOT_COUNT', 'u32'],
    ['TCA_ROOT_TIME_DELTA', 'u32'],
    ['TCA_ROOT_EXT_WARN_MSG', 'string'],
  ])),
};

export const actionMessages: Record<number, MessageDef> = rtmTriple(48, 'ACTION', 'tcamsg', 'tca-root');
