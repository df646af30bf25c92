// The table, pretty and indented JSON of a dump's records take objects parsed from the compiled
// plans' JSON (records-objects.ts): they must print what they printed from the general path's
// records (decodeRecord → filter → ipRecord), byte for byte, on every rtnetlink fixture message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { splitMessages, type RawMessage } from '../../src/codec/index.js';
import { DUMP_TARGETS } from '../../src/commands/dump-targets.js';
import { ipRecord } from '../../src/commands/ip-records.js';
import { FastRecords } from '../../src/commands/records-fast.js';
import { RecordObjects } from '../../src/commands/records-objects.js';
import { jsonWriter, type MessageWriter, type WriterOptions } from '../../src/format/index.js';
import { PrettyWriter } from '../../src/format/pretty.js';
import { TableWriter } from '../../src/format/table.js';
import { decodeRecord, newContext, schemaFor, type FlatRecord } from '../../src/schema/index.js';
import { fixturePath, hexFixture } from '../helpers.js';
import { filterFor, TARGETS } from './records-harness.js';

function fixtureMessages(): RawMessage[] {
  const dir = fixturePath('dissect');
  const files = readdirSync(dir).filter((f) => f.startsWith('route-') && f.endsWith('.hex'));
  return files.flatMap((f) => hexFixture(`dissect/${f}`).flatMap((x) => splitMessages(x.bytes).messages));
}

type Make = (opts: WriterOptions, what: string) => MessageWriter;
const WRITERS: Record<string, Make> = {
  table: (opts, what) => new TableWriter(opts, DUMP_TARGETS[what]!.columns),
  'table on an 80-column terminal': (opts, what) => new TableWriter({ ...opts, width: 80 }, DUMP_TARGETS[what]!.columns),
  pretty: (opts) => new PrettyWriter(opts),
  'indented json': (opts) => jsonWriter('json', { ...opts, tty: true }),
};

const NOTE = { event: 'dump_interrupted', message: 'a note among the records' } as const;

/** The text of `make`'s writer given the records of `messages`, the general way or from the plans; a note after the first half. */
function textOf(what: string, messages: RawMessage[], make: Make, fromPlans: boolean): { text: string; fast?: FastRecords } {
  const schema = schemaFor(0);
  const ctx = newContext();
  const filter = filterFor(what);
  let text = '';
  const writer = make({ color: false, sink: { write: (t) => void (text += t) } }, what);
  const general = (m: RawMessage): FlatRecord | undefined => {
    const rec = decodeRecord(m, schema, ctx);
    return rec && filter.keep(rec) ? ipRecord(what, rec, filter.names) : undefined;
  };
  const fast = fromPlans ? new FastRecords({ what, schema, filter, ctx }) : undefined;
  const objects = fast ? new RecordObjects(fast, general, writer) : undefined;
  messages.forEach((m, i) => {
    if (i === messages.length >> 1) (objects ?? writer).event?.(NOTE);
    if (objects) objects.bytes.message(m);
    else {
      const rec = general(m);
      if (rec) writer.write({ record: rec });
    }
  });
  (objects ?? writer).end();
  return { text, fast };
}

test('records parsed from the plans print as the general records do: table, pretty, indented JSON', () => {
  const messages = fixtureMessages();
  for (const what of TARGETS) {
    for (const [name, make] of Object.entries(WRITERS)) {
      const want = textOf(what, messages, make, false).text;
      const got = textOf(what, messages, make, true);
      assert.equal(got.text, want, `dump ${what}, ${name}`);
      // The comparison means something only if the plans wrote records, and there were some.
      assert.ok(got.fast!.fast > 0, `dump ${what}: ${got.fast!.fast} records by the plans`);
      assert.ok(want.split('\n').length > 4, `dump ${what}, ${name}: ${want.length} characters`);
    }
  }
});

test('the note of an interrupted dump stays where it came among the rows', () => {
  const messages = fixtureMessages();
  const { text } = textOf('link', messages, WRITERS.pretty!, true);
  const at = text.indexOf(NOTE.message);
  assert.ok(at > 0 && at < text.length - 200, 'the note is among the records, not at either end');
});
