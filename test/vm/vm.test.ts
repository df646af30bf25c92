// nlctl against the kernel test module, in a VM: test/vm/run.sh boots it once (qemu, TCG) and
// runs test/vm/guest-nlctl.sh there, then its host-side scenario; each "ok N - name" /
// "not ok N - name" line it prints becomes a subtest here. Under CI (CI=true) a VM that cannot
// run is a failure; elsewhere the test says SKIPPED, loudly.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { ROOT } from '../helpers.js';

export interface VmResult {
  n: number;
  ok: boolean;
  name: string;
  skip?: string;
  /** The "#" lines printed under the result (the scenario's output). */
  details: string[];
}

/** Result lines of the run's output, in order; a number seen twice keeps its last line. */
export function parseResults(text: string): VmResult[] {
  const byN = new Map<number, VmResult>();
  let last: VmResult | undefined;
  for (const line of text.split('\n')) {
    const m = /^(not )?ok (\d+) - (.*?)(?: # SKIP (.*))?$/.exec(line);
    if (m) {
      last = { n: Number(m[2]), ok: !m[1], name: m[3].replace(/ \(exit \d+\)$/, ''), skip: m[4], details: [] };
      byN.set(last.n, last);
    } else if (last && line.startsWith('#')) last.details.push(line.replace(/^#(   )?/, ''));
    else if (last && !/^\[\s*\d+\.\d+\]/.test(line)) last = undefined; // kernel log lines may interleave
  }
  return [...byN.values()].sort((a, b) => a.n - b.n);
}

function runVm(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [`${ROOT}test/vm/run.sh`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let out = '';
    let partial = '';
    const take = (d: Buffer) => {
      const s = d.toString();
      out += s;
      // Progress for whoever watches: the runner's own lines, not every scenario's output.
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (/^vm(-test)?: /.test(l)) process.stderr.write(`${l}\n`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('kernel module tests in a VM: nlctl against netlink_test', { timeout: 20 * 60_000 }, async (t) => {
  const { code, out } = await runVm();
  const skipped = /^vm-test: SKIPPED: (.*)$/m.exec(out);
  if (skipped && code === 0) {
    process.stderr.write(`\n*** SKIPPED ${t.name}: ${skipped[1]} ***\n`);
    t.skip(skipped[1]);
    return;
  }
  const results = parseResults(out);
  for (const r of results) {
    await t.test(`vm ${r.n} - ${r.name}`, (st) => {
      if (r.skip !== undefined) {
        st.skip(r.skip);
        return;
      }
      if (!r.ok) throw new Error(`${r.name}\n${r.details.join('\n')}`);
    });
  }
  // The run as a whole: the VM booted, the guest finished and gave its summary, nothing failed.
  const summary = /^vm: (\d+) passed, (\d+) failed/m.exec(out.split('\n').reverse().join('\n'));
  const problems = out.split('\n').filter((l) => /^vm-test: FAILED|^vm: ERROR|^NLVM-FAIL|^vm: the /.test(l));
  if (problems.length || (code !== 0 && results.every((r) => r.ok))) {
    throw new Error(`test/vm/run.sh exited ${code}:\n${problems.join('\n') || out.split('\n').slice(-30).join('\n')}`);
  }
  if (!summary) throw new Error(`no "vm: N passed, N failed" line from test/vm/run.sh:\n${out.split('\n').slice(-30).join('\n')}`);
  if (!results.length) throw new Error('the VM run reported no scenarios');
});
