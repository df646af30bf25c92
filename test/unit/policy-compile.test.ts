// The policy compiler on a CTRL_CMD_GETPOLICY dump built here from the uapi constants
// (<linux/genetlink.h>, <linux/netlink.h>, compiled with gcc, not nlctl's tables), and the
// decoder typing a family's attributes by it: numbers, strings, hex, nests, flags, marked
// typed_by policy; what a spec knows is left as the spec says. gcc is required (make test-deps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAttrs, encodeMessage, splitMessages, type AttrSpec as AttrInput } from '../../src/codec/index.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { compilePolicy, policyRequestPayload } from '../../src/schema/policy/compile.js';
import { uapiConstants } from '../uapi-constants.js';

const NAMES = [
  'GENL_ID_CTRL', 'CTRL_CMD_GETPOLICY', 'CTRL_ATTR_FAMILY_ID', 'CTRL_ATTR_FAMILY_NAME', 'CTRL_ATTR_OP', 'CTRL_ATTR_POLICY', 'CTRL_ATTR_OP_POLICY',
  'CTRL_ATTR_POLICY_DO', 'CTRL_ATTR_POLICY_DUMP', 'NL_POLICY_TYPE_ATTR_TYPE', 'NL_POLICY_TYPE_ATTR_MIN_VALUE_U', 'NL_POLICY_TYPE_ATTR_MAX_VALUE_U',
  'NL_POLICY_TYPE_ATTR_MIN_VALUE_S', 'NL_POLICY_TYPE_ATTR_MAX_VALUE_S', 'NL_POLICY_TYPE_ATTR_MIN_LENGTH', 'NL_POLICY_TYPE_ATTR_MAX_LENGTH',
  'NL_POLICY_TYPE_ATTR_POLICY_IDX', 'NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE', 'NL_ATTR_TYPE_FLAG', 'NL_ATTR_TYPE_U16', 'NL_ATTR_TYPE_U32',
  'NL_ATTR_TYPE_S32', 'NL_ATTR_TYPE_U64', 'NL_ATTR_TYPE_NUL_STRING', 'NL_ATTR_TYPE_BINARY', 'NL_ATTR_TYPE_NESTED', 'NL_ATTR_TYPE_NESTED_ARRAY',
] as const;

const C = uapiConstants(['linux/netlink.h', 'linux/genetlink.h'], NAMES);
const u16 = (n: number) => new Uint8Array(new Uint16Array([n]).buffer);
const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const u64 = (n: bigint) => new Uint8Array(new BigUint64Array([n]).buffer);
const s64 = (n: bigint) => new Uint8Array(new BigInt64Array([n]).buffer);
const nest = (type: number, children: AttrInput[]): AttrInput => ({ type, value: encodeAttrs(children), nested: true });

/** One GETPOLICY reply as the kernel sends it: family id, then one nest (op policy or a policy attribute). */
function reply(familyId: number, body: AttrInput): Uint8Array {
  const attrs = encodeAttrs([{ type: C.CTRL_ATTR_FAMILY_ID, value: u16(familyId) }, body]);
  const payload = new Uint8Array(4 + attrs.length);
  payload.set([C.CTRL_CMD_GETPOLICY, 1, 0, 0]);
  payload.set(attrs, 4);
  return encodeMessage({ type: C.GENL_ID_CTRL, flags: 0x2, seq: 1, pid: 0 }, payload);
}

const policyAttr = (idx: number, attr: number, props: AttrInput[]) => nest(C.CTRL_ATTR_POLICY, [nest(idx, [nest(attr, props)])]);
const type = (t: number) => ({ type: C.NL_POLICY_TYPE_ATTR_TYPE, value: u32(t) });

// A family shaped like IOAM6: op 1 (do) has policy 0, op 7 has policy 1; policy 0 attr 7 nests policy 2.
const FAMILY_ID = 0x30;
const REPLIES = [
  reply(FAMILY_ID, nest(C.CTRL_ATTR_OP_POLICY, [nest(1, [{ type: C.CTRL_ATTR_POLICY_DO, value: u32(0) }])])),
  reply(FAMILY_ID, nest(C.CTRL_ATTR_OP_POLICY, [nest(7, [{ type: C.CTRL_ATTR_POLICY_DO, value: u32(1) }, { type: C.CTRL_ATTR_POLICY_DUMP, value: u32(1) }])])),
  reply(FAMILY_ID, policyAttr(0, 1, [type(C.NL_ATTR_TYPE_U16), { type: C.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, value: u64(0n) }, { type: C.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, value: u64(65535n) }])),
  reply(FAMILY_ID, policyAttr(0, 2, [type(C.NL_ATTR_TYPE_U32), { type: C.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, value: u64(1n) }, { type: C.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, value: u64(4294967295n) }])),
  reply(FAMILY_ID, policyAttr(0, 3, [type(C.NL_ATTR_TYPE_U64), { type: C.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, value: u64(18446744073709551615n) }])),
  reply(FAMILY_ID, policyAttr(0, 4, [type(C.NL_ATTR_TYPE_NUL_STRING), { type: C.NL_POLICY_TYPE_ATTR_MAX_LENGTH, value: u32(15) }])),
  reply(FAMILY_ID, policyAttr(0, 5, [type(C.NL_ATTR_TYPE_BINARY), { type: C.NL_POLICY_TYPE_ATTR_MIN_LENGTH, value: u32(16) }, { type: C.NL_POLICY_TYPE_ATTR_MAX_LENGTH, value: u32(16) }])),
  reply(FAMILY_ID, policyAttr(0, 6, [type(C.NL_ATTR_TYPE_FLAG)])),
  reply(FAMILY_ID, policyAttr(0, 7, [type(C.NL_ATTR_TYPE_NESTED), { type: C.NL_POLICY_TYPE_ATTR_POLICY_IDX, value: u32(2) }, { type: C.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, value: u32(1) }])),
  reply(FAMILY_ID, policyAttr(0, 10, [type(C.NL_ATTR_TYPE_NESTED_ARRAY), { type: C.NL_POLICY_TYPE_ATTR_POLICY_IDX, value: u32(2) }])),
  reply(FAMILY_ID, policyAttr(1, 1, [type(C.NL_ATTR_TYPE_U16)])),
  reply(FAMILY_ID, policyAttr(1, 8, [type(C.NL_ATTR_TYPE_S32), { type: C.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, value: s64(-5n) }, { type: C.NL_POLICY_TYPE_ATTR_MAX_VALUE_S, value: s64(5n) }])),
  reply(FAMILY_ID, policyAttr(2, 1, [type(C.NL_ATTR_TYPE_U32)])),
];

const raws = () => REPLIES.flatMap((b) => splitMessages(b).messages);

test('a GETPOLICY dump compiles to ops, policies with types and bounds, and nested policy indexes', () => {
  const p = compilePolicy('ioam-like', raws());
  assert.deepEqual([...p.ops], [[1, { do: 0 }], [7, { do: 1, dump: 1 }]]);
  const p0 = p.policies.get(0)!;
  assert.deepEqual(p0.get(1), { type: 'u16', min: 0, max: 65535 });
  assert.deepEqual(p0.get(2), { type: 'u32', min: 1, max: 4294967295 });
  assert.deepEqual(p0.get(3), { type: 'u64', max: '18446744073709551615' });
  assert.deepEqual(p0.get(4), { type: 'nul-string', maxLength: 15 });
  assert.deepEqual(p0.get(5), { type: 'binary', minLength: 16, maxLength: 16 });
  assert.deepEqual(p0.get(6), { type: 'flag' });
  assert.deepEqual(p0.get(7), { type: 'nested', policy: 2, maxType: 1 });
  assert.deepEqual(p.policies.get(1)!.get(8), { type: 's32', min: -5, max: 5 });
  assert.equal(p.sets['policy-0'].attrs[7].nested, 'policy-2');
  assert.equal(p.sets['policy-0'].attrs[1].typedBy, 'policy');
});

test('the request names the family and op by the uapi numbers', () => {
  const attrs = (payload: Uint8Array) => [...encodeAttrs([]), ...payload.subarray(4)];
  const byName = policyRequestPayload('IOAM6');
  assert.equal(byName[0], C.CTRL_CMD_GETPOLICY);
  assert.deepEqual(attrs(byName), [...encodeAttrs([{ type: C.CTRL_ATTR_FAMILY_NAME, value: new TextEncoder().encode('IOAM6\0') }])]);
  assert.deepEqual(attrs(policyRequestPayload(0x30, 4)), [...encodeAttrs([{ type: C.CTRL_ATTR_FAMILY_ID, value: u16(0x30) }, { type: C.CTRL_ATTR_OP, value: u32(4) }])]);
});

function message(cmd: number, flags: number, attrs: AttrInput[]): Uint8Array {
  const body = encodeAttrs(attrs);
  const payload = new Uint8Array(4 + body.length);
  payload.set([cmd, 1, 0, 0]);
  payload.set(body, 4);
  return encodeMessage({ type: FAMILY_ID, flags, seq: 9, pid: 0 }, payload);
}

test('a family with no spec: every attribute typed by its policy, marked typed_by policy', () => {
  const ctx = newContext();
  ctx.genlFamilies.set(FAMILY_ID, 'ioam-like');
  const bytes = message(1, 0x5, [
    { type: 1, value: u16(7) }, { type: 2, value: u32(1234) }, { type: 3, value: u64(2n ** 60n) }, { type: 4, value: new TextEncoder().encode('ns0\0') },
    { type: 5, value: new Uint8Array(16).fill(0xab) }, { type: 6, value: new Uint8Array(0) }, nest(7, [{ type: 1, value: u32(99) }]),
    { type: 9, value: u32(5) }, nest(10, [nest(1, [{ type: 1, value: u32(11) }]), nest(2, [{ type: 1, value: u32(12) }])]),
  ]);
  const before = decodeDatagram(bytes, schemaFor(16), ctx)[0];
  assert.equal(before.attrs![0].hex, '0700', 'no policy: raw bytes');
  ctx.genlPolicies = new Map([['ioam-like', compilePolicy('ioam-like', raws())]]);
  const [m] = decodeDatagram(bytes, schemaFor(16), ctx);
  const got = m.attrs!.map((a) => [a.type, a.typed_by, a.value ?? a.attrs?.map((c) => [c.type, c.typed_by, c.value])]);
  assert.deepEqual(got, [
    [1, 'policy', 7], [2, 'policy', 1234], [3, 'policy', String(2n ** 60n)], [4, 'policy', 'ns0'], [5, 'policy', 'ab'.repeat(16)],
    [6, 'policy', true], [7, 'policy', [[1, 'policy', 99]]],
    // Not in the op's policy: left raw.
    [9, undefined, undefined],
    // A nested array: each element a nest of the nested policy.
    [10, 'policy', [[1, undefined, undefined], [2, undefined, undefined]]],
  ]);
  assert.deepEqual(m.attrs![8].attrs!.map((e) => e.attrs!.map((c) => [c.type, c.value, c.typed_by])), [[[1, 11, 'policy']], [[1, 12, 'policy']]]);
  assert.equal(m.attrs![7].hex, '05000000');
  for (const a of m.attrs!) assert.equal(a.name, undefined, 'a policy names nothing');
  // A reply to an op with no policy of its own (a dump) is typed by the union of the ops' policies.
  const dump = decodeDatagram(message(3, 0x2, [{ type: 1, value: u16(7) }, { type: 8, value: u32(0xfffffffe) }]), schemaFor(16), ctx)[0];
  assert.deepEqual(dump.attrs!.map((a) => a.value), [7, -2]);
});

test('a spec family: what the spec knows stays the spec\'s; only what it lacks is typed by the policy', () => {
  const ctx = newContext();
  ctx.genlFamilies.set(FAMILY_ID, 'netdev');
  // netdev's dev-get is op 1 (NETDEV_CMD_DEV_GET): the constructed policy 0 types attribute 7 (unknown to the spec) as a nest.
  ctx.genlPolicies = new Map([['netdev', compilePolicy('netdev', raws())]]);
  const [m] = decodeDatagram(message(1, 0x1, [{ type: 1, value: u32(3) }, nest(7, [{ type: 1, value: u32(99) }])]), schemaFor(16), ctx);
  assert.equal(m.attrs![0].name, 'NETDEV_A_DEV_IFINDEX');
  assert.equal(m.attrs![0].typed_by, undefined);
  assert.equal(m.attrs![0].value, 3);
  assert.equal(m.attrs![1].typed_by, 'policy');
  assert.deepEqual(m.attrs![1].attrs!.map((c) => c.value), [99]);
});
