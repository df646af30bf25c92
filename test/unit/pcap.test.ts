/*
 * pcap/pcapng reading and pcap writing. Real fixtures in test/fixtures/pcap
 * (made with PcapWriter, tcpdump, editcap and mergecap, checked with tshark);
 * big-endian and unusual files are built byte by byte here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  readCapture,
  parseNetlinkCooked,
  isCapture,
  PcapWriter,
  CaptureFormatError,
  LINKTYPE_NETLINK,
  type Capture,
} from '../../src/capture/pcap.js';
import { rng } from '../helpers.js';

const PCAP_DIR = new URL('../../../test/fixtures/pcap/', import.meta.url);
const HEX_DIR = new URL('../../../test/fixtures/hex/', import.meta.url);
const pcapFile = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, PCAP_DIR)));
const hexBin = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, HEX_DIR)));

const REQ = hexBin('getlink-req.bin');
const NEWLINK = hexBin('newlink-lo.bin');
const DONE = hexBin('done.bin');

function assertBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  assert.deepEqual(Array.from(actual), Array.from(expected), what);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Little builder for hand-made files in either byte order. */
class Buf {
  private bytes: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    this.bytes.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.bytes.push(...(this.le ? b : b.reverse()));
    return this;
  }
  u64(v: bigint): this {
    const lo = Number(v & 0xffffffffn);
    const hi = Number(v >> 32n);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
    return this;
  }
  pad4(): this {
    while (this.bytes.length % 4) this.bytes.push(0);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** The 16-byte LINKTYPE_NETLINK cooked header (all big-endian). */
function cooked(pktType: number, protocol: number): Uint8Array {
  return new Buf(false).u16(pktType).u16(824).u16(0).raw([0, 0, 0, 0, 0, 0, 0, 0]).u16(protocol).done();
}

function pcapFileBytes(le: boolean, nsec: boolean, linkType: number, recs: { sec: number; frac: number; data: Uint8Array; orig?: number }[]): Uint8Array {
  const b = new Buf(le).u32(nsec ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(linkType);
  for (const r of recs) b.u32(r.sec).u32(r.frac).u32(r.data.length).u32(r.orig ?? r.data.length).raw(r.data);
  return b.done();
}

function ngBlock(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length + ((4 - (body.length % 4)) % 4);
  return new Buf(le).u32(type).u32(total).raw(body).pad4().u32(total).done();
}

function shb(le: boolean): Uint8Array {
  return ngBlock(le, 0x0a0d0d0a, new Buf(le).u32(0x1a2b3c4d).u16(1).u16(0).u64(0xffffffffffffffffn).done());
}

function idb(le: boolean, linkType: number, opts: { tsresol?: number; tsoffset?: bigint; snaplen?: number } = {}): Uint8Array {
  const b = new Buf(le).u16(linkType).u16(0).u32(opts.snaplen ?? 0);
  if (opts.tsresol !== undefined) b.u16(9).u16(1).u8(opts.tsresol).pad4();
  if (opts.tsoffset !== undefined) b.u16(14).u16(8).u64(opts.tsoffset);
  if (opts.tsresol !== undefined || opts.tsoffset !== undefined) b.u16(0).u16(0);
  return ngBlock(le, 1, b.done());
}

function epb(le: boolean, ifId: number, ts: bigint, data: Uint8Array, orig = data.length): Uint8Array {
  const b = new Buf(le).u32(ifId).u32(Number(ts >> 32n)).u32(Number(ts & 0xffffffffn)).u32(data.length).u32(orig).raw(data).pad4();
  return ngBlock(le, 6, b.done());
}

function packetsSummary(c: Capture): unknown[] {
  return c.packets.map((p) => [p.tsSec, p.tsNsec, p.linkType, p.origLen, p.data.length]);
}

/* ---------------------------------------------------- real fixtures */

const EXPECTED_TIMES = [
  [1700000000, 123456000],
  [1700000000, 123789000],
  [1700000000, 124000000],
];

test('writer reproduces the tshark-checked fixture byte for byte', () => {
  const w = new PcapWriter();
  const file = concat(
    w.header(),
    w.record({ protocol: 0, payload: REQ, tsSec: 1700000000, tsNsec: 123456000, direction: 'out' }),
    w.record({ protocol: 0, payload: NEWLINK, tsSec: 1700000000, tsNsec: 123789000, direction: 'in' }),
    w.record({ protocol: 0, payload: DONE, tsSec: 1700000000, tsNsec: 124000000, direction: 'in' }),
  );
  assertBytes(file, pcapFile('rtnl-getlink.pcap'));
});

for (const [name, format] of [
  ['rtnl-getlink.pcap', 'pcap'],
  ['rtnl-getlink-ns.pcap', 'pcap'],
  ['rtnl-getlink.pcapng', 'pcapng'],
  ['rtnl-getlink-ns.pcapng', 'pcapng'],
] as const) {
  test(`read ${name}: netlink cooked headers parsed`, () => {
    const bytes = pcapFile(name);
    assert.ok(isCapture(bytes));
    const cap = readCapture(bytes);
    assert.equal(cap.format, format);
    assert.equal(cap.byteOrder, 'le');
    assert.deepEqual(cap.diagnostics, []);
    assert.deepEqual(cap.packets.map((p) => [p.tsSec, p.tsNsec]), EXPECTED_TIMES);
    assert.deepEqual(cap.packets.map((p) => p.linkType), [253, 253, 253]);
    assert.deepEqual(cap.packets.map((p) => p.netlink?.direction), ['out', 'in', 'in']);
    assert.deepEqual(cap.packets.map((p) => p.netlink?.protocol), [0, 0, 0]);
    [REQ, NEWLINK, DONE].forEach((m, i) => assertBytes(cap.packets[i]!.netlink!.payload, m, `packet ${i}`));
    assert.equal(cap.packets[0]!.origLen, 16 + REQ.length);
  });
}

test('pcapng with two interfaces of different link types (mergecap)', () => {
  const cap = readCapture(pcapFile('merged-netlink-ether.pcapng'));
  const eth = readCapture(pcapFile('lo-udp.pcap'));
  assert.deepEqual(cap.diagnostics, []);
  assert.deepEqual(cap.packets.map((p) => p.linkType), [253, 253, 253, 1, 1]);
  assert.equal(cap.packets[3]!.netlink, undefined);
  assertBytes(cap.packets[3]!.data, eth.packets[0]!.data);
  assert.deepEqual(packetsSummary(cap).slice(3), packetsSummary(eth));
});

test('real tcpdump capture on lo (Ethernet, µs)', () => {
  const cap = readCapture(pcapFile('lo-udp.pcap'));
  assert.equal(cap.format, 'pcap');
  assert.equal(cap.packets.length, 2);
  assert.equal(cap.packets[0]!.linkType, 1);
  assert.equal(cap.packets[0]!.tsNsec % 1000, 0);
  // IPv4 + UDP to port 4789, payload starts at 14 + 20 + 8
  assert.equal(new TextDecoder().decode(cap.packets[0]!.data.subarray(42, 47)), 'nlctl');
});

/* ---------------------------------------------------- hand-made files */

test('big-endian pcap, µs and ns magics', () => {
  const frame = concat(cooked(4, 16), REQ);
  for (const nsec of [false, true]) {
    const bytes = pcapFileBytes(false, nsec, LINKTYPE_NETLINK, [{ sec: 1700000001, frac: nsec ? 999999999 : 999999, data: frame }]);
    assert.deepEqual(Array.from(bytes.subarray(0, 4)), nsec ? [0xa1, 0xb2, 0x3c, 0x4d] : [0xa1, 0xb2, 0xc3, 0xd4]);
    const cap = readCapture(bytes);
    assert.equal(cap.byteOrder, 'be');
    assert.deepEqual(cap.diagnostics, []);
    assert.deepEqual(packetsSummary(cap), [[1700000001, nsec ? 999999999 : 999999000, 253, 48, 48]]);
    assert.equal(cap.packets[0]!.netlink!.protocol, 16);
    assert.equal(cap.packets[0]!.netlink!.direction, 'out');
    assertBytes(cap.packets[0]!.netlink!.payload, REQ);
  }
});

test('little-endian nanosecond pcap', () => {
  const cap = readCapture(pcapFileBytes(true, true, LINKTYPE_NETLINK, [{ sec: 5, frac: 123456789, data: concat(cooked(0, 0), DONE) }]));
  assert.deepEqual(packetsSummary(cap), [[5, 123456789, 253, 36, 36]]);
  assert.equal(cap.packets[0]!.netlink!.direction, 'in');
});

test('cooked header: packet types map to directions; hatype is checked', () => {
  const recs = [0, 4, 6, 7, 1, 3].map((t, i) => ({ sec: i, frac: 0, data: concat(cooked(t, 0), DONE) }));
  const cap = readCapture(pcapFileBytes(true, false, LINKTYPE_NETLINK, recs));
  assert.deepEqual(cap.packets.map((p) => p.netlink!.direction), ['in', 'out', 'in', 'out', 'unknown', 'unknown']);
  assert.deepEqual(cap.packets.map((p) => p.netlink!.pktType), [0, 4, 6, 7, 1, 3]);

  const bad = concat(cooked(0, 0), DONE);
  bad[3] = 1; // hatype 1 (Ethernet) instead of 824
  const c2 = readCapture(pcapFileBytes(true, false, LINKTYPE_NETLINK, [{ sec: 0, frac: 0, data: bad }]));
  assert.equal(c2.packets[0]!.netlink!.haType, 0x0301);
  assert.equal(c2.diagnostics.length, 1);
  assert.match(c2.diagnostics[0]!.message, /hatype/);
  assert.equal(c2.diagnostics[0]!.offset, 24 + 16 + 2);

  const short = readCapture(pcapFileBytes(true, false, LINKTYPE_NETLINK, [{ sec: 0, frac: 0, data: Uint8Array.of(0, 0, 3, 0x38) }]));
  assert.equal(short.packets[0]!.netlink, undefined);
  assert.match(short.diagnostics[0]!.message, /cooked header truncated/);
});

test('netlink inside LINUX_SLL and LINUX_SLL2 (capturing on "any")', () => {
  const sll = readCapture(pcapFileBytes(true, false, 113, [{ sec: 0, frac: 0, data: concat(cooked(4, 16), REQ) }]));
  assert.equal(sll.packets[0]!.netlink!.protocol, 16);
  const ip = concat(new Buf(false).u16(0).u16(1).u16(6).raw([0, 0, 0, 0, 0, 0, 0, 0]).u16(0x0800).done(), REQ);
  assert.equal(readCapture(pcapFileBytes(true, false, 113, [{ sec: 0, frac: 0, data: ip }])).packets[0]!.netlink, undefined);
  // SLL2: protocol, reserved, ifindex, hatype, pkttype, halen, addr[8]
  const sll2 = new Buf(false).u16(16).u16(0).u32(7).u16(824).u8(0).u8(0).raw([0, 0, 0, 0, 0, 0, 0, 0]).raw(DONE).done();
  const c = readCapture(pcapFileBytes(true, false, 276, [{ sec: 0, frac: 0, data: sll2 }]));
  assert.deepEqual([c.packets[0]!.netlink!.protocol, c.packets[0]!.netlink!.direction], [16, 'in']);
  assertBytes(c.packets[0]!.netlink!.payload, DONE);
});

test('pcapng big-endian: tsresol (decimal and binary), tsoffset, EPB/SPB/OPB, several interfaces', () => {
  const le = false;
  const nlFrame = concat(cooked(4, 0), REQ);
  const file = concat(
    shb(le),
    idb(le, LINKTYPE_NETLINK, { tsresol: 3 }), // milliseconds
    idb(le, 1, { tsresol: 0x80 | 10, tsoffset: 100n }), // 2^-10 s, +100 s
    idb(le, LINKTYPE_NETLINK, { tsresol: 9 }),
    epb(le, 0, 1700000000123n, nlFrame),
    epb(le, 1, (5n << 10n) + 512n, Uint8Array.of(1, 2, 3), 60),
    epb(le, 2, 1700000000999999999n, concat(cooked(0, 16), DONE)),
    ngBlock(le, 3, new Buf(le).u32(nlFrame.length).raw(nlFrame).pad4().done()), // SPB, interface 0
    ngBlock(le, 2, new Buf(le).u16(1).u16(0).u32(0).u32(7).u32(4).u32(4).raw([9, 8, 7, 6]).done()), // OPB, interface 1
    ngBlock(le, 5, new Buf(le).u32(0).u32(0).u32(0).done()), // ISB: ignored
    ngBlock(le, 0x0bad, new Uint8Array(4)), // unknown: ignored
  );
  const cap = readCapture(file);
  assert.equal(cap.format, 'pcapng');
  assert.equal(cap.byteOrder, 'be');
  assert.deepEqual(cap.diagnostics, []);
  assert.deepEqual(packetsSummary(cap), [
    [1700000000, 123000000, 253, 48, 48],
    [105, 500000000, 1, 60, 3],
    [1700000000, 999999999, 253, 36, 36],
    [0, 0, 253, 48, 48],
    [100, 6835937, 1, 4, 4], // 7/1024 s after the offset
  ]);
  assertBytes(cap.packets[0]!.netlink!.payload, REQ);
  assert.equal(cap.packets[2]!.netlink!.protocol, 16);
  assert.equal(cap.packets[4]!.netlink, undefined);
  assertBytes(cap.packets[4]!.data, Uint8Array.of(9, 8, 7, 6));
});

test('pcapng: a second section may switch byte order and resets interfaces', () => {
  const file = concat(
    shb(true),
    idb(true, LINKTYPE_NETLINK),
    epb(true, 0, 1_000_000n, concat(cooked(0, 0), DONE)),
    shb(false),
    idb(false, 1),
    epb(false, 0, 2_000_000n, Uint8Array.of(1, 2)),
    epb(false, 1, 0n, Uint8Array.of(3)),
  );
  const cap = readCapture(file);
  assert.equal(cap.byteOrder, 'le');
  assert.deepEqual(packetsSummary(cap), [
    [1, 0, 253, 36, 36],
    [2, 0, 1, 2, 2],
  ]);
  assert.equal(cap.diagnostics.length, 1);
  assert.match(cap.diagnostics[0]!.message, /interface 1, but 1 defined/);
});

/* ---------------------------------------------------- damaged files */

test('truncated pcap files give diagnostics with offsets', () => {
  const full = pcapFile('rtnl-getlink.pcap');
  const c1 = readCapture(full.subarray(0, 20));
  assert.deepEqual(c1.diagnostics, [{ offset: 0, message: 'truncated pcap header: 20 of 24 bytes' }]);
  assert.equal(c1.packets.length, 0);

  const c2 = readCapture(full.subarray(0, 24 + 10));
  assert.deepEqual(c2.diagnostics, [{ offset: 24, message: 'truncated record header: 10 of 16 bytes' }]);

  const c3 = readCapture(full.subarray(0, 24 + 16 + 48 + 16 + 100));
  assert.equal(c3.packets.length, 2);
  assert.equal(c3.packets[1]!.data.length, 100, 'the part that is there stays visible');
  assert.equal(c3.packets[1]!.origLen, 1484);
  assert.deepEqual(c3.diagnostics, [{ offset: 24 + 16 + 48, message: 'record truncated: incl_len 1484, only 100 bytes left' }]);
});

test('garbage record lengths stop the reader with a diagnostic', () => {
  const b = pcapFileBytes(true, false, LINKTYPE_NETLINK, [{ sec: 0, frac: 2_000_000, data: concat(cooked(0, 0), DONE), orig: 10 }]);
  const c = readCapture(concat(b, new Buf(true).u32(0).u32(0).u32(0xfffffff0).u32(0).done()));
  assert.equal(c.packets.length, 1);
  const msgs = c.diagnostics.map((d) => d.message);
  assert.ok(msgs.some((m) => /fraction 2000000 out of range/.test(m)));
  assert.ok(msgs.some((m) => /incl_len 36 > orig_len 10/.test(m)));
  assert.ok(msgs.some((m) => /implausible incl_len/.test(m)));
});

test('truncated and inconsistent pcapng blocks give diagnostics with offsets', () => {
  const full = pcapFile('rtnl-getlink.pcapng');
  const cap = readCapture(full);
  // cut inside the second EPB
  const epb2 = findBlocks(full).filter((b) => b.type === 6)[1]!;
  const cut = readCapture(full.subarray(0, epb2.offset + 40));
  assert.equal(cut.packets.length, 1);
  assert.equal(cut.diagnostics.length, 1);
  assert.equal(cut.diagnostics[0]!.offset, epb2.offset);
  assert.match(cut.diagnostics[0]!.message, /block truncated/);

  const bad = full.slice();
  new DataView(bad.buffer).setUint32(epb2.offset + epb2.length - 4, 12, true);
  const c2 = readCapture(bad);
  assert.equal(c2.packets.length, cap.packets.length);
  assert.equal(c2.diagnostics[0]!.offset, epb2.offset + epb2.length - 4);

  const badBom = full.slice();
  badBom[8] = 0;
  const c3 = readCapture(badBom);
  assert.equal(c3.packets.length, 0);
  assert.match(c3.diagnostics[0]!.message, /byte-order magic/);

  const zeroLen = full.slice();
  new DataView(zeroLen.buffer).setUint32(epb2.offset + 4, 4, true);
  const c4 = readCapture(zeroLen);
  assert.equal(c4.packets.length, 1);
  assert.match(c4.diagnostics[0]!.message, /block length 4 < 12/);
});

function findBlocks(b: Uint8Array): { offset: number; type: number; length: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = [];
  for (let o = 0; o + 8 <= b.length; ) {
    const length = dv.getUint32(o + 4, true);
    out.push({ offset: o, type: dv.getUint32(o, true), length });
    o += length;
  }
  return out;
}

test('not a capture: CaptureFormatError with a one-line message', () => {
  assert.equal(isCapture(new TextEncoder().encode('00000000: 2000')), false);
  assert.equal(isCapture(Uint8Array.of(0xd4, 0xc3)), false);
  assert.throws(() => readCapture(new TextEncoder().encode('hello world')), (e: unknown) => {
    assert.ok(e instanceof CaptureFormatError);
    assert.equal(e.message, 'not a capture file: magic 68 65 6c 6c is neither pcap nor pcapng');
    return true;
  });
  assert.throws(() => readCapture(new Uint8Array(0)), CaptureFormatError);
});

/* ---------------------------------------------------- writer */

test('writer: header fields, snaplen cut, ns resolution, validation', () => {
  const w = new PcapWriter({ snaplen: 40, resolution: 'ns' });
  const h = new DataView(w.header().buffer);
  assert.deepEqual([h.getUint32(0, true), h.getUint16(4, true), h.getUint16(6, true), h.getUint32(16, true), h.getUint32(20, true)], [0xa1b23c4d, 2, 4, 40, 253]);
  const rec = w.record({ protocol: 16, payload: NEWLINK, tsSec: 7, tsNsec: 123456789, direction: 'out' });
  assert.equal(rec.length, 16 + 40);
  // protocol is big-endian at frame offset 14, pkttype 4 = outgoing, hatype 824
  assert.deepEqual(Array.from(rec.subarray(16, 32)), [0, 4, 3, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16]);
  const cap = readCapture(concat(w.header(), rec));
  assert.deepEqual(packetsSummary(cap), [[7, 123456789, 253, 16 + NEWLINK.length, 40]]);
  assertBytes(cap.packets[0]!.netlink!.payload, NEWLINK.subarray(0, 24));

  const us = new PcapWriter();
  const c2 = readCapture(concat(us.header(), us.record({ protocol: 0, payload: REQ, tsSec: 7, tsNsec: 123456789, direction: 'in' })));
  assert.equal(c2.packets[0]!.tsNsec, 123456000);

  assert.throws(() => new PcapWriter({ snaplen: 8 }), RangeError);
  assert.throws(() => us.record({ protocol: 70000, payload: REQ, tsSec: 0, tsNsec: 0, direction: 'in' }), RangeError);
  assert.throws(() => us.record({ protocol: 0, payload: REQ, tsSec: -1, tsNsec: 0, direction: 'in' }), RangeError);
  assert.throws(() => us.record({ protocol: 0, payload: REQ, tsSec: 0, tsNsec: 1e9, direction: 'in' }), RangeError);
});

test('writer → reader round trip', () => {
  const w = new PcapWriter();
  const msgs = [REQ, NEWLINK, DONE, new Uint8Array(0)];
  const file = concat(w.header(), ...msgs.map((m, i) => w.record({ protocol: i * 4, payload: m, tsSec: 1000 + i, tsNsec: i * 1000, direction: i % 2 ? 'in' : 'out' })));
  const cap = readCapture(file);
  assert.deepEqual(cap.diagnostics, []);
  assert.deepEqual(cap.packets.map((p) => [p.tsSec, p.tsNsec, p.netlink!.protocol, p.netlink!.direction]), msgs.map((_, i) => [1000 + i, i * 1000, i * 4, i % 2 ? 'in' : 'out']));
  msgs.forEach((m, i) => assertBytes(cap.packets[i]!.netlink!.payload, m));
});

/* ---------------------------------------------------- fuzz */


test('fuzz: readCapture only throws CaptureFormatError and always terminates', () => {
  const rnd = rng(253);
  const seeds = [pcapFile('rtnl-getlink.pcap'), pcapFile('rtnl-getlink-ns.pcapng'), pcapFile('merged-netlink-ether.pcapng')];
  const magics = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0x34, 0xcd, 0xb2, 0xa1],
    [0x0a, 0x0d, 0x0d, 0x0a],
  ];
  let read = 0;
  const started = Date.now();
  for (let i = 0; i < 4000; i++) {
    let input: Uint8Array;
    if (i % 2 === 0) {
      const n = Math.floor(rnd() * 96);
      input = new Uint8Array(n);
      for (let j = 0; j < n; j++) input[j] = rnd() < 0.5 ? 0 : Math.floor(rnd() * 256);
      if (n >= 4 && rnd() < 0.9) input.set(magics[Math.floor(rnd() * magics.length)]!);
      if (n >= 12 && input[0] === 0x0a && rnd() < 0.7) input.set(rnd() < 0.5 ? [0x4d, 0x3c, 0x2b, 0x1a] : [0x1a, 0x2b, 0x3c, 0x4d], 8);
    } else {
      const s = seeds[i % seeds.length]!;
      input = s.slice(0, Math.floor(rnd() * s.length) + 1);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let f = 0; f < flips && input.length; f++) input[Math.floor(rnd() * input.length)] = Math.floor(rnd() * 256);
    }
    try {
      const cap = readCapture(input);
      read++;
      for (const d of cap.diagnostics) {
        assert.ok(!/internal error/.test(d.message), d.message);
        assert.ok(d.offset >= 0 && d.offset <= input.length);
      }
      for (const p of cap.packets) assert.ok(p.data.length <= input.length);
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) assert.fail(`unexpected ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  assert.ok(read > 1000, `most inputs are read (${read})`);
  assert.ok(Date.now() - started < 30000);
});

test('modified pcap (a1b2cd34, 24-byte record headers)', () => {
  const b = new Buf(true).u32(0xa1b2cd34).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(LINKTYPE_NETLINK);
  const frame = concat(cooked(0, 0), DONE);
  b.u32(9).u32(1).u32(frame.length).u32(frame.length).u32(3).u16(0x0010).u8(0).u8(0).raw(frame);
  const cap = readCapture(b.done());
  assert.deepEqual(cap.diagnostics, []);
  assert.deepEqual(packetsSummary(cap), [[9, 1000, 253, 36, 36]]);
  assertBytes(cap.packets[0]!.netlink!.payload, DONE);
});

test('parseNetlinkCooked recognises frames pasted from tcpdump -XX / tshark -x', () => {
  const info = parseNetlinkCooked(concat(cooked(4, 16), REQ));
  assert.deepEqual(info && [info.protocol, info.direction, info.payload.length], [16, 'out', 32]);
  assert.equal(parseNetlinkCooked(REQ), undefined);
  assert.equal(parseNetlinkCooked(Uint8Array.of(0, 4, 3, 0x38)), undefined);
});
