// strace run live, in a fresh network namespace, over ip and genl and ethtool: each command is
// traced twice — once as strace prints by default (its own rendering of the messages), once with
// hex dumps of every buffer (-e read=all -e write=all) — and `nlctl decode -j` of the two traces
// must give the same messages and values, field by field. A trace with a small -s must flag what
// strace cut short, and show no value made of bytes strace did not print.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NLCTL, requireNamespaces, requireTool, vethPair } from '../helpers.js';

type Json = any;

const CALLS = 'sendto,sendmsg,recvmsg,recvfrom';
const COMMANDS: Record<string, string> = {
  'ip-link': 'ip link',
  'ip-addr': 'ip addr',
  'ip-route': 'ip route',
  genl: 'genl ctrl list',
  // Beyond those four: fib_rule_hdr has reserved bytes strace does not print, netconfmsg is one
  // byte padded to four, and ip -d adds the veth's link info.
  'ip-rule': 'ip rule',
  'ip-netconf': 'ip netconf',
  'ip-d-link': 'ip -d link',
};

/**
 * Values that legitimately differ between two runs of the same command, and only those:
 * - nlmsg_seq: iproute2 seeds it with time(NULL), so it moves when a second passes between runs;
 * - nlmsg_pid: the sender's port id, the traced process's pid (or a random one for a second socket);
 * - the interface counters: packets and bytes (IFLA_STATS, IFLA_STATS64), the IPv6 stack's MIB
 *   counters (IFLA_INET6_STATS, IFLA_INET6_ICMP6STATS), which the router solicitations and MLD
 *   reports the kernel sends on a new link advance between the two runs;
 * - IFLA_INET6_CACHEINFO: its tstamp (jiffies of the last change) and reachable_time, which the
 *   kernel re-randomises; IFA_CACHEINFO and RTA_CACHEINFO, timestamps and lifetimes in jiffies.
 */
const VOLATILE_MESSAGE_FIELDS = new Set(['seq', 'pid']);
const VOLATILE_ATTRS = new Set(['IFLA_STATS', 'IFLA_STATS64', 'IFLA_INET6_STATS', 'IFLA_INET6_ICMP6STATS', 'IFLA_INET6_CACHEINFO', 'IFA_CACHEINFO', 'RTA_CACHEINFO']);

/** Diagnostics of the rendering that say only how strace printed, not that anything is unknown. */
const RENDERING_NOTES = [
  // iproute2 sends its request from a larger zeroed buffer; strace shows the message, then stops.
  /the call moved \d+ bytes; strace printed \d+ of them, the rest is missing/,
  // strace prints the interface's name; decode reads its index in the namespace it runs in.
  /if_nametoindex\("[^"]+"\) read as \d+, the index it has on this machine/,
];

/**
 * Sets up the namespace (lo, a veth pair veth0/veth1 up with an IPv4 address and a route; IPv6
 * duplicate address detection off so that no address is tentative in one run and not the next),
 * then runs `body` there; decode runs in the same namespace, where the interface names resolve.
 */
function inNamespace(dir: string, body: string): void {
  const script = `
    cd ${dir}
    ${vethPair('veth0', 'veth1')}
    ip addr add 10.9.0.1/24 dev veth0
    ip route add 10.10.0.0/16 via 10.9.0.2
    decode() { node ${NLCTL} decode -j "$1" > "$1.json" 2> "$1.err" || echo "exit $?" >> "$1.err"; }
    ${body}
  `;
  execFileSync('unshare', ['-n', 'sh', '-ec', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
}

/**
 * The tools, present: under CI, or as root (where `make test` installs them), a missing one is a
 * failure, never a pass or a skip; elsewhere the test is skipped, loudly.
 */
function requireTools(t: TestContext, tools: string[]): boolean {
  for (const tool of tools) {
    if (process.getuid?.() === 0 && spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`needs '${tool}' (scripts/install-test-deps.sh installs it: make test-deps); nothing was traced`);
    }
    if (!requireTool(t, tool)) return false;
  }
  return true;
}

function setup(t: TestContext, tools: string[] = []): string | undefined {
  if (!requireNamespaces(t) || !requireTools(t, ['strace', 'ip', 'genl', ...tools])) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-strace-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function decoded(dir: string, name: string): Json[] {
  const err = readFileSync(join(dir, `${name}.err`), 'utf8');
  assert.doesNotMatch(err, /exit \d/, `nlctl decode ${name}: ${err}`);
  const messages = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  assert.ok(Array.isArray(messages) && messages.length > 0, `${name}: strace recorded netlink messages`);
  return messages;
}

const trace = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

/** Every difference between two decoded messages, but for the volatile values; diagnostics apart. */
function differences(a: Json, b: Json, path: string, out: string[]): void {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
    return;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} ≠ ${b.length} elements`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (a && typeof a === 'object') {
    const isMessage = 'nlmsg' in a || ('flag_names' in a && 'protocol' in a);
    const volatile = typeof a.name === 'string' && VOLATILE_ATTRS.has(a.name);
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (k === 'diagnostics') continue;
      if (isMessage && VOLATILE_MESSAGE_FIELDS.has(k)) continue;
      if (volatile && (k === 'value' || k === 'attrs' || k === 'hex')) continue;
      if (!(k in a) || !(k in b)) out.push(`${path}.${k}: only in the ${k in a ? 'rendering' : 'hex dump'}`);
      else differences(a[k], b[k], `${path}.${k}`, out);
    }
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
}

const label = (m: Json, i: number) => `message ${i} (${m.type_name ?? m.type}${m.family ? ` ${m.family}` : ''}, ${m.meta?.direction})`;

/** Every diagnostic of a message, its attributes' included. */
function allDiagnostics(x: Json): string[] {
  const own: string[] = (x.diagnostics ?? []).map((d: Json) => d.message);
  return [...own, ...(x.attrs ?? []).flatMap(allDiagnostics), ...(x.error?.request ? allDiagnostics(x.error.request) : [])];
}

/** The default rendering and the hex dumps decode to the same messages and values. */
function assertSameDecode(rendering: Json[], dumps: Json[], what: string): void {
  assert.equal(rendering.length, dumps.length, `${what}: as many messages from the rendering as from the hex dumps`);
  for (let i = 0; i < dumps.length; i++) {
    const diffs: string[] = [];
    differences(rendering[i], dumps[i], '', diffs);
    assert.deepEqual(diffs, [], `${what}, ${label(dumps[i], i)} differs`);
    // The dumps are the bytes themselves: what the decoder says of them it must say of the rebuilt ones.
    assert.deepEqual(allDiagnostics(rendering[i]).filter((d) => !d.startsWith('strace line')), allDiagnostics(dumps[i]), `${what}, ${label(dumps[i], i)}: the decoder's own diagnostics`);
    for (const d of allDiagnostics(rendering[i]).filter((x) => x.startsWith('strace line'))) {
      assert.ok(RENDERING_NOTES.some((re) => re.test(d)), `${what}, ${label(dumps[i], i)}: strace printed this whole, yet: ${d}`);
    }
  }
}

test('ip link, addr, route, rule, netconf and genl ctrl list: strace rendering and hex dumps decode alike', (t) => {
  const dir = setup(t);
  if (!dir) return;
  const runs = Object.entries(COMMANDS).map(([name, cmd]) => `
    strace -f -e trace=${CALLS} -s 65536 -o ${name}.f1 ${cmd} >/dev/null
    strace -f -e trace=${CALLS} -e read=all -e write=all -s 65536 -o ${name}.f2 ${cmd} >/dev/null
    decode ${name}.f1; decode ${name}.f2`);
  inNamespace(dir, runs.join('\n'));
  for (const name of Object.keys(COMMANDS)) {
    assert.doesNotMatch(trace(dir, `${name}.f1`), /^\s*\| 00000/m, `${name}.f1 is strace's rendering alone`);
    assert.match(trace(dir, `${name}.f2`), /^\s*\| 00000/m, `${name}.f2 has hex dumps`);
    const f1 = decoded(dir, `${name}.f1`);
    const f2 = decoded(dir, `${name}.f2`);
    assertSameDecode(f1, f2, name);
    assert.ok(f2.some((m) => m.meta.direction === 'out') && f2.some((m) => m.meta.direction === 'in'), `${name}: requests and replies`);
  }
  // The content the namespace was given is there, by name and value, in both.
  for (const suffix of ['f1', 'f2']) {
    const links: string[] = decoded(dir, `ip-link.${suffix}`).flatMap((m) => m.attrs ?? []).filter((a: Json) => a.name === 'IFLA_IFNAME').map((a: Json) => a.value);
    assert.deepEqual(links.sort(), ['lo', 'veth0', 'veth1']);
    const addrs = decoded(dir, `ip-addr.${suffix}`).flatMap((m) => m.attrs ?? []).filter((a: Json) => a.name === 'IFA_ADDRESS').map((a: Json) => a.value);
    assert.ok(addrs.includes('10.9.0.1'), `ip-addr.${suffix}: ${addrs}`);
    const routes: Json[] = decoded(dir, `ip-route.${suffix}`).filter((m) => m.type_name === 'RTM_NEWROUTE');
    const via: Json = routes.find((m: Json) => m.attrs?.some((a: Json) => a.name === 'RTA_DST' && a.value === '10.10.0.0'));
    assert.equal(via?.attrs.find((a: Json) => a.name === 'RTA_GATEWAY')?.value, '10.9.0.2', `ip-route.${suffix}: the route via 10.9.0.2`);
    assert.equal(via?.header.fields.rtm_dst_len, 16);
    const families = decoded(dir, `genl.${suffix}`).filter((m) => m.header?.fields?.cmd === 'CTRL_CMD_NEWFAMILY' || m.type_name === 'CTRL_CMD_NEWFAMILY');
    assert.ok(families.length >= 2, `genl.${suffix}: CTRL_CMD_NEWFAMILY replies`);
  }
});

/** Attributes by their offset in the datagram, nested ones included. */
function byOffset(attrs: Json[] | undefined, out = new Map<number, Json>()): Map<number, Json> {
  for (const a of attrs ?? []) {
    out.set(a.offset, a);
    byOffset(a.attrs, out);
  }
  return out;
}

test('strace -s 64: what strace cut short is flagged, and no value holds a byte it did not print', (t) => {
  const dir = setup(t);
  if (!dir) return;
  // One run with hex dumps gives both: the dumps are the whole bytes (-s does not cut them), and
  // the same text without its dump lines is the -s 64 rendering of exactly those bytes.
  const runs = Object.entries(COMMANDS).map(([name, cmd]) => `
    strace -f -e trace=${CALLS} -e read=all -e write=all -s 64 -o ${name}.both ${cmd} >/dev/null
    grep -v '^[0-9 ]*[|*] ' ${name}.both > ${name}.s64 || true
    strace -f -e trace=${CALLS} -s 64 -o ${name}.plain ${cmd} >/dev/null
    decode ${name}.both; decode ${name}.s64; decode ${name}.plain`);
  inNamespace(dir, runs.join('\n'));
  let flagged = 0;
  let compared = 0;
  for (const name of Object.keys(COMMANDS)) {
    const s64 = trace(dir, `${name}.s64`);
    assert.doesNotMatch(s64, /\| 00000/, `${name}.s64 has no dump left`);
    const truth = decoded(dir, `${name}.both`);
    const cut = decoded(dir, `${name}.s64`);
    assert.ok(cut.length <= truth.length);
    for (let i = 0; i < cut.length; i++) {
      const m = cut[i];
      const whole = truth[i];
      assert.equal(m.type, whole.type, `${name} ${label(whole, i)}`);
      const known = byOffset(whole.attrs);
      for (const [offset, a] of byOffset(m.attrs)) {
        const real = known.get(offset);
        assert.ok(real, `${name} ${label(whole, i)}: attribute at ${offset} (${a.name}) is not in the bytes`);
        assert.equal(a.name, real.name);
        if ('value' in a || 'hex' in a) {
          // A value shown is the value of the whole bytes: nothing in it was made up.
          assert.deepEqual([a.value, a.hex], [real.value, real.hex], `${name} ${label(whole, i)}: ${a.name} at ${offset}`);
          compared++;
        } else if (!a.attrs) {
          assert.ok(allDiagnostics(a).some((d) => /strace did not print bytes/.test(d)), `${name} ${label(whole, i)}: ${a.name} has no value and no diagnostic`);
          flagged++;
        }
      }
      // An attribute of the bytes that the rendering lacks is one strace did not print, and the message says so.
      const missing = [...known.keys()].filter((o) => !byOffset(m.attrs).has(o));
      if (missing.length) assert.ok(allDiagnostics(m).some((d) => /strace (cut|printed only|printed \d+ of)|did not print/.test(d)), `${name} ${label(whole, i)}: ${missing.length} attribute(s) missing, unflagged`);
      for (const [k, v] of Object.entries(m.header?.fields ?? {})) assert.deepEqual(v, whole.header.fields[k], `${name} ${label(whole, i)}: header ${k}`);
    }
    // The plain -s 64 trace, as most people run strace, decodes, and says what it cut.
    const plain = decoded(dir, `${name}.plain`);
    if (name === 'genl') {
      const diags = plain.flatMap(allDiagnostics);
      assert.ok(diags.some((d) => /strace cut these bytes short at 64/.test(d)), 'genl ctrl list at -s 64: the cut payload is flagged');
      assert.ok(plain.some((m) => m.family === 'nlctrl' && m.header?.fields?.cmd === 'CTRL_CMD_NEWFAMILY'));
    }
  }
  assert.ok(flagged > 0, 'strace cut something at -s 64, and nlctl flagged it');
  assert.ok(compared > 0, 'values before the cuts were compared');
});

test('genl ctrl list with hex dumps decodes as nlctrl with no --proto: the protocol is the socket() line of its fd', (t) => {
  const dir = setup(t);
  if (!dir) return;
  inNamespace(dir, `
    strace -f -e trace=socket,${CALLS} -e read=all -e write=all -s 65536 -o genl.txt genl ctrl list >/dev/null
    # The same trace with its socket() line saying NETLINK_ROUTE: the decode must follow the line.
    sed 's/NETLINK_GENERIC)/NETLINK_ROUTE)/' genl.txt > genl-as-route.txt
    decode genl.txt; decode genl-as-route.txt`);
  assert.match(trace(dir, 'genl.txt'), /socket\(AF_NETLINK, [^,]+, NETLINK_GENERIC\) = \d+/);
  const messages = decoded(dir, 'genl.txt');
  assert.ok(messages.every((m) => m.protocol === 'generic'));
  const replies = messages.filter((m) => m.meta.direction === 'in' && m.type === 16);
  assert.ok(replies.length >= 2 && replies.every((m) => m.family === 'nlctrl' && m.header?.fields?.cmd === 'CTRL_CMD_NEWFAMILY'), 'every reply is a CTRL_CMD_NEWFAMILY');
  const names = replies.map((m) => m.attrs?.find((a: Json) => a.name === 'CTRL_ATTR_FAMILY_NAME')?.value);
  assert.ok(names.includes('nlctrl'), `family names: ${names}`);
  assert.ok(readFileSync(join(dir, 'genl.txt.err'), 'utf8').indexOf('decoded as NETLINK_ROUTE') < 0, 'no protocol was guessed');
  assert.ok(decoded(dir, 'genl-as-route.txt').every((m) => m.protocol === 'route'), 'the socket() line decides');
});

test('ethtool and ip in one trace: each message decodes under its own protocol, ethtool\'s family id learned from the trace', (t) => {
  const dir = setup(t, ['ethtool']);
  if (!dir) return;
  // ethtool (6.1 here) talks generic netlink only, after asking nlctrl for the ethtool family's id;
  // ip in the same trace (-f) adds rtnetlink, on an fd of the same number in another process.
  const cmd = `sh -c 'ip link show dev veth0; ethtool veth0'`;
  inNamespace(dir, `
    strace -f -e trace=socket,${CALLS} -s 65536 -o mixed.f1 ${cmd} >/dev/null
    strace -f -e trace=socket,${CALLS} -e read=all -e write=all -s 65536 -o mixed.f2 ${cmd} >/dev/null
    # Without the nlctrl exchange, the trace does not say which id the ethtool family has.
    grep -v 'nlmsg_type=nlctrl' mixed.f1 > no-ctrl.f1
    # With hex dumps, strace's own rendering beside each dump names the family (strace asked the kernel).
    awk '/nlmsg_type=nlctrl/ { skip = 1; next } /^ *[|*] / && skip { next } { skip = 0; print }' mixed.f2 > no-ctrl.f2
    decode mixed.f1; decode mixed.f2; decode no-ctrl.f1; decode no-ctrl.f2`);
  const f1 = decoded(dir, 'mixed.f1');
  const f2 = decoded(dir, 'mixed.f2');
  assertSameDecode(f1, f2, 'ip link show; ethtool');
  for (const [what, ms] of [['rendering', f1], ['hex dumps', f2]] as const) {
    const route = ms.filter((m) => m.protocol === 'route');
    const generic = ms.filter((m) => m.protocol === 'generic');
    assert.ok(route.some((m) => m.type_name === 'RTM_NEWLINK' && m.attrs?.some((a: Json) => a.name === 'IFLA_IFNAME' && a.value === 'veth0')), `${what}: ip's RTM_NEWLINK`);
    assert.ok(generic.some((m) => m.family === 'nlctrl' && m.header?.fields?.cmd === 'CTRL_CMD_GETFAMILY'), `${what}: ethtool asks nlctrl`);
    const ethtool = generic.filter((m) => m.family === 'ethtool');
    assert.ok(ethtool.length >= 4, `${what}: ethtool's own messages`);
    for (const m of ethtool) assert.match(m.type_name, /^ETHTOOL_MSG_[A-Z_]+$/, `${what}: ${m.type_name}`);
    assert.ok(ethtool.some((m) => m.type_name === 'ETHTOOL_MSG_LINKINFO_GET_REPLY'), `${what}: a reply`);
    // The ethtool family's id in the messages is the one nlctrl gave in the same trace.
    const id = generic.find((m) => m.header?.fields?.cmd === 'CTRL_CMD_NEWFAMILY')?.attrs?.find((a: Json) => a.name === 'CTRL_ATTR_FAMILY_ID')?.value;
    assert.ok(typeof id === 'number' && id > 16, `${what}: the ethtool family's id (${id})`);
    assert.ok(ethtool.every((m) => m.type === id));
  }
  const orphan = decoded(dir, 'no-ctrl.f1').filter((m) => m.protocol === 'generic' && m.meta.direction === 'out');
  assert.ok(orphan.length > 0);
  for (const m of orphan) {
    assert.notEqual(m.family, 'ethtool', 'no family id is made up');
    assert.ok(allDiagnostics(m).some((d) => /generic netlink family 'ethtool': its id is not in this trace/.test(d)), 'the unknown id is flagged');
  }
  const named = decoded(dir, 'no-ctrl.f2').filter((m) => m.protocol === 'generic');
  assert.ok(named.length > 0 && named.every((m) => m.family !== 'nlctrl'), 'the nlctrl exchange is gone');
  const ethtool2 = f2.filter((m) => m.family === 'ethtool');
  assert.deepEqual(named.filter((m) => m.family === 'ethtool').map((m) => [m.type, m.type_name]), ethtool2.map((m) => [m.type, m.type_name]), 'the family strace named beside each dump');
});
