// The dump records' fast path (plans compiled per layout, JSON written as bytes) must print
// exactly what the general path prints (decodeRecord → filter → ipRecord → JsonWriter), byte for
// byte, on every rtnetlink fixture message, with and without filters, and on mutated messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { splitMessages, type RawMessage } from '../../src/codec/index.js';
import { jsonWriter } from '../../src/format/index.js';
import { decodeRecord, newContext, schemaFor, type FlatRecord } from '../../src/schema/index.js';
import type { RecordFilter } from '../../src/commands/dump-filter.js';
import { tableId } from '../../src/commands/dump-filter.js';
import { ipRecord } from '../../src/commands/ip-records.js';
import { FastRecords } from '../../src/commands/records-fast.js';
import { RecordsJsonWriter } from '../../src/commands/records-writer.js';
import { fixturePath, hexFixture, rng } from '../helpers.js';

const TARGETS = ['link', 'addr', 'route', 'neigh', 'rule'];
const DEV_KEY: Record<string, string> = { addr: 'ifindex', neigh: 'ifindex', route: 'oif' };
const NAMES = new Map([[1, 'lo'], [2, 'eth0'], [3, 'b0'], [4, 'eth1'], [5, 'we"ird\\ñ'], [7, 'v7']]);

function datagrams(): Uint8Array[] {
  const dir = fixturePath('dissect');
  return readdirSync(dir).filter((f) => f.startsWith('route-') && f.endsWith('.hex')).flatMap((f) => hexFixture(`dissect/${f}`).map((x) => x.bytes));
}

function filterFor(what: string, table?: number, devIndex?: number, names = NAMES): RecordFilter {
  const devKey = DEV_KEY[what];
  return {
    names, table, devKey, devIndex, reads: ['table', ...(devKey ? [devKey] : [])],
    keep: (rec) => (table === undefined || tableId(rec.table) === table) && (devIndex === undefined || rec[devKey!] === devIndex),
  };
}

/** The general path's text: what `dump WHAT -j` printed before the fast path. */
function generalText(what: string, messages: RawMessage[], filter: RecordFilter, format: 'json' | 'ndjson'): string {
  const schema = schemaFor(0);
  const ctx = newContext();
  let text = '';
  const writer = jsonWriter(format, { color: false, sink: { write: (t) => void (text += t) } }, { columns: [], row: () => undefined });
  for (const m of messages) {
    const rec = decodeRecord(m, schema, ctx);
    if (rec && filter.keep(rec)) writer.write({ record: ipRecord(what, rec, filter.names) });
  }
  writer.event?.({ event: 'dump_interrupted', message: 'a note at the end' });
  writer.end();
  return text;
}

function fastText(what: string, messages: RawMessage[], filter: RecordFilter, format: 'json' | 'ndjson'): { text: string; fast: FastRecords } {
  const schema = schemaFor(0);
  const ctx = newContext();
  const chunks: Buffer[] = [];
  const fast = new FastRecords({ what, schema, filter, ctx });
  const general = (m: RawMessage): FlatRecord | undefined => {
    const rec = decodeRecord(m, schema, ctx);
    return rec && filter.keep(rec) ? ipRecord(what, rec, filter.names) : undefined;
  };
  // A sink that keeps the bytes (false: the writer must not reuse them).
  const w = new RecordsJsonWriter({ writeBytes: (b) => (chunks.push(Buffer.from(b)), true) }, fast, general, format === 'ndjson');
  for (const m of messages) w.message(m);
  w.event({ event: 'dump_interrupted', message: 'a note at the end' });
  w.end();
  return { text: Buffer.concat(chunks).toString('utf8'), fast };
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
