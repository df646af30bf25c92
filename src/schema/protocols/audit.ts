// NETLINK_AUDIT (9): AUDIT_* message types; text records, and struct audit_status for AUDIT_GET/SET (<linux/audit.h>).
import { enumSeq, flagBits } from '../define.js';
import { layoutResolver, type MessageLayouts } from '../layouts.js';
import type { MessageDef, Schema, StructDef } from '../types.js';
import { kindOf } from './common.js';

export const AUDIT_NAMES: Record<number, string> = {
  1000: 'AUDIT_GET', 1001: 'AUDIT_SET', 1002: 'AUDIT_LIST', 1003: 'AUDIT_ADD', 1004: 'AUDIT_DEL', 1005: 'AUDIT_USER',
  1006: 'AUDIT_LOGIN', 1007: 'AUDIT_WATCH_INS', 1008: 'AUDIT_WATCH_REM', 1009: 'AUDIT_WATCH_LIST',
  1010: 'AUDIT_SIGNAL_INFO', 1011: 'AUDIT_ADD_RULE', 1012: 'AUDIT_DEL_RULE', 1013: 'AUDIT_LIST_RULES',
  1014: 'AUDIT_TRIM', 1015: 'AUDIT_MAKE_EQUIV', 1016: 'AUDIT_TTY_GET', 1017: 'AUDIT_TTY_SET',
  1018: 'AUDIT_SET_FEATURE', 1019: 'AUDIT_GET_FEATURE', 1107: 'AUDIT_USER_AVC', 1124: 'AUDIT_USER_TTY',
  1200: 'AUDIT_DAEMON_START', 1201: 'AUDIT_DAEMON_END', 1202: 'AUDIT_DAEMON_ABORT', 1203: 'AUDIT_DAEMON_CONFIG',
  1300: 'AUDIT_SYSCALL', 1302: 'AUDIT_PATH', 1303: 'AUDIT_IPC', 1304: 'AUDIT_SOCKETCALL',
  1305: 'AUDIT_CONFIG_CHANGE', 1306: 'AUDIT_SOCKADDR', 1307: 'AUDIT_CWD', 1309: 'AUDIT_EXECVE',
  1311: 'AUDIT_IPC_SET_PERM', 1312: 'AUDIT_MQ_OPEN', 1313: 'AUDIT_MQ_SENDRECV', 1314: 'AUDIT_MQ_NOTIFY',
  1315: 'AUDIT_MQ_GETSETATTR', 1316: 'AUDIT_KERNEL_OTHER', 1317: 'AUDIT_FD_PAIR', 1318: 'AUDIT_OBJ_PID',
  1319: 'AUDIT_TTY', 1320: 'AUDIT_EOE', 1321: 'AUDIT_BPRM_FCAPS', 1322: 'AUDIT_CAPSET', 1323: 'AUDIT_MMAP',
  1324: 'AUDIT_NETFILTER_PKT', 1325: 'AUDIT_NETFILTER_CFG', 1326: 'AUDIT_SECCOMP', 1327: 'AUDIT_PROCTITLE',
  1328: 'AUDIT_FEATURE_CHANGE', 1329: 'AUDIT_REPLACE', 1330: 'AUDIT_KERN_MODULE', 1331: 'AUDIT_FANOTIFY',
  1332: 'AUDIT_TIME_INJOFFSET', 1333: 'AUDIT_TIME_ADJNTPVAL', 1334: 'AUDIT_BPF', 1335: 'AUDIT_EVENT_LISTENER',
  1336: 'AUDIT_URINGOP', 1337: 'AUDIT_OPENAT2', 1338: 'AUDIT_DM_CTRL', 1339: 'AUDIT_DM_EVENT', 1400: 'AUDIT_AVC',
  1401: 'AUDIT_SELINUX_ERR', 1402: 'AUDIT_AVC_PATH', 1403: 'AUDIT_MAC_POLICY_LOAD', 1404: 'AUDIT_MAC_STATUS',
  1405: 'AUDIT_MAC_CONFIG_CHANGE', 1406: 'AUDIT_MAC_UNLBL_ALLOW', 1407: 'AUDIT_MAC_CIPSOV4_ADD',
  1408: 'AUDIT_MAC_CIPSOV4_DEL', 1409: 'AUDIT_MAC_MAP_ADD', 1410: 'AUDIT_MAC_MAP_DEL', 1411: 'AUDIT_MAC_IPSEC_ADDSA',
  1412: 'AUDIT_MAC_IPSEC_DELSA', 1413: 'AUDIT_MAC_IPSEC_ADDSPD', 1414: 'AUDIT_MAC_IPSEC_DELSPD',
  1415: 'AUDIT_MAC_IPSEC_EVENT', 1416: 'AUDIT_MAC_UNLBL_STCADD', 1417: 'AUDIT_MAC_UNLBL_STCDEL',
  1418: 'AUDIT_MAC_CALIPSO_ADD', 1419: 'AUDIT_MAC_CALIPSO_DEL', 1700: 'AUDIT_ANOM_PROMISCUOUS',
  1701: 'AUDIT_ANOM_ABEND', 1702: 'AUDIT_ANOM_LINK', 1703: 'AUDIT_ANOM_CREAT', 1800: 'AUDIT_INTEGRITY_DATA',
  1801: 'AUDIT_INTEGRITY_METADATA', 1802: 'AUDIT_INTEGRITY_STATUS', 1803: 'AUDIT_INTEGRITY_HASH',
  1804: 'AUDIT_INTEGRITY_PCR', 1805: 'AUDIT_INTEGRITY_RULE', 1806: 'AUDIT_INTEGRITY_EVM_XATTR',
  1807: 'AUDIT_INTEGRITY_POLICY_RULE', 2000: 'AUDIT_KERNEL',
};

const AUDIT_GET = 1000;

/** Control messages whose payload is a struct; everything else is a text record. */
const STRUCT_PAYLOADS: Record<number, Partial<MessageDef>> = {
  [AUDIT_GET]: { header: 'audit_status', kind: 'get' },
  1001: { header: 'audit_status', kind: 'new' },
  1010: { header: 'audit_sig_info' },
  // struct audit_rule_data: variable length with a string buffer; shown as bytes.
  1002: { payload: 'binary' },
  1003: { payload: 'binary' },
  1004: { payload: 'binary' },
  1011: { payload: 'binary' },
  1012: { payload: 'binary' },
  1013: { payload: 'binary' },
  1016: { header: 'audit_tty_status' },
  1017: { header: 'audit_tty_status' },
  1018: { header: 'audit_features' },
  1019: { header: 'audit_features' },
};

const messages: Record<number, MessageDef> = {};
for (const [n, name] of Object.entries(AUDIT_NAMES)) {
  messages[Number(n)] = { name, kind: kindOf(name), payload: 'text', ...STRUCT_PAYLOADS[Number(n)] };
}

const structs: Record<string, StructDef> = {
  audit_status: {
    name: 'audit_status',
    fields: [
      { name: 'mask', type: 'u32', flags: 'audit-status-mask' },
      { name: 'enabled', type: 'u32', enum: 'audit-enabled' },
      { name: 'failure', type: 'u32', enum: 'audit-failure' },
      { name: 'pid', type: 'u32' },
      { name: 'rate_limit', type: 'u32' },
      { name: 'backlog_limit', type: 'u32' },
      { name: 'lost', type: 'u32' },
      { name: 'backlog', type: 'u32' },
      // A union with the deprecated `version`.
      { name: 'feature_bitmap', type: 'u32', flags: 'audit-feature-bitmap' },
      { name: 'backlog_wait_time', type: 'u32' },
      { name: 'backlog_wait_time_actual', type: 'u32' },
    ],
  },
  audit_tty_status: {
    name: 'audit_tty_status',
    fields: [{ name: 'enabled', type: 'u32' }, { name: 'log_passwd', type: 'u32' }],
  },
  audit_features: {
    name: 'audit_features',
    fields: ['vers', 'mask', 'features', 'lock'].map((name) => ({ name, type: 'u32' as const })),
  },
  audit_sig_info: {
    name: 'audit_sig_info',
    fields: [
      { name: 'uid', type: 'u32' },
      { name: 'pid', type: 's32' },
      { name: 'ctx', type: 'string' },
    ],
  },
};

/** User-space (1100–1199, 2100–2999) and kernel (1300–2099) records are text even when unnamed here. */
/** The AUDIT_GET request is empty (only the reply carries struct audit_status); user and daemon record numbers no table lists are text. */
const AUDIT_GET_LAYOUT: MessageDef = { name: 'AUDIT_GET', kind: 'get' };
export const auditLayouts: MessageLayouts = {
  empty: { [AUDIT_GET]: { request: AUDIT_GET_LAYOUT, reply: AUDIT_GET_LAYOUT } },
  unknown: { known: messages, layout: { name: '', kind: 'other', payload: 'text' }, ranges: [[1100, 1199], [1200, 2999]] },
};

export const auditSchema: Schema = {
  protocol: 9,
  name: 'audit',
  messages,
  structs,
  attrSets: {},
  enums: {
    'audit-enabled': enumSeq(0, ['disabled', 'enabled', 'locked']),
    'audit-failure': enumSeq(0, ['silent', 'printk', 'panic']),
  },
  flagSets: {
    'audit-status-mask': flagBits([
      'enabled', 'failure', 'pid', 'rate_limit', 'backlog_limit', 'backlog_wait_time', 'lost', 'backlog_wait_time_actual',
    ]),
    'audit-feature-bitmap': flagBits([
      'backlog_limit', 'backlog_wait_time', 'executable_path', 'exclude_extend', 'sessionid_filter', 'lost_reset', 'filter_fs',
    ]),
  },
  // AUDIT_NLGRP_READLOG: read-only copies of kernel records.
  groups: { readlog: 1 },
  resolve: layoutResolver(auditLayouts),
};
