// Every C name in the protocol tables, compiled against the uapi headers of the kernel the spec
// tables came from (.cache/kernel/include, the same suite's linux-libc-dev, fetched by
// scripts/kernel-source.sh), or the installed ones when that is absent: message types,
// attributes, genl commands, enum and flag values, multicast groups and struct sizes. The
// attributes and structs that rtnetlink and netfilter take from YNL specs are checked the same
// way; the enum tables of those specs carry the spec's own names and are not. A slip in a table's
// order or a renumbered constant fails here. gcc and the headers are required (installed by
// `make test-deps`): without them this test fails, it never passes silently.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as align from '../../src/codec/align.js';
import * as codec from '../../src/codec/constants.js';
import { schemaFor, structSize, type Schema } from '../../src/schema/index.js';
import * as sys from '../../src/sys/constants.js';
import { CTRL_CMDS, GENL_ID_CTRL } from '../../src/schema/protocols/generic/nlctrl.js';
import { specProvenance } from '../../src/schema/protocols/compose.js';
import { ROOT } from '../helpers.js';

/** The newer kernel's headers when fetched; spec tables name things the installed 6.1 ones lack. */
const KERNEL_INCLUDE = `${ROOT}.cache/kernel/include`;
const INCLUDE = existsSync(`${KERNEL_INCLUDE}/linux/netlink.h`) ? ['-I', KERNEL_INCLUDE] : [];
import { NF_SUBSYSTEMS } from '../../src/schema/protocols/netfilter/index.js';

const HEADERS = [
  'sys/socket.h', 'netinet/in.h',
  'linux/netlink.h', 'linux/rtnetlink.h', 'linux/if_link.h', 'linux/if_addr.h', 'linux/if_arp.h', 'linux/if.h',
  'linux/veth.h', 'linux/neighbour.h', 'linux/fib_rules.h', 'linux/lwtunnel.h', 'linux/icmpv6.h', 'linux/netconf.h',
  'linux/net_namespace.h', 'linux/genetlink.h', 'linux/inet_diag.h', 'linux/sock_diag.h', 'linux/unix_diag.h',
  'linux/netlink_diag.h', 'linux/netfilter.h', 'linux/netfilter/nfnetlink.h', 'linux/netfilter/nfnetlink_conntrack.h',
  'linux/netfilter/nf_conntrack_common.h', 'linux/netfilter/nf_conntrack_tcp.h', 'linux/netfilter/nf_tables.h',
  'linux/netfilter/nf_tables_compat.h', 'linux/netfilter/nfnetlink_queue.h', 'linux/netfilter/nfnetlink_log.h',
  'linux/netfilter/nfnetlink_acct.h', 'linux/netfilter/nfnetlink_cttimeout.h', 'linux/netfilter/nfnetlink_cthelper.h',
  'linux/netfilter/nfnetlink_hook.h', 'linux/netfilter/nfnetlink_osf.h', 'linux/netfilter/ipset/ip_set.h', 'linux/audit.h', 'linux/devlink.h',
  'linux/ethtool_netlink.h', 'linux/nl80211.h',
  'linux/pkt_sched.h', 'linux/pkt_cls.h', 'linux/gen_stats.h', 'linux/if_bridge.h', 'linux/if_tunnel.h',
  'linux/tc_act/tc_gact.h', 'linux/tc_act/tc_mpls.h', 'linux/tc_act/tc_pedit.h', 'linux/tc_act/tc_vlan.h',
  'linux/tc_act/tc_mirred.h', 'linux/tc_act/tc_bpf.h', 'linux/tc_act/tc_connmark.h', 'linux/tc_act/tc_csum.h',
  'linux/tc_act/tc_ct.h', 'linux/tc_act/tc_ctinfo.h', 'linux/tc_act/tc_gate.h', 'linux/tc_act/tc_ife.h',
  'linux/tc_act/tc_nat.h', 'linux/tc_act/tc_sample.h', 'linux/tc_act/tc_skbedit.h', 'linux/tc_act/tc_skbmod.h',
  'linux/tc_act/tc_tunnel_key.h', 'linux/tc_ematch/tc_em_meta.h', 'linux/if_addrlabel.h', 'linux/mpls.h',
  'linux/if_macsec.h', 'linux/tc_act/tc_defact.h', 'linux/dpll.h',
];

/**
 * glibc's <netinet/tcp.h> (the only home of TCP_ESTABLISHED …) clashes with <linux/tcp.h>, which
 * <linux/netfilter/nfnetlink_osf.h> pulls in: names of TCP states compile in a program of their own.
 */
const TCP_STATE_HEADERS = ['netinet/tcp.h'];

/** Protocols whose tables follow the uapi headers (test, 25, is checked against kmod/netlink_test.h in kmod-spec.test.ts). */
const PROTOCOLS = [0, 4, 9, 12, 15, 16];

/** Structs that are not uapi structs: checked by size here instead. */
const NON_UAPI_STRUCTS: Record<string, string> = {
  sk_meminfo: 'SK_MEMINFO_VARS * 4',
  udev_monitor_netlink_header: '40',
  // The kernel's struct audit_sig_info (include/linux/audit.h): uid_t, pid_t, then a flexible ctx[].
  audit_sig_info: 'sizeof(uid_t) + sizeof(pid_t)',
  // The conntrack spec's name for struct nf_ct_tcp_flags.
  nf_ct_tcp_flags_mask: 'sizeof(struct nf_ct_tcp_flags)',
  // The tc spec gives these structs' flexible array one element.
  tc_u32_sel: 'sizeof(struct tc_u32_sel) + sizeof(struct tc_u32_key)',
  tc_u32_pcnt: 'sizeof(struct tc_u32_pcnt) + sizeof(__u64)',
  tc_pedit_sel: 'sizeof(struct tc_pedit_sel) + sizeof(struct tc_pedit_key)',
};

/** Attribute sets that belong to the test module, not to the uapi headers. */
const NON_UAPI_SETS = new Set<string>();

type CName = (display: string, value: number) => string | null;
const upper = (prefix: string, over: Record<string, string> = {}): CName => (d) => over[d] ?? prefix + d.toUpperCase().replace(/[-.]/g, '_');
const TCP: Record<string, string | null> = {
  ESTAB: 'TCP_ESTABLISHED', 'SYN-SENT': 'TCP_SYN_SENT', 'SYN-RECV': 'TCP_SYN_RECV', 'FIN-WAIT-1': 'TCP_FIN_WAIT1',
  'FIN-WAIT-2': 'TCP_FIN_WAIT2', 'TIME-WAIT': 'TCP_TIME_WAIT', UNCONN: 'TCP_CLOSE', 'CLOSE-WAIT': 'TCP_CLOSE_WAIT',
  'LAST-ACK': 'TCP_LAST_ACK', LISTEN: 'TCP_LISTEN', CLOSING: 'TCP_CLOSING',
  // TCP_NEW_SYN_RECV is kernel-internal (include/net/tcp_states.h), not in glibc's <netinet/tcp.h>.
  'NEW-SYN-RECV': null,
};

/**
 * How each enum table's display names map to C names (the tables keep the names users see, like
 * `ip` prints them). A table missing from here and from NO_C_NAMES fails the test.
 */
const ENUM_CNAMES: Record<string, CName> = {
  af: (d) => d,
  operstate: upper('IF_OPER_'),
  linkmode: upper('IF_LINK_MODE_'),
  'in6-addr-gen-mode': upper('IN6_ADDR_GEN_MODE_'),
  'macvlan-mode': upper('MACVLAN_MODE_'),
  arphrd: upper('ARPHRD_', {
    'ieee802.11': 'ARPHRD_IEEE80211', 'ieee802.11/prism': 'ARPHRD_IEEE80211_PRISM', 'ieee802.11/radiotap': 'ARPHRD_IEEE80211_RADIOTAP',
    'ieee802.15.4': 'ARPHRD_IEEE802154', 'ieee802.15.4/monitor': 'ARPHRD_IEEE802154_MONITOR', tr: 'ARPHRD_IEEE802_TR',
    ipip: 'ARPHRD_TUNNEL', gre: 'ARPHRD_IPGRE', gre6: 'ARPHRD_IP6GRE',
  }),
  'ifa-proto': upper('IFAPROT_'),
  'rt-table': upper('RT_TABLE_'),
  'rt-scope': upper('RT_SCOPE_', { global: 'RT_SCOPE_UNIVERSE' }),
  rtprot: upper('RTPROT_'),
  rtn: upper('RTN_'),
  'rt-pref': upper('ICMPV6_ROUTER_PREF_'),
  'lwtunnel-encap': upper('LWTUNNEL_ENCAP_', { seg6local: 'LWTUNNEL_ENCAP_SEG6_LOCAL' }),
  'fr-act': upper('FR_ACT_'),
  'netconf-ifindex': upper('NETCONFA_IFINDEX_'),
  'nl-attr-type': upper('NL_ATTR_TYPE_'),
  'tcp-state': (d) => TCP[d] ?? null,
  'sock-type': upper('SOCK_'),
  'netlink-proto': upper('NETLINK_', { uevent: 'NETLINK_KOBJECT_UEVENT', all: 'NDIAG_PROTO_ALL', test: '' }),
  ipproto: upper('IPPROTO_'),
  nfproto: upper('NFPROTO_', { ip: 'NFPROTO_IPV4', ip6: 'NFPROTO_IPV6' }),
  'tcp-conntrack': upper('TCP_CONNTRACK_'),
  'audit-failure': upper('AUDIT_FAIL_'),
};

/** Flag tables: display name → C expression for the bit. */
const FLAG_CNAMES: Record<string, CName> = {
  iff: upper('IFF_'),
  'ifa-flags': upper('IFA_F_'),
  'rtm-flags': (d, v) => (v < 0x100 ? 'RTNH_F_' + d.toUpperCase() : d.startsWith('rt_') ? 'RTM_F_' + d.slice(3).toUpperCase() : 'RTM_F_' + d.toUpperCase()),
  'rtnh-flags': upper('RTNH_F_'),
  'rtax-features': upper('RTAX_FEATURE_'),
  nud: upper('NUD_'),
  ntf: upper('NTF_', { extern_learn: 'NTF_EXT_LEARNED', offload: 'NTF_OFFLOADED' }),
  'ntf-ext': upper('NTF_EXT_'),
  'fib-rule-flags': upper('FIB_RULE_'),
  'genl-op-flags': upper('GENL_'),
  'tcp-states': (d) => (TCP[d] ? `(1 << ${TCP[d]})` : null),
  'inet-diag-ext': (d) => `(1 << (INET_DIAG_${d.toUpperCase()} - 1))`,
  'udiag-show': upper('UDIAG_SHOW_'),
  'ndiag-show': upper('NDIAG_SHOW_'),
  'ndiag-flags': upper('NDIAG_FLAG_'),
  'ct-status': upper('IPS_'),
  'audit-status-mask': upper('AUDIT_STATUS_'),
  'audit-feature-bitmap': upper('AUDIT_FEATURE_BITMAP_'),
};

/** Tables whose names are not C identifiers of any header. */
const NO_C_NAMES = new Set([
  'inet-timer', // ss's names for idiag_timer values, no uapi enum
  'inet-sockopt', // bit fields of struct inet_diag_sockopt
  'netlink-state', // NETLINK_UNCONNECTED/CONNECTED live in net/netlink/af_netlink.h
  'audit-enabled', // 0/1/2 documented in a comment only
]);

const GROUP_CNAMES: Record<string, CName> = {
  route: upper('RTNLGRP_'),
  sock_diag: upper('SKNLGRP_'),
  netfilter: upper('NFNLGRP_'),
  audit: upper('AUDIT_NLGRP_'),
  generic: (d) => (d === 'notify' ? 'GENL_ID_CTRL' : null),
  uevent: () => null, // 1 = kernel, 2 = udev: no uapi names
};

interface Check { expr: string; want: number | bigint; where: string; unit?: 'tcp' }

function collect(): { checks: Check[]; sizes: { struct: string; expr: string; want: number; where: string }[]; problems: string[] } {
  const checks: Check[] = [];
  const sizes: { struct: string; expr: string; want: number; where: string }[] = [];
  const problems: string[] = [];
  const add = (expr: string | null, want: number, where: string) => {
    if (expr) checks.push({ expr, want, where, ...(/\bTCP_(?!CONNTRACK)[A-Z_0-9]+\b/.test(expr) ? { unit: 'tcp' as const } : {}) });
  };
  for (const p of PROTOCOLS) {
    const schema: Schema = schemaFor(p);
    for (const [n, def] of Object.entries(schema.messages)) {
      const num = Number(n);
      // Netfilter types are subsystem << 8 | message; the subsystem is checked below.
      add(def.name, p === 12 ? num & 0xff : num, `${schema.name} message ${n}`);
    }
    for (const [setName, set] of Object.entries(schema.attrSets)) {
      if (NON_UAPI_SETS.has(setName)) continue;
      for (const [n, def] of Object.entries(set.attrs)) add(def.name, Number(n), `${schema.name} attribute set '${setName}'`);
    }
    // Enum and flag tables from netlink-raw specs carry the spec's own names, which the uapi
    // headers mostly spell otherwise (rt-neigh's nud-state is NUD_*): their attributes and
    // structs are checked here, their enum names are not.
    const spec = specProvenance(schema);
    for (const [table, values] of Object.entries(schema.enums)) {
      if (table.startsWith('genl-cmd:') || NO_C_NAMES.has(table) || spec?.enums.has(table)) continue;
      const map = ENUM_CNAMES[table];
      if (!map) {
        problems.push(`${schema.name}: enum table '${table}' has no C-name mapping in uapi.test.ts (add one, or list it in NO_C_NAMES)`);
        continue;
      }
      for (const [n, d] of Object.entries(values)) add(map(d, Number(n)), Number(n), `${schema.name} enum '${table}' ${JSON.stringify(d)}`);
    }
    for (const [table, bits] of Object.entries(schema.flagSets)) {
      if (NO_C_NAMES.has(table) || spec?.flagSets.has(table)) continue;
      const map = FLAG_CNAMES[table];
      if (!map) {
        problems.push(`${schema.name}: flag table '${table}' has no C-name mapping in uapi.test.ts (add one, or list it in NO_C_NAMES)`);
        continue;
      }
      for (const [n, d] of Object.entries(bits)) add(map(d, Number(n)), Number(n), `${schema.name} flags '${table}' ${JSON.stringify(d)}`);
    }
    const gmap = GROUP_CNAMES[schema.name];
    if (schema.groups && !gmap) problems.push(`${schema.name}: groups have no C-name mapping in uapi.test.ts`);
    for (const [g, n] of Object.entries(schema.groups ?? {})) add(gmap?.(g, n) ?? null, n, `${schema.name} group '${g}'`);
    for (const [name, def] of Object.entries(schema.structs)) {
      // A struct kept apart from another family's namesake ("rt-rule:rtgenmsg") is still its C struct.
      const expr = NON_UAPI_STRUCTS[name] ?? `sizeof(struct ${name.replace(/^[^:]*:/, '')})`;
      sizes.push({ struct: name, expr, want: structSize(def, schema), where: `${schema.name} struct ${name}` });
    }
  }
  for (const [n, s] of Object.entries(NF_SUBSYSTEMS)) add(s.name, Number(n), 'netfilter subsystem');
  // Generic netlink families come from their specs (checked in spec-uapi.test.ts); nlctrl's command enum is ours.
  for (const [n, name] of Object.entries(CTRL_CMDS)) add(name, Number(n), 'nlctrl command');
  add('GENL_ID_CTRL', GENL_ID_CTRL, 'nlctrl family id');
  // The codec's <linux/netlink.h>, <linux/genetlink.h> and <linux/sock_diag.h> constants, and the alignment ones.
  for (const [name, value] of Object.entries({ ...codec, ...align })) {
    if (typeof value === 'number' && /^(NLM_F_|NLMSG_|NLA_F_|NLA_TYPE_MASK|NLA_HDRLEN|NLMSGERR_ATTR_|NETLINK_|SOL_NETLINK|GENL_|CTRL_|SOCK_DIAG_|AF_INET|AF_UNSPEC|SK_MEMINFO_|NDIAG_)/.test(name) && name !== 'NETLINK_TEST') {
      // NLA_TYPE_MASK is an int (~(…)) in C; only its low 16 bits apply to nla_type.
      add(name === 'NLA_TYPE_MASK' ? '(NLA_TYPE_MASK & 0xffff)' : name, value, 'codec constant');
    }
  }
  for (const [n, name] of Object.entries(codec.NETLINK_PROTOCOLS)) add(ENUM_CNAMES['netlink-proto'](name, Number(n)), Number(n), `codec NETLINK_PROTOCOLS ${name}`);
  return { checks, sizes, problems };
}

function cProgram(headers: string[], checks: Check[], sizes: { struct: string; expr: string }[]): string {
  const lines = headers.map((h) => `#include <${h}>`);
  lines.push('#include <stdio.h>', 'int main(void) {');
  checks.forEach((c, i) => lines.push(`  printf("v %d %lld\\n", ${i}, (long long)(${c.expr}));`));
  sizes.forEach((s, i) => lines.push(`  printf("s %d %zu\\n", ${i}, (size_t)(${s.expr}));`));
  lines.push('  return 0;', '}');
  return lines.join('\n') + '\n';
}

/** Compile and run one program; a name the headers lack fails with the table entry it came from. */
function runProgram(dir: string, name: string, source: string, labels: { expr: string; where: string }[]): string[] {
  writeFileSync(join(dir, `${name}.c`), source);
  const cc = spawnSync('gcc', ['-w', ...INCLUDE, '-o', join(dir, name), join(dir, `${name}.c`)], { encoding: 'utf8' });
  if (cc.status !== 0) {
    const undeclared = [...new Set([...cc.stderr.matchAll(/['‘]([A-Za-z0-9_]+)['’] undeclared|invalid application of ['‘]sizeof['’] to incomplete type ['‘]struct ([A-Za-z0-9_]+)['’]/g)].map((m) => m[1] ?? m[2]))];
    const where = undeclared.map((n) => `${n} (${labels.find((c) => new RegExp(`\\b${n}\\b`).test(c.expr))?.where ?? '?'})`);
    assert.fail(`names in the tables that the headers do not declare:\n  ${where.join('\n  ') || cc.stderr.slice(0, 3000)}`);
  }
  return execFileSync(join(dir, name), { encoding: 'utf8' }).trim().split('\n');
}

test('every C name and struct in the tables matches the installed uapi headers', () => {
  const gcc = spawnSync('gcc', ['--version']);
  assert.ok(!gcc.error && gcc.status === 0, 'gcc is missing: install it (make test-deps, or apt-get install gcc linux-libc-dev)');
  for (const h of ['linux/netlink.h', 'linux/rtnetlink.h', 'linux/inet_diag.h', 'linux/netfilter/nfnetlink_conntrack.h', 'linux/audit.h']) {
    const pre = spawnSync('gcc', ['-E', ...INCLUDE, '-x', 'c', '-'], { input: `#include <${h}>\n` });
    assert.equal(pre.status, 0, `header <${h}> not found: install linux-libc-dev (make test-deps)`);
  }
  const { checks, sizes, problems } = collect();
  assert.deepEqual(problems, []);
  assert.ok(checks.length > 1000, `only ${checks.length} names collected: the tables did not load`);

  const dir = mkdtempSync(join(tmpdir(), 'nlctl-uapi-'));
  const main = checks.filter((c) => !c.unit);
  const tcp = checks.filter((c) => c.unit === 'tcp');
  const wrong: string[] = [];
  const compare = (lines: string[], list: Check[]) => {
    for (const line of lines) {
      const [kind, idx, value] = line.split(' ');
      if (kind === 'v') {
        const c = list[Number(idx)];
        if (BigInt(value) !== BigInt(c.want)) wrong.push(`${c.where}: ${c.expr} is ${value} in the headers, ${c.want} in the table`);
      } else {
        const s = sizes[Number(idx)];
        if (Number(value) !== s.want) wrong.push(`${s.where}: ${s.expr} is ${value}, structSize() says ${s.want}`);
      }
    }
  };
  compare(runProgram(dir, 'names', cProgram(HEADERS, main, sizes), [...main, ...sizes]), main);
  compare(runProgram(dir, 'tcp', cProgram(TCP_STATE_HEADERS, tcp, []), tcp), tcp);
  assert.ok(tcp.length >= 20, 'TCP state names were not collected');
  assert.deepEqual(wrong, []);
});

test('the socket-level constants of src/sys match the installed libc headers', () => {
  const gcc = spawnSync('gcc', ['--version']);
  assert.ok(!gcc.error && gcc.status === 0, 'gcc is missing: install it (make test-deps, or apt-get install gcc linux-libc-dev)');
  const entries = Object.entries(sys).filter(([, v]) => typeof v === 'number') as [string, number][];
  assert.ok(entries.length > 25, `only ${entries.length} constants in src/sys/constants.ts`);
  // sockaddr_nl has no C name of its own in the table; the rest are macros of the same name.
  const expr = (name: string) => (name === 'SOCKADDR_NL_LEN' ? 'sizeof(struct sockaddr_nl)' : name);
  const checks: Check[] = entries.map(([name, want]) => ({ expr: expr(name), want, where: `src/sys/constants.ts ${name}` }));
  const headers = ['sys/socket.h', 'sys/eventfd.h', 'poll.h', 'fcntl.h', 'sched.h', 'errno.h', 'linux/netlink.h'];
  const source = '#define _GNU_SOURCE\n' + cProgram(headers, checks, []);
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-sys-'));
  const wrong: string[] = [];
  const lines = runProgram(dir, 'sys', source, checks);
  assert.equal(lines.length, checks.length, 'the check program did not print every constant');
  for (const line of lines) {
    const [, idx, value] = line.split(' ');
    const c = checks[Number(idx)];
    if (BigInt(value) !== BigInt(c.want)) wrong.push(`${c.where}: ${c.expr} is ${value} in the headers, ${c.want} in the table`);
  }
  assert.deepEqual(wrong, []);
});
