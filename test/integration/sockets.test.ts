// nlctl sockets: who is bound where, in which groups, and who is dropping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProcNetlink } from '../../src/commands/sockets.js';
import { requireNamespaces, runNlctl, startNlctl } from '../helpers.js';

test('sockets lists a listener with its port id, groups and process, from sock_diag and from /proc', async () => {
  const port = 200000 + Math.floor(Math.random() * 1_000_000);
  const l = startNlctl(['listen', '--proto', 'usersock', '--pid', String(port), '--group', '2,7', '--timeout', '10']);
  await l.ready;
  try {
    for (const source of ['diag', 'proc']) {
      const r = runNlctl(['-j', 'sockets', '--proto', 'usersock', '--pid', String(port), '--source', source]);
      assert.equal(r.code, 0, r.stderr);
      const rows = JSON.parse(r.stdout);
      assert.equal(rows.length, 1, `${source}: ${r.stdout}`);
      assert.equal(rows[0].protocol, 'usersock');
      assert.deepEqual(rows[0].groups, [2, 7]);
      assert.match(rows[0].process, /^nlctl\/\d+$/, "nlctl names itself, not node");
    }
  } finally {
    l.kill();
    await l.done;
  }
});

test('sockets shows the drops of a flooded listener', async (t) => {
  if (!requireNamespaces(t)) return; // usersock multicast needs root
  const port = 200000 + Math.floor(Math.random() * 1_000_000);
  const l = startNlctl(['-f', 'ndjson', 'listen', '--proto', 'usersock', '--pid', String(port), '--group', '9', '--rcvbuf', '1024', '--timeout', '10']);
  await l.ready;
  try {
    runNlctl(['send', '--proto', 'usersock', '--to-group', '9', '--repeat', '20000', 'flood']);
    const r = runNlctl(['-j', 'sockets', '--pid', String(port)]);
    const [row] = JSON.parse(r.stdout);
    assert.ok(row.drops > 0, `drops ${row.drops}`);
  } finally {
    l.kill();
    await l.done;
  }
});

test('/proc/net/netlink parses into sockets', () => {
  const rows = parseProcNetlink(readFileSync('/proc/net/netlink', 'utf8'));
  assert.ok(rows.some((r) => r.protocol === 'route' && r.portid === 0), 'the kernel rtnetlink socket');
});
