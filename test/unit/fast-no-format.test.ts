// A sub-message whose selector names no format (tc's TCA_XSTATS of an htb class: the tc spec has
// no htb stats format) is written by the fast path itself, as the general decoder writes it: the
// attribute as one with no table, then the problem in its diagnostics, counted the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countDiagnostics } from '../../src/commands/diagnostics-count.js';
import { FastJson } from '../../src/format/fast/message.js';
import { NdjsonWriter } from '../../src/format/json.js';
import { ByteWriter } from '../../src/format/json-bytes.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';

const RTM_NEWTCLASS = 40;
const TCA_KIND = 1, TCA_XSTATS = 4, TCA_STATS2 = 7, TCA_STATS_APP = 4;
const NLA_F_NESTED = 0x8000;

function attr(type: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array((4 + value.length + 3) & ~3);
  new DataView(out.buffer).setUint16(0, 4 + value.length, true);
  new DataView(out.buffer).setUint16(2, type, true);
  out.set(value, 4);
  return out;
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(`${s}\0`);

function message(kind: string, xstats: Uint8Array, xstatsType = TCA_XSTATS): Uint8Array {
  const tcmsg = new Uint8Array(20);
  new DataView(tcmsg.buffer).setInt32(4, 3, true);
  const attrs = cat(attr(TCA_KIND, text(kind)), attr(TCA_STATS2, attr(TCA_STATS_APP, xstats)), attr(xstatsType, xstats));
  const out = new Uint8Array(16 + 20 + attrs.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, out.length, true);
  dv.setUint16(4, RTM_NEWTCLASS, true);
  dv.setUint16(6, 2, true);
  dv.setUint32(8, 7, true);
  out.set(tcmsg, 16);
  out.set(attrs, 36);
  return out;
}

const STATS = Uint8Array.from([6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0xeb, 2, 0, 0x89, 0x75, 1, 0]);

const CASES: [string, Uint8Array][] = [
  ['htb class stats', message('htb', STATS)],
  ['a kind needing JSON escapes', message('a"b\\c', STATS)],
  ['stats that look like text', message('htb', text('hello'))],
  ['a nested flag on stats that look like attributes', message('htb', attr(1, Uint8Array.of(1, 2, 3, 4)), TCA_XSTATS | NLA_F_NESTED)],
  ['empty stats', message('htb', new Uint8Array(0))],
];

for (const [what, bytes] of CASES) {
  test(`no sub-message format, fast path = general decoder: ${what}`, () => {
    let want = '';
    const general = new NdjsonWriter({ write: (t: string) => { want += t; } });
    const msgs = decodeDatagram(bytes, schemaFor(0), newContext());
    for (const m of msgs) general.write({ message: m });
    general.end();
    const problems = msgs.reduce((n, m) => n + countDiagnostics(m), 0);
    assert.match(want, /no format for kind/, 'the general decoder reports the missing format');

    const w = new ByteWriter(64);
    const fast = new FastJson(w, 'ndjson', countDiagnostics);
    fast.datagram(bytes, schemaFor(0), newContext());
    fast.end();
    assert.equal(w.take().toString('utf8'), want);
    assert.equal(fast.general, 0, 'the fast path wrote it itself');
    assert.equal(fast.diagnostics, problems);
  });
}
