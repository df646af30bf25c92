// Shared by the dissector tests: load captured fixtures, decode them, find messages and attributes,
// and check that every decoded offset points at the bytes it claims to describe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/codec/index.js';
import { decodeDatagram, headerLayout, newContext, schemaFor, toRecord, type DecodedAttr, type DecodedMessage, type FlatRecord } from '../../src/schema/index.js';
import type { DecodeContext } from '../../src/schema/types.js';

export interface Datagram { dir: 'send' | 'recv'; bytes: Uint8Array }

/** A fixture: "# send" / "# recv" lines, each followed by one line of hex (test/fixtures/dissect/*.hex). */
export function loadFixture(name: string): Datagram[] {
  const text = readFileSync(new URL(`../../../test/fixtures/dissect/${name}.hex`, import.meta.url), 'utf8');
  const out: Datagram[] = [];
  let dir: Datagram['dir'] = 'recv';
  for (const line of text.split('\n')) {
    if (line.startsWith('# send')) dir = 'send';
    else if (line.startsWith('# recv')) dir = 'recv';
    else if (line.trim() && !line.startsWith('#')) out.push({ dir, bytes: fromHex(line) });
  }
  return out;
}

export interface Decoded { dir: Datagram['dir']; message: DecodedMessage; bytes: Uint8Array; record: FlatRecord }

/** Decode every datagram of a fixture in order, with one context (families learned carry over). */
export function decodeFixture(name: string, protocol: number, ctx: DecodeContext = newContext()): Decoded[] {
  const schema = schemaFor(protocol);
  const out: Decoded[] = [];
  for (const d of loadFixture(name)) {
    for (const message of decodeDatagram(d.bytes, schema, ctx)) {
      checkOffsets(message, d.bytes);
      out.push({ dir: d.dir, message, bytes: d.bytes, record: toRecord(message, schema) });
    }
  }
  return out;
}

export function attr(attrs: DecodedAttr[] | undefined, name: string): DecodedAttr {
  const a = attrs?.find((x) => x.name === name);
  assert.ok(a, `attribute ${name} not found among ${attrs?.map((x) => x.name).join(', ')}`);
  return a;
}

export function field(m: DecodedMessage, name: string): unknown {
  assert.ok(m.header && name in m.header.fields, `header field ${name} not found`);
  return m.header.fields[name];
}

/** Every attribute's offset holds its nla_len/nla_type; header fields sit inside the message. */
export function checkOffsets(m: DecodedMessage, bytes: Uint8Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(v.getUint32(m.offset, true), m.len, `message at ${m.offset}: nlmsg_len`);
  assert.equal(v.getUint16(m.offset + 4, true), m.type, `message at ${m.offset}: nlmsg_type`);
  for (const f of m.header ? headerLayout(m.header) : []) {
    assert.ok(f.offset >= m.offset + 16 && f.offset + f.size <= m.offset + m.len, `field ${f.name} at ${f.offset} outside its message`);
  }
  const walk = (attrs: DecodedAttr[] | undefined) => {
    for (const a of attrs ?? []) {
      if (a.type < 0) continue;
      assert.equal(v.getUint16(a.offset, true), a.len, `${a.name} at ${a.offset}: length`);
      // Elements of a struct list (rtnexthop) start with their length but have no nla_type.
      const structElement = /^\[\d+\]$/.test(a.name ?? '') && typeof a.value === 'object';
      if (!structElement) assert.equal(v.getUint16(a.offset + 2, true) & 0x3fff, a.type, `${a.name} at ${a.offset}: nla_type`);
      walk(a.attrs);
    }
  };
  walk(m.attrs);
  if (m.error?.request) checkOffsets(m.error.request, bytes);
}

/** Data messages of a type name, from the given direction. */
export function ofType(all: Decoded[], typeName: string, dir: Datagram['dir'] = 'recv'): Decoded[] {
  return all.filter((d) => d.dir === dir && d.message.type_name === typeName);
}
