// The extended ACK's offset named as the attribute it points at, by C name and spec path: on
// stderr, in pretty output and in JSON (extack.attr, extack.path), for a top-level attribute and
// for one inside a nest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { requireNamespaces, runNlctl, withNetns } from '../helpers.js';

const ROUTE = ['send', '-t', 'RTM_NEWROUTE', '--flags', 'request,ack,create,excl',
  '--header', 'rtm_family=AF_INET,rtm_dst_len=8,rtm_table=main,rtm_protocol=boot,rtm_type=unicast',
  // RTA_DST must be 4 bytes: the kernel's policy check points at it.
  '--attr', 'RTA_DST=hex:0a00', '--attr', 'RTA_OIF=1'];

test('a 2-byte RTA_DST: the error names RTA_DST on stderr and in JSON', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  const r = runNlctl([...ROUTE, '--netns', ns]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^nlctl: RTM_NEWROUTE: .*\(ERANGE\): Attribute failed policy validation \(at RTA_DST, \.dst\)\n$/);
  assert.match(r.stdout, /extack offset 28: RTA_DST \(\.dst\)/);
  const j = runNlctl(['-j', ...ROUTE, '--netns', ns]);
  const extack = JSON.parse(j.stdout).find((m: { error?: { extack?: unknown } }) => m.error?.extack).error.extack;
  assert.equal(extack.offset, 28);
  assert.equal(extack.attr, 'RTA_DST');
  assert.equal(extack.path, '.dst');
});

test('an attribute inside a nest: ethtool header dev-index, named by its path as YNL prints it', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const r = runNlctl(['send', '--netns', ns, '--family', 'ethtool', '--cmd', 'linkinfo-get', '--attr', 'header={dev-index=99}']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /\(ENODEV\): .*\(at ETHTOOL_A_HEADER_DEV_INDEX, \.header\.dev-index\)\n$/);
});
