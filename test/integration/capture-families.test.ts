// Captures that decode alone: a capture of generic netlink traffic carries the CTRL_CMD_NEWFAMILY
// reply nlctl resolved the family with, before the family's first message, so that nlctl and
// tshark both name the family and the command with nothing but the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireNamespaces, requireTool, runNlctl, startNlctl, withNetns } from '../helpers.js';

type Msg = Record<string, any>;

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

for (const ext of ['pcap', 'pcapng']) test(`send --family ethtool --pcap F.${ext}, then decode F: the family and the command are named; tshark agrees`, (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'tshark') || !requireTool(t, 'genl')) return;
  const ns = withNetns(t);
  const dir = mkdtempSync(`${tmpdir()}/nlctl-capfam-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = `${dir}/eth.${ext}`;
  // lo has no link settings: the kernel answers EOPNOTSUPP, which is traffic all the same.
  const r = runNlctl(['send', '--netns', ns, '--family', 'ethtool', '--cmd', 'linkinfo-get', '--attr', 'header={dev-name=lo}', '--pcap', f]);
  assert.equal(r.code, 4, r.stderr);

  // The family's id, by iproute2 (an independent reader of nlctrl).
  const id = Number(/ID: (0x[0-9a-f]+)/.exec(execFileSync('ip', ['netns', 'exec', ns, 'genl', 'ctrl', 'get', 'name', 'ethtool'], { encoding: 'utf8' }))![1]);

  const msgs: Msg[] = JSON.parse(runNlctl(['-j', 'decode', f]).stdout);
  assert.deepEqual(msgs.map((m) => m.type_name), ['CTRL_CMD_NEWFAMILY', 'ETHTOOL_MSG_LINKINFO_GET', 'NLMSG_ERROR']);
  const [table, req, err] = msgs;
  assert.equal(table.meta.family_table, true, 'the first frame is marked as the family table');
  assert.equal(table.family, 'nlctrl');
  assert.equal(table.attrs.find((a: Msg) => a.name === 'CTRL_ATTR_FAMILY_NAME').value, 'ethtool');
  assert.equal(table.attrs.find((a: Msg) => a.name === 'CTRL_ATTR_FAMILY_ID').value, id);
  assert.equal(req.meta.family_table, undefined);
  assert.equal(req.type, id);
  assert.equal(req.family, 'ethtool');
  assert.equal(req.op, 'linkinfo-get');
  assert.equal(req.attrs[0].name, 'ETHTOOL_A_LINKINFO_HEADER');
  assert.equal(err.error.request.type_name, 'ETHTOOL_MSG_LINKINFO_GET');

  // The table is the kernel's own reply: the same attributes nlctrl gives when asked now.
  const asked: Msg[] = JSON.parse(runNlctl(['-j', 'send', '--netns', ns, '--family', 'nlctrl', '--cmd', 'getfamily', '--attr', 'CTRL_ATTR_FAMILY_NAME=ethtool', '--messages']).stdout);
  const reply = asked.find((m) => m.type_name === 'CTRL_CMD_NEWFAMILY')!;
  const strip = (a: Msg[]): Msg[] => a.map(({ offset: _o, ...rest }) => rest);
  assert.deepEqual(strip(table.attrs), strip(reply.attrs));
  assert.ok(table.len > 100, 'the whole reply, with its ops and groups');

  // tshark learns the id from the same frame, as it does from live nlctrl traffic.
  const frames = tshark(['-r', f, '-T', 'fields', '-e', 'frame.number']).trim().split('\n');
  assert.equal(frames.length, msgs.filter((m) => m.offset === 0).length);
  const verbose = tshark(['-r', f, '-V']);
  assert.match(verbose, new RegExp(`Family ID: 0x${id.toString(16)} \\(ethtool\\)`));
  assert.doesNotMatch(verbose, /Malformed|Expert Info \((Error|Warning)/);

  // pretty output labels the table frame.
  assert.match(runNlctl(['decode', f]).stdout, /^\S+ ← \(family table\) nlctrl CTRL_CMD_NEWFAMILY /);
  // pcapng says it in words too, on that frame alone.
  const comments = tshark(['-r', f, '-T', 'fields', '-e', 'frame.comment']).split('\n').slice(0, frames.length);
  assert.deepEqual(comments, ext === 'pcapng' ? ['nlctl: genl family table', '', ''] : ['', '', '']);
});

test('listen --group ethtool:monitor --pcap F: the family table comes before the first event', async (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'tshark') || !requireTool(t, 'ethtool')) return;
  const ns = withNetns(t);
  const dir = mkdtempSync(`${tmpdir()}/nlctl-capfam-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('ip', ['-n', ns, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
  const f = `${dir}/mon.pcap`;
  const l = startNlctl(['listen', '--netns', ns, '--group', 'ethtool:monitor', '--pcap', f, '--count', '1', '--timeout', '10']);
  await l.ready;
  // Turning an offload off makes ethtool's netlink code multicast ETHTOOL_MSG_FEATURES_NTF.
  execFileSync('ip', ['netns', 'exec', ns, 'ethtool', '-K', 'va', 'tso', 'off']);
  const done = await l.done;
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /1 message\(s\) received, .*2 record\(s\) in /);
  const msgs: Msg[] = JSON.parse(runNlctl(['-j', 'decode', f]).stdout);
  assert.deepEqual(msgs.map((m) => [m.family, m.type_name, m.meta.family_table ?? false]), [
    ['nlctrl', 'CTRL_CMD_NEWFAMILY', true],
    ['ethtool', 'ETHTOOL_MSG_FEATURES_NTF', false],
  ]);
  const verbose = tshark(['-r', f, '-V']);
  assert.match(verbose, /Family ID: 0x[0-9a-f]+ \(ethtool\)/);
  assert.doesNotMatch(verbose, /Malformed|Expert Info \((Error|Warning)/);
});
