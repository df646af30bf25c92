// ffi-rs loads with a stub of process.report (ffi-glibc.ts): once libc is bound, the real report
// is back, whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('after libc is bound, process.report.getReport is the real one again', async () => {
  const before = process.report.getReport;
  await import('../../src/sys/libc.js');
  assert.equal(process.report.getReport, before);
  const header = (process.report.getReport() as { header: Record<string, unknown> }).header;
  assert.equal(typeof header.nodejsVersion, 'string', 'a whole report, not the stub header');
  assert.equal(header.glibcVersionRuntime !== undefined, true, 'this machine runs glibc');
});
