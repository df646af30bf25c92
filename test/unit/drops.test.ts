// Reading the kernel's drop counter for one socket: from netlink_diag replies and from
// /proc/net/netlink text, how often a burst of overruns reads it (over the fake transport), and
// how a burst's overruns become events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, encodeAttrs, encodeMessage, NLM_F_MULTI } from '../../src/codec/index.js';
import { DropCounter, DROPS_READ_INTERVAL_MS, dropsInProc, dropsInReply, dropsRequest, FakeTransport, receiveLoop } from '../../src/transport/index.js';
import { hexFixture } from '../helpers.js';
import { MessageStream } from '../../src/commands/stream.js';
import type { MessageWriter } from '../../src/format/types.js';
import { routeSchema as route } from '../../src/schema/protocols/route/index.js';

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

/** A fake sock_diag that answers each dump with `count()` for the listener (and another socket's), counting the dumps. */
function fakeDiag(listener: FakeTransport, count: () => number) {
  return new FakeTransport((m) => {
    assert.equal(m.header.type, 20, 'SOCK_DIAG_BY_FAMILY');
    return [diagReply(listener.protocol, 999, 3), diagReply(listener.protocol, listener.portId, count()), encodeMessage({ type: 3, flags: NLM_F_MULTI, seq: m.header.seq, pid: 0 }, new Uint8Array(4))];
  }, 4, 1);
}

test('a burst of overruns reads the counter at most every 100 ms, each read exact, and the read at the end too', async () => {
  const listener = new FakeTransport(() => [], 2, 4242);
  // The kernel's counter grows as the overruns are met: 7 messages lost each.
  let met = 0;
  const diag = fakeDiag(listener, () => met * 7);
  let clock = 0;
  const counter = new DropCounter(listener.protocol, listener.portId, { openDiag: () => diag, now: () => clock });
  // 2000 ENOBUFS, then one message; the clock moves 1 ms per overrun.
  const overruns = 2000;
  for (let i = 0; i < overruns; i++) listener.overrun(7);
  listener.deliver(encodeMessage({ type: 16, flags: 0, seq: 1, pid: 0 }, new Uint8Array(16)));
  const reads: { met: number; count: number | null }[] = [];
  await receiveLoop(listener, {
    datagram: () => true,
    overrun: () => {
      met++;
      clock += 1;
      const d = counter.read();
      reads.push({ met, count: d === null ? null : d!.count });
    },
  });
  assert.equal(reads.length, overruns);
  const done = reads.filter((r) => r.count !== null);
  const dumps = diag.sent.length;
  assert.equal(done.length, dumps, 'a read that is not null is one dump');
  // 2000 ms of overruns: one read per 100 ms.
  assert.ok(dumps >= 2 && dumps <= Math.ceil(overruns / DROPS_READ_INTERVAL_MS) + 1, `${dumps} sock_diag dumps for ${overruns} overruns`);
  assert.ok(done.every((r) => r.count === r.met * 7), 'every count read is the counter at that moment, never an older one');
  assert.equal(reads[0]!.count, 7, 'the first overrun reads at once');
  assert.deepEqual(counter.read(true), { count: listener.dropped, source: 'sock_diag' });
  assert.equal(listener.dropped, overruns * 7);
  assert.equal(diag.sent.length, dumps + 1, 'a fresh read is one more dump');
  // Each dump sends the same request, built once.
  assert.ok(diag.sent.every((s) => Buffer.from(s.bytes).equals(Buffer.from(diag.sent[0].bytes))));
});

test('overruns within the read interval are one event, with the exact drops of them all', () => {
  const events: Record<string, unknown>[] = [];
  const writer = { write: () => {}, end: () => {}, event: (e: Record<string, unknown>) => events.push(e) };
  const stream = new MessageStream(2, route, writer as unknown as MessageWriter);
  stream.overrun({ count: 5, source: 'fake' });
  stream.overrun(null);
  stream.overrun(null);
  assert.equal(events.length, 1);
  assert.equal(stream.overrunPending, true);
  stream.overrunsLater(null);
  assert.equal(events.length, 1, 'not read again yet: no event');
  stream.overrunsLater({ count: 12, source: 'fake' });
  assert.deepEqual(events.map((e) => [e.lost, e.lost_total, e.overruns]), [[5, 5, 1], [7, 12, 2]]);
  assert.equal(stream.overrunPending, false);
  stream.overrun(null);
  stream.finalDrops({ count: 20, source: 'fake' });
  assert.deepEqual(events.map((e) => [e.lost, e.lost_total, e.overruns]), [[5, 5, 1], [7, 12, 2], [8, 20, 3]]);
  // With none pending, the end's read only counts.
  stream.finalDrops({ count: 21, source: 'fake' });
  assert.equal(events.length, 3);
  assert.equal(stream.counters.lost, 21);
  assert.ok(events.every((e) => (e.lost as number) > 0), 'no overrun event says nothing was lost');
});

test('an overrun 100 ms after the last read reads the counter again', () => {
  const listener = new FakeTransport(() => [], 2, 4242);
  let drops = 5;
  const diag = fakeDiag(listener, () => drops);
  let clock = 1000;
  const counter = new DropCounter(listener.protocol, listener.portId, { openDiag: () => diag, now: () => clock });
  assert.equal(counter.read()?.count, 5);
  drops = 9;
  clock += DROPS_READ_INTERVAL_MS - 1;
  assert.equal(counter.read(), null, 'within the interval: not read again');
  clock += 1;
  assert.equal(counter.read()?.count, 9);
  assert.equal(diag.sent.length, 2);
  counter.close();
  assert.equal(diag.closed, true);
});
