// Templates of the fast JSON path (src/format/fast/template.ts): a message met again is the
// template's text with the values that differ written again. Every case runs the fast path over
// a message and variants of it, and compares with the general decoder byte for byte; the
// counters show that templates served (a template that never served would pass trivially).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { templateUse } from '../../src/format/fast/template.js';
import { same, type Datagram } from '../fast-compare.js';
import { fixturePath, hexFixture, linkMessage, rng } from '../helpers.js';

const PREFIX: Record<string, number> = { route: 0, diag: 4, audit: 9, nf: 12, uevent: 15, genl: 16 };

function fixtureDatagrams(): { name: string; protocol: number; bytes: Uint8Array }[] {
  return readdirSync(fixturePath('dissect')).filter((n) => n.endsWith('.hex')).sort()
    .flatMap((n) => hexFixture(`dissect/${n}`).map((d) => ({ name: n, protocol: PREFIX[n.split('-')[0]!]!, bytes: d.bytes })));
}

function uses(): { equal: number; rewritten: number; missed: number } {
  return { ...templateUse };
}

function since(before: { equal: number; rewritten: number; missed: number }): { equal: number; rewritten: number; missed: number } {
  return { equal: templateUse.equal - before.equal, rewritten: templateUse.rewritten - before.rewritten, missed: templateUse.missed - before.missed };
}

test('every fixture datagram, again and with bytes changed: the text is the general decoder\'s, and templates serve', () => {
  const r = rng(0x74706c);
  const before = uses();
  for (const { name, protocol, bytes } of fixtureDatagrams()) {
    const ds: Datagram[] = [{ protocol, bytes }, { protocol, bytes }];
    for (let v = 0; v < 8; v++) {
      const b = Uint8Array.from(bytes);
      // Past the first header: the message stays one of its layout, its values or structure changed.
      for (let k = 1 + Math.floor(r() * 3); k > 0 && b.length > 16; k--) b[16 + Math.floor(r() * (b.length - 16))] ^= 1 << Math.floor(r() * 8);
      ds.push({ protocol, bytes: b }, { protocol, bytes });
    }
    same(ds, `${name}: ${Buffer.from(bytes).toString('hex').slice(0, 64)}…`);
  }
  const used = since(before);
  assert.ok(used.equal > 500, `equal: ${JSON.stringify(used)}`);
  assert.ok(used.rewritten > 200, `rewritten: ${JSON.stringify(used)}`);
  assert.ok(used.missed > 50, `missed: ${JSON.stringify(used)}`);
});

/** The first datagram of a fixture holding `text`, and where. */
function holding(fixture: string, text: string): { bytes: Uint8Array; at: number } {
  for (const d of hexFixture(`dissect/${fixture}`)) {
    const at = Buffer.from(d.bytes).indexOf(text, 0, 'latin1');
    if (at >= 0) return { bytes: d.bytes, at };
  }
  throw new Error(`${fixture} has no ${text}`);
}

test('a link whose MTU alone differs is written from the template, its MTU written again', () => {
  const { d, at } = linkMessage(4); // IFLA_MTU
  // The first few become templates of their own (a key keeps four), the rest are written from one.
  const ds: Datagram[] = [{ protocol: 0, bytes: d }];
  for (let i = 1; i < 12; i++) {
    const b = Uint8Array.from(d);
    b[at + 1] = (b[at + 1]! + i) & 0xff;
    ds.push({ protocol: 0, bytes: b });
  }
  const before = uses();
  same(ds, 'links differing in MTU');
  assert.ok(since(before).rewritten >= 5 * 2, JSON.stringify(since(before))); // ndjson and json
});

test('a link whose kind (a sub-message\'s selector) differs is not its template\'s: the data is read by the new kind', () => {
  const { bytes, at } = holding('route-link-kinds.hex', 'veth\0');
  const b = Uint8Array.from(bytes);
  b.set(Buffer.from('vlan', 'latin1'), at);
  const before = uses();
  same([{ protocol: 0, bytes }, { protocol: 0, bytes: b }, { protocol: 0, bytes }], 'veth, then the same bytes as vlan');
  // The veth datagram's templates were there for the vlan one (the last datagram is theirs again).
  assert.ok(since(before).equal > 0, JSON.stringify(since(before)));
});

test('nlctrl replies written from templates still teach the family ids they carry', () => {
  const ctrl = hexFixture('dissect/genl-ctrl-list.hex').map((x) => ({ protocol: 16, bytes: x.bytes }));
  const rest = fixtureDatagrams().filter((d) => d.protocol === 16 && d.name !== 'genl-ctrl-list.hex').map((d) => ({ protocol: 16, bytes: d.bytes }));
  same(ctrl, 'the family list');
  // A new decode (its contexts know no family): the list comes from the templates, and what
  // follows is named by the ids learned from it.
  const before = uses();
  same([...ctrl, ...rest], 'the family list again, then generic netlink traffic');
  assert.ok(since(before).equal > 20, JSON.stringify(since(before)));
});
