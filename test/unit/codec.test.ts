// The codec, table-driven from real kernel replies (test/fixtures/codec, captured by
// scripts/capture-codec-fixtures.mjs) and from hand-made malformed bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeErrorPayload, decodeHeader, encodeAttrs, encodeHeader, encodeMessage, flagNames, fromHex, parseAttrs,
  parseFlags, splitMessages, toHex, NLM_F_ACK_TLVS, NLM_F_CAPPED,
} from '../../src/codec/index.js';
import { hexFixture } from '../helpers.js';

test('nlmsghdr decodes a real RTM_GETLINK dump request', () => {
  const [req] = hexFixture('codec/getlink-dump-lo.hex');
  const h = decodeHeader(req.bytes);
  assert.deepEqual(h, { len: 32, type: 18, flags: 0x301, seq: 1001, pid: 0 });
  assert.deepEqual(flagNames(h.flags, 'get'), ['request', 'dump']);
  assert.equal(toHex(encodeHeader(h)), toHex(req.bytes.subarray(0, 16)));
});

test('flag names depend on the kind of message', () => {
  const cases: [number, 'get' | 'new' | 'del' | 'ack' | 'other', string[]][] = [
    [0x305, 'get', ['request', 'ack', 'dump']],
    [0x401, 'get', ['request', 'atomic']],
    [0x605, 'new', ['request', 'ack', 'excl', 'create']],
    [0x501, 'new', ['request', 'replace', 'create']],
    [0x101, 'del', ['request', 'nonrec']],
    [0x300, 'ack', ['capped', 'ack_tlvs']],
    [0x12, 'other', ['multi', 'dump_intr']],
    [0x1001, 'other', ['request', '0x1000']],
  ];
  for (const [flags, ctx, names] of cases) assert.deepEqual(flagNames(flags, ctx), names, `0x${flags.toString(16)} as ${ctx}`);
});

test('parseFlags accepts names, numbers and mixtures, and names the bad word', () => {
  assert.equal(parseFlags('request,ack,dump'), 0x305);
  assert.equal(parseFlags('NLM_F_REQUEST|NLM_F_ACK'), 5);
  assert.equal(parseFlags('0x300,request'), 0x301);
  assert.throws(() => parseFlags('request,bogus'), /unknown flag 'bogus'/);
});

test('a real link dump reply splits into messages and its attributes walk', () => {
  const [, reply] = hexFixture('codec/getlink-dump-lo.hex');
  const { messages, diagnostics } = splitMessages(reply.bytes);
  assert.deepEqual(diagnostics, []);
  assert.ok(messages.length >= 1);
  const lo = messages[0];
  assert.equal(lo.header.type, 16); // RTM_NEWLINK
  assert.equal(lo.header.seq, 1001);
  assert.ok(lo.header.flags & 2, 'NLM_F_MULTI');
  const walk = parseAttrs(lo.payload.subarray(16), 32);
  assert.deepEqual(walk.diagnostics, []);
  const ifname = walk.attrs.find((a) => a.type === 3)!;
  assert.equal(Buffer.from(ifname.value).toString(), 'lo\0');
  assert.equal(ifname.offset, 32, 'offsets count from the start of the datagram');
  const mtu = walk.attrs.find((a) => a.type === 4)!;
  assert.equal(Buffer.from(mtu.value).readUInt32LE(0), 65536);
});

test('a real ENETUNREACH error decodes with its extended ACK and echoed request', () => {
  const [req, reply] = hexFixture('codec/newroute-enetunreach.hex');
  const [m] = splitMessages(reply.bytes).messages;
  assert.equal(m.header.type, 2);
  assert.ok(m.header.flags & NLM_F_ACK_TLVS);
  const e = decodeErrorPayload(m.payload, m.header.flags);
  assert.equal(e.errno, 101);
  assert.equal(e.name, 'ENETUNREACH');
  assert.equal(e.text, 'Network is unreachable');
  assert.equal(e.extack?.msg, 'Nexthop has invalid gateway');
  assert.equal(e.request?.header.type, 24);
  assert.equal(e.request?.header.seq, decodeHeader(req.bytes).seq);
  assert.equal(toHex(e.request!.bytes), toHex(req.bytes), 'the whole request is echoed');
  assert.deepEqual(e.diagnostics, []);
});

test('a real ENODEV error without extended ACK', () => {
  const [, reply] = hexFixture('codec/getlink-enodev.hex');
  const [m] = splitMessages(reply.bytes).messages;
  const e = decodeErrorPayload(m.payload, m.header.flags);
  assert.equal(e.name, 'ENODEV');
  assert.equal(e.extack, undefined);
  assert.equal(e.request?.header.type, 18);
});

test('a capped ACK echoes only the header and carries TLVs after it', () => {
  const tlvs = encodeAttrs([{ type: 1, value: Buffer.from('all good\0') }, { type: 2, value: Uint8Array.from([36, 0, 0, 0]) }]);
  const payload = new Uint8Array(4 + 16 + tlvs.length);
  encodeHeader({ len: 40, type: 0x10, flags: 5, seq: 7, pid: 99 }, payload, 4);
  payload.set(tlvs, 20);
  const e = decodeErrorPayload(payload, NLM_F_CAPPED | NLM_F_ACK_TLVS);
  assert.equal(e.errno, 0);
  assert.equal(e.request?.payload, undefined);
  assert.equal(e.request?.header.len, 40);
  assert.deepEqual(e.extack, { msg: 'all good', offset: 36 });
});

// Malformed input: each case must produce a diagnostic at the given offset and never throw.
const MALFORMED: [string, string, number, RegExp][] = [
  ['nlmsg_len shorter than the header', '08000000 1000 0000 01000000 00000000', 0, /shorter than the 16-byte header/],
  ['nlmsg_len longer than the datagram', '40000000 1000 0000 01000000 00000000 01020304', 0, /truncated/],
  ['a few trailing bytes', '14000000 1000 0000 01000000 00000000 00000000 0102', 20, /too short for a netlink header/],
  ['second message lies', '14000000 1000 0000 01000000 00000000 00000000 ffff0000 1000 0000 01000000 00000000', 20, /truncated/],
];

for (const [name, hex, offset, pattern] of MALFORMED) {
  test(`malformed datagram: ${name}`, () => {
    const r = splitMessages(fromHex(hex));
    const all = [...r.diagnostics, ...r.messages.flatMap((m) => m.diagnostics)];
    const hit = all.find((d) => pattern.test(d.message));
    assert.ok(hit, `expected ${pattern} in ${JSON.stringify(all)}`);
    assert.equal(hit.offset, offset);
  });
}

const MALFORMED_ATTRS: [string, string, number, RegExp][] = [
  ['attribute shorter than its header', '0800 0100 01000000 0200 0200', 8, /shorter than its 4-byte header/],
  ['attribute longer than what is left', '0800 0100 01000000 2000 0200 0000', 8, /claims 32 bytes, only 6 left/],
  ['junk after the last attribute', '0800 0100 01000000 0102', 8, /trailing byte/],
];

for (const [name, hex, offset, pattern] of MALFORMED_ATTRS) {
  test(`malformed attributes: ${name}`, () => {
    const walk = parseAttrs(fromHex(hex));
    assert.equal(walk.attrs.length, 1, 'the good attribute before the bad one survives');
    assert.equal(walk.diagnostics.length, 1);
    assert.match(walk.diagnostics[0].message, pattern);
    assert.equal(walk.diagnostics[0].offset, offset);
  });
}

test('attribute alignment: values are padded to 4 bytes, nla_len excludes the padding', () => {
  const bytes = encodeAttrs([{ type: 3, value: Buffer.from('eth0\0') }, { type: 4, value: Uint8Array.from([0xdc, 5, 0, 0]) }]);
  assert.equal(toHex(bytes), '0900030065746830000000000800040' + '0dc050000');
  const walk = parseAttrs(bytes);
  assert.deepEqual(walk.attrs.map((a) => [a.type, a.len, a.offset]), [[3, 9, 0], [4, 8, 12]]);
});

test('nested and byte-order flags survive a round trip', () => {
  const bytes = encodeAttrs([{ type: 18, children: [{ type: 1, value: Buffer.from('veth\0') }] }, { type: 7, netByteOrder: true, value: Uint8Array.from([0, 80]) }]);
  const walk = parseAttrs(bytes);
  assert.equal(walk.attrs[0].nested, true);
  assert.equal(walk.attrs[0].type, 18);
  assert.equal(walk.attrs[1].netByteOrder, true);
  assert.equal(parseAttrs(walk.attrs[0].value).attrs[0].type, 1);
});

test('encodeMessage computes nlmsg_len without the trailing padding', () => {
  const m = encodeMessage({ type: 0x10, flags: 1, seq: 5, pid: 0 }, Buffer.from('Hello you!'));
  assert.equal(m.length, 28);
  assert.equal(decodeHeader(m).len, 26);
  assert.equal(Buffer.from(splitMessages(m).messages[0].payload).toString(), 'Hello you!');
});
