// nlctl dump link against the real kernel, in a network namespace of the test's own, compared
// with what `ip -j link` reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inNetns, requireNamespaces, requireTool } from '../helpers.js';

test('dump link -j lists exactly the links ip -j link lists (fresh namespace with a veth pair)', (t) => {
  if (!requireNamespaces(t) || !requireTool(t, 'ip')) return;
  const out = inNetns(`
    ip link add nltest0 type veth peer name nltest1
    ip link set nltest0 up
    ip link set nltest0 mtu 1400
    node "$NLCTL" dump link -j > /tmp/nlctl-dump-link.$$.json
    echo '=====';
    ip -j link
    echo '=====';
    cat /tmp/nlctl-dump-link.$$.json; rm -f /tmp/nlctl-dump-link.$$.json
  `);
  const [, ipJson, nlJson] = out.split('=====\n');
  const ip = (JSON.parse(ipJson) as { ifindex: number; ifname: string; mtu: number; address: string }[]);
  const nl = (JSON.parse(nlJson) as { ifindex: number; ifname: string; mtu: number; address: string; flags: string[] }[]);
  assert.deepEqual(nl.map((l) => [l.ifindex, l.ifname]), ip.map((l) => [l.ifindex, l.ifname]));
  assert.ok(nl.some((l) => l.ifname === 'nltest1'), 'the veth peer is listed');
  for (const l of nl) {
    const other = ip.find((x) => x.ifindex === l.ifindex)!;
    assert.equal(l.mtu, other.mtu, `${l.ifname} mtu`);
    assert.equal(l.address, other.address, `${l.ifname} address`);
  }
  assert.ok(nl.find((l) => l.ifname === 'nltest0')!.flags.includes('UP'));
});

test('dump link as a table names the columns and the links', (t) => {
  if (!requireNamespaces(t)) return;
  const out = inNetns('node "$NLCTL" dump link --format table');
  assert.match(out, /ifindex.*ifname.*flags.*mtu.*operstate.*address/);
  assert.match(out, /\blo\b.*LOOPBACK/);
});
