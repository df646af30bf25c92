// The dump records' fast path (plans compiled per layout, JSON written as bytes) must print
// exactly what the general path prints (decodeRecord → filter → ipRecord → JsonWriter), byte for
// byte, on every rtnetlink fixture message, with and without filters, and on mutated messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { splitMessages, type RawMessage } from '../../src/codec/index.js';
import type { RecordFilter } from '../../src/commands/dump-filter.js';
import type { FastRecords } from '../../src/commands/records-fast.js';
import { fastText as fastTextOf, filterFor, generalText as generalTextOf, TARGETS } from './records-harness.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

const generalText = (what: string, messages: RawMessage[], filter: RecordFilter, format: 'json' | 'ndjson') => generalTextOf(what, messages, filter, { format, note: true });
const fastText = (what: string, messages: RawMessage[], filter: RecordFilter, format: 'json' | 'ndjson') => fastTextOf(what, messages, filter, { format, note: true });

function datagrams(): Uint8Array[] {
  const dir = fixturePath('dissect');
  return readdirSync(dir).filter((f) => f.startsWith('route-') && f.endsWith('.hex')).flatMap((f) => hexFixture(`dissect/${f}`).map((x) => x.bytes));
}

function messagesOf(bytes: Uint8Array[]): RawMessage[] {
  return bytes.flatMap((b) => splitMessages(b).messages);
}

function compare(what: string, messages: RawMessage[], filter: RecordFilter, label: string): FastRecords {
  let fast!: FastRecords;
  for (const format of ['json', 'ndjson'] as const) {
    const want = generalText(what, messages, filter, format);
    const got = fastText(what, messages, filter, format);
    // Byte for byte: the same text, and so the same UTF-8.
    assert.equal(got.text, want, `${label} (${what}, ${format})`);
    fast = got.fast;
  }
  return fast;
}

test('fast records print what the general path prints, on every rtnetlink fixture', () => {
  const messages = messagesOf(datagrams());
  let fast = 0, general = 0;
  for (const what of TARGETS) {
    const f = compare(what, messages, filterFor(what), 'fixtures');
    fast += f.fast;
    general += f.general;
  }
  // The comparison means something only if the compiled plans wrote most records themselves.
  assert.ok(fast > 300, `${fast} records by the compiled plans`);
  assert.ok(fast > 4 * general, `${fast} records by the compiled plans, ${general} by the general path`);
});

test('fast records keep the same records as the general path under --table and --dev', () => {
  const messages = messagesOf(datagrams());
  for (const table of [254, 255, 0, 100]) compare('route', messages, filterFor('route', table), `table ${table}`);
  for (const what of ['addr', 'route', 'neigh']) for (const dev of [1, 2, 4]) compare(what, messages, filterFor(what, undefined, dev), `dev ${dev}`);
});

test('fast records use the interface names the general path uses', () => {
  const messages = messagesOf(datagrams());
  for (const names of [new Map<number, string>(), new Map([[2, 'x'], [4, 'y']])]) {
    for (const what of TARGETS) compare(what, messages, filterFor(what, undefined, undefined, names), `names ${[...names.values()]}`);
  }
  // The check can fail: a fast path given other names than the general one prints other text.
  const f = filterFor('route');
  assert.notEqual(fastText('route', messages, { ...f, names: new Map() }, 'json').text, generalText('route', messages, f, 'json'));
});

/** A message with one attribute appended (repeated, unknown, odd-sized, text to escape). */
function withAttr(m: RawMessage, type: number, value: Uint8Array): RawMessage {
  const len = 4 + value.length;
  const bytes = new Uint8Array(m.bytes.length + ((len + 3) & ~3));
  bytes.set(m.bytes);
  const dv = new DataView(bytes.buffer);
  dv.setUint16(m.bytes.length, len, true);
  dv.setUint16(m.bytes.length + 2, type, true);
  bytes.set(value, m.bytes.length + 4);
  dv.setUint32(0, bytes.length, true);
  return splitMessages(bytes).messages[0];
}

test('fast records equal the general path on mutated messages (2,000 seeded cases)', () => {
  const next = rng(0xfa57);
  const all = messagesOf(datagrams()).filter((m) => m.header.type >= 16);
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)];
  const texts = ['eth0\0', 'a"b\\c\0', 'ñandú\0', '\u0000#123\0', 'x\ty\0', '\0', ''].map((s) => new TextEncoder().encode(s));
  for (let i = 0; i < 2000; i++) {
    let batch = [pick(all), pick(all), pick(all)];
    batch = batch.map((m) => {
      switch (Math.floor(next() * 4)) {
        case 0: {
          // Bytes changed past the nlmsghdr: lengths, types, flags and values.
          const b = new Uint8Array(m.bytes);
          for (let k = 0; k < 3; k++) b[16 + Math.floor(next() * Math.max(1, b.length - 16))] = Math.floor(next() * 256);
          return splitMessages(b.subarray(0, Math.min(b.length, m.bytes.length))).messages[0] ?? m;
        }
        case 1: return withAttr(m, Math.floor(next() * 40) | (next() < 0.2 ? 0x4000 : 0), pick(texts));
        case 2: return withAttr(m, Math.floor(next() * 40), Uint8Array.from({ length: Math.floor(next() * 20) }, () => Math.floor(next() * 256)));
        default: return m;
      }
    });
    const what = pick(TARGETS);
    compare(what, batch, filterFor(what, next() < 0.3 ? 254 : undefined), `case ${i}`);
  }
});
