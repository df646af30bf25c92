// NETLINK_TEST (25) and the generic netlink family "nlctl_test" of the kernel test module (kmod/netlink_test.h).
import { attrSet } from '../define.js';
import type { AttrSet, Schema } from '../types.js';
import { keyed } from './common.js';
import type { GenlFamilyDef } from './generic/types.js';

export const NETLINK_TEST = 25;

/** NLTEST_STATS_* counters, shared by the raw STATS reply and NLTEST_GENL_ATTR_STATS. */
const statsSet: AttrSet = keyed(attrSet('NLTEST_STATS_', 0, [
  null,
  ['NLTEST_STATS_RX', 'u64'],
  ['NLTEST_STATS_TX', 'u64'],
  ['NLTEST_STATS_MCAST', 'u64'],
  ['NLTEST_STATS_ERRORS', 'u64'],
  ['NLTEST_STATS_DROPPED', 'u64'],
  ['NLTEST_STATS_NO_LISTENERS', 'u64'],
  ['NLTEST_STATS_STREAMS', 'u32'],
  ['NLTEST_STATS_PAD', 'binary'],
]));

export const testAttrSets: Record<string, AttrSet> = {
  nltest: keyed(attrSet('NLTEST_ATTR_', 0, [
    null,
    ['NLTEST_ATTR_DATA', 'binary', { display: 'text' }],
    // Bit 0 is group 1.
    ['NLTEST_ATTR_GROUPS', 'u32', { display: 'hex' }],
    ['NLTEST_ATTR_GROUP', 'u32'],
    ['NLTEST_ATTR_PORTID', 'u32'],
    ['NLTEST_ATTR_COUNT', 'u32'],
    ['NLTEST_ATTR_INTERVAL_MS', 'u32'],
    ['NLTEST_ATTR_INDEX', 'u32'],
    ['NLTEST_ATTR_STREAM_ID', 'u32'],
    ['NLTEST_ATTR_TIMESTAMP_NS', 'u64'],
    ['NLTEST_ATTR_RESET', 'flag'],
    ['NLTEST_ATTR_PAD', 'binary'],
  ])),
  'nltest-stats': statsSet,
};

/** Raw NETLINK_TEST groups: numbered 1..groups (module parameter, NLTEST_GROUPS_DEFAULT = 4). */
export const NLTEST_GROUPS: Record<string, number> = { group1: 1, group2: 2, group3: 3, group4: 4 };

export const testSchema: Schema = {
  protocol: NETLINK_TEST,
  name: 'test',
  messages: {
    // The classic "Hello you!" example: any payload, echoed back as is.
    0x00: { name: 'NLTEST_MSG_LEGACY_ECHO', kind: 'other', payload: 'text' },
    0x10: { name: 'NLTEST_MSG_ECHO', kind: 'other', payload: 'binary' },
    0x11: { name: 'NLTEST_MSG_MCAST', kind: 'other', attrs: 'nltest' },
    0x12: { name: 'NLTEST_MSG_STREAM', kind: 'other', attrs: 'nltest' },
    // The request carries NLTEST_ATTR_RESET; the reply NLTEST_STATS_* (see resolve).
    0x13: { name: 'NLTEST_MSG_STATS', kind: 'get', attrs: 'nltest' },
  },
  structs: {},
  attrSets: testAttrSets,
  enums: {},
  flagSets: {},
  groups: NLTEST_GROUPS,
  resolve: (type, _payload, _ctx, header) => {
    // STATS replies (no NLM_F_REQUEST) carry counters, not request attributes.
    if (type === 0x13 && !(header.flags & 0x01)) return { name: 'NLTEST_MSG_STATS', kind: 'get', attrs: 'nltest-stats' };
    return undefined;
  },
};

/** Generic netlink family "nlctl_test" (NLTEST_GENL_NAME). */
export const nlctlTestFamily: GenlFamilyDef = {
  name: 'nlctl_test',
  cmds: { 1: 'NLTEST_GENL_CMD_ECHO', 2: 'NLTEST_GENL_CMD_STATS', 3: 'NLTEST_GENL_CMD_EVENT' },
  attrs: 'nlctl_test',
  mcastGroups: ['events'],
};

export const nlctlTestAttrSets: Record<string, AttrSet> = {
  nlctl_test: keyed(attrSet('NLTEST_GENL_ATTR_', 0, [
    null,
    ['NLTEST_GENL_ATTR_MSG', 'string'],
    ['NLTEST_GENL_ATTR_STATS', 'nest', { nested: 'nltest-stats' }],
    ['NLTEST_GENL_ATTR_EVENT_SEQ', 'u32'],
    ['NLTEST_GENL_ATTR_RESET', 'flag'],
  ])),
  'nltest-stats': statsSet,
};
