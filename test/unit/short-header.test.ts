// The short family header a protocol's tables declare (Schema.shortHeader: rtnetlink's struct
// rtgenmsg in dump requests) is taken by the general decoder, the record decoder and the fast
// JSON path alike, and only where the tables declare it. The bytes are a dump request as
// pyroute2 sends it: nlmsghdr (RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP), then rtgen_family
// AF_INET6 (10, <bits/socket.h>) padded to 4 bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FastJson } from '../../src/format/fast/message.js';
import { NdjsonWriter } from '../../src/format/json.js';
import { ByteWriter } from '../../src/format/json-bytes.js';
import { decodeDatagram, decodeMessage, decodeRecord, newContext, schemaFor, toRecord, type Schema } from '../../src/schema/index.js';
import { splitMessages } from '../../src/codec/index.js';

const request = (flags: string) => Buffer.from('14000000' + '1200' + flags + '01000000' + '00000000' + '0a000000', 'hex');
const DUMP = '0103';
const PLAIN = '0100';

function fastText(bytes: Uint8Array, schema: Schema): string {
  const w = new ByteWriter(64);
  const f = new FastJson(w, 'ndjson', () => 0);
  f.datagram(bytes, schema, newContext());
  f.end();
  return w.take().toString('utf8');
}

function generalText(bytes: Uint8Array, schema: Schema): string {
  let text = '';
  const w = new NdjsonWriter({ write: (t: string) => { text += t; } });
  for (const m of decodeDatagram(bytes, schema, newContext())) w.write({ message: m });
  return text;
}

test('a route dump request with a 4-byte family header is read as rtgenmsg, by every decoder', () => {
  const route = schemaFor(0);
  const m = decodeDatagram(request(DUMP), route, newContext())[0];
  assert.equal(m.header?.name, 'rtgenmsg');
  assert.equal(m.header?.fields.rtgen_family, 'AF_INET6');
  assert.deepEqual(m.diagnostics, []);
  assert.equal(fastText(request(DUMP), route), generalText(request(DUMP), route));
  const raw = splitMessages(request(DUMP)).messages[0];
  assert.deepEqual(decodeRecord(raw, route, newContext()), toRecord(decodeMessage(raw, route, newContext()), route));
});

test('the short header is taken only in dump requests, and only where the tables declare it', () => {
  const route = schemaFor(0);
  // Not a dump: the bytes are the start of a cut ifinfomsg, and the decoder says so.
  const plain = decodeDatagram(request(PLAIN), route, newContext())[0];
  assert.equal(plain.header?.name, 'ifinfomsg');
  assert.ok(plain.diagnostics.some((d) => /ifinfomsg/.test(d.message)), JSON.stringify(plain.diagnostics));
  // The same tables without the declaration: no rtnetlink knowledge is left in the decoder.
  const undeclared: Schema = Object.create(route, { shortHeader: { value: undefined } });
  const m = decodeDatagram(request(DUMP), undeclared, newContext())[0];
  assert.equal(m.header?.name, 'ifinfomsg');
  assert.equal(fastText(request(DUMP), undeclared), generalText(request(DUMP), undeclared));
});
