// Generic netlink: nlctrl on real `genl ctrl` traffic, family ids learned from it, per-family tables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concat, encodeAttrs, encodeMessage, type AttrSpec } from '../../src/codec/index.js';
import { decodeDatagram, decodeMessage, newContext, schemaFor, toRecord } from '../../src/schema/index.js';
import { genlCommand } from '../../src/schema/protocols/generic/index.js';
import { splitMessages } from '../../src/codec/index.js';
import { attr, decodeFixture, field, ofType } from './dissect-util.js';

const genl = schemaFor(16);
const u32 = (n: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };
const u16 = (n: number) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, n, true); return b; };
const str = (s: string) => new TextEncoder().encode(s + '\0');
const genlMsg = (type: number, flags: number, cmd: number, attrs: AttrSpec[]) =>
  encodeMessage({ type, flags, seq: 7, pid: 0 }, concat([Uint8Array.from([cmd, 1, 0, 0]), encodeAttrs(attrs)]));

test('nlctrl CTRL_CMD_GETFAMILY dump: families with ops and multicast groups', () => {
  const all = decodeFixture('genl-ctrl-list', 16);
  const req = ofType(all, 'CTRL_CMD_GETFAMILY', 'send')[0];
  assert.ok(req);
  assert.equal(req.message.family, 'nlctrl');
  assert.equal(req.message.type, 0x10);
  assert.equal(field(req.message, 'cmd'), 'CTRL_CMD_GETFAMILY');
  assert.deepEqual(req.message.flag_names, ['request', 'dump']);

  const fams = ofType(all, 'CTRL_CMD_NEWFAMILY');
  assert.ok(fams.length >= 3);
  const ctrl = fams.find((d) => d.record.family_name === 'nlctrl');
  assert.ok(ctrl);
  assert.equal(ctrl.record.family_id, 16);
  assert.equal(attr(ctrl.message.attrs, 'CTRL_ATTR_FAMILY_ID').value, 16);
  assert.deepEqual(ctrl.record.mcast_groups, [{ id: 16, name: 'notify' }]);
  const ops = ctrl.record.ops as { id: number; flags: string[] }[];
  // Values by the spec's names (nlctrl.yaml: op-flags cmd-cap-dump …).
  assert.ok(ops.some((o) => o.id === 3 && o.flags.includes('cmd-cap-dump')), 'GETFAMILY (3) can dump');
  for (const key of ['family_id', 'family_name', 'version', 'maxattr', 'ops']) assert.ok(key in ctrl.record, key);
  // Every attribute by its C name, with the spec's name beside it.
  assert.equal(attr(ctrl.message.attrs, 'CTRL_ATTR_FAMILY_ID').spec_name, 'family-id');
  assert.equal(attr(ctrl.message.attrs, 'CTRL_ATTR_MCAST_GROUPS').spec_name, 'mcast-groups');
  assert.equal(req.message.op, 'getfamily');
  const opsAttr = attr(ctrl.message.attrs, 'CTRL_ATTR_OPS');
  assert.equal(opsAttr.attrs?.[0].name, '[1]');
  assert.equal(attr(opsAttr.attrs?.[0].attrs, 'CTRL_ATTR_OP_ID').value, ops[0].id);
  for (const d of all) assert.deepEqual(d.message.diagnostics, []);
});

test('family ids learned from nlctrl name later messages of the same input', () => {
  const ctx = newContext();
  const all = decodeFixture('genl-ctrl-list', 16, ctx);
  const ethtool = ofType(all, 'CTRL_CMD_NEWFAMILY').find((d) => d.record.family_name === 'ethtool');
  assert.ok(ethtool, 'the capture lists ethtool');
  const id = ethtool.record.family_id as number;
  assert.equal(ctx.genlFamilies.get(id), 'ethtool');

  // ETHTOOL_MSG_LINKINFO_GET (2) request, then its reply (2 = ETHTOOL_MSG_LINKINFO_GET_REPLY).
  const [req] = decodeDatagram(genlMsg(id, 0x01, 2, [{ type: 1, children: [{ type: 2, value: str('lo') }] }]), genl, ctx);
  assert.equal(req.family, 'ethtool');
  assert.equal(req.type_name, 'ETHTOOL_MSG_LINKINFO_GET');
  assert.equal(field(req, 'cmd'), 'ETHTOOL_MSG_LINKINFO_GET');
  const [rep] = decodeDatagram(genlMsg(id, 0, 2, []), genl, ctx);
  assert.equal(rep.type_name, 'ETHTOOL_MSG_LINKINFO_GET_REPLY');
  // No attribute table for ethtool: walked generically, nested attributes included.
  assert.equal(req.attrs?.[0].attrs?.[0].value, 'lo');

  // A fresh context knows only nlctrl.
  const [unknown] = decodeDatagram(genlMsg(id, 0x01, 2, []), genl, newContext());
  assert.equal(unknown.family, undefined);
  assert.equal(unknown.type_name, undefined);
  assert.equal(unknown.header?.name, 'genlmsghdr');
});

test('nlctl_test family: learned id, commands and nested stats', () => {
  const ctx = newContext();
  const id = 0x22;
  const announce = genlMsg(0x10, 0, 1, [
    { type: 1, value: u16(id) },
    { type: 2, value: str('nlctl_test') },
    { type: 7, children: [{ type: 1, children: [{ type: 1, value: str('events') }, { type: 2, value: u32(9) }] }] },
  ]);
  const [ann] = decodeDatagram(announce, genl, ctx);
  assert.deepEqual(toRecord(ann, genl).mcast_groups, [{ name: 'events', id: 9 }]);
  assert.equal(ctx.genlFamilies.get(id), 'nlctl_test');

  const echo = genlMsg(id, 0x05, 1, [{ type: 1, value: str('hi there') }]);
  const stats = genlMsg(id, 0, 2, [{ type: 2, children: [{ type: 1, value: Uint8Array.from([5, 0, 0, 0, 0, 0, 0, 0]) }, { type: 7, value: u32(1) }] }]);
  const [e, s] = decodeDatagram(concat([echo, stats]), genl, ctx);
  assert.equal(e.type_name, 'NLTEST_GENL_CMD_ECHO');
  assert.equal(attr(e.attrs, 'NLTEST_GENL_ATTR_MSG').value, 'hi there');
  assert.deepEqual(toRecord(e, genl).msg, 'hi there');
  assert.equal(s.type_name, 'NLTEST_GENL_CMD_STATS');
  assert.deepEqual(toRecord(s, genl).stats, { rx: 5, streams: 1 });

  // CTRL_CMD_DELFAMILY forgets the id.
  decodeDatagram(genlMsg(0x10, 0, 2, [{ type: 1, value: u16(id) }, { type: 2, value: str('nlctl_test') }]), genl, ctx);
  assert.equal(ctx.genlFamilies.has(id), false);
  assert.equal(genlCommand('nlctl_test', 'echo'), 1);
  assert.equal(genlCommand('nlctrl', 'CTRL_CMD_GETPOLICY'), 10);
});

test('nlctrl CTRL_CMD_GETPOLICY: per-command policies and attribute policies by index', () => {
  const all = decodeFixture('genl-ctrl-policy', 16);
  const req = ofType(all, 'CTRL_CMD_GETPOLICY', 'send')[0];
  assert.equal(req.record.family_name, 'nlctrl');
  const replies = ofType(all, 'CTRL_CMD_GETPOLICY');
  const opPolicy = replies.find((d) => d.record.op_policy !== undefined);
  assert.ok(opPolicy);
  assert.deepEqual(opPolicy.record.op_policy, { 3: { do: 0, dump: 0 } });
  const policies = replies.filter((d) => d.record.policy !== undefined).map((d) => d.record.policy as Record<string, Record<string, Record<string, unknown>>>);
  const familyId = policies.find((p) => p['0']?.['1'])?.['0']['1'];
  assert.deepEqual(familyId, { type: 'u16', min_value_u: 0, max_value_u: 65535 });
  const familyName = policies.find((p) => p['0']?.['2'])?.['0']['2'];
  assert.deepEqual(familyName, { type: 'nul-string', max_length: 15 });
  const raw = attr(replies[2].message.attrs, 'CTRL_ATTR_POLICY');
  assert.equal(raw.attrs?.[0].name, '[0]');
  assert.equal(attr(raw.attrs?.[0].attrs?.[0].attrs, 'NL_POLICY_TYPE_ATTR_TYPE').raw, 3);
});

test('a family nobody announced: genlmsghdr and a generic TLV walk', () => {
  const bytes = genlMsg(0x77, 0x01, 5, [{ type: 3, value: u32(42) }, { type: 4, value: str('text') }]);
  const m = decodeMessage(splitMessages(bytes).messages[0], genl, newContext());
  assert.equal(m.family, undefined);
  assert.deepEqual(m.header?.fields, { cmd: 5, version: 1, reserved: 0 });
  assert.equal(m.attrs?.length, 2);
  assert.equal(m.attrs?.[0].hex, '2a000000');
  assert.equal(m.attrs?.[1].value, 'text');
  assert.deepEqual(m.diagnostics, []);
});
