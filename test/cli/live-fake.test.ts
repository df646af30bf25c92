// send, listen, dump and sockets run through main() over FakeTransport, which plays the kernel:
// replies, ACKs, extended-ACK errors, multipart, interrupted dumps, overruns and signals,
// with no socket opened, so these pass as an unprivileged user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import {
  concat, encodeAttrs, encodeMessage, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, type RawMessage,
} from '../../src/codec/index.js';
import { EXIT } from '../../src/errors.js';
import { main } from '../../src/main.js';
import { FakeTransport, type FakeHandler, type TransportOptions } from '../../src/transport/index.js';
import { hexFixture, ndjson } from '../helpers.js';

const RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20, RTM_GETADDR = 22, IFLA_IFNAME = 3, IFA_ADDRESS = 1;

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The sockets of the command itself (its lookups aside), in the order it opened them. */
  fakes: FakeTransport[];
  opened: { protocol: number; opts?: TransportOptions }[];
  /** The sockets of the command's interface-name lookup, answered with `interfaces`. */
  lookups: FakeTransport[];
  /** For each lookup socket: how many messages the command had sent when it was opened. */
  sentBeforeLookups: number[];
}

interface Kernel {
  /**
   * The fake kernel's interfaces (ifindex: name). Given for a command that looks interface names
   * up on a socket of its own (dump addr, route, neigh): an RTM_GETLINK dump is answered with
   * these, on that socket, and the test's handler plays the kernel for the command's own sockets.
   */
  interfaces?: Record<number, string>;
}

/** The fake kernel's answer to an RTM_GETLINK dump: one RTM_NEWLINK per interface, then NLMSG_DONE. */
const linkDump = (interfaces: Record<number, string>): FakeHandler => (m) =>
  [concat([...Object.entries(interfaces).map(([i, name]) => link(m.header.seq, name, NLM_F_MULTI, Number(i))), done(m.header.seq)])];

/** Run nlctl's main() with a fake kernel; `during` runs once the command waits (deliveries, signals). */
async function nlctl(
  argv: string[], handler: FakeHandler, during?: (fake: FakeTransport, signals: EventEmitter) => void | Promise<void>, kernel: Kernel = {},
): Promise<Run> {
  const stdout = new Sink(), stderr = new Sink();
  const signals = new EventEmitter();
  // Every socket, in the order opened; those a names lookup was sent on are the lookups.
  const all: { fake: FakeTransport; protocol: number; opts?: TransportOptions; sentBefore: number }[] = [];
  const lookupSockets = new WeakSet<FakeTransport>();
  const names = kernel.interfaces && linkDump(kernel.interfaces);
  const own = () => all.filter((s) => !lookupSockets.has(s.fake));
  const run = main(argv, {
    stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1' }, signals,
    transport: (protocol, opts) => {
      const f: FakeTransport = new FakeTransport((m, to, fake) => {
        if (names && fake.sent.length === 1 && m.header.type === RTM_GETLINK) lookupSockets.add(fake);
        return lookupSockets.has(fake) ? names!(m, to, fake) : handler(m, to, fake);
      }, protocol, names ? 4243 + all.length : 4242, opts);
      all.push({ fake: f, protocol, opts, sentBefore: all.reduce((n, s) => n + s.fake.sent.length, 0) });
      return f;
    },
  });
  const fakes = () => own().map((s) => s.fake);
  if (during) {
    // Once the command waits: it has sent its request, or says it is listening.
    const waiting = () => fakes().length > 0 && (fakes()[0].sent.length > 0 || /listening on/.test(stderr.text));
    for (let i = 0; i < 500 && !waiting(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(waiting(), `the command did not start waiting: ${stderr.text}`);
    await during(fakes()[0], signals);
  }
  const code = await run;
  const lookedUp = all.filter((s) => lookupSockets.has(s.fake));
  return {
    code, stdout: stdout.text, stderr: stderr.text, fakes: fakes(), opened: own().map(({ protocol, opts }) => ({ protocol, opts })),
    lookups: lookedUp.map((s) => s.fake), sentBeforeLookups: lookedUp.map((s) => s.sentBefore),
  };
}

function link(seq: number, name: string, flags = 0, index = 1): Uint8Array {
  const ifinfomsg = new Uint8Array(16);
  new DataView(ifinfomsg.buffer).setInt32(4, index, true); // ifi_index
  return encodeMessage({ type: RTM_NEWLINK, flags, seq, pid: 4242 }, concat([ifinfomsg, encodeAttrs([{ type: IFLA_IFNAME, value: Buffer.from(name + '\0') }])]));
}

function ack(req: RawMessage, errno = 0, extack?: string): Uint8Array {
  const code = new Uint8Array(4);
  new DataView(code.buffer).setInt32(0, -errno, true);
  const tlvs = extack ? encodeAttrs([{ type: 1, value: Buffer.from(extack + '\0') }]) : new Uint8Array(0);
  // Only the request's header is echoed (NLM_F_CAPPED), as with NETLINK_CAP_ACK.
  return encodeMessage({ type: NLMSG_ERROR, flags: NLM_F_CAPPED | (extack ? NLM_F_ACK_TLVS : 0), seq: req.header.seq, pid: 0 }, concat([code, req.bytes.subarray(0, 16), tlvs]));
}

const done = (seq: number, flags = NLM_F_MULTI) => encodeMessage({ type: NLMSG_DONE, flags, seq, pid: 0 }, new Uint8Array(4));

test('send: the reply and the ACK are printed, exit 0', async () => {
  const r = await nlctl(['-f', 'ndjson', 'send', '-t', 'RTM_GETLINK', '--flags', 'request,ack', '--attr', 'IFLA_IFNAME=lo'],
    (m) => [link(m.header.seq, 'lo'), ack(m)]);
  assert.equal(r.code, EXIT.OK, r.stderr);
  const msgs = ndjson(r.stdout);
  assert.deepEqual(msgs.map((m) => m.type_name), ['RTM_NEWLINK', 'NLMSG_ERROR']);
  assert.equal(msgs[1].error.errno, 0);
  assert.equal(r.fakes[0].sent.length, 1);
  assert.equal(r.opened[0].protocol, 0);
  assert.equal(r.fakes[0].closed, true, 'the socket is closed');
});

test('send: an extended-ACK error is one line with the kernel\'s text, exit 4', async () => {
  const r = await nlctl(['send', '-t', 'RTM_NEWROUTE', '--flags', 'request,ack'], (m) => [ack(m, 101, 'Nexthop has invalid gateway')]);
  assert.equal(r.code, EXIT.KERNEL);
  assert.equal(r.stderr, 'nlctl: RTM_NEWROUTE: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway\n');
  assert.match(r.stdout, /NLMSG_ERROR/);
});

test('send: a dump ends at NLMSG_DONE after every part, whatever the batching', async () => {
  const r = await nlctl(['-f', 'ndjson', 'send', '-t', 'RTM_GETLINK', '--flags', 'request,dump'], (m) => {
    const s = m.header.seq;
    return [concat([link(s, 'a', NLM_F_MULTI), link(s, 'b', NLM_F_MULTI)]), link(s + 1, 'not ours', NLM_F_MULTI), concat([link(s, 'c', NLM_F_MULTI), done(s)])];
  });
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.deepEqual(ndjson(r.stdout).map((m) => m.type_name), ['RTM_NEWLINK', 'RTM_NEWLINK', 'RTM_NEWLINK', 'RTM_NEWLINK', 'NLMSG_DONE']);
});

test('send: an ACK that never comes times out, exit 6', async () => {
  const r = await nlctl(['send', '-t', 'RTM_GETLINK', '--flags', 'request,ack', '--timeout', '0.1'], () => []);
  assert.equal(r.code, EXIT.TIMEOUT);
  assert.match(r.stderr, /^nlctl: RTM_GETLINK: waited 0.1 s for an ACK\n$/);
});

test('send: a dump to the kernel without NLM_F_REQUEST is never answered, and the timeout says why', async () => {
  const r = await nlctl(['send', '-t', 'RTM_GETLINK', '--flags', 'dump', '--timeout', '0.1'], () => []);
  assert.equal(r.code, EXIT.TIMEOUT);
  assert.equal(r.stderr, 'nlctl: RTM_GETLINK: waited 0.1 s for the end of the dump (its flags lack NLM_F_REQUEST, and the kernel answers requests only: --flags request,…)\n');
  const plain = await nlctl(['send', '-t', 'RTM_GETLINK', '--flags', '0', '--timeout', '0.1'], () => []);
  assert.equal(plain.code, EXIT.OK);
  assert.match(plain.stderr, /no reply within 0.1 s \(its flags lack NLM_F_REQUEST/);
  const request = await nlctl(['send', '-t', 'RTM_GETLINK', '--flags', 'request,dump', '--timeout', '0.1'], () => []);
  assert.doesNotMatch(request.stderr, /NLM_F_REQUEST/);
});

test('send: SIGINT while waiting ends it at once, exit 130', async () => {
  const t0 = Date.now();
  const r = await nlctl(['send', '-t', 'RTM_GETLINK', '--flags', 'request,ack', '--timeout', '30'], () => [], (_f, signals) => void signals.emit('SIGINT'));
  assert.equal(r.code, EXIT.SIGNALLED, r.stderr);
  assert.ok(Date.now() - t0 < 5000);
});

test('listen: messages as they come, an overrun with the messages lost, and SIGINT ends it with a summary', async () => {
  const r = await nlctl(['-f', 'ndjson', 'listen', '--group', 'link', '--rcvbuf', '4096'], () => [], async (fake, signals) => {
    fake.deliver(link(0, 'one'), 0, 1);
    fake.overrun(570);
    fake.deliver(link(0, 'two'), 0, 1);
    await new Promise((res) => setTimeout(res, 20));
    signals.emit('SIGINT');
  });
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.deepEqual(r.fakes[0].joined, [1]);
  assert.equal(r.opened[0].opts?.rcvbuf, 4096);
  const lines = ndjson(r.stdout);
  assert.deepEqual(lines.map((l) => l.event ?? l.type_name), ['RTM_NEWLINK', 'overrun', 'RTM_NEWLINK']);
  assert.equal(lines[0].meta.group, 1);
  assert.deepEqual([lines[1].lost, lines[1].lost_total, lines[1].lost_source, lines[1].overruns], [570, 570, 'fake', 1]);
  assert.match(r.stderr, /listening on route port 4242 groups 1 \(receive buffer 4096 bytes\)/);
  assert.match(r.stderr, /nlctl: 2 message\(s\) received, 1 overrun\(s\), 570 message\(s\) lost \(kernel drop counter, fake\)\n$/);
});

test('listen --count N stops after N messages, and exits 6 when the timeout comes first', async () => {
  const enough = await nlctl(['-f', 'ndjson', 'listen', '--pid', '77', '--count', '2'], () => [], (fake) => {
    for (let i = 0; i < 5; i++) fake.deliver(link(i, `l${i}`), 99);
  });
  assert.equal(enough.code, EXIT.OK, enough.stderr);
  assert.equal(ndjson(enough.stdout).length, 2);
  assert.equal(enough.opened[0].opts?.pid, 77);
  const short = await nlctl(['listen', '--pid', '77', '--count', '2', '--timeout', '0.1'], () => []);
  assert.equal(short.code, EXIT.TIMEOUT);
});

test('listen: a stop is seen between batches even when the queue never empties', async () => {
  const r = await nlctl(['-f', 'ndjson', 'listen', '--pid', '77'], () => [], (fake, signals) => {
    for (let i = 0; i < 50_000; i++) fake.deliver(link(i, 'x'), 99);
    setImmediate(() => signals.emit('SIGTERM'));
  });
  assert.equal(r.code, EXIT.OK);
  const n = ndjson(r.stdout).length;
  assert.ok(n > 0 && n < 50_000, `${n} printed before the stop`);
  assert.match(r.stderr, new RegExp(`${n} message\\(s\\) received`));
});

test('dump: multipart records to NLMSG_DONE', async () => {
  const r = await nlctl(['-j', 'dump', 'link'], (m) => [concat([link(m.header.seq, 'lo', NLM_F_MULTI), link(m.header.seq, 'eth0', NLM_F_MULTI)]), done(m.header.seq)]);
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).map((x: { ifname: string }) => x.ifname), ['lo', 'eth0']);
  assert.equal(new DataView(r.fakes[0].sent[0].bytes.buffer).getUint16(4, true), RTM_GETLINK);
});

test('dump link: the names of links a record refers to come from the dump itself, with no lookup before it', async () => {
  const IFLA_LINK = 5, IFLA_MASTER = 10;
  const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  // eth0's master and veth0's peer come later in the dump than the links that name them.
  const links: [number, string, { type: number; value: Uint8Array }[]][] = [
    [1, 'lo', []], [2, 'eth0', [{ type: IFLA_MASTER, value: u32(9) }]], [3, 'veth0', [{ type: IFLA_LINK, value: u32(4) }]],
    [4, 'veth1', [{ type: IFLA_LINK, value: u32(3) }]], [9, 'br0', []],
  ];
  const newlink = (seq: number, [index, name, extra]: (typeof links)[number]) => {
    const ifinfomsg = new Uint8Array(16);
    new DataView(ifinfomsg.buffer).setInt32(4, index, true);
    return encodeMessage({ type: RTM_NEWLINK, flags: NLM_F_MULTI, seq, pid: 4242 }, concat([ifinfomsg, encodeAttrs([{ type: IFLA_IFNAME, value: Buffer.from(name + '\0') }, ...extra])]));
  };
  // In two datagrams, as a larger dump comes: the names of the second serve records of the first.
  const answer = (m: RawMessage) => [concat(links.slice(0, 3).map((l) => newlink(m.header.seq, l))), concat([...links.slice(3).map((l) => newlink(m.header.seq, l)), done(m.header.seq)])];
  for (const format of ['json', 'ndjson']) {
    const r = await nlctl(['-f', format, 'dump', 'link'], answer);
    assert.equal(r.code, EXIT.OK, r.stderr);
    assert.equal(r.opened.length, 1, `${format}: one socket, the dump's: no names lookup`);
    assert.equal(r.fakes[0].sent.length, 1);
    const recs = (format === 'json' ? JSON.parse(r.stdout) : ndjson(r.stdout)) as { ifname: string; link?: number; link_dev?: string; master?: number; master_dev?: string }[];
    assert.deepEqual(recs.map((x) => [x.ifname, x.link, x.link_dev, x.master, x.master_dev]), [
      ['lo', undefined, undefined, undefined, undefined], ['eth0', undefined, undefined, 9, 'br0'], ['veth0', 4, 'veth1', undefined, undefined],
      ['veth1', 3, 'veth0', undefined, undefined], ['br0', undefined, undefined, undefined, undefined],
    ], format);
  }
  const table = await nlctl(['dump', 'link'], answer);
  assert.equal(table.code, EXIT.OK, table.stderr);
  assert.equal(table.opened.length, 1);
  assert.match(table.stdout, /│ 9 +│ br0 /);
  // Records of the other dumps still name interfaces from a lookup of their own.
  const addr = await nlctl(['-j', 'dump', 'addr'], (m) => [done(m.header.seq)], undefined, { interfaces: { 1: 'lo' } });
  assert.equal(addr.code, EXIT.OK, addr.stderr);
  assert.equal(addr.lookups.length, 1, 'dump addr looked no names up');
  // JSON records as bytes (a large table's): the names are asked for once the dump's request is out.
  assert.deepEqual(addr.sentBeforeLookups, [1], 'the lookup came after the dump request');
  const addrTable = await nlctl(['dump', 'addr'], (m) => [done(m.header.seq)], undefined, { interfaces: { 1: 'lo' } });
  assert.equal(addrTable.code, EXIT.OK, addrTable.stderr);
  // A table's records come from the same plans (parsed): the same order.
  assert.deepEqual(addrTable.sentBeforeLookups, [1], 'a table: the lookup came after the dump request');
  assert.match(addrTable.stdout, /dev/, 'the table was written');
});

test('dump: still interrupted after --retry exits 7 and says so; a retry that comes out whole exits 0', async () => {
  const intr = (m: RawMessage) => [link(m.header.seq, 'lo', NLM_F_MULTI | NLM_F_DUMP_INTR), done(m.header.seq)];
  const r = await nlctl(['-j', 'dump', 'link', '--retry', '2'], intr);
  assert.equal(r.code, EXIT.DUMP_INTERRUPTED);
  assert.equal(r.fakes[0].sent.length, 3, 'one try and two retries');
  assert.match(r.stderr, /^nlctl: dump interrupted \(NLM_F_DUMP_INTR\).*after 2 retries\n$/);
  assert.ok(JSON.parse(r.stdout).some((x: { event?: string }) => x.event === 'dump_interrupted'));
  let tries = 0;
  const ok = await nlctl(['-j', 'dump', 'link', '--retry', '2'], (m) => (tries++ === 0 ? intr(m) : [link(m.header.seq, 'lo', NLM_F_MULTI), done(m.header.seq)]));
  assert.equal(ok.code, EXIT.OK, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).map((x: { ifname: string }) => x.ifname), ['lo']);
});

test('dump: an error in NLMSG_DONE is a kernel error, exit 4', async () => {
  const r = await nlctl(['dump', 'link'], (m) => {
    const errno = new Uint8Array(4);
    new DataView(errno.buffer).setInt32(0, -95, true);
    return [encodeMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq: m.header.seq, pid: 0 }, errno)];
  });
  assert.equal(r.code, EXIT.KERNEL);
  assert.match(r.stderr, /^nlctl: RTM_GETLINK: .*\(EOPNOTSUPP\)\n$/);
});

test('dump addr --dev: the interface names come over the transport, from a lookup of their own before the dump', async () => {
  /** An RTM_NEWADDR (ifaddrmsg: family, prefixlen, flags, scope, index) with IFA_ADDRESS. */
  const addr = (seq: number, index: number, ip: number[]) => {
    const ifaddrmsg = new Uint8Array(8);
    ifaddrmsg.set([2 /* AF_INET */, 24]);
    new DataView(ifaddrmsg.buffer).setUint32(4, index, true);
    return encodeMessage({ type: RTM_NEWADDR, flags: NLM_F_MULTI, seq, pid: 0 }, concat([ifaddrmsg, encodeAttrs([{ type: IFA_ADDRESS, value: Uint8Array.from(ip) }])]));
  };
  const r = await nlctl(['-j', 'dump', 'addr', '--dev', 'eth0'], (m) => [concat([addr(m.header.seq, 1, [127, 0, 0, 1]), addr(m.header.seq, 7, [10, 1, 2, 3]), done(m.header.seq)])],
    undefined, { interfaces: { 1: 'lo', 7: 'eth0' } });
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.equal(r.lookups.length, 1, 'one lookup socket');
  assert.equal(new DataView(r.lookups[0].sent[0].bytes.buffer).getUint16(4, true), RTM_GETLINK);
  assert.equal(new DataView(r.fakes[0].sent[0].bytes.buffer).getUint16(4, true), RTM_GETADDR);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows.map((x: { dev: string; address: string }) => [x.dev, x.address]), [['eth0', '10.1.2.3']]);
  const unknown = await nlctl(['dump', 'addr', '--dev', 'eth1'], () => [], undefined, { interfaces: { 1: 'lo', 7: 'eth0' } });
  assert.equal(unknown.code, EXIT.USAGE);
  assert.match(unknown.stderr, /^nlctl: --dev: no interface 'eth1'.*eth0/);
  assert.equal(unknown.fakes.length, 0, 'no dump without the interface');
});

test('sockets: a netlink_diag dump decoded through the sock_diag tables', async () => {
  const [request, replies] = hexFixture('dissect/diag-netlink.hex').map((d) => d.bytes);
  const r = await nlctl(['-j', 'sockets'], (m) => {
    const out = new Uint8Array(replies);
    // Each reply carries the request's sequence number.
    for (let off = 0; off + 16 <= out.length;) {
      const dv = new DataView(out.buffer, off);
      dv.setUint32(8, m.header.seq, true);
      off += (dv.getUint32(0, true) + 3) & ~3;
    }
    return [out, done(m.header.seq)];
  });
  assert.equal(r.code, EXIT.OK, r.stderr);
  assert.equal(r.opened[0].protocol, 4, 'NETLINK_SOCK_DIAG');
  const sent = r.fakes[0].sent[0].bytes;
  assert.deepEqual([sent[16], sent[17], sent[24]], [16, 255, 0b1011], 'AF_NETLINK, every protocol, meminfo+groups+flags');
  assert.equal(sent.length, request.length - 16 + 16);
  const rows = JSON.parse(r.stdout);
  // Read the fixture's first reply by hand, to compare: netlink_diag_msg then NETLINK_DIAG_MEMINFO.
  const first = new DataView(replies.buffer, replies.byteOffset);
  const want = { protocol_number: first.getUint8(18), portid: first.getUint32(20, true), inode: first.getUint32(32, true), rcvbuf: first.getUint32(48 + 4, true) };
  const row = rows.find((x: { inode: number }) => x.inode === want.inode);
  assert.ok(row, JSON.stringify(rows));
  assert.deepEqual({ protocol_number: row.protocol_number, portid: row.portid, inode: row.inode, rcvbuf: row.rcvbuf }, want);
  assert.deepEqual(Object.keys(row).slice(0, 8), ['protocol', 'protocol_number', 'portid', 'groups', 'dst_portid', 'dst_group', 'inode', 'rmem']);
  assert.ok(rows.length >= 5);
});

test('dump: SIGINT before NLMSG_DONE writes what was read and exits 130', async () => {
  const r = await nlctl(['-j', 'dump', 'link'], (m) => [link(m.header.seq, 'lo', NLM_F_MULTI)], (_f, signals) => void signals.emit('SIGINT'));
  assert.equal(r.code, EXIT.SIGNALLED, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).map((x: { ifname: string }) => x.ifname), ['lo']);
  assert.match(r.stderr, /^nlctl: dump stopped \(SIGINT\) before its end: the output is partial\n$/);
});
