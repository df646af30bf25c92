#!/usr/bin/env node
// Writes src/input/strace/cnames.json: the value of every integer constant (enum member or
// object-like macro) that the netlink uapi headers define, by C name. strace prints these names
// (RTM_NEWLINK, IFF_UP, AF_INET, IFLA_IFNAME …) where the bytes held numbers; turning its text
// back into bytes needs their values. The values come from gcc itself, compiling the headers.
//
//   node scripts/gen-cnames.mjs [INCLUDE_DIR]   (default: .cache/kernel/include from scripts/kernel-source.sh)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const include = process.argv[2] ?? '.cache/kernel/include';
if (!existsSync(join(include, 'linux/netlink.h'))) {
  console.error(`gen-cnames: no uapi headers in ${include} (run scripts/kernel-source.sh first)`);
  process.exit(1);
}
const HEADERS = [
  'sys/socket.h', 'netinet/in.h', 'linux/errno.h', 'linux/netlink.h', 'linux/rtnetlink.h', 'linux/if_link.h', 'linux/if_addr.h',
  'linux/neighbour.h', 'linux/fib_rules.h', 'linux/genetlink.h', 'linux/sock_diag.h', 'linux/inet_diag.h',
  'linux/unix_diag.h', 'linux/netlink_diag.h', 'linux/packet_diag.h', 'linux/smc_diag.h', 'linux/if.h', 'linux/if_arp.h',
  'linux/lwtunnel.h', 'linux/nexthop.h', 'linux/net_namespace.h', 'linux/netconf.h', 'linux/mpls.h',
  'linux/ethtool_netlink.h', 'linux/netdev.h', 'linux/devlink.h', 'linux/nl80211.h', 'linux/tcp_metrics.h',
  'linux/mptcp.h', 'linux/audit.h', 'linux/pkt_sched.h', 'linux/pkt_cls.h', 'linux/if_addrlabel.h', 'linux/dcbnl.h',
  'linux/if_bridge.h', 'linux/if_tunnel.h', 'linux/veth.h', 'linux/xfrm.h', 'linux/ioam6_genl.h', 'linux/seg6_genl.h',
  'linux/taskstats.h', 'linux/thermal.h', 'linux/tc_act/tc_gact.h', 'linux/tc_act/tc_mirred.h',
  'linux/netfilter/nfnetlink.h', 'linux/netfilter/nf_tables.h', 'linux/netfilter/nfnetlink_conntrack.h',
  'linux/netfilter/nfnetlink_log.h', 'linux/netfilter/nfnetlink_queue.h', 'linux/netfilter/ipset/ip_set.h',
  'linux/ipv6.h', 'linux/snmp.h', 'linux/if_ether.h', 'linux/in_route.h', 'linux/icmpv6.h', 'netinet/tcp.h', 'linux/fou.h', 'linux/wireguard.h',
].filter((h) => h.startsWith('sys/') || h.startsWith('netinet/') || existsSync(join(include, h)));

const dir = mkdtempSync(join(tmpdir(), 'nlctl-cnames-'));
// A few headers use helpers they do not define (SIOCDEVPRIVATE, and BIT/GENMASK in newer ones).
const prelude = '#include <linux/sockios.h>\n#ifndef BIT\n#define BIT(n) (1ULL << (n))\n#endif\n#ifndef GENMASK\n#define GENMASK(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))\n#endif\n';
const includes = prelude + HEADERS.map((h) => `#include <${h}>`).join('\n') + '\n';
const gcc = (args, input) => execFileSync('gcc', ['-I', include, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });

// Candidates: object-like macros and enum members, upper-case names only.
const names = new Set();
for (const line of gcc(['-dM', '-E', '-x', 'c', '-'], includes).split('\n')) {
  const m = /^#define ([A-Z][A-Z0-9_]*) (.+)$/.exec(line);
  if (m && !m[1].startsWith('_')) names.add(m[1]);
}
const pre = gcc(['-E', '-P', '-x', 'c', '-'], includes);
for (const body of pre.matchAll(/\benum\b[^{;]*\{([^}]*)\}/g)) {
  for (const item of body[1].split(',')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\b/.exec(item);
    if (m) names.add(m[1]);
  }
}

// Compile a printer; drop the names gcc rejects (strings, structs, casts to pointers) and retry.
let list = [...names].sort();
for (let round = 0; round < 20; round++) {
  const body = list.map((n) => `  P(${n});`).join('\n');
  const src = `${includes}#include <stdio.h>\n#define P(x) printf("%s %lld\\n", #x, (long long)(x))\nint main(void) {\n${body}\n  return 0;\n}\n`;
  const file = join(dir, 'p.c');
  writeFileSync(file, src);
  const cc = spawnSync('gcc', ['-I', include, '-w', '-o', join(dir, 'p'), file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (cc.status === 0) break;
  if (process.env.DEBUG) console.error(round, list.length, cc.stderr.split("\n").filter(l => /error/.test(l)).slice(0, 3).join("\n"));
  const offset = src.slice(0, src.indexOf('  P(')).split('\n').length;
  const bad = new Set();
  // Errors land in the headers or on P's definition; the p.c lines named in the notes are the culprits.
  for (const m of cc.stderr.matchAll(/p\.c:(\d+):\d+:/g)) if (Number(m[1]) >= offset) bad.add(Number(m[1]) - offset);
  if (bad.size === 0) throw new Error(cc.stderr.slice(0, 2000));
  list = list.filter((_, i) => !bad.has(i));
}
const out = {};
for (const line of execFileSync(join(dir, 'p'), { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
  const [name, value] = line.split(' ');
  if (name) out[name] = Number(value);
}
const version = existsSync(join(include, '..', 'VERSION')) ? readFileSync(join(include, '..', 'VERSION'), 'utf8').trim() : 'installed headers';
writeFileSync('src/input/strace/cnames.json', JSON.stringify({ source: version, headers: HEADERS, values: out }) + '\n');
console.log(`gen-cnames: ${Object.keys(out).length} names from ${HEADERS.length} headers (${version})`);
