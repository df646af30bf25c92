// Templates where messages do not repeat (src/format/fast/template.ts), as in a dump: each route
// of its own dst, each link of its own MTU. Once a layout's messages are seen not to be equal to
// one another, only a key's newest template is compared; a short message (a route) is then
// written whole, and templates of it made only now and then; a long one (a link) is written from
// the template, its MTU again. The text stays the general decoder's. A file of its own: its
// process starts with no templates made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { templateUse } from '../../src/format/fast/template.js';
import { same, type Datagram } from '../fast-compare.js';
import { attrValueAt, hexFixture, linkMessage } from '../helpers.js';

/** The first RTM_NEWROUTE of the fixture alone, and where its RTA_DST's value starts. */
function route(): { d: Uint8Array; at: number } {
  const reply = hexFixture('dissect/route-route.hex').map((x) => x.bytes).find((b) => b.length > 40 && b[4] === 24)!;
  assert.ok(reply, 'an RTM_NEWROUTE datagram');
  const d = reply.subarray(0, reply[0]! | (reply[1]! << 8));
  const at = attrValueAt(d, 12, 1); // RTA_DST, after the rtmsg
  if (at < 0) throw new Error('the route has no dst');
  return { d, at };
}

/** `n` copies of message d, each with the two bytes at `at` counting up; then one datagram of two, three times (a key new to a layout that does not repeat). */
function dump(d: Uint8Array, at: number, n: number): Datagram[] {
  const ds: Datagram[] = [];
  for (let i = 0; i < n; i++) {
    const b = Uint8Array.from(d);
    b[at] = (b[at]! + i) & 0xff;
    b[at + 1] = (b[at + 1]! + (i >> 8)) & 0xff;
    ds.push({ protocol: 0, bytes: b });
  }
  const twice = Buffer.concat([d, ds[7]!.bytes]);
  ds.push({ protocol: 0, bytes: twice }, { protocol: 0, bytes: twice }, { protocol: 0, bytes: twice });
  return ds;
}

function counted(run: () => void): { made: number; rewritten: number } {
  const before = { ...templateUse };
  run();
  return { made: templateUse.made - before.made, rewritten: templateUse.rewritten - before.rewritten };
}

test('2,000 routes of a dump, none equal to another: written whole, templates of them made now and then', () => {
  const { d, at } = route();
  const used = counted(() => same(dump(d, at + 2, 2000), 'routes of a dump'));
  assert.equal(used.rewritten, 0, 'a route is too short to be written from a template it differs from');
  // ndjson, then json: of 4,006 messages, about one in 16 once the routes are seen not to repeat.
  assert.ok(used.made > 0 && used.made < 600, `made ${used.made}`);
});

test('2,000 links of a dump, each of its own MTU: written from the newest template, the MTU again', () => {
  const { d, at } = linkMessage(4);
  const used = counted(() => same(dump(d, at, 2000), 'links of a dump'));
  assert.ok(used.rewritten > 2 * 1900, `rewritten ${used.rewritten}`);
});
