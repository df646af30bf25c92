// Attributes typed by the kernel's own policy (CTRL_CMD_GETPOLICY), against the real kernel in a
// namespace of its own: IOAM6 and SEG6 have no spec at all; netdev's spec, copied with an
// attribute taken out, still gets that attribute as a number. Values are checked against what
// iproute2 set and reads back, numbers against the uapi headers.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ndjson, requireNamespaces, requireTool, ROOT, runNlctl, sh, withNetns } from '../helpers.js';
import { uapiConstants } from '../uapi-constants.js';

const C = uapiConstants(['linux/ioam6_genl.h', 'linux/seg6_genl.h'], [
  'IOAM6_CMD_ADD_NAMESPACE', 'IOAM6_CMD_DUMP_NAMESPACES', 'IOAM6_ATTR_NS_ID', 'IOAM6_ATTR_NS_DATA', 'IOAM6_ATTR_NS_DATA_WIDE',
  'SEG6_CMD_GET_TUNSRC', 'SEG6_ATTR_DST',
] as const);

function ok(args: string[]) {
  const r = runNlctl(args);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

/** The data messages of an ndjson run (DONE and ACKs left out). */
const data = (text: string) => ndjson(text).filter((m) => m.type >= 0x10);

test('IOAM6 (no spec): the namespace dump shows id and data as numbers, typed by the policy', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} ioam namespace add 7 data 1234`);
  // iproute2 reads it back as "namespace 7, data 0x000004d2": the numbers to compare with.
  const shown = /namespace (\d+), data (0x[0-9a-f]+)/.exec(sh(`ip -n ${ns} ioam namespace show`));
  assert.ok(shown, 'ip ioam namespace show');
  const [id, value] = [Number(shown[1]), Number(shown[2])];
  assert.deepEqual([id, value], [7, 1234]);
  const byAttr = (m: any) => Object.fromEntries(m.attrs.map((a: any) => [a.type, a]));
  const sent = data(ok(['-f', 'ndjson', 'send', '--family', 'IOAM6', '--cmd', String(C.IOAM6_CMD_DUMP_NAMESPACES), '--flags', 'request,dump', '--netns', ns]).stdout);
  assert.equal(sent.length, 1);
  const a = byAttr(sent[0]);
  assert.deepEqual([a[C.IOAM6_ATTR_NS_ID].value, a[C.IOAM6_ATTR_NS_ID].typed_by], [id, 'policy']);
  assert.deepEqual([a[C.IOAM6_ATTR_NS_DATA].value, a[C.IOAM6_ATTR_NS_DATA].typed_by], [value, 'policy']);
  assert.equal(a[C.IOAM6_ATTR_NS_ID].name, undefined, 'the policy types, it does not name');
  // The same through dump --family, and in the pretty output, marked.
  const dumped = data(ok(['-f', 'ndjson', 'dump', '--family', 'IOAM6', '--cmd', String(C.IOAM6_CMD_DUMP_NAMESPACES), '--messages', '--netns', ns]).stdout);
  assert.deepEqual(dumped.map((m) => m.attrs.map((x: any) => [x.type, x.value, x.typed_by])), sent.map((m) => m.attrs.map((x: any) => [x.type, x.value, x.typed_by])));
  const pretty = ok(['send', '--family', 'IOAM6', '--cmd', String(C.IOAM6_CMD_DUMP_NAMESPACES), '--flags', 'request,dump', '--netns', ns]).stdout;
  assert.match(pretty, new RegExp(`attr ${C.IOAM6_ATTR_NS_ID} 7 \\(typed by policy\\)`));
  assert.match(pretty, new RegExp(`attr ${C.IOAM6_ATTR_NS_DATA} 1234 \\(typed by policy\\)`));
});

test('IOAM6 policy print: the add-namespace op types id, data and wide data as the uapi header documents them', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const p = JSON.parse(ok(['-j', 'send', '--family', 'IOAM6', '--policy', '--cmd', String(C.IOAM6_CMD_ADD_NAMESPACE), '--netns', ns]).stdout);
  const op = p.ops.find((o: any) => o.cmd === C.IOAM6_CMD_ADD_NAMESPACE);
  const attrs = p.policies.find((x: any) => x.index === op.do).attrs;
  const type = (n: number) => attrs.find((x: any) => x.value === n)?.type;
  // <linux/ioam6_genl.h> says so in its comments: /* u16 */, /* u32 */, /* u64 */.
  const header = readFileSync(existsSync(`${ROOT}.cache/kernel/include/linux/ioam6_genl.h`) ? `${ROOT}.cache/kernel/include/linux/ioam6_genl.h` : '/usr/include/linux/ioam6_genl.h', 'utf8');
  for (const [name, n] of [['IOAM6_ATTR_NS_ID', C.IOAM6_ATTR_NS_ID], ['IOAM6_ATTR_NS_DATA', C.IOAM6_ATTR_NS_DATA], ['IOAM6_ATTR_NS_DATA_WIDE', C.IOAM6_ATTR_NS_DATA_WIDE]] as const) {
    const documented = new RegExp(`${name},\\s*/\\*\\s*(u\\d+)\\s*\\*/`).exec(header)?.[1];
    assert.ok(documented, `${name}'s type comment in ioam6_genl.h`);
    assert.equal(type(n), documented, name);
  }
  assert.equal(attrs.find((x: any) => x.value === C.IOAM6_ATTR_NS_ID).max, 65535);
  const text = ok(['send', '--family', 'IOAM6', '--policy', '--netns', ns]).stdout;
  assert.match(text, /^IOAM6: policy from the kernel \(CTRL_CMD_GETPOLICY\)$/m);
  assert.match(text, new RegExp(`^ +${C.IOAM6_ATTR_NS_ID} +- +u16 +range 0\\.\\.65535$`, 'm'));
});

test('SEG6 (no spec): get-tunsrc returns the tunnel source that ip sr set, as hex typed by the policy', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} sr tunsrc set 2001:db8::1`);
  assert.match(sh(`ip -n ${ns} sr tunsrc show`), /2001:db8::1/);
  const [m] = data(ok(['-f', 'ndjson', 'send', '--family', 'SEG6', '--cmd', String(C.SEG6_CMD_GET_TUNSRC), '--netns', ns]).stdout);
  const dst = m.attrs.find((a: any) => a.type === C.SEG6_ATTR_DST);
  // 2001:db8::1 as its 16 bytes (struct in6_addr, NLA_BINARY in the policy).
  assert.deepEqual([dst.value, dst.typed_by], ['20010db8000000000000000000000001', 'policy']);
});

test('a spec family with an attribute taken out of a test copy of its spec: the policy still types it', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  sh(`ip -n ${ns} link set lo up`);
  // netdev's dev set without ifindex (attribute 1); the next attribute keeps its number.
  const spec = JSON.parse(readFileSync(`${ROOT}src/schema/specs/netdev.json`, 'utf8'));
  const dev = spec['attribute-sets'].find((s: any) => s.name === 'dev');
  assert.equal(dev.attributes[0].name, 'ifindex');
  dev.attributes.shift();
  dev.attributes[0].value = 2;
  const strip = (o: any): void => {
    if (Array.isArray(o)) o.forEach(strip);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'attributes' && Array.isArray(v) && v.every((x) => typeof x === 'string')) o[k] = v.filter((x) => x !== 'ifindex');
        else strip(v);
      }
    }
  };
  strip(spec.operations);
  const file = join(mkdtempSync(join(tmpdir(), 'nlctl-spec-')), 'netdev.yaml');
  writeFileSync(file, JSON.stringify(spec));
  const lo = Number(sh(`ip -n ${ns} -j link show lo`).match(/"ifindex":(\d+)/)![1]);
  const full = data(ok(['-f', 'ndjson', 'dump', '--family', 'netdev', '--cmd', 'dev-get', '--messages', '--netns', ns]).stdout);
  assert.equal(full[0].attrs[0].name, 'NETDEV_A_DEV_IFINDEX', 'the built-in spec names it');
  assert.equal(full[0].attrs[0].typed_by, undefined);
  const cut = data(ok(['--spec', file, '-f', 'ndjson', 'dump', '--family', 'netdev', '--cmd', 'dev-get', '--messages', '--netns', ns]).stdout);
  const first = cut[0].attrs[0];
  assert.deepEqual([first.type, first.name, first.value, first.typed_by], [1, undefined, lo, 'policy']);
  // The rest is still the spec's.
  assert.ok(cut[0].attrs.slice(1).every((a: any) => a.name?.startsWith('NETDEV_A_DEV_') && a.typed_by === undefined));
  // YNL's shape keeps it apart from what the spec names.
  const ynl = JSON.parse(ok(['--spec', file, '-j', 'dump', '--family', 'netdev', '--cmd', 'dev-get', '--netns', ns]).stdout);
  assert.equal(ynl[0]['PolicyAttr(1)'], lo);
  assert.ok(Array.isArray(ynl[0]['xdp-features']));
});

test('--attr by number is encoded as the policy types it: an IOAM6 namespace added by nlctl, read back by ip', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  // id is a u16 and data a u32 in the policy: given untyped, they must be 2 and 4 bytes long.
  const r = ok(['-f', 'ndjson', 'send', '--family', 'IOAM6', '--cmd', String(C.IOAM6_CMD_ADD_NAMESPACE), '--flags', 'request,ack',
    '--attr', `${C.IOAM6_ATTR_NS_ID}=9`, '--attr', `${C.IOAM6_ATTR_NS_DATA}=77`, '--echo', '--netns', ns]);
  const [sent] = ndjson(r.stdout).filter((m) => m.meta?.direction === 'out');
  assert.deepEqual(sent.attrs.map((a: any) => [a.type, a.len, a.value, a.typed_by]), [[C.IOAM6_ATTR_NS_ID, 6, 9, 'policy'], [C.IOAM6_ATTR_NS_DATA, 8, 77, 'policy']]);
  assert.match(sh(`ip -n ${ns} ioam namespace show`), /namespace 9, data 0x0000004d/);
  // The policy's u16 bounds the value.
  const big = runNlctl(['send', '--family', 'IOAM6', '--cmd', String(C.IOAM6_CMD_ADD_NAMESPACE), '--flags', 'request,ack', '--attr', `${C.IOAM6_ATTR_NS_ID}=70000`, '--netns', ns]);
  assert.equal(big.code, 2);
  assert.match(big.stderr, /^nlctl: --attr: .*70000 is out of range for u16/m);
});

test('a family without any policy (VFS_DQUOT): --policy says so, exit 0; an unknown family is a usage error', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const r = ok(['send', '--family', 'VFS_DQUOT', '--policy', '--netns', ns]);
  assert.equal(r.stdout, 'VFS_DQUOT: policy from the kernel (CTRL_CMD_GETPOLICY)\n  no policy: the kernel reports none (ENODATA)\n');
  assert.deepEqual(JSON.parse(ok(['-j', 'send', '--family', 'VFS_DQUOT', '--policy', '--netns', ns]).stdout), { family: 'VFS_DQUOT', ops: [], policies: [] });
  const none = runNlctl(['send', '--family', 'no-such-family', '--policy', '--netns', ns]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^nlctl: no generic netlink family 'no-such-family'/);
});
