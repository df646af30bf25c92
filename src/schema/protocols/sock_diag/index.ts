// NETLINK_SOCK_DIAG (4): SOCK_DIAG_BY_FAMILY requests and replies for inet, unix and netlink sockets (<linux/sock_diag.h>).
import { NETLINK_PROTOCOLS, SOCK_DIAG_BY_FAMILY } from '../../../codec/index.js';
import { enumSeq } from '../../define.js';
import { layoutResolver, type MessageLayouts, type OpLayout } from '../../layouts.js';
import type { Schema, StructDef } from '../../types.js';
import { AF } from '../route/constants.js';
import { inetAttrSets, inetEnums, inetFlagSets, inetStructs } from './inet.js';
import { netlinkAttrSets, netlinkFlagSets, netlinkStateEnum, netlinkStructs } from './netlink.js';
import { unixAttrSets, unixFlagSets, unixStructs } from './unix.js';

const SOCK_DESTROY = 21;

/** Socket states (TCP_ESTABLISHED … TCP_NEW_SYN_RECV, also used by unix sockets), as ss names them. */
const TCP_STATES = [
  null, 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT',
  'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV',
];

const commonStructs: Record<string, StructDef> = {
  // The u32 array of SK_MEMINFO_VARS values (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO, NETLINK_DIAG_MEMINFO).
  sk_meminfo: {
    name: 'sk_meminfo',
    fields: ['rmem_alloc', 'rcvbuf', 'wmem_alloc', 'sndbuf', 'fwd_alloc', 'wmem_queued', 'optmem', 'backlog', 'drops']
      .map((name) => ({ name, type: 'u32' as const })),
  },
};

/** By the family byte every request and reply starts with; requests and replies share the type. */
const BY_FAMILY: Record<number, OpLayout> = {
  1: {
    request: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'get', header: 'unix_diag_req' },
    reply: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'other', header: 'unix_diag_msg', attrs: 'unix-diag' },
  },
  2: {
    request: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'get', header: 'inet_diag_req_v2', attrs: 'inet-diag-req' },
    reply: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'other', header: 'inet_diag_msg', attrs: 'inet-diag' },
  },
  16: {
    request: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'get', header: 'netlink_diag_req' },
    reply: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'other', header: 'netlink_diag_msg', attrs: 'netlink-diag' },
  },
};
BY_FAMILY[10] = BY_FAMILY[2];

/** SOCK_DIAG_BY_FAMILY by its family byte; the old TCPDIAG/DCCPDIAG replies are inet_diag_msg too. */
export const sockDiagLayouts: MessageLayouts = {
  types: {
    18: { withPayload: true, reply: { ...BY_FAMILY[2].reply!, name: 'TCPDIAG_GETSOCK' } },
    19: { withPayload: true, reply: { ...BY_FAMILY[2].reply!, name: 'DCCPDIAG_GETSOCK' } },
    [SOCK_DIAG_BY_FAMILY]: { withPayload: true, select: { offset: 0, cases: BY_FAMILY } },
  },
};

export const sockDiagSchema: Schema = {
  protocol: 4,
  name: 'sock_diag',
  messages: {
    18: { name: 'TCPDIAG_GETSOCK', kind: 'get', header: 'inet_diag_req', attrs: 'inet-diag-req' },
    19: { name: 'DCCPDIAG_GETSOCK', kind: 'get', header: 'inet_diag_req', attrs: 'inet-diag-req' },
    [SOCK_DIAG_BY_FAMILY]: { name: 'SOCK_DIAG_BY_FAMILY', kind: 'get' },
    [SOCK_DESTROY]: { name: 'SOCK_DESTROY', kind: 'del', header: 'inet_diag_req_v2', attrs: 'inet-diag-req' },
  },
  structs: { ...commonStructs, ...inetStructs, ...unixStructs, ...netlinkStructs },
  attrSets: { ...inetAttrSets, ...unixAttrSets, ...netlinkAttrSets },
  enums: {
    af: AF,
    'tcp-state': enumSeq(0, TCP_STATES),
    'sock-type': { 1: 'stream', 2: 'dgram', 3: 'raw', 4: 'rdm', 5: 'seqpacket', 6: 'dccp', 10: 'packet' },
    'netlink-proto': { ...NETLINK_PROTOCOLS, 255: 'all' },
    'netlink-state': netlinkStateEnum(enumSeq(0, TCP_STATES)),
    ...inetEnums,
  },
  flagSets: {
    // idiag_states / udiag_states: bit n is state n.
    'tcp-states': Object.fromEntries(TCP_STATES.flatMap((n, i) => (n ? [[2 ** i, n]] : []))),
    ...inetFlagSets,
    ...unixFlagSets,
    ...netlinkFlagSets,
  },
  // SKNLGRP_*: socket destruction notifications.
  groups: { 'inet-tcp-destroy': 1, 'inet-udp-destroy': 2, 'inet6-tcp-destroy': 3, 'inet6-udp-destroy': 4 },
  resolve: layoutResolver(sockDiagLayouts),
};
