// Shell completion scripts parse in their shells and complete real names; the man page and
// --help come from the same program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NLCTL, requireTool, ROOT, runNlctl } from '../helpers.js';

function script(shell: string): string {
  const r = runNlctl(['completion', shell]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

function parses(t: import('node:test').TestContext, shell: string, args: string[]): void {
  if (!requireTool(t, shell)) return;
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-comp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `nlctl.${shell}`);
  writeFileSync(file, script(shell));
  const r = spawnSync(shell, [...args, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('bash -n accepts the bash script', (t) => parses(t, 'bash', ['-n']));
test('zsh -n accepts the zsh script', (t) => parses(t, 'zsh', ['-n']));
test('fish -n accepts the fish script', (t) => parses(t, 'fish', ['-n']));

/** What bash completion offers for a command line (the last word is being completed). */
function bashComplete(words: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-comp-'));
  try {
    const file = join(dir, 'nlctl.bash');
    writeFileSync(file, script('bash'));
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _nlctl; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      encoding: 'utf8',
      env: { ...process.env, NLCTL_COMPLETE_CMD: `${process.execPath} ${NLCTL}` },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('bash completion round trip: commands, options, protocols, types, groups, attributes, fields', () => {
  assert.deepEqual(bashComplete(['nlctl', 'li']), ['listen']);
  assert.deepEqual(bashComplete(['nlctl', 'listen', '--time']).sort(), ['--timeout', '--timestamps']);
  assert.ok(bashComplete(['nlctl', 'send', '-p', 'gen']).includes('generic'));
  assert.ok(bashComplete(['nlctl', 'send', '-t', 'RTM_GETL']).includes('RTM_GETLINK'));
  assert.deepEqual(bashComplete(['nlctl', 'listen', '--group', 'ipv4-r']).sort(), ['ipv4-route', 'ipv4-rule']);
  assert.ok(bashComplete(['nlctl', 'listen', '--group', 'a']).includes('all'));
  assert.deepEqual(bashComplete(['nlctl', 'send', '-t', 'RTM_GETLINK', '--attr', 'IFLA_IFN']), ['IFLA_IFNAME=']);
  assert.deepEqual(bashComplete(['nlctl', 'send', '-p', 'test', '-t', 'echo', '--attr', 'NLTEST_ATTR_D']), ['NLTEST_ATTR_DATA=']);
  assert.ok(bashComplete(['nlctl', 'send', '-t', 'RTM_NEWADDR', '--header', 'ifa_']).includes('ifa_index='));
  assert.deepEqual(bashComplete(['nlctl', 'dump', 'ro']), ['route']);
  assert.ok(bashComplete(['nlctl', 'send', '--family', 'nlctrl', '--cmd', 'get']).includes('getfamily'));
  assert.ok(bashComplete(['nlctl', 'listen', '-p', 'generic', '--group', 'nlctrl:']).includes('nlctrl:notify'));
});

test('the man page carries every command and option of --help, and its examples', () => {
  const man = readFileSync(join(ROOT, 'dist', 'nlctl.1'), 'utf8').replace(/\\-/g, '-');
  for (const cmd of ['dump', 'send', 'listen', 'encode', 'decode', 'sockets', 'completion']) {
    const help = runNlctl([cmd, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /\nExamples:\n {2}(\S.*)?nlctl /, `${cmd} --help has examples`);
    assert.ok(man.includes(`nlctl ${cmd}`), `man page has ${cmd}`);
    for (const long of help.stdout.match(/--[a-z][a-z0-9-]+/g) ?? []) assert.ok(man.includes(long), `man page has ${cmd} ${long}`);
  }
  assert.doesNotMatch(man, /__complete/);
});

test('listen --help lists the group names, all included', () => {
  const help = runNlctl(['listen', '--help']).stdout;
  for (const g of ['all', 'link', 'ipv4-ifaddr', 'ipv6-route', 'neigh', 'nexthop']) assert.match(help, new RegExp(`\\b${g}\\b`));
  assert.match(help, /nlctrl:notify/);
});

test('fish completion round trip', (t) => {
  if (!requireTool(t, 'fish')) return;
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-comp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'nlctl.fish'), script('fish'));
  // fish calls `nlctl` by name: put this one first on PATH.
  writeFileSync(join(dir, 'nlctl'), `#!/bin/sh\nexec ${process.execPath} ${NLCTL} "$@"\n`, { mode: 0o755 });
  const complete = (line: string) => {
    const r = spawnSync('fish', ['-c', `source ${join(dir, 'nlctl.fish')}; complete -C '${line}'`], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
  };
  assert.deepEqual(complete('nlctl listen --group ipv4-r').sort(), ['ipv4-route', 'ipv4-rule']);
  assert.ok(complete('nlctl send -t RTM_GETL').includes('RTM_GETLINK'));
  assert.ok(complete('nlctl dump --t').includes('--table'));
});

test('zsh completion round trip (compadd replaced by a function that prints what it is given)', (t) => {
  if (!requireTool(t, 'zsh')) return;
  const dir = mkdtempSync(join(tmpdir(), 'nlctl-comp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, '_nlctl');
  writeFileSync(file, script('zsh'));
  const offered = (words: string[]) => {
    const list = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync('zsh', ['-fc', `compdef() {}; source ${file}; compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }; _files() { print FILES }; words=(${list}); CURRENT=${words.length}; _nlctl`], {
      encoding: 'utf8',
      env: { ...process.env, NLCTL_COMPLETE_CMD: `${process.execPath} ${NLCTL}` },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
  };
  assert.ok(offered(['nlctl', 'listen', '--group', 'ipv4-r']).includes('ipv4-route'));
  assert.ok(offered(['nlctl', 'send', '-t', 'RTM_GETLINK', '--attr', 'IFLA_IF']).includes('IFLA_IFNAME='));
  assert.ok(offered(['nlctl', 'send', '-p', 'ge']).includes('generic'));
  assert.ok(offered(['nlctl', 'dump', '--t']).includes('--table'));
  assert.ok(offered(['nlctl', 'li']).includes('listen'));
  assert.deepEqual(offered(['nlctl', 'decode', 'x']), ['FILES']);
});
