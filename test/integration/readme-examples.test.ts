// The README's examples run as written: every `sh` example line that ends on its own and needs
// nothing from outside (no kernel module, no capture file, no named namespace) is run in a
// fresh network namespace (lo, and eth0 as a veth); listeners are stopped with Ctrl-C after a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NLCTL, requireNamespaces, ROOT } from '../helpers.js';

interface Example {
  line: string;
  exit: number;
}

/** Example command lines of the README's sh blocks, continuation lines joined, comments cut. */
function examples(): Example[] {
  const out: Example[] = [];
  let inSh = false;
  let pending = '';
  for (const raw of readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')) {
    if (raw.startsWith('```')) {
      inSh = raw === '```sh';
      continue;
    }
    if (!inSh) continue;
    const exit = /^#.*\(exit (\d)\)/.exec(raw.trim());
    if (exit && out.length) out[out.length - 1].exit = Number(exit[1]);
    const line = (pending + raw.replace(/\s+#.*$/, '')).trim();
    if (line.endsWith('\\')) {
      pending = line.slice(0, -1) + ' ';
      continue;
    }
    pending = '';
    if (line.startsWith('nlctl ')) out.push({ line, exit: 0 });
  }
  return out;
}

/** Examples that need what a test machine has not: the kernel module (and its devlink instance), files, a named namespace, other programs. */
const NEEDS_OUTSIDE = /--proto test|nlctl_test|--family devlink|\.\.\.|capture\.|dump\.|--netns blue|--from-json|\| (rule|jq)|--to 4242|--to-group|&/;

test('the README examples run as written', (t) => {
  if (!requireNamespaces(t)) return;
  const all = examples();
  const runnable = all.filter((e) => !NEEDS_OUTSIDE.test(e.line));
  assert.ok(runnable.length >= 25, `${runnable.length} of ${all.length} examples`);
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-readme-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'nlctl'), `#!/bin/sh\nexec ${process.execPath} ${NLCTL} "$@"\n`, { mode: 0o755 });
  for (const e of runnable) {
    // A listener runs until stopped: stop it like a person would, with Ctrl-C.
    const line = /^nlctl (-ts )?listen\b/.test(e.line) || / listen /.test(e.line) ? `timeout -s INT 1 ${e.line}; [ $? -eq 124 ]` : e.line;
    // zsh lines run in zsh (with our directory first in fpath); fish's directory exists once fish has run.
    const shellLine = line.startsWith('source ') ? `bash -c '${line}; complete -p nlctl'`
      : line.includes('fpath') ? `zsh -fc 'fpath=(${dir} $fpath); ${line.replace(/'/g, `'\\''`)}' && test -s ${dir}/_nlctl`
      : line;
    // The examples name eth0, as most machines have one: here it is one end of a veth pair.
    const script = `ip link set lo up\nip link add eth0 type veth peer name eth1 && ip link set eth0 up\nmkdir -p ${dir}/.config/fish/completions\ncd ${dir}\n${shellLine}`;
    const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', timeout: 30000, env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1' } });
    assert.equal(r.status, e.exit, `${e.line}\n${r.stderr}`);
  }
});
