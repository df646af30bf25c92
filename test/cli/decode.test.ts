// nlctl decode and encode from the command line: every hex shape, captures, errors, --strict,
// and the round trips encode → decode and decode -j → encode --from-json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PcapWriter } from '../../src/capture/pcap.js';
import { fixturePath, hexFixture, ndjson, NLCTL, requireTool, runNlctl } from '../helpers.js';
import { splitMessages, toHex } from '../../src/codec/index.js';

// Each fixture file is a real sample of one shape; the types it must decode to, in order.
const SHAPES: [string, string[]][] = [
  ['hex/newlink-lo.xxd.txt', ['RTM_NEWLINK']],
  ['hex/newlink-lo.xxd-p.txt', ['RTM_NEWLINK']],
  ['hex/newlink-lo.hexdump-C.txt', ['RTM_NEWLINK']],
  ['hex/newlink-lo.hexdump.txt', ['RTM_NEWLINK']],
  ['hex/newlink-lo.od-Ax-tx1z.txt', ['RTM_NEWLINK']],
  ['hex/getlink-req.xxd-i.txt', ['RTM_GETLINK']],
  ['hex/getlink-req.python-repr.txt', ['RTM_GETLINK']],
  ['hex/kernel-offset-g1.dmesg.txt', ['RTM_GETLINK', 'NLMSG_DONE']],
  ['hex/strace-ip-link-lo.txt', ['RTM_NEWLINK', 'NLMSG_ERROR', 'RTM_GETLINK', 'RTM_NEWLINK', 'RTM_GETLINK', 'RTM_NEWLINK']],
  ['hex/strace-raw-xx.txt', ['RTM_GETADDR']],
  ['hex/rtnl-getlink.tshark-x.txt', ['RTM_GETLINK', 'RTM_NEWLINK', 'NLMSG_DONE']],
  ['pcap/rtnl-getlink.pcap', ['RTM_GETLINK', 'RTM_NEWLINK', 'NLMSG_DONE']],
  ['pcap/rtnl-getlink.pcapng', ['RTM_GETLINK', 'RTM_NEWLINK', 'NLMSG_DONE']],
];

for (const [file, types] of SHAPES) {
  test(`decode ${file}`, () => {
    const r = runNlctl(['-f', 'ndjson', 'decode', fixturePath(file)]);
    assert.equal(r.code, 0, r.stderr);
    const msgs = ndjson(r.stdout);
    assert.deepEqual(msgs.map((m) => m.type_name), types);
    for (const m of msgs) assert.deepEqual(m.diagnostics, [], `${m.type_name} at ${m.offset}`);
    // strace shows only the start of large buffers; check the links it showed whole.
    for (const link of msgs.filter((m) => m.type_name === 'RTM_NEWLINK' && m.attrs)) {
      assert.equal(link.attrs.find((a: any) => a.name === 'IFLA_IFNAME').value, 'lo');
    }
  });
}

test('captures carry timestamps and directions', () => {
  const msgs = ndjson(runNlctl(['-f', 'ndjson', 'decode', fixturePath('pcap/rtnl-getlink.pcap')]).stdout);
  assert.deepEqual(msgs.map((m) => m.meta.direction), ['out', 'in', 'in']);
  assert.match(msgs[0].meta.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
});

test('hex from arguments and from stdin; the protocol guess is said on stderr', () => {
  const hex = '2000000012000103e90300000000000000000000000000000000000000000000';
  const a = runNlctl(['-f', 'ndjson', 'decode', hex]);
  assert.equal(ndjson(a.stdout)[0].type_name, 'RTM_GETLINK');
  assert.match(a.stderr, /decoded as NETLINK_ROUTE/);
  const b = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route'], { input: `0x20, 0x00, 0x00, 0x00, ${'0x00, '.repeat(28)}` });
  assert.equal(ndjson(b.stdout)[0].len, 32);
  assert.equal(b.stderr, '');
});

test('input that is not hex fails with the line number and exit 5', () => {
  const r = runNlctl(['decode'], { input: '20 00 00 00\nthis is not hex\n' });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /^nlctl: stdin: line 2: /);
});

test('--strict turns diagnostics into exit 5; without it the bytes still decode', () => {
  const lying = '40000000100000000100000000000000' + '08000300' + '6c6f0000';
  const loose = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', lying]);
  assert.equal(loose.code, 0);
  assert.match(ndjson(loose.stdout)[0].diagnostics[0].message, /truncated/);
  const strict = runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', '--strict', lying]);
  assert.equal(strict.code, 5);
  assert.match(strict.stderr, /problem\(s\)/);
  assert.ok(strict.stdout.length > 0, 'what was decoded is still printed');
});

test('a missing file is a usage error naming it', () => {
  const r = runNlctl(['decode', '/no/such/file.pcap']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^nlctl: \/no\/such\/file\.pcap: no such file/);
});

test('encode | decode round-trips a message built from options', () => {
  const e = runNlctl(['encode', '-t', 'RTM_NEWLINK', '--flags', 'request,ack,create,excl', '--seq', '42',
    '--attr', 'IFLA_IFNAME=veth9', '--attr', 'IFLA_MTU=1400', '--attr', 'IFLA_LINKINFO={IFLA_INFO_KIND=veth}']);
  assert.equal(e.code, 0, e.stderr);
  const [m] = ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route'], { input: e.stdout }).stdout);
  assert.equal(m.type_name, 'RTM_NEWLINK');
  assert.equal(m.seq, 42);
  assert.deepEqual(m.flag_names, ['request', 'ack', 'excl', 'create']);
  const byName = Object.fromEntries(m.attrs.map((a: any) => [a.name, a]));
  assert.equal(byName.IFLA_IFNAME.value, 'veth9');
  assert.equal(byName.IFLA_MTU.value, 1400);
  assert.equal(byName.IFLA_LINKINFO.attrs[0].value, 'veth');
  assert.equal(byName.IFLA_LINKINFO.nested_flag, true);
});

test('--attr names work for a message type with an opaque payload (NLTEST_MSG_ECHO)', () => {
  const e = runNlctl(['encode', '--proto', 'test', '-t', 'echo', '--seq', '7', '--attr', 'NLTEST_ATTR_DATA=hi', '--attr', 'NLTEST_ATTR_GROUP=3']);
  assert.equal(e.code, 0, e.stderr);
  // nlmsghdr, then DATA (len 6, type 1, "hi", 2 bytes padding) and GROUP (len 8, type 3, u32 3).
  assert.equal(e.stdout.trim(), '20000000100001000700000000000000' + '0600010068690000' + '0800030003000000');
});

test('encode writes a C array and raw bytes', () => {
  const c = runNlctl(['encode', '--proto', 'test', '--seq', '1', 'Hello you!', '--out', 'c']);
  assert.match(c.stdout, /^unsigned char msg\[28\] = \{\n  0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,/);
  const raw = runNlctl(['encode', '--proto', 'test', '--seq', '1', 'Hello you!', '--out', 'raw']);
  assert.equal(Buffer.from(raw.stdout, 'latin1').subarray(16, 26).toString(), 'Hello you!');
});

test('decode -j | encode --from-json reproduces every fixture datagram byte for byte', () => {
  const files = [
    ...readdirSync(fixturePath('codec')).map((f) => `codec/${f}`),
    ...readdirSync(fixturePath('dissect')).filter((f) => f.endsWith('.hex') && /^(route|genl)-/.test(f)).map((f) => `dissect/${f}`),
  ];
  let checked = 0;
  for (const file of files) {
    for (const { bytes } of hexFixture(file)) {
      // Zero slack after the last message (a dumped receive buffer) is not part of any message.
      const last = splitMessages(bytes).messages.at(-1)!;
      const hex = toHex(bytes.subarray(0, last.offset + ((last.header.len + 3) & ~3)));
      const decoded = runNlctl(['-j', 'decode', '--proto', file.includes('genl-') ? 'generic' : 'route', hex]);
      const again = runNlctl(['encode', '--from-json'], { input: decoded.stdout });
      assert.equal(again.code, 0, `${file}: ${again.stderr}`);
      assert.equal(again.stdout.replace(/\n/g, ''), hex, `${file}`);
      checked++;
    }
  }
  assert.ok(checked >= 5, `${checked} datagrams`);
});

test('a truncated kernel dump decodes as far as it goes, with diagnostics at offsets', () => {
  const [m] = ndjson(runNlctl(['-f', 'ndjson', 'decode', fixturePath('hex/kernel-offset-g4.dmesg.txt')]).stdout);
  assert.equal(m.type_name, 'RTM_NEWLINK');
  assert.equal(m.truncated, true);
  assert.deepEqual(m.diagnostics.map((d: any) => d.offset), [0, 40]);
  assert.equal(m.attrs.find((a: any) => a.name === 'IFLA_IFNAME').value, 'lo');
});

test('fixture datagrams written as pcap are read by tshark with the same message types', (t) => {
  if (!requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-tshark-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = new PcapWriter();
  const parts: Uint8Array[] = [w.header()];
  const ours: number[] = [];
  for (const file of ['codec/getlink-dump-lo.hex', 'dissect/route-addr-v4.hex', 'dissect/route-route.hex', 'dissect/route-neigh.hex']) {
    for (const { bytes } of hexFixture(file)) {
      // One message per frame, so that frames and messages line up one to one.
      for (const m of splitMessages(bytes).messages) {
        parts.push(w.record({ protocol: 0, payload: m.bytes, tsSec: 1700000000, tsNsec: 0, direction: 'in' }));
        ours.push(m.header.type);
      }
    }
  }
  writeFileSync(`${dir}/f.pcap`, Buffer.concat(parts));
  const decoded = ndjson(runNlctl(['-f', 'ndjson', 'decode', `${dir}/f.pcap`]).stdout).map((m) => m.type);
  assert.deepEqual(decoded, ours);
  const theirs = execFileSync('tshark', ['-r', `${dir}/f.pcap`, '-T', 'fields', '-e', 'netlink.hdr_type', '-e', 'netlink-route.nltype'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => Number(l.split('\t').find((x) => x !== '')));
  assert.deepEqual(theirs, ours);
});

test('large captures decode on several threads to the same output as on one', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-jobs-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const samples = hexFixture('dissect/route-route.hex').flatMap(({ bytes }) => splitMessages(bytes).messages.map((m) => m.bytes));
  const w = new PcapWriter({ resolution: 'ns' });
  const parts: Uint8Array[] = [w.header()];
  for (let i = 0; i < 9000; i++) parts.push(w.record({ protocol: 0, payload: samples[i % samples.length], tsSec: 1700000000 + (i >> 10), tsNsec: i, direction: i % 2 ? 'in' : 'out' }));
  writeFileSync(`${dir}/big.pcap`, Buffer.concat(parts));
  for (const format of ['ndjson', 'json']) {
    const one = runNlctl(['-f', format, 'decode', `${dir}/big.pcap`, '--jobs', '1']);
    const three = runNlctl(['-f', format, 'decode', `${dir}/big.pcap`, '--jobs', '3']);
    assert.equal(three.code, 0, three.stderr);
    assert.equal(three.stdout, one.stdout, format);
  }
  assert.equal(ndjson(runNlctl(['-f', 'ndjson', 'decode', `${dir}/big.pcap`, '--jobs', '2']).stdout).length, 9000);
});

test('decode reads a pipe given by path (bash <(…)), not the path as hex', () => {
  const r = spawnSync('bash', ['-c', `${process.execPath} ${NLCTL} -f ndjson decode <(cat ${fixturePath('hex/newlink-lo.xxd.txt')})`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n')[0]).type_name, 'RTM_NEWLINK');
});
