// Netfilter (conntrack, nftables), audit, uevent and the kernel test module's protocol.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { concat, encodeAttrs, encodeMessage, fromHex } from '../../src/codec/index.js';
import { decodeDatagram, messageType, newContext, schemaFor, toRecord } from '../../src/schema/index.js';
import { decodeUevent } from '../../src/schema/protocols/uevent.js';
import { attr, decodeFixture, field, loadFixture, ofType } from './dissect-util.js';

test('ctnetlink IPCTNL_MSG_CT_NEW dump reply: tuples, big-endian ports, status, mark', () => {
  const all = decodeFixture('nf-conntrack', 12);
  const req = ofType(all, 'IPCTNL_MSG_CT_GET', 'send')[0];
  assert.ok(req);
  assert.equal(req.message.type, (1 << 8) | 1);
  assert.deepEqual(req.message.flag_names, ['request', 'dump']);
  const ct = ofType(all, 'IPCTNL_MSG_CT_NEW');
  assert.equal(ct.length, 1);
  const m = ct[0].message;
  assert.equal(field(m, 'nfgen_family'), 'ip');
  const orig = attr(m.attrs, 'CTA_TUPLE_ORIG');
  const ip = attr(orig.attrs, 'CTA_TUPLE_IP');
  assert.equal(attr(ip.attrs, 'CTA_IP_V4_SRC').value, '10.1.0.1');
  assert.equal(attr(ip.attrs, 'CTA_IP_V4_DST').value, '10.1.0.2');
  const proto = attr(orig.attrs, 'CTA_TUPLE_PROTO');
  assert.equal(attr(proto.attrs, 'CTA_PROTO_NUM').value, 'udp');
  const sport = attr(proto.attrs, 'CTA_PROTO_SRC_PORT');
  assert.equal(sport.value, 5353);
  assert.deepEqual([...ct[0].bytes.subarray(sport.offset + 4, sport.offset + 6)], [0x14, 0xe9]);
  assert.equal(attr(proto.attrs, 'CTA_PROTO_DST_PORT').value, 53);
  assert.deepEqual(attr(m.attrs, 'CTA_STATUS').value, ['CONFIRMED']);
  assert.equal(attr(m.attrs, 'CTA_MARK').value, 7);
  const timeout = attr(m.attrs, 'CTA_TIMEOUT').value as number;
  assert.ok(timeout > 0 && timeout <= 100);
  const rec = ct[0].record as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(rec.tuple_reply.ip, { v4_src: '10.1.0.2', v4_dst: '10.1.0.1' });
  assert.deepEqual(rec.tuple_reply.proto, { num: 'udp', src_port: 53, dst_port: 5353 });
  for (const d of all) assert.deepEqual(d.message.diagnostics, []);
});

test('nftables: NFT_MSG_NEWGEN and NFT_MSG_NEWTABLE replies', () => {
  const all = decodeFixture('nf-nftables', 12);
  const gen = ofType(all, 'NFT_MSG_NEWGEN')[0];
  assert.ok(gen);
  assert.equal(gen.record.proc_name, 'nft');
  assert.equal(field(gen.message, 'res_id'), 2);
  const table = ofType(all, 'NFT_MSG_NEWTABLE')[0];
  assert.ok(table);
  assert.equal(table.record.family, 'inet');
  assert.equal(table.record.name, 'nlctl');
  assert.equal(typeof table.record.handle, 'number');
  const nf = schemaFor(12);
  assert.equal(messageType(nf, 'newtable'), (10 << 8) | 0);
  assert.equal(messageType(nf, 'ct_get'), (1 << 8) | 1);
  assert.equal(messageType(nf, 'IPCTNL_MSG_EXP_GET'), (2 << 8) | 1);
  assert.equal(messageType(nf, 'batch_begin'), 16);
  assert.equal(nf.messages[(3 << 8) | 1].name, 'NFQNL_MSG_VERDICT');
});

test('audit: AUDIT_GET request, ACK and struct audit_status reply', () => {
  const all = decodeFixture('audit-get', 9);
  const req = all.find((d) => d.dir === 'send')!;
  assert.equal(req.message.type_name, 'AUDIT_GET');
  assert.equal(req.message.header, undefined, 'the request is empty');
  const status = ofType(all, 'AUDIT_GET')[0];
  assert.ok(status);
  assert.equal(status.message.header?.name, 'audit_status');
  assert.equal(typeof field(status.message, 'backlog_limit'), 'number');
  assert.equal(field(status.message, 'failure'), 'printk');
  assert.ok(Array.isArray(field(status.message, 'feature_bitmap')));
  assert.deepEqual(status.message.diagnostics, []);
  const audit = schemaFor(9);
  // Text records: an AUDIT_USER_AVC message and one with a type the table does not name.
  const text = 'audit(1700000000.123:42): pid=1 uid=0 msg=\'avc: denied\'';
  const [avc] = decodeDatagram(encodeMessage({ type: 1107, flags: 0, seq: 0, pid: 0 }, new TextEncoder().encode(text)), audit, newContext());
  assert.equal(avc.type_name, 'AUDIT_USER_AVC');
  assert.equal(avc.payload?.text, text);
  const [other] = decodeDatagram(encodeMessage({ type: 1150, flags: 0, seq: 0, pid: 0 }, new TextEncoder().encode('x=1')), audit, newContext());
  assert.equal(other.payload?.text, 'x=1');
  assert.equal(messageType(audit, 'user_avc'), 1107);
  assert.equal(messageType(audit, 'syscall'), 1300);
  assert.equal(messageType(audit, 'get'), 1000);
});

test('uevent: a real kernel datagram and a synthetic add@ one, no nlmsghdr', () => {
  const uevent = schemaFor(15);
  assert.equal(uevent.framing, 'raw');
  const [real] = loadFixture('uevent-kernel');
  const [m] = decodeDatagram(real.bytes, uevent, newContext());
  assert.equal(m.type_name, 'change');
  assert.equal(m.text?.header, 'change@/devices/virtual/net/lo');
  assert.equal(m.text?.fields?.SUBSYSTEM, 'net');
  assert.equal(m.text?.fields?.INTERFACE, 'lo');
  assert.equal(m.seq, Number(m.text?.fields?.SEQNUM));
  assert.deepEqual(m.diagnostics, []);

  const bytes = new TextEncoder().encode('add@/devices/virtual/misc/tun\0ACTION=add\0DEVPATH=/devices/virtual/misc/tun\0SUBSYSTEM=misc\0MAJOR=10\0MINOR=200\0DEVNAME=net/tun\0SEQNUM=4711\0');
  const add = decodeUevent(bytes);
  assert.equal(add.protocol, 'uevent');
  assert.equal(add.protocol_number, 15);
  assert.equal(add.type_name, 'add');
  assert.equal(add.seq, 4711);
  assert.deepEqual(add.text?.fields, {
    ACTION: 'add', DEVPATH: '/devices/virtual/misc/tun', SUBSYSTEM: 'misc', MAJOR: '10', MINOR: '200', DEVNAME: 'net/tun', SEQNUM: '4711',
  });

  const junk = decodeUevent(new TextEncoder().encode('nonsense\0NOEQUALS\0'));
  assert.equal(junk.diagnostics.length, 2);
});

test('uevent: libudev datagrams are recognised and their properties read', () => {
  const props = new TextEncoder().encode('ACTION=add\0SUBSYSTEM=net\0SEQNUM=9\0');
  const head = new Uint8Array(40);
  head.set(new TextEncoder().encode('libudev\0'));
  const v = new DataView(head.buffer);
  v.setUint32(8, 0xfeedcafe, false);
  v.setUint32(12, 40, true);
  v.setUint32(16, 40, true);
  v.setUint32(20, props.length, true);
  const m = decodeUevent(concat([head, props]));
  assert.equal(m.type_name, 'libudev');
  assert.equal(m.header?.name, 'udev_monitor_netlink_header');
  assert.deepEqual(m.text?.fields, { ACTION: 'add', SUBSYSTEM: 'net', SEQNUM: '9' });
  assert.equal(m.seq, 9);
  assert.deepEqual(m.diagnostics, []);
  v.setUint32(20, 999, true);
  assert.ok(decodeUevent(concat([head, props])).diagnostics.some((d) => /beyond/.test(d.message)));
});

test('test protocol (25): "Hello you!" legacy echo, streams, stats request and reply', () => {
  const t = schemaFor(25);
  const hello = encodeMessage({ type: 0, flags: 0, seq: 1, pid: 100 }, new TextEncoder().encode('Hello you!\0'));
  const [h] = decodeDatagram(hello, t, newContext());
  assert.equal(h.type_name, 'NLTEST_MSG_LEGACY_ECHO');
  assert.equal(h.payload?.text, 'Hello you!');

  const u32 = (n: number) => Uint8Array.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
  const stream = encodeMessage({ type: 0x12, flags: 0, seq: 3, pid: 0 }, encodeAttrs([
    { type: 8, value: u32(1) }, { type: 7, value: u32(4) }, { type: 5, value: u32(10) }, { type: 1, value: new TextEncoder().encode('tick') },
  ]));
  const [s] = decodeDatagram(stream, t, newContext());
  assert.equal(s.type_name, 'NLTEST_MSG_STREAM');
  assert.deepEqual(toRecord(s, t), { stream_id: 1, index: 4, count: 10, data: 'tick' });

  const statsReq = encodeMessage({ type: 0x13, flags: 0x05, seq: 4, pid: 0 }, encodeAttrs([{ type: 10 }]));
  const statsRep = encodeMessage({ type: 0x13, flags: 0, seq: 4, pid: 0 }, encodeAttrs([{ type: 1, value: fromHex('0300000000000000') }, { type: 7, value: u32(2) }]));
  const [rq, rp] = decodeDatagram(concat([statsReq, statsRep]), t, newContext());
  assert.equal(attr(rq.attrs, 'NLTEST_ATTR_RESET').value, true);
  assert.deepEqual(toRecord(rp, t), { rx: 3, streams: 2 });
  assert.equal(messageType(t, 'echo'), 0x10);
  assert.equal(messageType(t, 'legacy_echo'), 0);
  assert.equal(t.groups?.group1, 1);
  // The header the module is built from names the same protocol number.
  assert.match(readFileSync(new URL('../../../kmod/netlink_test.h', import.meta.url), 'utf8'), /#define NETLINK_TEST 25/);
});
