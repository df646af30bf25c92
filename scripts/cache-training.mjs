// The runs whose compiled functions V8's code cache of the bundle keeps (scripts/bundle.mjs): the
// start-up of every command, a message and two captures decoded, and a link and a route dump
// answered by the fake transport, so that a real dump compiles little of its fast path at start.
import { readFileSync } from 'node:fs';
import { encodeMessage, NLM_F_MULTI, NLMSG_DONE } from '../build/src/codec/index.js';
import { FakeTransport } from '../build/src/transport/fake.js';

// <linux/rtnetlink.h>: RTM_GETLINK 18, RTM_NEWLINK 16, RTM_GETROUTE 26, RTM_NEWROUTE 24; rtattr
// types RTA_DST 1, RTA_OIF 4, RTA_GATEWAY 5, RTA_TABLE 15.
const RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
const ROUTES = 2000;

function u32Attr(type, value) {
  const a = new Uint8Array(8);
  const v = new DataView(a.buffer);
  v.setUint16(0, 8, true);
  v.setUint16(2, type, true);
  v.setUint32(4, value, true);
  return a;
}

function ipv4Attr(type, a, b, c, d) {
  return Uint8Array.of(8, 0, type, 0, a, b, c, d);
}

/** RTM_NEWROUTE of 20.x.y.z/32 via 10.0.0.2 on ifindex 1 (struct rtmsg: family, dst_len … type; then attributes). */
function route(i, seq) {
  const rtmsg = Uint8Array.of(2, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0);
  const attrs = [u32Attr(RTA_TABLE, 254), ipv4Attr(RTA_DST, 20, (i >> 16) & 255, (i >> 8) & 255, i & 255), ipv4Attr(RTA_GATEWAY, 10, 0, 0, 2), u32Attr(RTA_OIF, 1)];
  const payload = new Uint8Array(attrs.reduce((n, a) => n + a.length, rtmsg.length));
  payload.set(rtmsg);
  let at = rtmsg.length;
  for (const a of attrs) payload.set(a, (at += a.length) - a.length);
  return encodeMessage({ type: RTM_NEWROUTE, flags: NLM_F_MULTI, seq, pid: 4242 }, payload);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

/** The kernel's answers to a link and a route dump, in datagrams of ~32 KiB as a dump's are. */
function dumpAnswers(loLink) {
  return (msg) => {
    const { type, seq } = msg.header;
    const done = encodeMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq, pid: 4242 }, new Uint8Array(4));
    if (type === RTM_GETLINK) {
      const link = new Uint8Array(loLink);
      new DataView(link.buffer).setUint32(8, seq, true);
      return [link, done];
    }
    if (type !== RTM_GETROUTE) return [done];
    const datagrams = [];
    for (let i = 0; i < ROUTES; i += 500) datagrams.push(concat(Array.from({ length: Math.min(500, ROUTES - i) }, (_, j) => route(i + j, seq))));
    return [...datagrams, done];
  };
}

/** The groups of commands that have a code cache of their own (bin/nlctl picks one by the command word). */
export const CACHE_GROUPS = ['main', 'dump', 'decode'];

/** [argv, stdin bytes or undefined, deps] of each run of `group`. */
export function trainingRuns(group) {
  const hex = readFileSync('test/fixtures/codec/getlink-dump-lo.hex', 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const newlink = hex[1];
  const reply = Buffer.from(newlink.replace(/\s/g, ''), 'hex');
  const loLink = reply.subarray(0, reply.readUInt32LE(0));
  if (loLink.readUInt16LE(4) !== RTM_NEWLINK) throw new Error('cache-training: getlink-dump-lo.hex: its second line is not an RTM_NEWLINK');
  // Captures (rtnetlink, generic netlink) to ndjson: the capture reader and the fast JSON path.
  const captures = ['rtnl-getlink.pcap', 'devlink-nlmon.pcap'].map((f) => readFileSync(`test/fixtures/pcap/${f}`));
  const answers = dumpAnswers(loLink);
  const transport = (protocol) => new FakeTransport(answers, protocol);
  const decode = [
    [['decode', '--proto', 'route', newlink]],
    [['-f', 'ndjson', 'decode', newlink]],
    ...captures.map((c) => [['-f', 'ndjson', 'decode'], c]),
  ];
  const dump = [[['dump', 'route', '-j'], undefined, { transport }]];
  if (group === 'decode') return decode;
  if (group === 'dump') return dump;
  if (group === 'main') return [[['--version']], ...decode, ...dump];
  throw new Error(`cache-training: no runs for '${group}' (${CACHE_GROUPS.join(', ')})`);
}
