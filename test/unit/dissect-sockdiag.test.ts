// sock_diag dissectors on real `ss` traffic: inet (TCP), unix and netlink sockets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concat, encodeAttrs, encodeMessage } from '../../src/codec/index.js';
import { decodeDatagram, headerLayout, newContext, schemaFor, toRecord } from '../../src/schema/index.js';
import { attr, decodeFixture, field, ofType } from './dissect-util.js';

const diag = schemaFor(4);

test('inet_diag: TCP request and replies with ports, addresses and state', () => {
  const all = decodeFixture('diag-inet-tcp', 4);
  const reqs = ofType(all, 'SOCK_DIAG_BY_FAMILY', 'send');
  assert.equal(reqs.length, 2, 'ss asks for AF_INET and AF_INET6');
  assert.equal(reqs[0].message.header?.name, 'inet_diag_req_v2');
  assert.equal(reqs[0].record.family, 'AF_INET');
  assert.equal(reqs[0].record.protocol, 'tcp');
  assert.ok((reqs[0].record.states as string[]).includes('LISTEN'));
  assert.equal(reqs[1].record.family, 'AF_INET6');
  assert.equal(reqs[1].record.src, '::');

  const socks = ofType(all, 'SOCK_DIAG_BY_FAMILY').map((d) => d);
  assert.equal(socks.length, 3);
  assert.ok(socks.every((d) => d.message.header?.name === 'inet_diag_msg'));
  const listen = socks.find((d) => d.record.state === 'LISTEN');
  assert.ok(listen);
  assert.deepEqual(
    { sport: listen.record.sport, dport: listen.record.dport, src: listen.record.src, dst: listen.record.dst, family: listen.record.family },
    { sport: 8080, dport: 0, src: '10.1.0.1', dst: '0.0.0.0', family: 'AF_INET' },
  );
  // sport is big-endian on the wire: 8080 = 0x1f90 → bytes 1f 90 right after the 4-byte prefix.
  const sport = headerLayout(listen.message.header!).find((f) => f.name === 'idiag_sport')!;
  assert.deepEqual([...listen.bytes.subarray(sport.offset, sport.offset + 2)], [0x1f, 0x90]);
  const est = socks.filter((d) => d.record.state === 'ESTAB').map((d) => [d.record.sport, d.record.dport]);
  assert.equal(est.length, 2);
  assert.ok(est.some(([s, d]) => s === 8080 && d !== 8080));
  assert.ok(est.some(([s, d]) => d === 8080 && s !== 8080));
  assert.equal(listen.record.timer, 'off');
  assert.equal(typeof listen.record.inode, 'number');
  assert.equal(attr(listen.message.attrs, 'INET_DIAG_SHUTDOWN').value, 0);
  for (const d of all) assert.deepEqual(d.message.diagnostics, []);
});

test('unix_diag: path and abstract names, types, states', () => {
  const all = decodeFixture('diag-unix', 4);
  const req = ofType(all, 'SOCK_DIAG_BY_FAMILY', 'send')[0];
  assert.equal(req.message.header?.name, 'unix_diag_req');
  assert.deepEqual(req.record.show, ['name', 'peer', 'rqlen']);
  const socks = ofType(all, 'SOCK_DIAG_BY_FAMILY').map((d) => d.record);
  const path = socks.find((r) => r.name === '/tmp/nlctl-fixture.sock');
  assert.ok(path);
  assert.equal(path.type, 'dgram');
  assert.equal(path.state, 'UNCONN');
  const abstract = socks.find((r) => r.name === '@nlctl-abstract');
  assert.ok(abstract, 'abstract names are shown with "@", as ss does');
  assert.equal(abstract.type, 'stream');
  assert.equal(abstract.state, 'LISTEN');
  assert.deepEqual(abstract.rqlen, { udiag_rqueue: 0, udiag_wqueue: 128 });
});

test('netlink_diag: protocol, portid, state and memory of netlink sockets', () => {
  const all = decodeFixture('diag-netlink', 4);
  const req = ofType(all, 'SOCK_DIAG_BY_FAMILY', 'send')[0];
  assert.equal(req.message.header?.name, 'netlink_diag_req');
  assert.equal(req.record.protocol, 'all');
  assert.deepEqual(req.record.show, ['meminfo', 'groups']);
  const socks = ofType(all, 'SOCK_DIAG_BY_FAMILY').map((d) => d.record);
  const rtnl = socks.find((r) => r.protocol === 'route' && r.portid === 0);
  assert.ok(rtnl, 'the kernel rtnetlink socket');
  for (const key of ['family', 'type', 'protocol', 'state', 'portid', 'dst_portid', 'dst_group', 'ino', 'cookie']) assert.ok(key in rtnl, key);
  assert.equal(rtnl.family, 'AF_NETLINK');
  assert.equal(rtnl.state, 'UNCONN');
  assert.equal((rtnl.meminfo as Record<string, number>).rcvbuf > 0, true);
  const ss = socks.find((r) => r.protocol === 'sock_diag' && r.portid !== 0);
  assert.ok(ss, "ss's own socket");
  assert.equal(ss.type, 'raw');
});

test('netlink_diag groups bitmap and SOCK_DIAG_BY_FAMILY resolved by NLM_F_REQUEST', () => {
  const msg = new Uint8Array(28);
  msg.set([16, 3, 0, 7]); // AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, TCP_CLOSE
  new DataView(msg.buffer).setUint32(4, 4242, true);
  const groups = Uint8Array.from([0x11, 0, 0, 0, 0x01, 0, 0, 0]); // groups 1, 5 and 33
  const reply = encodeMessage({ type: 20, flags: 0x02, seq: 1, pid: 4242 }, concat([msg, encodeAttrs([{ type: 1, value: groups }])]));
  const [m] = decodeDatagram(reply, diag, newContext());
  assert.equal(m.header?.name, 'netlink_diag_msg');
  assert.equal(field(m, 'ndiag_portid'), 4242);
  assert.deepEqual(toRecord(m, diag).groups, [1, 5, 33]);
  // The same bytes as a request would be a netlink_diag_req.
  const [r] = decodeDatagram(encodeMessage({ type: 20, flags: 0x301, seq: 1, pid: 0 }, new Uint8Array(24).fill(16, 0, 1)), diag, newContext());
  assert.equal(r.header?.name, 'netlink_diag_req');
});
