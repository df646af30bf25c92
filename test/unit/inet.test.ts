// IP address text → bytes, checked against the C library's inet_pton (through Python's socket
// module): the same inputs must give the same bytes, or be refused by both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseIPv4, parseIPv6 } from '../../src/codec/index.js';

const V4 = ['0.0.0.0', '10.0.0.1', '127.0.0.1', '255.255.255.255', '192.168.1.300', '1.2.3', '1.2.3.4.5', '1..2.3', 'a.b.c.d', ' 1.2.3.4', '1.2.3.4 '];
const V6 = [
  '::', '::1', 'fe80::1', '2001:db8::8:800:200c:417a', 'ff01::101', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8',
  '::ffff:1.2.3.4', '64:ff9b::192.0.2.33', '::ffff:1.2.3.300', 'FE80::ABCD', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '1::2::3',
  '12345::', 'g::1', '1:::2', '::1:', '1.2.3.4', '',
];

/** inet_pton's answer for each input: the bytes in hex, or null where it refuses. */
function libc(family: 'AF_INET' | 'AF_INET6', inputs: string[]): (string | null)[] {
  const py = `import json,socket,sys
out=[]
for s in json.load(sys.stdin):
    try: out.append(socket.inet_pton(socket.${family}, s).hex())
    except OSError: out.append(None)
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify(inputs), encoding: 'utf8' }));
}

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : null);

test('parseIPv4 gives the bytes inet_pton gives, and refuses what it refuses', () => {
  const want = libc('AF_INET', V4);
  V4.forEach((s, i) => assert.equal(hex(parseIPv4(s)), want[i], JSON.stringify(s)));
});

test('parseIPv6 gives the bytes inet_pton gives, and refuses what it refuses', () => {
  const want = libc('AF_INET6', V6);
  V6.forEach((s, i) => assert.equal(hex(parseIPv6(s)), want[i], JSON.stringify(s)));
});
