// The side-by-side comparison itself must be able to fail: missing keys, wrong values, short
// lists and wrong kinds are all reported; only what nlctl prints beyond YNL is let through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeRuns, missing, Volatile, type Json } from '../ynl/compare.js';

const ynl: Json[] = [{ ifname: 'lo', mtu: 65536, 'ifi-flags': ['loopback', 'up'], stats64: { 'rx-bytes': 10 } }, { ifname: 'v0', mtu: 1500 }];

test('a superset holds everything, in any flag order, with 64-bit strings', () => {
  const nlctl = [{ ifname: 'lo', mtu: '65536', extra: 1, 'ifi-flags': ['up', 'loopback'], stats64: { 'rx-bytes': 10, 'tx-bytes': 3 } }, { ifname: 'v0', mtu: 1500 }];
  assert.deepEqual(missing(ynl, nlctl), []);
});

test('a missing key, a wrong value, a missing flag and a short list are each reported', () => {
  assert.deepEqual(missing(ynl, [{ ifname: 'lo', mtu: 65536, 'ifi-flags': ['loopback', 'up'], stats64: {} }, { ifname: 'v0', mtu: 1500 }]), [
    `$[0].stats64.rx-bytes: missing in nlctl's output (YNL: 10)`,
  ]);
  assert.match(missing(ynl, [{ ...(ynl[0] as object), mtu: 1500 }, ynl[1]])[0], /\$\[0\]\.mtu: YNL printed 65536, nlctl has 1500/);
  assert.match(missing(ynl, [{ ...(ynl[0] as object), 'ifi-flags': ['up'] }, ynl[1]])[0], /ifi-flags/);
  assert.match(missing(ynl, [ynl[0]])[0], /2 element\(s\), nlctl has 1/);
  assert.match(missing({ a: { b: 1 } }, { a: 'x' })[0], /YNL printed an object/);
  assert.match(missing([1, 2, 3], [1, 3, 2])[0], /\$\[1\]: YNL printed 2, nlctl has 3/);
});

test('dump records may come in another order, but each must be found once', () => {
  assert.deepEqual(missing(ynl, [ynl[1], ynl[0]]), []);
  assert.notDeepEqual(missing(ynl, [ynl[0], ynl[0]]), []);
});

test('values that changed between two YNL runs need only the same kind', () => {
  const merged = mergeRuns({ age: 10, name: 'x', only1: 1, list: [1, 2] }, { age: 12, name: 'x', list: [1, 2, 3] });
  assert.ok((merged as Record<string, unknown>).age instanceof Volatile);
  assert.equal('only1' in (merged as object), false);
  assert.deepEqual(missing(merged, { age: 99, name: 'x', list: [] }), []);
  assert.match(missing(merged, { age: 'soon', name: 'x', list: [] })[0], /changing number/);
  assert.match(missing(merged, { name: 'x', list: [] })[0], /age: missing/);
});
