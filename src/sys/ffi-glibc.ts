// ffi-rs picks its native build (glibc or musl) from process.report.getReport(), which gathers a
// whole diagnostic report (11-13 ms here, a tenth of a dump's time) for one field of its header.
// nlctl binds glibc's libc.so.6 (libc.ts), so the answer is known: while ffi-rs loads, the report
// is only that header; libc.ts puts the real one back right after (and, should loading ffi-rs
// throw, a microtask does). Where a musl loader is installed, ffi-rs asks the real report.
import { readdirSync } from 'node:fs';

const report = process.report;
const realGetReport = report?.getReport;
if (report && typeof realGetReport === 'function' && !muslInstalled()) {
  report.getReport = (() => ({ header: { glibcVersionRuntime: 'libc.so.6' } })) as unknown as typeof report.getReport;
  queueMicrotask(restoreReport);
}

function muslInstalled(): boolean {
  try {
    return readdirSync('/lib').some((f) => f.startsWith('ld-musl-'));
  } catch {
    return true;
  }
}

/** process.report.getReport as it was. */
export function restoreReport(): void {
  if (report && realGetReport) report.getReport = realGetReport;
}
