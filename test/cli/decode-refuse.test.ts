// Input that is not netlink, or that decodes nothing, is refused with exit 5 and a hint; what
// decode leaves out is counted in one line; and the hex shapes that real tools print are read whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath, ndjson, runNlctl } from '../helpers.js';

const DONE = '14000000030002000100000000000000' + '00000000';

function u32le(n: number): string {
  return Buffer.from(Uint32Array.of(n).buffer).toString('hex');
}

/** A little-endian µs pcap with the given link type and records (hex). */
function pcap(linkType: number, records: string[]): Buffer {
  let hex = 'd4c3b2a1' + '02000400' + '00000000' + '00000000' + u32le(262144) + u32le(linkType);
  for (const r of records) hex += u32le(1) + u32le(0) + u32le(r.length / 2) + u32le(r.length / 2) + r;
  return Buffer.from(hex, 'hex');
}

/** LINKTYPE_NETLINK cooked header for NETLINK_ROUTE, received. */
const COOKED = '0000' + '0338' + '0000' + '0000000000000000' + '0000';

function decodeBytes(bytes: Buffer | string, extra: string[] = []) {
  return runNlctl(['-f', 'ndjson', 'decode', ...extra], { input: bytes });
}

test("strace's default output decodes from its rendering, under the socket's protocol, and inet_pton's string is never a message", () => {
  const r = runNlctl(['-f', 'ndjson', 'decode', fixturePath('hex/strace-default-ip-a.txt')]);
  assert.equal(r.code, 0, r.stderr);
  const messages = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(messages.length > 0);
  assert.ok(messages.every((m) => m.protocol === 'route' && m.type >= 16), JSON.stringify(messages.map((m) => m.type_name)));
  assert.deepEqual(messages[0].meta, { direction: 'out' });
  assert.doesNotMatch(r.stderr, /decoded as NETLINK_ROUTE/);
});

test('a string argument of a call that is not send/receive is never read as bytes', () => {
  const r = decodeBytes('connect(3, {sa_family=AF_INET6, sin6_port=htons(53), sin6_addr=inet_pton(AF_INET6, "::1")}, 28) = 0\n');
  assert.equal(r.code, 5, r.stdout);
  assert.match(r.stderr, /no netlink found: .*strace -e trace=sendto/);
});

test('Python or JSON text holding escapes is not a byte string', () => {
  for (const text of [
    "{'ACTION': 'change', 'DEVPATH': '/devices/virtual/net/lo', 'SUBSYSTEM': 'net', 'SEQNUM': '4711', 'NOTE': 'a\\nb'}",
    '{"ACTION": "change", "DEVPATH": "/devices/virtual/net/lo", "NOTE": "a\\u0000b"}',
  ]) {
    for (const extra of [[], ['--proto', 'kobject_uevent']]) {
      const r = decodeBytes(text + '\n', extra);
      assert.equal(r.code, 5, `${text} ${extra}: ${r.stdout}`);
      assert.match(r.stderr, /^nlctl: stdin: line 1: not hex: .*\(no netlink found: /);
    }
  }
});

test('prose is refused with a hint on how to get a dump', () => {
  const r = decodeBytes('this is a note about netlink, not a dump\n');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /read=all -e write=all/);
});

test('a pcap whose link type is not netlink decodes nothing: exit 5, also with --strict', () => {
  const eth = pcap(1, ['ffffffffffff0000000000010800' + '45000014']);
  for (const extra of [[], ['--strict']]) {
    const r = decodeBytes(eth, extra);
    assert.equal(r.code, 5, r.stdout);
    assert.match(r.stderr, /no netlink message decoded \(1 record\(s\) skipped: 1 not netlink \(link type 1\)\)/);
  }
});

test('a truncated pcap header and a pcapng with a bad section header exit 5', () => {
  const truncated = pcap(253, []).subarray(0, 20);
  const r1 = decodeBytes(truncated);
  assert.equal(r1.code, 5);
  assert.match(r1.stderr, /truncated pcap header: 20 of 24 bytes/);
  const shb = Buffer.from('0a0d0d0a' + '1c000000' + 'deadbeef' + '01000000' + 'ffffffffffffffff' + '1c000000', 'hex');
  const r2 = decodeBytes(shb);
  assert.equal(r2.code, 5);
  assert.match(r2.stderr, /bad byte-order magic/);
  assert.match(r2.stderr, /no netlink message decoded/);
});

test('all-zero datagrams and empty records are counted, and nothing decoded is exit 5', () => {
  const r = decodeBytes(pcap(253, [COOKED + '00'.repeat(40), COOKED, COOKED + '00'.repeat(20)]));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /3 record\(s\) skipped: 2 all zeros, 1 empty/);
  const hex = decodeBytes('00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n');
  assert.equal(hex.code, 5);
  assert.match(hex.stderr, /all zeros/);
});

test('skipped records are counted in one summary line; --strict makes them an error', () => {
  const records = [COOKED + DONE, ...Array.from({ length: 500 }, () => COOKED + '00'.repeat(20))];
  const loose = decodeBytes(pcap(253, records));
  assert.equal(loose.code, 0, loose.stderr);
  assert.equal(ndjson(loose.stdout).length, 1);
  assert.deepEqual(loose.stderr.trim().split('\n'), ['nlctl: stdin: 500 record(s) skipped: 500 all zeros']);
  const strict = decodeBytes(pcap(253, records), ['--strict']);
  assert.equal(strict.code, 5);
  assert.match(strict.stderr, /500 record\(s\) skipped: 500 all zeros \(--strict\)/);
});

test('a message split by blank lines between attribute groups stays one message; comments are ignored anywhere', () => {
  // RTM_NEWLINK: header, ifinfomsg, then attribute groups separated by blank lines.
  const attrs = [
    '09000300' + '67726531' + '00000000', // IFLA_IFNAME "gre1" (len 9, padded)
    '08000400' + '00050000', // IFLA_MTU 1280
    '05001000' + '06000000', // IFLA_OPERSTATE
    '08000d00' + 'e8030000', // IFLA_TXQLEN 1000
  ];
  const body = '00000000' + '00000000' + '00000000' + '00000000' + attrs.join('');
  const len = 16 + body.length / 2;
  const header = u32le(len) + '1000' + '0000' + '00000000' + '00000000';
  const groups = [header + body.slice(0, 32), ...attrs].map((g) => g.match(/.{1,32}/g)!.map((l) => l.match(/../g)!.join(' ')).join('\n'));
  const text = '# gre link, one message\n' + groups.join('\n\n# next group\n') + '\n\n# end\n';
  const r = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route'], { input: text });
  assert.equal(r.code, 0, r.stderr);
  const msgs = ndjson(r.stdout);
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].len, len);
  assert.deepEqual(msgs[0].diagnostics, []);
  assert.equal(msgs[0].attrs.find((a: any) => a.name === 'IFLA_IFNAME').value, 'gre1');
  // Two whole messages in two blocks stay two datagrams.
  const two = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route'], { input: `${DONE}\n\n# again\n${DONE}\n` });
  assert.deepEqual(ndjson(two.stdout).map((m) => m.offset), [0, 0]);
});

test('--strict accepts RTM_GETLINK and RTM_GETADDR dump requests with a short rtgenmsg header', () => {
  for (const type of ['1200', '1600']) {
    const req = '14000000' + type + '0103' + '01000000' + '00000000' + '0a000000';
    const r = runNlctl(['-f', 'ndjson', 'decode', '--strict', '--proto', 'route', req]);
    assert.equal(r.code, 0, r.stderr);
    const m = ndjson(r.stdout)[0];
    assert.equal(m.header.name, 'rtgenmsg');
    assert.equal(m.header.fields.rtgen_family, 'AF_INET6');
  }
});

test('an unknown attribute is shown as text only when it looks like a C string', () => {
  const link = (attr: string) => {
    const body = '00000000' + '00000000' + '00000000' + '00000000' + attr;
    return u32le(16 + body.length / 2) + '1000' + '0000' + '00000000' + '00000000' + body;
  };
  for (const [value, text] of [['0a000000', undefined], ['40000000', undefined], ['6c6f3000', 'lo0']] as const) {
    const r = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', link('0800ff07' + value)]);
    const a = ndjson(r.stdout)[0].attrs[0];
    assert.equal(a.hex, value);
    assert.equal(a.value, text, `${value}: ${JSON.stringify(a)}`);
  }
});

test('IPv4-mapped IPv6 addresses print as ::ffff:a.b.c.d', () => {
  const body = '0a' + '80' + '00' + '00' + '01000000' + '1400' + '0100' + '00000000000000000000ffff7f000001';
  const msg = u32le(16 + body.length / 2) + '1400' + '0000' + '00000000' + '00000000' + body;
  const r = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', msg]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ndjson(r.stdout)[0].attrs[0].value, '::ffff:127.0.0.1');
});

test('a directory is a usage error that says so', () => {
  const r = runNlctl(['decode', fixturePath('hex')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^nlctl: .*hex: is a directory, not a file to decode\n$/);
});

test('a pcapng packet of an undefined interface is counted among the skipped records', () => {
  // SHB, then an EPB for interface 3 with no IDB at all.
  const shb = '0a0d0d0a' + '1c000000' + '4d3c2b1a' + '01000000' + 'ffffffffffffffff' + '1c000000';
  const epb = '06000000' + '30000000' + '03000000' + '00000000' + '00000000' + '10000000' + '10000000' + COOKED + '30000000';
  const r = decodeBytes(Buffer.from(shb + epb, 'hex'));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /packet refers to interface 3/);
  assert.match(r.stderr, /1 record\(s\) skipped: 1 without an interface/);
});

test('a pcapng timestamp no date can hold is a problem, not an internal error (found by make fuzz)', () => {
  const shb = '0a0d0d0a' + '1c000000' + '4d3c2b1a' + '01000000' + 'ffffffffffffffff' + '1c000000';
  // IDB, LINKTYPE_NETLINK, if_tsoffset (option 14) of 2^62 seconds.
  const idb = '01000000' + '20000000' + 'fd00' + '0000' + '00000400' + '0e000800' + '0000000000000040' + '20000000';
  const frame = COOKED + DONE;
  const epb = '06000000' + u32le(32 + frame.length / 2) + '00000000' + '00000000' + '00000000' + u32le(frame.length / 2) + u32le(frame.length / 2) + frame + u32le(32 + frame.length / 2);
  const r = decodeBytes(Buffer.from(shb + idb + epb, 'hex'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^nlctl: stdin: offset \d+: timestamp \d+\.\d+ s is out of range; packet shown without a time\n$/);
  const m = ndjson(r.stdout)[0];
  assert.equal(m.type_name, 'NLMSG_DONE');
  assert.equal(m.meta?.time, undefined);
  assert.equal(decodeBytes(Buffer.from(shb + idb + epb, 'hex'), ['--strict']).code, 5);
});
