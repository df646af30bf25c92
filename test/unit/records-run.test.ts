// Runs of replies alike (records-template.ts's lane and run()): in a route dump most messages are
// the last record's but for their dst, and a datagram's run of them is written in one loop. Read
// as `dump` reads them (request() over the fake kernel, in place), the text must be the general
// path's byte for byte, whatever breaks a run: another value, length, flag or sequence number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, encodeAttrs, encodeMessage, NLM_F_DUMP_INTR, NLM_F_MULTI, splitMessages, type RawMessage } from '../../src/codec/index.js';
import { dumpText, filterFor, generalText, recordsWriter, type DumpPart } from './records-harness.js';
import { hexFixture, rng } from '../helpers.js';

const RTA_DST = 1, RTA_GATEWAY = 5, RTA_PRIORITY = 6;

/** The IPv4 routes of the fixtures that have a 4-byte RTA_DST. */
function baseRoutes(): RawMessage[] {
  const all = hexFixture('dissect/route-route.hex').flatMap((x) => splitMessages(x.bytes).messages);
  const routes = all.filter((m) => m.header.type === 24 && m.payload[0] === 2 && attrAt(m.payload, RTA_DST) >= 0);
  assert.ok(routes.length > 0, 'the fixtures hold IPv4 routes with a dst');
  return routes;
}

/** Where attribute `type`'s value is in the route payload `p` (-1: none, or not 4 bytes). */
function attrAt(p: Uint8Array, type: number): number {
  for (let off = 12; off + 4 <= p.length;) {
    const len = p[off] | (p[off + 1] << 8);
    if (len < 4) break;
    if ((p[off + 2] | (p[off + 3] << 8)) === type) return len === 8 ? off + 4 : -1;
    off += (len + 3) & ~3;
  }
  return -1;
}

/** `base` with its dst set to 20.x.y.z for `i`, and its other bytes as given. */
function route(base: RawMessage, i: number, edit?: (p: Uint8Array) => Uint8Array): RawMessage {
  let p: Uint8Array = new Uint8Array(base.payload);
  const at = attrAt(p, RTA_DST);
  p.set([20, (i >> 16) & 255, (i >> 8) & 255, i & 255], at);
  if (edit) p = edit(p);
  return splitMessages(encodeMessage({ type: 24, flags: 0, seq: 0, pid: 0 }, p)).messages[0];
}

/**
 * A dump of `count` routes from `base`, the dst counting up; now and then a route breaks the run:
 * another gateway, table or prefix length, an attribute more, NLM_F_DUMP_INTR, or someone else's
 * message in the middle.
 */
function dump(base: RawMessage, count: number, next: () => number): DumpPart[] {
  const parts: DumpPart[] = [];
  for (let i = 0; i < count; i++) {
    const r = next();
    if (r < 0.01) parts.push({ m: route(base, i, (p) => (attrAt(p, RTA_GATEWAY) >= 0 && (p[attrAt(p, RTA_GATEWAY) + 3] ^= 1), p)) });
    else if (r < 0.015) parts.push({ m: route(base, i, (p) => ((p[4] = p[4] === 254 ? 255 : 254), p)) });
    else if (r < 0.02) parts.push({ m: route(base, i, (p) => ((p[1] = 24), p)) });
    else if (r < 0.025) parts.push({ m: route(base, i, (p) => concat([p, encodeAttrs([{ type: RTA_PRIORITY, value: Uint8Array.from([i & 255, 0, 0, 0]) }])])) });
    else if (r < 0.028) parts.push({ m: route(base, i), flags: NLM_F_DUMP_INTR });
    else if (r < 0.031) parts.push({ m: route(base, i), foreign: true });
    else parts.push({ m: route(base, i) });
  }
  return parts;
}

const ours = (parts: DumpPart[]) => parts.filter((x) => !x.foreign).map((x) => x.m);

test('a route dump read in place, runs of routes alike taken at once, equals the general path (json and ndjson, filters, datagrams of 1 to 600 routes)', async () => {
  const next = rng(0x2f1e);
  let ran = 0;
  for (const base of baseRoutes()) {
    const parts = dump(base, 3000, next);
    for (const perDatagram of [[540], [1, 7, 64, 3], [600, 2]]) {
      for (const filter of [filterFor('route'), filterFor('route', 254), filterFor('route', undefined, 2)]) {
        for (const format of ['json', 'ndjson'] as const) {
          const got = await dumpText('route', parts, filter, perDatagram, format);
          assert.equal(got.text, generalText('route', ours(parts), filter, { format }), `${format}, ${perDatagram} to a datagram, from ${Buffer.from(base.bytes).toString('hex').slice(0, 48)}…`);
          assert.equal(got.result.unrelated, parts.filter((x) => x.foreign).length, 'someone else\'s messages are counted, not taken into a run');
          assert.equal(got.result.interrupted, parts.some((x) => x.flags === NLM_F_DUMP_INTR), 'a flag on one message is seen');
          ran += got.fast.ran;
        }
      }
    }
  }
  // The comparison means something only if most records were written by runs.
  assert.ok(ran > 50_000, `${ran} records written by runs`);
});

test('a run stops at the first message whose header differs: its flags, sequence number or length', async () => {
  const base = baseRoutes()[0];
  const plain = Array.from({ length: 20 }, (_, i) => ({ m: route(base, i) }));
  for (const odd of [{ m: route(base, 10), flags: NLM_F_DUMP_INTR }, { m: route(base, 10), foreign: true }, { m: route(base, 10, (p) => concat([p, encodeAttrs([{ type: RTA_PRIORITY, value: new Uint8Array(4) }])])) }]) {
    const parts: DumpPart[] = [...plain.slice(0, 10), odd, ...plain.slice(11)];
    const got = await dumpText('route', parts, filterFor('route'), [20]);
    assert.equal(got.text, generalText('route', ours(parts), filterFor('route')));
    // Written alone: the first message, the odd one and the one after it. The other 17 by two runs.
    assert.equal(got.fast.ran, 17, JSON.stringify({ flags: odd.flags, foreign: odd.foreign }));
  }
});

test('a datagram whose words are not 4-byte aligned is written message by message, with the same text', () => {
  const base = baseRoutes()[0];
  const routes = Array.from({ length: 50 }, (_, i) => route(base, i));
  const bytes = concat(routes.map((m) => encodeMessage({ type: 24, flags: NLM_F_MULTI, seq: 7, pid: 0 }, m.payload)));
  const expected = generalText('route', routes, filterFor('route'));
  for (const shift of [0, 1, 2, 3]) {
    const data = new Uint8Array(bytes.length + shift).subarray(shift);
    data.set(bytes);
    const { w, fast, text } = recordsWriter('route', filterFor('route'), false);
    const step = routes[0].bytes.length;
    let taken = 0;
    for (let off = 0; off < data.length; off += step) {
      w.messageAt(data, off, step, 24);
      const n = w.runAt(data, off + step);
      taken += n;
      off += n * step;
    }
    w.end();
    assert.equal(text(), expected, `shift ${shift}`);
    // Aligned, all but the first and the one where the buffer is first handed over come by runs.
    assert.ok(shift === 0 ? taken >= 45 : taken === 0, `shift ${shift}: ${taken} by runs`);
    assert.equal(fast.general, 0);
  }
});
