// errno names and numbers agree with the running platform's (Node's os.constants.errno).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { errnoByName, errnoInfo } from '../../src/codec/index.js';

test('every errno Node knows has the same number in our table', () => {
  let checked = 0;
  for (const [name, n] of Object.entries(constants.errno)) {
    if (['EWOULDBLOCK', 'EDEADLOCK', 'ENOTSUP'].includes(name)) continue; // libc aliases of EAGAIN, EDEADLK, EOPNOTSUPP
    assert.equal(errnoInfo(n).name, name, `errno ${n}`);
    assert.equal(errnoByName(name), n);
    checked++;
  }
  assert.ok(checked > 70, `checked ${checked}`);
});

test('texts come from the headers, and unknown numbers still print', () => {
  assert.equal(errnoInfo(98).text, 'Address already in use');
  assert.equal(errnoInfo(-22).name, 'EINVAL');
  assert.equal(errnoInfo(524).name, 'ENOTSUPP');
  assert.deepEqual(errnoInfo(9999), { errno: 9999, name: 'E9999', text: 'Unknown error 9999' });
});
