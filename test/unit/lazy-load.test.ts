// What the start-up's lazy loading stands on: each protocol's loader gives the schema of the
// protocol it is registered under, and colourless styles give what chalk gives at level 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Chalk } from 'chalk';
import { NETLINK_PROTOCOLS } from '../../src/codec/index.js';
import { chalkFor, loadColour } from '../../src/format/palette.js';
import { PROTOCOL_LOADERS } from '../../src/schema/protocols/loaders.js';
import { hasDissector, schemaFor } from '../../src/schema/index.js';

test('every protocol loader is registered under the number its schema says', () => {
  const names = Object.keys(PROTOCOL_LOADERS);
  assert.ok(names.length >= 7, names.join(' '));
  for (const [n, name] of Object.entries(NETLINK_PROTOCOLS)) {
    if (!(name in PROTOCOL_LOADERS)) {
      assert.equal(hasDissector(Number(n)), false, name);
      continue;
    }
    assert.ok(hasDissector(Number(n)), name);
    const schema = schemaFor(Number(n));
    assert.equal(schema.protocol, Number(n), name);
    assert.equal(schemaFor(Number(n)), schema, `${name}: a second lookup gives the same schema`);
  }
});

test('colourless styles give the text as chalk at level 0 does; with colour, chalk\'s own', async () => {
  const plain = chalkFor(false);
  const chalk0 = new Chalk({ level: 0 });
  const cases: [string, (c: typeof chalk0) => string][] = [
    ['red', (c) => c.red('a')], ['bold.red', (c) => c.bold.red('x y')], ['dim number', (c) => c.dim(42 as unknown as string)],
    ['two args', (c) => c.cyan('a', 'b')], ['empty', (c) => c.yellow('')], ['no args', (c) => c.green()], ['call', (c) => c('plain')],
  ];
  for (const [what, f] of cases) assert.equal(f(plain), f(chalk0), what);
  await loadColour();
  const coloured = chalkFor(true);
  assert.equal(coloured.red('a'), new Chalk({ level: 1 }).red('a'));
  assert.notEqual(coloured.red('a'), 'a');
});
