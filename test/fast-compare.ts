// The fast JSON path (src/format/fast) and its reference, the general decoder with the JSON
// writers, side by side on the same datagrams: the comparison the fast path's tests share.
import assert from 'node:assert/strict';
import type { CaptureMeta, Framing } from '../src/format/fast/message.js';
import { FastJson } from '../src/format/fast/message.js';
import { JsonWriter, NdjsonWriter } from '../src/format/json.js';
import { ByteWriter } from '../src/format/json-bytes.js';
import { decodeDatagram, newContext, schemaFor, type DecodeContext, type Schema } from '../src/schema/index.js';

export interface Datagram { protocol: number; bytes: Uint8Array; meta?: CaptureMeta }

function contexts(): (p: number) => DecodeContext {
  const m = new Map<number, DecodeContext>();
  return (p) => m.get(p) ?? m.set(p, newContext()).get(p)!;
}

/** The reference: decodeDatagram, then the ndjson or json writer over JSON.stringify. */
export function general(ds: Datagram[], framing: 'ndjson' | 'json', schemaOf: (p: number) => Schema = schemaFor): string {
  let text = '';
  const sink = { write: (t: string) => { text += t; } };
  const w = framing === 'ndjson' ? new NdjsonWriter(sink) : new JsonWriter(sink);
  const ctx = contexts();
  for (const d of ds) {
    for (const m of decodeDatagram(d.bytes, schemaOf(d.protocol), ctx(d.protocol))) {
      // As decode builds it for a capture: time, then direction, each when known.
      if (d.meta) m.meta = { ...(d.meta.time !== undefined ? { time: d.meta.time } : {}), ...(d.meta.direction ? { direction: d.meta.direction } : {}) };
      w.write({ message: m });
    }
  }
  w.end();
  return text;
}

export function fast(ds: Datagram[], framing: Framing, writer = new ByteWriter(64), schemaOf: (p: number) => Schema = schemaFor): { text: string; messages: number; general: number } {
  const f = new FastJson(writer, framing, () => 0);
  const ctx = contexts();
  for (const d of ds) f.datagram(d.bytes, schemaOf(d.protocol), ctx(d.protocol), d.meta);
  f.end();
  return { text: writer.take().toString('utf8'), messages: f.messages, general: f.general };
}

/** The first line (or 200 characters) where two texts differ, for a readable failure. */
export function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `at ${i}:\n  fast:    …${a.slice(Math.max(0, i - 120), i + 80)}\n  general: …${b.slice(Math.max(0, i - 120), i + 80)}`;
}

export function same(ds: Datagram[], what: string, schemaOf: (p: number) => Schema = schemaFor): { messages: number; general: number } {
  const nd = fast(ds, 'ndjson', new ByteWriter(64), schemaOf);
  const diff = firstDifference(nd.text, general(ds, 'ndjson', schemaOf));
  assert.equal(diff, undefined, `${what} (ndjson): ${diff}`);
  const js = fast(ds, 'json', new ByteWriter(64), schemaOf);
  const jdiff = firstDifference(js.text, general(ds, 'json', schemaOf));
  assert.equal(jdiff, undefined, `${what} (json): ${jdiff}`);
  return nd;
}
