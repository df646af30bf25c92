// request() over the fake transport: sequence matching, multipart to DONE, ACKs, errors with
// extended ACK, interrupted dumps, and replies that belong to someone else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeader, encodeAttrs, encodeHeader, encodeMessage, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, concat } from '../../src/codec/index.js';
import { NetlinkError, TimeoutError } from '../../src/errors.js';
import { buildRequest, FakeTransport, request } from '../../src/transport/index.js';

function errorMessage(seq: number, errno: number, echoed: Uint8Array, extackMsg?: string): Uint8Array {
  const code = new Uint8Array(4);
  new DataView(code.buffer).setInt32(0, -errno, true);
  const tlvs = extackMsg ? encodeAttrs([{ type: 1, value: Buffer.from(extackMsg + '\0') }]) : new Uint8Array(0);
  return encodeMessage({ type: 2, flags: extackMsg ? NLM_F_ACK_TLVS : 0, seq, pid: 4242 }, concat([code, echoed, tlvs]));
}

test('a dump collects multipart replies to NLMSG_DONE and ignores other sequence numbers', async () => {
  const fake = new FakeTransport((m) => {
    const seq = m.header.seq;
    const part = (n: number, flags = NLM_F_MULTI) => encodeMessage({ type: 16, flags, seq, pid: 4242 }, Uint8Array.from([n, 0, 0, 0]));
    return [
      concat([part(1), part(2)]),
      encodeMessage({ type: 16, flags: NLM_F_MULTI, seq: seq + 99, pid: 4242 }), // someone else's
      concat([part(3), encodeMessage({ type: 3, flags: NLM_F_MULTI, seq, pid: 4242 }, new Uint8Array(4))]),
    ];
  });
  const r = await request(fake, buildRequest(18, NLM_F_DUMP, new Uint8Array(16)));
  assert.deepEqual(r.replies.map((m) => m.payload[0]), [1, 2, 3]);
  assert.equal(r.unrelated, 1);
  assert.equal(r.interrupted, false);
  assert.ok(r.done);
  assert.notEqual(fake.sent[0].bytes[8] | fake.sent[0].bytes[9], 0, 'a sequence number was filled in');
});

test('NLM_F_DUMP_INTR on any reply marks the dump interrupted', async () => {
  const fake = new FakeTransport((m) => [
    encodeMessage({ type: 16, flags: NLM_F_MULTI | NLM_F_DUMP_INTR, seq: m.header.seq, pid: 1 }),
    encodeMessage({ type: 3, flags: NLM_F_MULTI, seq: m.header.seq, pid: 1 }, new Uint8Array(4)),
  ]);
  const r = await request(fake, buildRequest(18, NLM_F_DUMP, new Uint8Array(16)));
  assert.equal(r.interrupted, true);
});

test('an error becomes a NetlinkError with the extended-ACK text', async () => {
  const fake = new FakeTransport((m) => [errorMessage(m.header.seq, 101, m.bytes, 'Nexthop has invalid gateway')]);
  await assert.rejects(request(fake, buildRequest(24, NLM_F_ACK, new Uint8Array(12)), { label: 'RTM_NEWROUTE' }), (e: unknown) =>
    e instanceof NetlinkError && e.message === 'RTM_NEWROUTE: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway' && e.exitCode === 4);
});

test('an ACK ends a request that asked for one, after its replies', async () => {
  const fake = new FakeTransport((m) => {
    const echoed = new Uint8Array(16);
    encodeHeader(m.header, echoed);
    return [encodeMessage({ type: 16, flags: 0, seq: m.header.seq, pid: 1 }), errorMessage(m.header.seq, 0, echoed)];
  });
  const r = await request(fake, buildRequest(18, NLM_F_ACK, new Uint8Array(16)));
  assert.equal(r.replies.length, 1);
  assert.equal(r.ack?.errno, 0);
});

test('no answer times out with a TimeoutError naming the request', async () => {
  const fake = new FakeTransport(() => []);
  await assert.rejects(request(fake, buildRequest(18, NLM_F_ACK, new Uint8Array(16)), { timeoutMs: 50, label: 'RTM_GETLINK' }), (e: unknown) =>
    e instanceof TimeoutError && /RTM_GETLINK: no reply within 50 ms/.test(e.message));
});

test('the wall clock stepped forward (NTP, a resumed machine) does not end the wait: deadlines are on the monotonic clock', async (t) => {
  const fake = new FakeTransport(() => []);
  const p = request(fake, buildRequest(18, NLM_F_ACK, new Uint8Array(16)), { timeoutMs: 2000 });
  const echoed = new Uint8Array(16);
  encodeHeader(decodeHeader(fake.sent[0].bytes), echoed);
  const seq = new DataView(fake.sent[0].bytes.buffer).getUint32(8, true);
  const wall = Date.now;
  setTimeout(() => {
    // The wall clock jumps an hour ahead, and a reply comes: the request waits on for its ACK.
    t.mock.method(Date, 'now', () => wall() + 3_600_000);
    fake.deliver(encodeMessage({ type: 16, flags: 0, seq, pid: 1 }));
  }, 15);
  setTimeout(() => fake.deliver(errorMessage(seq, 0, echoed)), 40);
  const r = await p;
  assert.equal(r.replies.length, 1);
  assert.equal(r.ack?.errno, 0, 'the ACK that came after the step was waited for');
});

test('overruns while waiting are counted', async () => {
  const fake = new FakeTransport();
  fake.overrun();
  const p = request(fake, buildRequest(18, 0, new Uint8Array(16)));
  const seq = new DataView(fake.sent[0].bytes.buffer).getUint32(8, true);
  fake.deliver(encodeMessage({ type: 16, flags: 0, seq, pid: 1 }));
  const r = await p;
  assert.equal(r.overruns, 1);
  assert.equal(r.replies.length, 1);
});

test('replies read in place come once each: to onReplyAt, to onRunAt after the one before them, or, from a message cut short on, to onReply', async () => {
  const part = (n: number) => encodeMessage({ type: 16, flags: NLM_F_MULTI, seq: 0, pid: 1 }, Uint8Array.from([n, 0, 0, 0]));
  const fake = new FakeTransport((m) => {
    const withSeq = (b: Uint8Array) => (new DataView(b.buffer, b.byteOffset).setUint32(8, m.header.seq, true), b);
    const done = encodeMessage({ type: 3, flags: NLM_F_MULTI, seq: m.header.seq, pid: 1 }, new Uint8Array(4));
    return [
      concat(Array.from({ length: 7 }, (_, i) => withSeq(part(i)))),
      // A datagram whose last message is cut short: what comes before it is read in place, the
      // rest as splitMessages gives it (the messages a run took are not given again).
      concat([withSeq(part(7)), withSeq(part(8)), withSeq(part(9)).subarray(0, 18)]),
      done,
    ];
  });
  const seen: [string, number][] = [];
  const r = await request(fake, buildRequest(18, NLM_F_DUMP, new Uint8Array(16)), {
    onReplyAt: (data, off) => void seen.push(['reply', data[off + 16]]),
    onReply: (m) => void seen.push(['split', m.payload[0]]),
    // Takes up to two messages after each reply: the walk goes on after them.
    onRunAt: (data, off) => {
      let n = 0;
      for (; n < 2 && off + 20 <= data.length; n++, off += 20) seen.push(['run', data[off + 16]]);
      return n;
    },
  });
  assert.deepEqual(seen, [['reply', 0], ['run', 1], ['run', 2], ['reply', 3], ['run', 4], ['run', 5], ['reply', 6], ['reply', 7], ['run', 8], ['split', 9]]);
  assert.ok(r.done, 'the dump ended at NLMSG_DONE');
});
