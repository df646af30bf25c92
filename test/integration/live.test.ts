// send and listen against the real kernel and between two nlctl processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { NLCTL, ndjson, requireNamespaces, requireTool, runNlctl, sh, startNlctl, withNetns } from '../helpers.js';

function uniquePort(): number {
  return 100000 + Math.floor(Math.random() * 1_000_000);
}

test('two nlctl processes exchange messages over NETLINK_USERSOCK by port id', async () => {
  const port = uniquePort();
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(port), '--count', '2', '--timeout', '10']);
  await l.ready;
  const a = runNlctl(['send', '--proto', 'usersock', '--to', String(port), 'Hello you!']);
  assert.equal(a.code, 0, a.stderr);
  const b = runNlctl(['send', '--proto', 'usersock', '--to', String(port), '--type', '0x20', '--hex', 'deadbeef']);
  assert.equal(b.code, 0, b.stderr);
  const r = await l.done;
  assert.equal(r.code, 0, r.stderr);
  const msgs = ndjson(r.stdout);
  assert.equal(msgs.length, 2);
  assert.equal(msgs[0].payload.text, 'Hello you!');
  assert.equal(msgs[0].protocol, 'usersock');
  assert.equal(msgs[1].type, 0x20);
  assert.equal(msgs[1].payload.hex, 'deadbeef');
  assert.ok(msgs[0].meta.from_pid > 0 && msgs[0].meta.from_pid === msgs[0].pid, 'sender port id in nlmsg_pid and in the address');
  assert.match(r.stderr, /2 message\(s\) received, 0 overrun\(s\)/);
});

test('two nlctl processes exchange messages over NETLINK_USERSOCK by multicast group', async (t) => {
  if (!requireNamespaces(t)) return; // multicast on usersock needs root
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--group', '5', '--count', '1', '--timeout', '10']);
  await l.ready;
  const s = runNlctl(['send', '--proto', 'usersock', '--to-group', '5', '--nul', 'to the group']);
  assert.equal(s.code, 0, s.stderr);
  const [m] = ndjson((await l.done).stdout);
  assert.equal(m.payload.text, 'to the group');
  assert.equal(m.meta.group, 5);
});

test('listen --group link shows RTM_NEWLINK and RTM_DELLINK for a veth pair', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const ns = withNetns(t);
  const l = startNlctl(['-f', 'ndjson', 'listen', '--netns', ns, '--group', 'link', '--timeout', '3']);
  await l.ready;
  sh(`ip -n ${ns} link add va type veth peer name vb; ip -n ${ns} link del va`);
  const msgs = ndjson((await l.done).stdout);
  const seen = msgs.map((m) => `${m.type_name} ${m.attrs?.find((a: any) => a.name === 'IFLA_IFNAME')?.value}`);
  for (const want of ['RTM_NEWLINK va', 'RTM_NEWLINK vb', 'RTM_DELLINK va', 'RTM_DELLINK vb']) assert.ok(seen.includes(want), `${want} in ${seen.join('; ')}`);
  assert.ok(msgs.every((m) => m.meta.group === 1 && m.meta.from_pid === 0));
});

test('a failing request prints the kernel error with its extended ACK and exits 4', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const r = runNlctl(['send', '--netns', ns, '-t', 'RTM_NEWROUTE', '--flags', 'request,ack,create,excl',
    '--header', 'rtm_family=AF_INET,rtm_dst_len=8,rtm_table=main,rtm_protocol=boot,rtm_scope=global,rtm_type=unicast',
    '--attr', 'RTA_DST=10.0.0.0', '--attr', 'RTA_GATEWAY=1.2.3.4']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^nlctl: RTM_NEWROUTE: Network is unreachable \(ENETUNREACH\): Nexthop has invalid gateway$/m);
  assert.match(r.stdout, /NLMSG_ERROR/);
  assert.match(r.stdout, /RTA_GATEWAY "?1\.2\.3\.4/, 'the echoed request is decoded');
});

test('an ACK is printed and exits 0', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const r = runNlctl(['-f', 'ndjson', 'send', '--netns', ns, '-t', 'RTM_SETLINK', '--flags', 'request,ack', '--header', 'ifi_index=1,ifi_flags=UP,ifi_change=UP']);
  assert.equal(r.code, 0, r.stderr);
  const [ack] = ndjson(r.stdout);
  assert.equal(ack.type_name, 'NLMSG_ERROR');
  assert.equal(ack.error.errno, 0);
  assert.match(execFileSync('ip', ['-n', ns, 'link', 'show', 'lo'], { encoding: 'utf8' }), /UP/);
});

test('listen --pcap writes a capture tshark reads with the same message count', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'tshark')) return;
  const ns = withNetns(t);
  const dir = mkdtempSync(`${tmpdir()}/nlctl-pcap-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = `${dir}/link.pcap`;
  const l = startNlctl(['-f', 'ndjson', 'listen', '--netns', ns, '--group', 'link,ipv4-ifaddr', '--timeout', '3', '--pcap', file]);
  await l.ready;
  sh(`ip -n ${ns} link add pa type veth peer name pb; ip -n ${ns} addr add 192.0.2.1/24 dev pa; ip -n ${ns} link del pa`);
  const r = await l.done;
  const msgs = ndjson(r.stdout);
  assert.ok(msgs.length >= 4, `${msgs.length} messages`);
  assert.ok(existsSync(file));
  const fields = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'netlink-route.nltype', '-e', 'netlink.family'], { encoding: 'utf8' })
    .trim().split('\n');
  // One frame per datagram; rtnetlink notifications carry one message each.
  assert.equal(fields.length, msgs.length, `tshark frames vs nlctl messages:\n${fields.join('\n')}`);
  const types = fields.map((l) => Number(l.split('\t')[0]));
  assert.deepEqual(types, msgs.map((m) => m.type));
});

test('a flooded listener with a tiny receive buffer reports loss in messages, from the kernel counter, and keeps listening', async (t) => {
  if (!requireNamespaces(t)) return; // multicast on usersock needs root
  const group = String(7 + Math.floor(Math.random() * 20));
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--group', group, '--rcvbuf', '1024', '--timeout', '60']);
  await l.ready;
  const sent = 20000;
  const s = runNlctl(['send', '--proto', 'usersock', '--to-group', group, '--repeat', String(sent), 'flood']);
  assert.equal(s.code, 0, s.stderr);
  // Stop once everything sent has been delivered or dropped (a timeout could end the listener
  // while a slow sender still sends, and what it sends then is neither received nor dropped).
  await new Promise((res) => setTimeout(res, 300));
  l.kill('SIGINT');
  const r = await l.done;
  const lines = ndjson(r.stdout);
  const overruns = lines.filter((x) => x.event === 'overrun');
  const messages = lines.filter((x) => x.event === undefined);
  assert.ok(overruns.length > 0, 'overrun events in the output');
  assert.equal(overruns.at(-1)!.overruns, overruns.length, 'running count of events');
  // The kernel counts a drop just after it flags ENOBUFS: an event may see its drops in the next one.
  assert.ok(overruns.every((o) => o.lost_source === 'sock_diag' && o.lost >= 0), JSON.stringify(overruns.slice(0, 3)));
  assert.ok(overruns.at(-1)!.lost_total > 0);
  assert.equal(overruns.reduce((n, o) => n + o.lost, 0), overruns.at(-1)!.lost_total, 'lost adds up to lost_total');
  assert.ok(messages.length > 0 && messages.length < sent, `${messages.length} messages kept`);
  const summary = /(\d+) message\(s\) received, (\d+) overrun\(s\), (\d+) message\(s\) lost \(kernel drop counter, sock_diag\)/.exec(r.stderr);
  assert.ok(summary, r.stderr);
  assert.equal(Number(summary[1]), messages.length);
  assert.equal(Number(summary[2]), overruns.length);
  assert.equal(sent - messages.length, Number(summary[3]), 'sent - received == reported loss');
});

test('SIGTERM ends a listener cleanly with a summary', async () => {
  const l = startNlctl(['listen', '--proto', 'usersock', '--pid', String(uniquePort())]);
  await l.ready;
  l.kill('SIGTERM');
  const r = await l.done;
  assert.equal(r.code, 0);
  assert.match(r.stderr, /0 message\(s\) received, 0 overrun\(s\)/);
});

test('send --wait N prints N messages and times out with exit 6 when fewer come', () => {
  const r = runNlctl(['send', '--proto', 'usersock', '--to', '0', '--wait', '1', '--timeout', '0.5', 'nobody']);
  // Nobody answers on usersock port 0: there is no kernel socket there.
  assert.ok(r.code === 6 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
});

test('send --repeat N --wait N reads replies between sends: none lost to an overrun', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  // 500 link replies (~1 KB each) would overflow the default receive buffer if read only at the end.
  const r = spawnSync(process.execPath, [NLCTL, '-f', 'ndjson', 'send', '--netns', ns, '-t', 'RTM_GETLINK', '--attr', 'IFLA_IFNAME=lo',
    '--repeat', '500', '--wait', '500'], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /500 message\(s\) received, 500 sent, 0 overrun\(s\)/);
  assert.equal(ndjson(r.stdout).filter((m) => m.type_name === 'RTM_NEWLINK').length, 500);
});

test('a port id that is taken: one line, exit 3', async () => {
  const port = uniquePort();
  const l = startNlctl(['listen', '--proto', 'usersock', '--pid', String(port), '--timeout', '10']);
  await l.ready;
  try {
    const r = runNlctl(['listen', '--proto', 'usersock', '--pid', String(port), '--timeout', '1']);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, 'nlctl: bind: Address already in use (EADDRINUSE)\n');
  } finally {
    l.kill();
    await l.done;
  }
});

test('listen --all-nsid hears a peer namespace, with its nsid', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const listener = withNetns(t);
  const peer = withNetns(t);
  sh(`ip -n ${listener} netns set ${peer} 7`);
  const l = startNlctl(['-f', 'ndjson', 'listen', '--netns', listener, '--group', 'link', '--all-nsid', '--timeout', '3']);
  await l.ready;
  sh(`ip -n ${peer} link add na type veth peer name nb`);
  const msgs = ndjson((await l.done).stdout);
  const na = msgs.find((m) => m.attrs?.some((a: any) => a.name === 'IFLA_IFNAME' && a.value === 'na'));
  assert.ok(na, JSON.stringify(msgs.map((m) => m.type_name)));
  assert.equal(na.meta.nsid, 7);
});
