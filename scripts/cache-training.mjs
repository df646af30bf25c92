// The runs whose compiled functions V8's code cache of the bundle keeps (scripts/bundle.mjs): the
// start-up of every command, a message and two captures decoded, and a link and a route dump
// answered by the fake transport, so that a real dump compiles little of its fast path at start.
import { readFileSync } from 'node:fs';
import { concat, encodeAttrs, encodeMessage, NLM_F_MULTI, NLMSG_DONE } from '../build/src/codec/index.js';
import { FakeTransport } from '../build/src/transport/fake.js';

// <linux/rtnetlink.h>: RTM_GETLINK 18, RTM_NEWLINK 16, RTM_GETROUTE 26, RTM_NEWROUTE 24; rtattr
// types RTA_DST 1, RTA_OIF 4, RTA_GATEWAY 5, RTA_TABLE 15.
const RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
// struct ifinfomsg after the 16-byte nlmsghdr: family, pad, type (2), index (4).
const IFI_INDEX = 16 + 4;
const ROUTES = 2000;

const u32 = (n) => new Uint8Array(new Uint32Array([n]).buffer);

/** RTM_NEWROUTE of 20.x.y.z/32 via 10.0.0.2 on ifindex 1 (struct rtmsg: family, dst_len … type; then attributes). */
function route(i, seq) {
  const rtmsg = Uint8Array.of(2, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0);
  const attrs = encodeAttrs([
    { type: RTA_TABLE, value: u32(254) }, { type: RTA_DST, value: Uint8Array.of(20, (i >> 16) & 255, (i >> 8) & 255, i & 255) },
    { type: RTA_GATEWAY, value: Uint8Array.of(10, 0, 0, 2) }, { type: RTA_OIF, value: u32(1) },
  ]);
  return encodeMessage({ type: RTM_NEWROUTE, flags: NLM_F_MULTI, seq, pid: 4242 }, concat([rtmsg, attrs]));
}

/** The kernel's answers to a link and a route dump, in datagrams of ~32 KiB as a dump's are. */
function dumpAnswers(loLink) {
  return (msg) => {
    const { type, seq } = msg.header;
    const done = encodeMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq, pid: 4242 }, new Uint8Array(4));
    if (type === RTM_GETLINK) {
      // lo, then copies of it with other indexes: the records written from a template too.
      const links = [1, 2, 3].map((ifindex) => {
        const link = new Uint8Array(loLink), view = new DataView(link.buffer);
        view.setUint32(8, seq, true);
        view.setInt32(IFI_INDEX, ifindex, true);
        return link;
      });
      return [concat(links), done];
    }
    if (type !== RTM_GETROUTE) return [done];
    const datagrams = [];
    for (let i = 0; i < ROUTES; i += 500) datagrams.push(concat(Array.from({ length: Math.min(500, ROUTES - i) }, (_, j) => route(i + j, seq))));
    return [...datagrams, done];
  };
}

/**
 * The groups of commands that have a code cache of their own (bin/nlctl picks one by the command
 * word): decode-hex is a decode of messages given as hex arguments, with no capture reader.
 */
export const CACHE_GROUPS = ['main', 'dump', 'decode', 'decode-hex'];

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
  const hexRuns = [
    [['decode', '--proto', 'route', newlink]],
    [['-f', 'ndjson', 'decode', newlink]],
  ];
  const decode = [...hexRuns, ...captures.map((c) => [['-f', 'ndjson', 'decode'], c])];
  const dump = [[['dump', 'route', '-j'], undefined, { transport }]];
  // Links as records and as the table (`nlctl dump link`, what `make run` runs): in dump's own
  // cache only, which the other commands do not read.
  const links = [[['dump', 'link', '-j'], undefined, { transport }], [['dump', 'link'], undefined, { transport }]];
  if (group === 'decode') return decode;
  if (group === 'decode-hex') return hexRuns;
  if (group === 'dump') return [...dump, ...links];
  if (group === 'main') return [[['--version']], ...decode, ...dump];
  throw new Error(`cache-training: no runs for '${group}' (${CACHE_GROUPS.join(', ')})`);
}
