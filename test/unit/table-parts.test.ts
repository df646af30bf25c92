// A long table is drawn in parts with the widths of the whole (cli-table3's layout is quadratic
// in cells), plain parts written straight into cli-table3's frame: the text must be what
// cli-table3 draws for one table of every row, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawTable } from '../../src/format/table-draw.js';

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

test('plain and other cells mixed: wide characters, blank lines, spaces, a wrapped head, in any part', () => {
  const values = ['', ' ', '  padded  ', 'a\n\nb', '\n', 'ü', '漢字', 'e\u0301', 'tab\there', '🙂 ok', 'x'.repeat(30), '10.0.0.1/32'];
  for (let seed = 1; seed <= 40; seed++) {
    const r = random(seed);
    const pick = () => (r() < 0.7 ? 'v' + Math.floor(r() * 1e4) : values[Math.floor(r() * values.length)]!);
    const n = 1 + Math.floor(r() * 80);
    const rows = Array.from({ length: n }, () => [pick(), pick(), pick(), pick()]);
    const head = r() < 0.5 ? ['dst', 'dev\nname', 'a long heading', 'x'] : ['ü', '', 'b', 'c'];
    for (const color of [false, true]) {
      const whole = drawTable(head, rows, color, Infinity);
      for (const part of [1, 4, 25]) assert.equal(drawTable(head, rows, color, part), whole, `seed ${seed}, parts of ${part}, colour ${color}`);
    }
  }
});
