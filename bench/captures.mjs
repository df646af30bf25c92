// The captures the decode benchmark reads: 200,000 rtnetlink messages one per record (as
// nlmon captures notifications), 20,000 frames of real traffic mixed across protocols
// (every datagram of test/fixtures/dissect: rtnetlink, generic netlink with the family lookups
// before them, sock_diag, netfilter, audit, uevent, errors), repeated in their recorded order,
// and a route and a link dump as nlmon captures them (no message equal to another).
import { readFileSync, readdirSync } from 'node:fs';
import { PcapWriter } from '../build/src/capture/pcap.js';
import { splitMessages } from '../build/src/codec/index.js';
import { attrValueAt, hexFixture } from '../build/test/helpers.js';

const DISSECT = new URL('../test/fixtures/dissect/', import.meta.url);
const PROTOCOL = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

/** 200,000 (or `messages`) rtnetlink messages, one per record. */
export function rtnetlinkCapture(messages) {
  const samples = [];
  for (const f of ['codec/getlink-dump-lo.hex', 'codec/newroute-enetunreach.hex', 'dissect/route-addr-v4.hex', 'dissect/route-route.hex', 'dissect/route-neigh.hex']) {
    for (const { bytes } of hexFixture(f)) for (const m of splitMessages(bytes).messages) samples.push(m.bytes);
  }
  const w = new PcapWriter({ resolution: 'ns' });
  const parts = [w.header()];
  for (let i = 0; i < messages; i++) {
    parts.push(w.record({ protocol: 0, payload: samples[i % samples.length], tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000, direction: i % 2 ? 'in' : 'out' }));
  }
  return Buffer.concat(parts);
}

/** `frames` datagrams of the dissect fixtures (send and recv, in order), cycled; returns the capture and its message count. */
export function mixedCapture(frames) {
  const datagrams = [];
  for (const f of readdirSync(DISSECT).filter((n) => n.endsWith('.hex')).sort()) {
    const protocol = PROTOCOL[f.split('-')[0]];
    let direction = 'in';
    for (const line of readFileSync(new URL(f, DISSECT), 'utf8').split('\n')) {
      if (line.startsWith('# send')) direction = 'out';
      else if (line.startsWith('# recv')) direction = 'in';
      else if (line.trim() && !line.startsWith('#')) datagrams.push({ protocol, direction, payload: Buffer.from(line.trim(), 'hex') });
    }
  }
  const w = new PcapWriter({ resolution: 'ns' });
  const parts = [w.header()];
  let messages = 0;
  for (let i = 0; i < frames; i++) {
    const d = datagrams[i % datagrams.length];
    messages += d.protocol === 15 ? 1 : splitMessages(d.payload).messages.length;
    parts.push(w.record({ ...d, tsSec: 1_700_000_000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000 }));
  }
  return { bytes: Buffer.concat(parts), messages };
}

/**
 * A dump of `routes` routes and one of `links` links, in datagrams of up to 32 kB as the kernel
 * sends them: the fixtures' first RTM_NEWROUTE (RTA_DST and RTA_PRIORITY counting up) and lo's
 * RTM_NEWLINK (ifi_index, IFLA_MTU and the rx counters counting up). Returns the capture and its
 * message count.
 */
export function dumpCapture(routes, links) {
  const route = Buffer.from(hexFixture('dissect/route-route.hex').map((x) => x.bytes).find((b) => b.length > 40 && b[4] === 24));
  const oneRoute = route.subarray(0, route.readUInt32LE(0));
  const link = Buffer.from(hexFixture('codec/getlink-dump-lo.hex')[1].bytes);
  const dst = attrValueAt(oneRoute, 12, 1), prio = attrValueAt(oneRoute, 12, 6), mtu = attrValueAt(link, 16, 4), stats = attrValueAt(link, 16, 23);
  if (dst < 0 || mtu < 0 || stats < 0) throw new Error('captures: the route or link fixture lacks an attribute');
  const w = new PcapWriter({ resolution: 'ns' });
  const parts = [w.header()];
  let frame = [], size = 0, frames = 0;
  const flush = () => {
    if (!frame.length) return;
    parts.push(w.record({ protocol: 0, payload: Buffer.concat(frame), tsSec: 1_700_000_000, tsNsec: frames++ * 1000, direction: 'in' }));
    frame = [];
    size = 0;
  };
  const push = (m) => {
    if (size + m.length > 32768) flush();
    frame.push(m);
    size += m.length;
  };
  for (let i = 0; i < routes; i++) {
    const m = Buffer.from(oneRoute);
    m.writeUInt32BE((0x0b000000 + i) >>> 0, dst);
    if (prio > 0) m.writeUInt32LE(i % 7, prio);
    push(m);
  }
  flush();
  for (let i = 0; i < links; i++) {
    const m = Buffer.from(link);
    m.writeInt32LE(i + 1, 16 + 4);
    m.writeUInt32LE(1500 + (i % 64), mtu);
    m.writeUInt32LE(i * 7, stats);
    m.writeUInt32LE(i * 1500, stats + 8);
    push(m);
  }
  flush();
  return { bytes: Buffer.concat(parts), messages: routes + links };
}
