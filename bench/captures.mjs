// The two captures the decode benchmark reads: 200,000 rtnetlink messages one per record (as
// nlmon captures notifications), and 20,000 frames of real traffic mixed across protocols
// (every datagram of test/fixtures/dissect: rtnetlink, generic netlink with the family lookups
// before them, sock_diag, netfilter, audit, uevent, errors), repeated in their recorded order.
import { readFileSync, readdirSync } from 'node:fs';
import { PcapWriter } from '../build/src/capture/pcap.js';
import { splitMessages } from '../build/src/codec/index.js';
import { hexFixture } from '../build/test/helpers.js';

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
