// The byte writers of the dump records (src/format/records-bytes.ts) against the general path's
// text: what JSON.stringify writes for the value formatIPv4 gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonBytes } from '../../src/format/records-bytes.js';
import { formatIPv4 } from '../../src/schema/values.js';

test('ipv4 writes every byte value in every place of the address as JSON.stringify(formatIPv4) does', () => {
  // A writer with no room to spare: the address must fit the room it asks for.
  const out = new JsonBytes(1);
  const addr = new Uint8Array(4);
  for (let place = 0; place < 4; place++) {
    for (let v = 0; v < 256; v++) {
      addr.fill((v * 7 + place) & 0xff);
      addr[place] = v;
      out.clear();
      out.byte(0x5b);
      out.ipv4(addr, 0);
      out.byte(0x5d);
      const text = out.view().toString('latin1');
      assert.equal(text, `[${JSON.stringify(formatIPv4(addr))}]`);
      assert.equal(text, `["${[...addr].join('.')}"]`);
    }
  }
});

test('ipv4 writes the address at its offset in a larger buffer, and nothing after it counts', () => {
  const out = new JsonBytes(32);
  const b = Uint8Array.from([9, 9, 255, 0, 10, 100, 9]);
  out.ascii('x');
  out.ipv4(b, 2);
  out.ascii('y');
  assert.equal(out.view().toString('latin1'), 'x"255.0.10.100"y');
});
