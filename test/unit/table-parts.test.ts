// A long table is drawn by cli-table3 in parts with the widths of the whole (its layout is
// quadratic in cells): the text must be what one table of every row gives, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawTable } from '../../src/format/table.js';

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('a table drawn in parts is the table drawn whole, for any part size, widths, wrapped cells and colour', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const r = random(seed);
    const n = 1 + Math.floor(r() * 60);
    const word = () => 'x'.repeat(Math.floor(r() * 9)) + (r() < 0.1 ? '\nsecond line' : '');
    const rows = Array.from({ length: n }, () => [word(), word(), String(Math.floor(r() * 1e6))]);
    // The widest cell of a column only in the last rows: a part alone would be narrower.
    rows[n - 1]![0] = 'a much wider value than the others';
    const head = ['dst', 'gateway', 'metric'];
    for (const color of [false, true]) {
      const whole = drawTable(head, rows, color, Infinity);
      for (const part of [1, 2, 3, 7, 50]) assert.equal(drawTable(head, rows, color, part), whole, `seed ${seed}, parts of ${part}, colour ${color}`);
    }
  }
  // No rows: the head alone, as before.
  assert.equal(drawTable(['a', 'b'], [], false, 1), drawTable(['a', 'b'], [], false, Infinity));
});
