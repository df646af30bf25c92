// netlink_diag: struct netlink_diag_req / netlink_diag_msg + NETLINK_DIAG_* attributes (<linux/netlink_diag.h>).
import { attrSet, flagBits } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';
import { keyed } from '../common.js';

export const netlinkStructs: Record<string, StructDef> = {
  netlink_diag_req: {
    name: 'netlink_diag_req',
    fields: [
      { name: 'sdiag_family', type: 'u8', enum: 'af', key: 'family' },
      // NDIAG_PROTO_ALL (255) asks for every protocol.
      { name: 'sdiag_protocol', type: 'u8', enum: 'netlink-proto', key: 'protocol' },
      { name: 'ndiag_ino', type: 'u32', pad: 2, key: 'ino' },
      { name: 'ndiag_show', type: 'u32', flags: 'ndiag-show', key: 'show' },
      { name: 'ndiag_cookie', type: 'u64', display: 'hex', key: 'cookie' },
    ],
  },
  netlink_diag_msg: {
    name: 'netlink_diag_msg',
    fields: [
      { name: 'ndiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'ndiag_type', type: 'u8', enum: 'sock-type', key: 'type' },
      { name: 'ndiag_protocol', type: 'u8', enum: 'netlink-proto', key: 'protocol' },
      { name: 'ndiag_state', type: 'u8', enum: 'netlink-state', key: 'state' },
      { name: 'ndiag_portid', type: 'u32', key: 'portid' },
      { name: 'ndiag_dst_portid', type: 'u32', key: 'dst_portid' },
      { name: 'ndiag_dst_group', type: 'u32', key: 'dst_group' },
      { name: 'ndiag_ino', type: 'u32', key: 'ino' },
      { name: 'ndiag_cookie', type: 'u64', display: 'hex', key: 'cookie' },
    ],
  },
  netlink_diag_ring: {
    name: 'netlink_diag_ring',
    fields: ['ndr_block_size', 'ndr_block_nr', 'ndr_frame_size', 'ndr_frame_nr'].map((name) => ({ name, type: 'u32' as const })),
  },
};

export const netlinkAttrSets: Record<string, AttrSet> = {
  // The first attribute is type 0 (there is no NETLINK_DIAG_NONE).
  'netlink-diag': keyed(attrSet('NETLINK_DIAG_', 0, [
    ['NETLINK_DIAG_MEMINFO', 'struct', { struct: 'sk_meminfo' }],
    // A bitmap of unsigned longs: bit n-1 is group n.
    ['NETLINK_DIAG_GROUPS', 'binary', { display: 'bitmap' }],
    ['NETLINK_DIAG_RX_RING', 'struct', { struct: 'netlink_diag_ring' }],
    ['NETLINK_DIAG_TX_RING', 'struct', { struct: 'netlink_diag_ring' }],
    ['NETLINK_DIAG_FLAGS', 'u32', { flags: 'ndiag-flags' }],
  ])),
};

/** ndiag_state: older kernels send NETLINK_UNCONNECTED (0) / NETLINK_CONNECTED (1), newer ones TCP_CLOSE (7) / TCP_ESTABLISHED (1). */
export const netlinkStateEnum = (tcpStates: Record<number, string>): Record<number, string> => ({ ...tcpStates, 0: 'UNCONN' });

export const netlinkFlagSets: Record<string, Record<number, string>> = {
  'ndiag-show': flagBits(['meminfo', 'groups', 'ring_cfg', 'flags']),
  'ndiag-flags': flagBits(['cb_running', 'pktinfo', 'broadcast_error', 'no_enobufs', 'listen_all_nsid', 'cap_ack']),
};
