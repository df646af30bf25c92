// The dump records' templates (records-template.ts): a message that differs from the last record
// written in a few bytes is written as that record with its values again. Whatever bytes change
// (a header field, an attribute's value, the filter's keys, a name's source, a dst), the text must
// be the general path's (decodeRecord → filter → ipRecord → JsonWriter), byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { splitMessages, type RawMessage } from '../../src/codec/index.js';
import type { RecordFilter } from '../../src/commands/dump-filter.js';
import { fastText as fastTextOf, filterFor, generalText, TARGETS } from './records-harness.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';
import { DUMP_TARGETS } from '../../src/commands/dump-targets.js';
import { schemaFor } from '../../src/schema/index.js';

/** The fast text, each message read in place from a datagram of its own (as a dump reads them). */
const fastText = (what: string, messages: RawMessage[], filter: RecordFilter) => fastTextOf(what, messages, filter, { inPlace: true });

function fixtureMessages(): RawMessage[] {
  const dir = fixturePath('dissect');
  const files = readdirSync(dir).filter((f) => f.startsWith('route-') && f.endsWith('.hex'));
  return files.flatMap((f) => hexFixture(`dissect/${f}`).flatMap((x) => splitMessages(x.bytes).messages)).filter((m) => m.header.type >= 16);
}

/** `m` with `count` of its bytes past the nlmsghdr set to random values (its length kept). */
function variant(m: RawMessage, next: () => number, count: number): RawMessage {
  const b = new Uint8Array(m.bytes);
  for (let k = 0; k < count; k++) {
    const at = 16 + Math.floor(next() * (b.length - 16));
    // Small changes mostly (a value off by one, as in a table of routes), sometimes any byte.
    b[at] = next() < 0.7 ? (b[at] + 1) & 0xff : Math.floor(next() * 256);
  }
  return splitMessages(b).messages[0];
}

test('templated records equal the general path, whatever bytes differ from the last record (3,000 seeded runs)', () => {
  const next = rng(0x7e3a);
  const all = fixtureMessages();
  let templated = 0, fast = 0;
  for (let i = 0; i < 3000; i++) {
    const base = all[Math.floor(next() * all.length)];
    // A run of messages like a dump's: the same message with one or two bytes changed each time.
    const run = [base];
    for (let j = 0; j < 6; j++) run.push(variant(next() < 0.5 ? base : run[run.length - 1], next, 1 + Math.floor(next() * 2)));
    const what = TARGETS[Math.floor(next() * TARGETS.length)];
    const filter = filterFor(what, next() < 0.3 ? 254 : undefined, next() < 0.2 ? 2 : undefined);
    const got = fastText(what, run, filter);
    assert.equal(got.text, generalText(what, run, filter), `run ${i} (${what}, from a type ${base.header.type} message)`);
    templated += got.fast.templated;
    fast += got.fast.fast;
  }
  // The comparison means something only if many records were written from templates.
  assert.ok(templated > 2000, `${templated} of ${fast} fast records from templates`);
});

test('templates compare messages at any alignment of their bytes: read in place or as messages, from 0-3 bytes into a buffer', () => {
  const next = rng(0x5a11);
  const all = fixtureMessages();
  let templated = 0;
  for (let i = 0; i < 600; i++) {
    const base = all[Math.floor(next() * all.length)];
    const run = [base];
    for (let j = 0; j < 5; j++) run.push(variant(run[run.length - 1], next, 1 + Math.floor(next() * 2)));
    const what = TARGETS[Math.floor(next() * TARGETS.length)];
    const filter = filterFor(what);
    const want = generalText(what, run, filter);
    for (const shift of [0, 1, 2, 3]) {
      for (const inPlace of [true, false]) {
        const got = fastTextOf(what, run, filter, { inPlace, shift });
        assert.equal(got.text, want, `run ${i} (${what}, ${shift} bytes in, ${inPlace ? 'in place' : 'as messages'})`);
        templated += got.fast.templated;
      }
    }
  }
  assert.ok(templated > 8000, `${templated} records from templates`);
});

test('a route table written from templates equals the general path: dsts, gateways, devices and tables changing', () => {
  const routes = fixtureMessages().filter((m) => m.header.type === 24 && m.payload[0] === 2);
  assert.ok(routes.length > 0, 'the fixtures hold IPv4 routes');
  const next = rng(0x4007);
  for (const base of routes) {
    // 200 routes: the last bytes of the dst count up; now and then the gateway, device or table moves.
    const run: RawMessage[] = [];
    for (let i = 0; i < 200; i++) {
      const m = variant(base, next, next() < 0.1 ? 1 : 0);
      const p = m.payload;
      for (let off = 12; off + 4 <= p.length;) {
        const len = p[off] | (p[off + 1] << 8);
        if (len < 4) break;
        // RTA_DST (1): a /32 or shorter prefix counting up.
        if ((p[off + 2] | (p[off + 3] << 8)) === 1 && len === 8) p[off + 7] = i & 0xff, p[off + 6] = i >> 8;
        off += (len + 3) & ~3;
      }
      run.push(m);
    }
    for (const filter of [filterFor('route'), filterFor('route', 254), filterFor('route', undefined, 2)]) {
      const got = fastText('route', run, filter);
      assert.equal(got.text, generalText('route', run, filter), `route run from ${Buffer.from(base.bytes).toString('hex').slice(0, 64)}…`);
    }
  }
});

/** `m` with the first byte of attribute `type`'s value set to `v` (undefined: no such attribute). */
function withValue(m: RawMessage, type: number, v: number): RawMessage | undefined {
  const b = new Uint8Array(m.bytes);
  const start = 16 + 16;
  for (let off = start; off + 4 <= b.length;) {
    const len = b[off] | (b[off + 1] << 8);
    if (len < 4) break;
    if (((b[off + 2] | (b[off + 3] << 8)) & 0x3fff) === type) {
      b[off + 4] = v;
      return splitMessages(b).messages[0];
    }
    off += (len + 3) & ~3;
  }
  return undefined;
}

test('templated links name their peers and masters anew when IFLA_LINK or IFLA_MASTER changes', () => {
  const links = fixtureMessages().filter((m) => m.header.type === 16);
  let runs = 0;
  for (const base of links) {
    for (const type of [5, 10]) {
      // IFLA_LINK (5), IFLA_MASTER (10): through named and unnamed interfaces, and back.
      const run = [1, 2, 3, 9, 5, 5, 7, 2].map((v) => withValue(base, type, v)).filter((m): m is RawMessage => m !== undefined);
      if (!run.length) continue;
      runs++;
      const filter = filterFor('link');
      const got = fastText('link', run, filter);
      assert.equal(got.text, generalText('link', run, filter), `IFLA ${type} run`);
      assert.ok(got.fast.templated >= run.length - 2, `${got.fast.templated} of ${run.length} from templates`);
    }
  }
  assert.ok(runs >= 3, `${runs} runs`);
});

/** Where each attribute of a nest inside `m` has its value: [start, end) in m.bytes (nests of nests too). */
function nestedValues(m: RawMessage): [number, number][] {
  const b = m.bytes, out: [number, number][] = [];
  const walk = (start: number, end: number, depth: number) => {
    for (let off = start; off + 4 <= end;) {
      const len = b[off] | (b[off + 1] << 8);
      if (len < 4 || off + len > end) break;
      if (depth > 0) out.push([off + 4, off + len]);
      // Any value long enough to hold attributes is walked as if it were a nest: what is not one
      // only adds cases of bytes that are not leaves.
      if (len > 8) walk(off + 4, off + len, depth + 1);
      off += (len + 3) & ~3;
    }
  };
  walk(32, b.length, 0);
  return out;
}

test('templated links write the values inside nests that differ alone (af_spec, linkinfo …), as the general path writes them (2,000 seeded runs)', () => {
  const links = fixtureMessages().filter((m) => m.header.type === 16 && nestedValues(m).length > 0);
  assert.ok(links.length >= 3, `${links.length} links with nests`);
  const next = rng(0x1eaf);
  let leaves = 0;
  for (let i = 0; i < 2000; i++) {
    const base = links[Math.floor(next() * links.length)];
    const inner = nestedValues(base);
    // A dump's run: the same link with bytes inside its nests changed (a cacheinfo's times, a setting).
    const run = [base];
    for (let j = 0; j < 6; j++) {
      const b = new Uint8Array(base.bytes);
      for (let c = 1 + Math.floor(next() * 3); c > 0; c--) {
        const [start, end] = inner[Math.floor(next() * inner.length)];
        const at = start + Math.floor(next() * (end - start));
        b[at] = next() < 0.7 ? (b[at] + 1) & 0xff : Math.floor(next() * 256);
      }
      run.push(splitMessages(b).messages[0]);
    }
    const filter = filterFor('link');
    for (const format of ['json', 'ndjson'] as const) {
      const got = fastTextOf('link', run, filter, { inPlace: true, format });
      assert.equal(got.text, generalText('link', run, filter, { format }), `run ${i} (${format})`);
      leaves += got.fast.leaves;
    }
  }
  // The comparison means something only if many values were written alone.
  assert.ok(leaves > 5000, `${leaves} values inside nests written alone`);
});

test('each dump shortcut names the type of its records: the RTM_NEW* of its RTM_GET* by the tables', () => {
  const schema = schemaFor(0);
  const withReply = Object.values(DUMP_TARGETS).filter((t) => t.reply !== undefined);
  assert.ok(withReply.length >= 5, `${withReply.length} shortcuts`);
  for (const t of withReply) {
    assert.equal(schema.messages[t.type]?.name, t.label);
    assert.equal(schema.messages[t.reply!]?.name, t.label.replace('_GET', '_NEW'), t.label);
  }
});
