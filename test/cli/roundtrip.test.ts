// decode -j | encode --from-json gives back the bytes of every fixture of every protocol: each
// hex fixture (its datagrams written into one capture, so that what one message teaches the
// decoder carries over), each capture fixture, and each hex-dump shape that has its bytes in a
// .bin beside it. A new fixture is covered without a change here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PcapWriter, readCapture } from '../../src/capture/pcap.js';
import { splitMessages, toHex } from '../../src/codec/index.js';
import { protocolNumber, schemaFor } from '../../src/schema/index.js';
import { fixturePath, hexFixture, runNlctl } from '../helpers.js';

/** Hex fixtures are named after their protocol: route-addr-v4.hex, diag-unix.hex, … */
const PROTOCOL_BY_PREFIX: Record<string, string> = {
  route: 'route', audit: 'audit', diag: 'sock_diag', genl: 'generic', nf: 'netfilter', uevent: 'uevent',
};

/**
 * The bytes of a datagram's messages. Zero-filled room after the last message (iproute2 sends
 * its request buffer whole; a dumped receive buffer) belongs to no message and is not kept.
 */
function messageBytes(datagram: Uint8Array, protocol: number): Uint8Array {
  if (schemaFor(protocol).framing === 'raw') return datagram;
  const last = splitMessages(datagram).messages.at(-1);
  if (!last) return new Uint8Array(0);
  return datagram.subarray(0, Math.min(datagram.length, last.offset + ((last.header.len + 3) & ~3)));
}

function roundTrip(capture: string): { code: number | null; hex: string; stderr: string } {
  const decoded = runNlctl(['-j', 'decode', capture]);
  assert.equal(decoded.code, 0, `decode ${capture}: ${decoded.stderr}`);
  const again = runNlctl(['encode', '--from-json'], { input: decoded.stdout });
  return { code: again.code, hex: again.stdout.replace(/\n/g, ''), stderr: again.stderr };
}

const dir = mkdtempSync(`${tmpdir()}/nlctl-roundtrip-`);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const hexFiles = [
  ...readdirSync(fixturePath('dissect')).filter((f) => f.endsWith('.hex')).map((f) => `dissect/${f}`),
  ...readdirSync(fixturePath('codec')).filter((f) => f.endsWith('.hex')).map((f) => `codec/${f}`),
];

test('every hex fixture is named after a protocol', () => {
  assert.ok(hexFiles.length >= 18, `${hexFiles.length} fixture files`);
  for (const file of hexFiles.filter((f) => f.startsWith('dissect/'))) {
    const prefix = file.slice('dissect/'.length).split('-')[0];
    assert.ok(PROTOCOL_BY_PREFIX[prefix], `${file}: unknown prefix '${prefix}': add its protocol to PROTOCOL_BY_PREFIX`);
  }
});

for (const file of hexFiles) {
  test(`decode -j | encode --from-json: ${file}`, () => {
    const name = file.split('/')[1];
    const protocol = protocolNumber(file.startsWith('codec/') ? 'route' : PROTOCOL_BY_PREFIX[name.split('-')[0]] ?? 'route')!;
    const w = new PcapWriter();
    const parts: Uint8Array[] = [w.header()];
    let want = '';
    for (const { bytes } of hexFixture(file)) {
      parts.push(w.record({ protocol, payload: bytes, tsSec: 1700000000, tsNsec: 0, direction: 'in' }));
      want += toHex(messageBytes(bytes, protocol));
    }
    const pcap = `${dir}/${name}.pcap`;
    writeFileSync(pcap, Buffer.concat(parts));
    const r = roundTrip(pcap);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.hex, want);
  });
}

// Hex dumps in every shape (xxd, od, hexdump, C arrays, …) of the same bytes as a .bin beside them.
for (const file of readdirSync(fixturePath('hex')).filter((f) => f.endsWith('.txt'))) {
  const bin = `hex/${file.split('.')[0]}.bin`;
  if (!readdirSync(fixturePath('hex')).includes(bin.slice(4))) continue;
  test(`decode -j | encode --from-json: hex/${file}`, () => {
    const r = roundTrip(fixturePath(`hex/${file}`));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.hex, toHex(readFileSync(fixturePath(bin))));
  });
}

for (const file of readdirSync(fixturePath('pcap')).filter((f) => /\.pcap(ng)?$/.test(f))) {
  test(`decode -j | encode --from-json: pcap/${file}`, () => {
    const packets = readCapture(readFileSync(fixturePath(`pcap/${file}`))).packets.filter((p) => p.netlink);
    const want = packets.map((p) => toHex(messageBytes(p.netlink!.payload, p.netlink!.protocol))).join('');
    if (!packets.length) {
      // A capture with no netlink in it has nothing to give back.
      const decoded = runNlctl(['-j', 'decode', fixturePath(`pcap/${file}`)]);
      assert.deepEqual(JSON.parse(decoded.stdout || '[]'), []);
      return;
    }
    const r = roundTrip(fixturePath(`pcap/${file}`));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.hex, want);
  });
}

test('an edited JSON becomes a new message: an added attribute counts in nlmsg_len', () => {
  const [m] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'route', '2000000012000103010000000000000000000000010000000000000000000000']).stdout);
  m.attrs = [{ type: 4, name: 'IFLA_MTU', value: 1400 }, { type: 3, name: 'IFLA_IFNAME', value: 'eth0' }];
  const e = runNlctl(['encode', '--from-json'], { input: JSON.stringify([m]) });
  assert.equal(e.code, 0, e.stderr);
  const [back] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'route', e.stdout.trim()]).stdout);
  assert.equal(back.len, 32 + 8 + 12);
  assert.deepEqual(back.diagnostics, []);
  assert.deepEqual(back.attrs.map((a: any) => [a.name, a.value]), [['IFLA_MTU', 1400], ['IFLA_IFNAME', 'eth0']]);
});

test('a JSON header field that does not fit nlmsghdr is refused, not masked', () => {
  const [m] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'route', '2000000012000103010000000000000000000000010000000000000000000000']).stdout);
  for (const [field, value] of [['type', 70000], ['flags', -1], ['seq', 2 ** 32]] as const) {
    const e = runNlctl(['encode', '--from-json'], { input: JSON.stringify([{ ...m, [field]: value }]) });
    assert.equal(e.code, 2, `${field}: ${e.stdout}`);
    assert.equal(e.stderr, `nlctl: --from-json: message 1: ${field} ${value} is not a whole number from 0 to ${field === 'seq' ? 4294967295 : 65535}\n`);
  }
});

test('encode --from-json names a file it cannot read', () => {
  const missing = runNlctl(['encode', '--from-json', '/nonexistent']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'nlctl: --from-json /nonexistent: no such file\n');
  const directory = runNlctl(['encode', '--from-json', tmpdir()]);
  assert.equal(directory.code, 2);
  assert.equal(directory.stderr, `nlctl: --from-json ${tmpdir()}: is a directory, not a file\n`);
});

// JSON edited into something nlctl's JSON never is: one line naming the message and the problem.
const GETLINK = { protocol: 'route', protocol_number: 0, offset: 0, len: 32, type: 18, flags: 1, flag_names: [], seq: 1, pid: 0, diagnostics: [] };
const BAD_JSON: [string, Record<string, unknown>, string][] = [
  ['an unknown protocol number', { protocol_number: 99 }, 'protocol_number 99 is not a netlink protocol (0-31)'],
  ['attrs that are not a list', { attrs: 'str' }, '"attrs" must be a list of attributes, got "str"'],
  ['an attribute that is not an object', { attrs: [5] }, 'an attribute must be an object, got 5'],
  ['a value of the wrong kind', { attrs: [{ type: 4, value: 'lo' }] }, "IFLA_MTU: 'lo' is not a whole number"],
  ['a header field of the wrong kind', { header: { name: 'ifinfomsg', fields: { ifi_index: 'x' } } }, "ifinfomsg.ifi_index: 'x' is not a whole number"],
  ['header fields that are not an object', { header: { name: 'ifinfomsg', fields: null } }, '"header" must be an object with "name" and "fields"'],
  ['a payload that is not an object', { payload: 'x' }, '"payload" must be an object with "hex"'],
  ['an errno that is not a number', { type: 2, error: { errno: 'x' } }, '"error" must be an object with a whole-number "errno"'],
  ['an attribute length nla_len cannot hold', { attrs: [{ type: 999, len: 1e12, hex: '00' }] }, 'attribute 999: len 1000000000000 is not 4-65535'],
];

for (const [what, change, message] of BAD_JSON) {
  test(`encode --from-json refuses ${what}`, () => {
    const r = runNlctl(['encode', '--from-json'], { input: JSON.stringify([GETLINK, { ...GETLINK, ...change }]) });
    assert.equal(r.stderr, `nlctl: --from-json: message 2: ${message}\n`);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
  });
}

test('encode --from-json refuses options that build a message, which it would ignore', () => {
  const r = runNlctl(['encode', '--from-json', '-t', '5', '--attr', '1=u8:2', 'hi'], { input: '[]' });
  assert.equal(r.stderr, "nlctl: --from-json takes whole messages from the JSON: the text 'hi', --type, --attr cannot apply\n");
  assert.equal(r.code, 2);
});

test('an edited name wins over a stale raw number only when raw is dropped; a disagreement is an error', () => {
  const [m] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'route', '2000000012000103010000000000000000000000010000000000000000000000']).stdout);
  assert.equal(m.header.raw.ifi_family, 0);
  const edited = { ...m, header: { ...m.header, fields: { ...m.header.fields, ifi_family: 'AF_INET6' } } };
  const stale = runNlctl(['encode', '--from-json'], { input: JSON.stringify([edited]) });
  assert.equal(stale.stderr, 'nlctl: --from-json: message 1: ifinfomsg.ifi_family: value "AF_INET6" and raw 0 disagree: change one and drop the other\n');
  assert.equal(stale.code, 2);
  const { ifi_family: _dropped, ...rest } = m.header.raw;
  const clean = runNlctl(['encode', '--from-json'], { input: JSON.stringify([{ ...edited, header: { ...edited.header, raw: rest } }]) });
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(JSON.parse(runNlctl(['-j', 'decode', '--proto', 'route', clean.stdout.trim()]).stdout)[0].header.fields.ifi_family, 'AF_INET6');
  const attr = { ...m, attrs: [{ type: 16, name: 'IFLA_OPERSTATE', len: 5, value: 'DOWN', raw: 6 }] };
  const r = runNlctl(['encode', '--from-json'], { input: JSON.stringify([attr]) });
  assert.equal(r.stderr, 'nlctl: --from-json: message 1: IFLA_OPERSTATE: value "DOWN" and raw 6 disagree: change one and drop the other\n');
});
