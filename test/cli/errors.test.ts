// Bad input gets one line on stderr and a documented exit code, never a stack trace
// (unless --debug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNlctl } from '../helpers.js';

const CASES: [string, string[], number, RegExp][] = [
  ['unknown command', ['frobnicate'], 2, /^nlctl: unknown command 'frobnicate'/],
  ['unknown option', ['dump', 'link', '--bogus'], 2, /^nlctl: unknown option '--bogus'/],
  ['unknown dump target', ['dump', 'foo'], 2, /^nlctl: cannot dump 'foo'/],
  ['raw dump without a type', ['dump', '--proto', 'route'], 2, /^nlctl: what to dump\?/],
  ['unknown protocol', ['dump', '--proto', 'nosuch', '--type', '18'], 2, /^nlctl: unknown protocol 'nosuch'/],
  ['bad number', ['dump', 'link', '--retry', 'many'], 2, /^nlctl: --retry: 'many' is not a whole number/],
  ['missing namespace', ['dump', 'link', '--netns', 'no-such-ns-xyz'], 3, /^nlctl: open \/run\/netns\/no-such-ns-xyz: No such file or directory \(ENOENT\)$/m],
  ['unknown format', ['--format', 'xml', 'dump', 'link'], 2, /^nlctl: unknown format 'xml'/],
  ['missing namespace for /proc', ['sockets', '--source', 'proc', '--netns', 'no-such-ns-xyz'], 3, /^nlctl: open \/run\/netns\/no-such-ns-xyz: No such file or directory \(ENOENT\)$/m],
  ['missing namespace for sock_diag', ['sockets', '--source', 'diag', '--netns', 'no-such-ns-xyz'], 3, /^nlctl: open \/run\/netns\/no-such-ns-xyz: No such file or directory \(ENOENT\)$/m],
];

for (const [name, args, code, pattern] of CASES) {
  test(`${name}: exit ${code}, one line, no stack trace`, () => {
    const r = runNlctl(args);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  });
}

test('--debug adds the stack trace', () => {
  const r = runNlctl(['--debug', 'dump', 'link', '--netns', 'no-such-ns-xyz']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /\n\s+at /);
});

test('--help exits 0 and lists the commands', () => {
  const r = runNlctl(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /dump/);
});
