// What the dump records' tests share: the targets, a filter like dump's, and the text of the
// general path (decodeRecord → filter → ipRecord → JsonWriter) and of the fast one, to compare.
import { concat, encodeMessage, NLM_F_DUMP, NLM_F_MULTI, NLMSG_DONE, type RawMessage } from '../../src/codec/index.js';
import { buildRequest, FakeTransport, request, type RequestResult } from '../../src/transport/index.js';
import { jsonWriter } from '../../src/format/index.js';
import { decodeRecord, newContext, schemaFor, type FlatRecord } from '../../src/schema/index.js';
import { tableId, type RecordFilter } from '../../src/commands/dump-filter.js';
import { ipRecord } from '../../src/commands/ip-records.js';
import { FastRecords } from '../../src/commands/records-fast.js';
import { RecordsJsonWriter } from '../../src/commands/records-writer.js';

export const TARGETS = ['link', 'addr', 'route', 'neigh', 'rule'];
const DEV_KEY: Record<string, string> = { addr: 'ifindex', neigh: 'ifindex', route: 'oif' };
export const NAMES = new Map([[1, 'lo'], [2, 'eth0'], [3, 'b0'], [4, 'eth1'], [5, 'we"ird\\ñ'], [7, 'v7']]);

export function filterFor(what: string, table?: number, devIndex?: number, names = NAMES): RecordFilter {
  const devKey = DEV_KEY[what];
  return {
    names, table, devKey, devIndex, reads: ['table', ...(devKey ? [devKey] : [])],
    keep: (rec) => (table === undefined || tableId(rec.table) === table) && (devIndex === undefined || rec[devKey!] === devIndex),
  };
}

export interface TextOptions {
  format?: 'json' | 'ndjson';
  /** An event written after the records (as an interrupted dump writes one). */
  note?: boolean;
  /** The fast path reads each message in place, from a datagram of its own (as a dump reads them). */
  inPlace?: boolean;
  /** Each message handed over from this many bytes into a buffer of its own (0-3: how its words are aligned). */
  shift?: number;
}

/** `m`'s bytes at byte `shift` of a fresh buffer, as a message again. */
function shifted(m: RawMessage, shift: number): RawMessage {
  const at = new Uint8Array(m.bytes.length + shift).subarray(shift);
  at.set(m.bytes);
  return { ...m, bytes: at, payload: at.subarray(m.bytes.length - m.payload.length) };
}

const NOTE = { event: 'dump_interrupted', message: 'a note at the end' } as const;

/** The general path's text: what `dump WHAT -j` printed before the fast path. */
export function generalText(what: string, messages: RawMessage[], filter: RecordFilter, o: TextOptions = {}): string {
  const schema = schemaFor(0);
  const ctx = newContext();
  let text = '';
  const writer = jsonWriter(o.format ?? 'json', { color: false, sink: { write: (t) => void (text += t) } }, { columns: [], row: () => undefined });
  for (const m of messages) {
    const rec = decodeRecord(m, schema, ctx);
    if (rec && filter.keep(rec)) writer.write({ record: ipRecord(what, rec, filter.names) });
  }
  if (o.note) writer.event?.(NOTE);
  writer.end();
  return text;
}

export function fastText(what: string, messages: RawMessage[], filter: RecordFilter, o: TextOptions = {}): { text: string; fast: FastRecords } {
  const { w, fast, text } = recordsWriter(what, filter, o.format === 'ndjson');
  for (const given of messages) {
    const m = o.shift === undefined ? given : shifted(given, o.shift);
    if (o.inPlace && !m.truncated) w.messageAt(m.bytes, 0, m.bytes.length, m.header.type);
    else w.message(m);
  }
  if (o.note) w.event(NOTE);
  w.end();
  return { text: text(), fast };
}

/** The records' writer of the fast path as dump makes it, and the text it has handed over. */
export function recordsWriter(what: string, filter: RecordFilter, ndjson: boolean): { w: RecordsJsonWriter; fast: FastRecords; text: () => string } {
  const schema = schemaFor(0);
  const ctx = newContext();
  const chunks: Buffer[] = [];
  const fast = new FastRecords({ what, schema, filter, ctx });
  const general = (m: RawMessage): FlatRecord | undefined => {
    const rec = decodeRecord(m, schema, ctx);
    return rec && filter.keep(rec) ? ipRecord(what, rec, filter.names) : undefined;
  };
  // A sink that keeps the bytes (false: the writer must not reuse them).
  const w = new RecordsJsonWriter({ writeBytes: (b) => (chunks.push(Buffer.from(b)), true) }, fast, general, ndjson);
  return { w, fast, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A message of a dump's answer: the payload of `m` under the answer's header, as the kernel sends it. */
export interface DumpPart {
  m: RawMessage;
  /** Header flags besides NLM_F_MULTI (e.g. NLM_F_DUMP_INTR). */
  flags?: number;
  /** Someone else's message (another sequence number): not part of the answer. */
  foreign?: boolean;
}

/**
 * The fast text of a dump read as `dump` reads it: request() over the fake kernel, which sends
 * the parts `perDatagram[i]` to a datagram (cycling through the list), NLMSG_DONE at the end; each
 * reply read in place (onReplyAt), and the runs of replies alike taken at once (onRunAt).
 */
export async function dumpText(what: string, parts: DumpPart[], filter: RecordFilter, perDatagram: number[], format: 'json' | 'ndjson' = 'json'): Promise<{ text: string; fast: FastRecords; result: RequestResult }> {
  const { w, fast, text } = recordsWriter(what, filter, format === 'ndjson');
  const fake = new FakeTransport((req) => {
    const seq = req.header.seq;
    const messages = parts.map((x) => encodeMessage({ type: x.m.header.type, flags: NLM_F_MULTI | (x.flags ?? 0), seq: x.foreign ? seq + 1 : seq, pid: 4242 }, x.m.payload));
    messages.push(encodeMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq, pid: 4242 }, new Uint8Array(4)));
    const datagrams: Uint8Array[] = [];
    for (let i = 0, k = 0; i < messages.length; k++) {
      const n = Math.max(1, perDatagram[k % perDatagram.length]);
      datagrams.push(concat(messages.slice(i, i + n)));
      i += n;
    }
    return datagrams;
  });
  const result = await request(fake, buildRequest(26, NLM_F_DUMP, new Uint8Array(12)), {
    onReplyAt: (data, off, len, type) => w.messageAt(data, off, len, type),
    onRunAt: (data, off) => w.runAt(data, off),
  });
  w.end();
  return { text: text(), fast, result };
}
