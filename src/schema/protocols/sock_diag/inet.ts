// inet_diag: struct inet_diag_req_v2 / inet_diag_msg + INET_DIAG_* attributes (<linux/inet_diag.h>).
import { attrSet, flagBits } from '../../define.js';
import type { AttrSet, FieldDef, StructDef } from '../../types.js';
import { IPPROTO, keyed } from '../common.js';

/**
 * struct inet_diag_sockid, whose addresses are 16 bytes for both families: AF_INET uses the first 4.
 * Flattened into the request and reply so that records get sport/dport/src/dst at the top level.
 */
function sockid(familyField: string): FieldDef[] {
  return [
    { name: 'idiag_sport', type: 'u16', be: true, key: 'sport' },
    { name: 'idiag_dport', type: 'u16', be: true, key: 'dport' },
    { name: 'idiag_src', type: 'binary', size: 16, display: 'inet-addr16', familyField, key: 'src' },
    { name: 'idiag_dst', type: 'binary', size: 16, display: 'inet-addr16', familyField, key: 'dst' },
    { name: 'idiag_if', type: 'u32', key: 'ifindex' },
    // Two u32 in host order; INET_DIAG_NOCOOKIE (~0U twice) in requests that match any socket.
    { name: 'idiag_cookie', type: 'u64', display: 'hex', key: 'cookie' },
  ];
}

export const inetStructs: Record<string, StructDef> = {
  inet_diag_sockid: { name: 'inet_diag_sockid', fields: sockid('') },
  inet_diag_req_v2: {
    name: 'inet_diag_req_v2',
    fields: [
      { name: 'sdiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'sdiag_protocol', type: 'u8', enum: 'ipproto', key: 'protocol' },
      { name: 'idiag_ext', type: 'u8', flags: 'inet-diag-ext', key: 'ext' },
      { name: 'idiag_states', type: 'u32', pad: 1, flags: 'tcp-states', key: 'states' },
      ...sockid('sdiag_family'),
    ],
  },
  // The old TCPDIAG_GETSOCK / DCCPDIAG_GETSOCK request.
  inet_diag_req: {
    name: 'inet_diag_req',
    fields: [
      { name: 'idiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'idiag_src_len', type: 'u8', key: 'src_len' },
      { name: 'idiag_dst_len', type: 'u8', key: 'dst_len' },
      { name: 'idiag_ext', type: 'u8', flags: 'inet-diag-ext', key: 'ext' },
      ...sockid('idiag_family'),
      { name: 'idiag_states', type: 'u32', flags: 'tcp-states', key: 'states' },
      { name: 'idiag_dbs', type: 'u32', key: 'dbs' },
    ],
  },
  inet_diag_msg: {
    name: 'inet_diag_msg',
    fields: [
      { name: 'idiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'idiag_state', type: 'u8', enum: 'tcp-state', key: 'state' },
      { name: 'idiag_timer', type: 'u8', enum: 'inet-timer', key: 'timer' },
      { name: 'idiag_retrans', type: 'u8', key: 'retrans' },
      ...sockid('idiag_family'),
      { name: 'idiag_expires', type: 'u32', key: 'expires' },
      { name: 'idiag_rqueue', type: 'u32', key: 'rqueue' },
      { name: 'idiag_wqueue', type: 'u32', key: 'wqueue' },
      { name: 'idiag_uid', type: 'u32', key: 'uid' },
      { name: 'idiag_inode', type: 'u32', key: 'inode' },
    ],
  },
  inet_diag_meminfo: {
    name: 'inet_diag_meminfo',
    fields: ['idiag_rmem', 'idiag_wmem', 'idiag_fmem', 'idiag_tmem'].map((name) => ({ name, type: 'u32' as const })),
  },
  tcpvegas_info: {
    name: 'tcpvegas_info',
    fields: ['tcpv_enabled', 'tcpv_rttcnt', 'tcpv_rtt', 'tcpv_minrtt'].map((name) => ({ name, type: 'u32' as const })),
  },
  tcp_dctcp_info: {
    name: 'tcp_dctcp_info',
    fields: [
      { name: 'dctcp_enabled', type: 'u16' },
      { name: 'dctcp_ce_state', type: 'u16' },
      { name: 'dctcp_alpha', type: 'u32' },
      { name: 'dctcp_ab_ecn', type: 'u32' },
      { name: 'dctcp_ab_tot', type: 'u32' },
    ],
  },
  tcp_bbr_info: {
    name: 'tcp_bbr_info',
    fields: ['bbr_bw_lo', 'bbr_bw_hi', 'bbr_min_rtt', 'bbr_pacing_gain', 'bbr_cwnd_gain'].map((name) => ({ name, type: 'u32' as const })),
  },
};

export const inetAttrSets: Record<string, AttrSet> = {
  'inet-diag': keyed(attrSet('INET_DIAG_', 0, [
    null,
    ['INET_DIAG_MEMINFO', 'struct', { struct: 'inet_diag_meminfo' }],
    // struct tcp_info grows with every kernel; left as bytes.
    ['INET_DIAG_INFO', 'binary'],
    ['INET_DIAG_VEGASINFO', 'struct', { struct: 'tcpvegas_info' }],
    ['INET_DIAG_CONG', 'string'],
    ['INET_DIAG_TOS', 'u8', { display: 'hex' }],
    ['INET_DIAG_TCLASS', 'u8', { display: 'hex' }],
    ['INET_DIAG_SKMEMINFO', 'struct', { struct: 'sk_meminfo' }],
    ['INET_DIAG_SHUTDOWN', 'u8'],
    ['INET_DIAG_DCTCPINFO', 'struct', { struct: 'tcp_dctcp_info' }],
    ['INET_DIAG_PROTOCOL', 'u8', { enum: 'ipproto' }],
    ['INET_DIAG_SKV6ONLY', 'u8'],
    ['INET_DIAG_LOCALS', 'binary'],
    ['INET_DIAG_PEERS', 'binary'],
    ['INET_DIAG_PAD', 'binary'],
    ['INET_DIAG_MARK', 'u32', { display: 'hex' }],
    ['INET_DIAG_BBRINFO', 'struct', { struct: 'tcp_bbr_info' }],
    ['INET_DIAG_CLASS_ID', 'u32'],
    ['INET_DIAG_MD5SIG', 'binary'],
    ['INET_DIAG_ULP_INFO', 'nest', { nested: 'inet-ulp-info' }],
    ['INET_DIAG_SK_BPF_STORAGES', 'nest'],
    ['INET_DIAG_CGROUP_ID', 'u64'],
    // struct inet_diag_sockopt: two bytes of bit fields, read as one little-endian bitmask.
    ['INET_DIAG_SOCKOPT', 'u16', { flags: 'inet-sockopt' }],
  ])),
  'inet-diag-req': keyed(attrSet('INET_DIAG_REQ_', 0, [
    null,
    ['INET_DIAG_REQ_BYTECODE', 'binary'],
    ['INET_DIAG_REQ_SK_BPF_STORAGES', 'nest'],
    ['INET_DIAG_REQ_PROTOCOL', 'u32', { enum: 'ipproto' }],
  ])),
  'inet-ulp-info': keyed(attrSet('INET_ULP_INFO_', 0, [
    null,
    ['INET_ULP_INFO_NAME', 'string'],
    ['INET_ULP_INFO_TLS', 'nest'],
    ['INET_ULP_INFO_MPTCP', 'nest'],
  ])),
};

export const inetEnums: Record<string, Record<number, string>> = {
  // idiag_timer, as ss names it.
  'inet-timer': { 0: 'off', 1: 'on', 2: 'keepalive', 3: 'timewait', 4: 'persist' },
  ipproto: IPPROTO,
};

export const inetFlagSets: Record<string, Record<number, string>> = {
  // idiag_ext: bit n-1 asks for INET_DIAG_n.
  'inet-diag-ext': flagBits(['meminfo', 'info', 'vegasinfo', 'cong', 'tos', 'tclass', 'skmeminfo', 'shutdown']),
  'inet-sockopt': flagBits([
    'recverr', 'is_icsk', 'freebind', 'hdrincl', 'mc_loop', 'transparent', 'mc_all', 'nodefrag',
    'bind_address_no_port', 'recverr_rfc4884', 'defer_connect',
  ]),
};
