// Reading the kernel's drop counter for one socket: from netlink_diag replies and from
// /proc/net/netlink text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, encodeAttrs, encodeMessage, NLM_F_MULTI } from '../../src/codec/index.js';
import { dropsInProc, dropsInReply, dropsRequest } from '../../src/transport/index.js';
import { hexFixture } from '../helpers.js';

/** A netlink_diag_msg for (protocol, portid) with an sk_meminfo whose SK_MEMINFO_DROPS is `drops`. */
function diagReply(protocol: number, portid: number, drops: number): Uint8Array {
  const msg = new Uint8Array(28);
  const v = new DataView(msg.buffer);
  msg[0] = 16;
  msg[2] = protocol;
  v.setUint32(4, portid, true);
  const mem = new Uint8Array(9 * 4);
  new DataView(mem.buffer).setUint32(8 * 4, drops, true);
  return encodeMessage({ type: 20, flags: NLM_F_MULTI, seq: 1, pid: 0 }, concat([msg, encodeAttrs([{ type: 0, value: mem }])]));
}

test('the drop count of our port id, and not of the others', () => {
  const data = concat([diagReply(2, 111, 5), diagReply(2, 4242, 570364), diagReply(2, 999, 7)]);
  assert.equal(dropsInReply(data, 4242), 570364);
  assert.equal(dropsInReply(data, 12345), undefined);
  assert.equal(dropsInReply(encodeMessage({ type: 3, flags: NLM_F_MULTI, seq: 1, pid: 0 }, new Uint8Array(4)), 4242), 'done');
});

test('a real netlink_diag reply: the drops of its first socket', () => {
  const [, replies] = hexFixture('dissect/diag-netlink.hex').map((d) => d.bytes);
  const v = new DataView(replies.buffer, replies.byteOffset);
  const portid = v.getUint32(20, true);
  // sk_meminfo follows the 28-byte netlink_diag_msg and a 4-byte attribute header.
  assert.equal(dropsInReply(replies, portid), v.getUint32(16 + 28 + 4 + 8 * 4, true));
});

test('the request asks netlink_diag for one protocol with its memory counters', () => {
  const req = dropsRequest(2);
  const v = new DataView(req.buffer);
  assert.equal(v.getUint16(4, true), 20, 'SOCK_DIAG_BY_FAMILY');
  assert.deepEqual([req[16], req[17], v.getUint32(24, true)], [16, 2, 1]);
});

test('the Drops column of /proc/net/netlink for (protocol, port id)', () => {
  const text = [
    'sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode',
    '0000000000000000 0   0          00000000 0        0        0     2        0        4',
    '0000000000000000 2   4242       00000040 0        0        0     2        123      9001',
    '0000000000000000 0   4242       00000000 0        0        0     2        9        9002',
  ].join('\n');
  assert.equal(dropsInProc(text, 2, 4242), 123);
  assert.equal(dropsInProc(text, 0, 4242), 9);
  assert.equal(dropsInProc(text, 2, 1), undefined);
});
