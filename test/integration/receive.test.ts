// The batch receiver against real sockets (NETLINK_USERSOCK unicast needs no privilege):
// many datagrams per call, in order, with sender addresses; large datagrams whole after a wait,
// flagged truncated (never silently cut) inside a batch; the kernel's drop counter read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage } from '../../src/codec/index.js';
import { NetlinkSocket } from '../../src/transport/index.js';
import { BatchReceiver } from '../../src/sys/index.js';
import { requireNamespaces } from '../helpers.js';
import { existsSync } from 'node:fs';

const USERSOCK = 2;

function pair(t: import('node:test').TestContext) {
  const rx = new NetlinkSocket(USERSOCK, { rcvbuf: 4 << 20 });
  const tx = new NetlinkSocket(USERSOCK, {});
  t.after(() => {
    rx.close();
    tx.close();
  });
  return { rx, tx };
}

const msg = (seq: number, payload = 16) => encodeMessage({ type: 0x20, flags: 1, seq, pid: 0 }, new Uint8Array(payload).fill(seq & 0xff));

test('one drain brings many datagrams, in order, each with its sender', async (t) => {
  const { rx, tx } = pair(t);
  for (let i = 0; i < 200; i++) tx.send(msg(i), { pid: rx.portId });
  assert.equal(await rx.wait(1000), 'readable');
  const seen: number[] = [];
  let calls = 0;
  for (let b = rx.drain(); b.datagrams.length; b = rx.drain()) {
    calls++;
    for (const dg of b.datagrams) {
      assert.equal(dg.fromPid, tx.portId);
      assert.equal(dg.truncated, false);
      assert.ok(dg.timeNs !== undefined && dg.timeSource !== undefined);
      seen.push(new DataView(dg.data.buffer, dg.data.byteOffset).getUint32(8, true));
    }
  }
  assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i));
  assert.ok(calls <= 4, `${calls} calls for 200 datagrams`);
});

test('a datagram larger than a slot: whole after a wait, flagged truncated with its real size inside a batch', async (t) => {
  const { rx, tx } = pair(t);
  const big = 100 * 1024;
  tx.send(msg(1, big), { pid: rx.portId });
  assert.equal(await rx.wait(1000), 'readable');
  const [whole] = rx.drain().datagrams;
  assert.equal(whole.data.length, 16 + big, 'the peek after the wait sized the slots');
  assert.equal(whole.truncated, false);

  // Inside one batch the slots cannot grow in time: the second is cut, flagged, and the next one whole.
  const r = new BatchReceiver(rx.fd, { slots: 8, slotSize: 4096 });
  tx.send(msg(2, 16), { pid: rx.portId });
  tx.send(msg(3, 8000), { pid: rx.portId });
  tx.send(msg(4, 8000), { pid: rx.portId });
  const first = r.receive().datagrams;
  assert.equal(first.length, 3);
  assert.equal(first[1].truncated, true);
  assert.equal(first[1].length, 16 + 8000, 'the real length');
  assert.equal(first[1].data.length, 4096);
  tx.send(msg(5, 8000), { pid: rx.portId });
  const [next] = r.receive().datagrams;
  assert.equal(next.truncated, false, 'the slots grew');
  assert.equal(next.data.length, 16 + 8000);
});

test('views: each batch is the memory it was received into, whole while the next one is received', async (t) => {
  const { rx, tx } = pair(t);
  const r = new BatchReceiver(rx.fd, { slots: 2, slotSize: 4096, views: true });
  for (let i = 1; i <= 6; i++) tx.send(msg(i), { pid: rx.portId });
  const seqOf = (d: Uint8Array) => new DataView(d.buffer, d.byteOffset).getUint32(8, true);
  const first = r.receive().datagrams, second = r.receive().datagrams;
  assert.deepEqual([...first, ...second].map((d) => seqOf(d.data)), [1, 2, 3, 4]);
  assert.equal(first[0].data.buffer, first[1].data.buffer, 'views of one memory');
  assert.notEqual(first[0].data.buffer, second[0].data.buffer, 'the next batch in the other set of slots');
  const third = r.receive().datagrams;
  assert.deepEqual(third.map((d) => seqOf(d.data)), [5, 6]);
  assert.equal(third[0].data.buffer, first[0].data.buffer, 'the batch after next takes the first set again');
  assert.deepEqual(second.map((d) => seqOf(d.data)), [3, 4], 'the batch before is still whole');
  // Without views each datagram is a copy of its own.
  const copies = new BatchReceiver(rx.fd, { slots: 2, slotSize: 4096 });
  tx.send(msg(7), { pid: rx.portId });
  tx.send(msg(8), { pid: rx.portId });
  const own = copies.receive().datagrams;
  assert.notEqual(own[0].data.buffer, own[1].data.buffer);
});

test('wake() ends a wait at once', async (t) => {
  const { rx } = pair(t);
  setTimeout(() => rx.wake(), 20);
  const t0 = Date.now();
  assert.equal(await rx.wait(5000), 'woken');
  assert.ok(Date.now() - t0 < 1000);
});

test('the drop counter of a fresh socket is 0, from sock_diag', (t) => {
  const { rx } = pair(t);
  assert.deepEqual(rx.drops(), { count: 0, source: 'sock_diag' });
});

test('an overrun met by the peek after a wait is reported, not swallowed', async (t) => {
  if (!requireNamespaces(t)) return; // sending to a usersock group needs root
  const group = 1 + Math.floor(Math.random() * 32);
  const rx = new NetlinkSocket(USERSOCK, { rcvbuf: 1024 });
  const tx = new NetlinkSocket(USERSOCK, {});
  t.after(() => {
    rx.close();
    tx.close();
  });
  rx.join(group);
  // Multicast the queue cannot hold: the kernel drops, counts the drops and flags ENOBUFS.
  const sent = 200;
  for (let i = 0; i < sent; i++) tx.send(msg(i), { groups: (1 << (group - 1)) >>> 0 });
  assert.equal(await rx.wait(1000), 'readable');
  const first = rx.drain();
  assert.equal(first.overrun, true, 'ENOBUFS reported by the first drain after the wait');
  let received = 0;
  for (let b = rx.drain(); b.datagrams.length || b.overrun; b = rx.drain()) received += b.datagrams.length;
  assert.ok(received > 0 && received < sent, `${received} received`);
  assert.deepEqual(rx.drops(), { count: sent - received, source: 'sock_diag' });
});

const seqOf = (data: Uint8Array) => new DataView(data.buffer, data.byteOffset).getUint32(8, true);

test('drainAhead: the next batch comes from a thread, in order, and nothing is lost or read twice', async (t) => {
  const { rx, tx } = pair(t);
  for (let i = 0; i < 300; i++) tx.send(msg(i), { pid: rx.portId });
  assert.equal(await rx.wait(1000), 'readable');
  const seen: number[] = [];
  const sizes: number[] = [];
  for (let b = await rx.drainAhead(); b.datagrams.length; b = await rx.drainAhead()) {
    sizes.push(b.datagrams.length);
    for (const dg of b.datagrams) seen.push(seqOf(dg.data));
  }
  assert.deepEqual(seen, Array.from({ length: 300 }, (_, i) => i));
  // Full batches of the receiver's slots, then the rest: more than one of them came ahead.
  assert.deepEqual(sizes, [64, 64, 64, 64, 44]);
});

test('drainAhead: what the thread brought is what drain() and wait() see next', async (t) => {
  const { rx, tx } = pair(t);
  for (let i = 0; i < 100; i++) tx.send(msg(i), { pid: rx.portId });
  assert.equal(await rx.wait(1000), 'readable');
  const first = await rx.drainAhead();
  assert.equal(first.datagrams.length, 64);
  // The thread has the rest: wait() says so at once, and drain() hands it over.
  assert.equal(await rx.wait(1000), 'readable');
  const rest = rx.drain();
  assert.deepEqual(rest.datagrams.map((d) => seqOf(d.data)), Array.from({ length: 36 }, (_, i) => 64 + i));
  assert.equal(rx.drain().datagrams.length, 0);
  // The queue is empty again: a wait waits.
  assert.equal(await rx.wait(50), 'timeout');
});

test('close() with a batch out on a thread: the descriptor is closed once the call is back, not before', async (t) => {
  const rx = new NetlinkSocket(USERSOCK, { rcvbuf: 4 << 20 });
  const tx = new NetlinkSocket(USERSOCK, {});
  t.after(() => tx.close());
  for (let i = 0; i < 100; i++) tx.send(msg(i), { pid: rx.portId });
  assert.equal(await rx.wait(1000), 'readable');
  assert.equal((await rx.drainAhead()).datagrams.length, 64);
  rx.close();
  assert.ok(existsSync(`/proc/self/fd/${rx.fd}`), 'still open while the thread may read it');
  for (let i = 0; i < 100 && existsSync(`/proc/self/fd/${rx.fd}`); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(!existsSync(`/proc/self/fd/${rx.fd}`), 'closed once the call came back');
});
