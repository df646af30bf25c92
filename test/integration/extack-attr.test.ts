// The extended ACK's offset named as the attribute it points at, by C name and spec path: on
// stderr, in pretty output and in JSON (extack.attr, extack.path), for a top-level attribute and
// for one inside a nest; and the attribute the kernel found missing (MISS_TYPE, MISS_NEST).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireNamespaces, ROOT, runNlctl, withNetns } from '../helpers.js';

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

/** The numbers of uapi enum names, compiled with gcc against the 7.3 headers (the kernel's own facts). */
function uapiValues(header: string, names: string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-uapi-'));
  try {
    const src = join(dir, 'v.c');
    writeFileSync(src, `#include <stdio.h>\n#include <${header}>\nint main(void) {\n${names.map((n) => `  printf("%d\\n", (int)${n});`).join('\n')}\n  return 0;\n}\n`);
    execFileSync('gcc', ['-w', '-I', join(ROOT, '.cache/kernel/include'), '-o', join(dir, 'v'), src]);
    return execFileSync(join(dir, 'v'), { encoding: 'utf8' }).trim().split('\n').map(Number);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Extack { missingType?: number; missingNest?: number; missing?: { attr?: string; path: string; nest?: { attr?: string; path: string } } }

function extackOf(stdout: string): Extack {
  return JSON.parse(stdout).find((m: { error?: { extack?: unknown } }) => m.error?.extack).error.extack;
}

test('a missing attribute (MISS_TYPE): an ethtool request without its header names ETHTOOL_A_LINKINFO_HEADER', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const [header] = uapiValues('linux/ethtool_netlink_generated.h', ['ETHTOOL_A_LINKINFO_HEADER']);
  const args = ['send', '--netns', ns, '--family', 'ethtool', '--cmd', 'linkinfo-get'];
  const r = runNlctl(args);
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stderr, 'nlctl: ethtool linkinfo-get: Invalid argument (EINVAL) (missing ETHTOOL_A_LINKINFO_HEADER, .header)\n');
  assert.match(r.stdout, new RegExp(`extack missing attribute type ${header}: ETHTOOL_A_LINKINFO_HEADER \\(\\.header\\)`));
  const j = runNlctl(['-j', ...args, '--messages']);
  const x = extackOf(j.stdout);
  assert.equal(x.missingType, header, 'the kernel reports the header by its uapi number');
  assert.equal(x.missingNest, undefined);
  assert.deepEqual(x.missing, { attr: 'ETHTOOL_A_LINKINFO_HEADER', path: '.header' });
});

test('a missing attribute inside a nest (MISS_NEST): the nest\'s own set names it', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  // The hwtstamp provider nest needs index and qualifier (ethtool's tsinfo parser); give only the index.
  const args = ['send', '--netns', ns, '--family', 'ethtool', '--cmd', 'tsinfo-get', '--attr', 'header={dev-name=lo},hwtstamp-provider={index=0}'];
  const [qualifier] = uapiValues('linux/ethtool_netlink_generated.h', ['ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER']);
  const r = runNlctl(args);
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stderr, 'nlctl: ethtool tsinfo-get: Invalid argument (EINVAL) (missing ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER, .hwtstamp-provider.qualifier)\n');
  // nlmsghdr 16 + genlmsghdr 4 + the header nest (4 + "lo\0" padded to 8) = 32: where the provider nest starts.
  assert.match(r.stdout, new RegExp(`extack missing attribute type ${qualifier} in nest at 32: ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER \\(\\.hwtstamp-provider\\.qualifier\\)`));
  const x = extackOf(runNlctl(['-j', ...args, '--messages']).stdout);
  assert.equal(x.missingType, qualifier);
  assert.equal(x.missingNest, 32);
  assert.deepEqual(x.missing, {
    attr: 'ETHTOOL_A_TS_HWTSTAMP_PROVIDER_QUALIFIER', path: '.hwtstamp-provider.qualifier',
    nest: { attr: 'ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER', path: '.hwtstamp-provider' },
  });
});

test('an error on a nested attribute: a bad dev-name names .header.dev-name, on stderr and in JSON', (t) => {
  if (!requireNamespaces(t)) return;
  const ns = withNetns(t);
  const args = ['send', '--netns', ns, '--family', 'ethtool', '--cmd', 'linkinfo-get', '--attr', 'header={dev-name=nosuch0}'];
  const r = runNlctl(args);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /^nlctl: ethtool linkinfo-get: No such device \(ENODEV\): .*\(at ETHTOOL_A_HEADER_DEV_NAME, \.header\.dev-name\)\n$/);
  const x = extackOf(runNlctl(['-j', ...args, '--messages']).stdout) as Extack & { offset?: number; attr?: string; path?: string };
  // nlmsghdr 16 + genlmsghdr 4 + the nest's own header 4: dev-name is the nest's first attribute.
  assert.equal(x.offset, 24);
  assert.equal(x.attr, 'ETHTOOL_A_HEADER_DEV_NAME');
  assert.equal(x.path, '.header.dev-name');
});
