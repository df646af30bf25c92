// main.ts builds the program with only the command the arguments run (start-up): that command's
// parsing must be the same as in the whole program, and only certain cases may take the shortcut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildProgram } from '../../src/cli.js';
import { commandOf, GLOBAL_OPTIONS, main, SOLO_COMMANDS } from '../../src/main.js';

const sink = () => {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c, _e, done) => { chunks.push(String(c)); done(); } });
  return { stream, text: () => chunks.join('') };
};
const io = () => ({ stdout: sink().stream, stderr: sink().stream, stdin: process.stdin, env: {} });

test('the shortcut knows every option of the program itself, and each command it may run alone', () => {
  const whole = buildProgram(io());
  // Every program option but --version/--help (which never take the shortcut: see below).
  const flags = whole.options.flatMap((o) => [o.short, o.long]).filter((f): f is string => !!f && f !== '-V' && f !== '--version');
  assert.deepEqual([...GLOBAL_OPTIONS.keys()].sort(), flags.sort());
  for (const o of whole.options) {
    for (const f of [o.short, o.long]) if (f && GLOBAL_OPTIONS.has(f)) assert.equal(GLOBAL_OPTIONS.get(f), o.required || o.optional, f);
  }
  const names = whole.commands.map((c) => c.name());
  for (const c of SOLO_COMMANDS) assert.ok(names.includes(c), c);
  // completion and __complete describe the whole program.
  assert.deepEqual(names.filter((n) => !SOLO_COMMANDS.has(n)).sort(), ['__complete', 'completion']);
  for (const c of SOLO_COMMANDS) {
    const one = buildProgram(io(), undefined, undefined, undefined, c);
    assert.deepEqual(one.commands.map((x) => x.name()), [c]);
    const full = whole.commands.find((x) => x.name() === c)!;
    assert.deepEqual(one.commands[0]!.options.map((o) => o.flags), full.options.map((o) => o.flags), c);
    assert.deepEqual(one.options.map((o) => o.flags), whole.options.map((o) => o.flags));
  }
});

test('only the program\'s own options before a known command take the shortcut', () => {
  assert.equal(commandOf(['decode', 'ff']), 'decode');
  assert.equal(commandOf(['-f', 'json', '--no-color', 'decode']), 'decode');
  assert.equal(commandOf(['--format=ndjson', '-j', '--debug', '--spec', 'x.yaml', 'dump', 'link']), 'dump');
  // A value that looks like a command is the option's value.
  assert.equal(commandOf(['--spec', 'decode', 'send']), 'send');
  assert.equal(commandOf(['-f', 'dump']), undefined);
  assert.equal(commandOf(['completion', 'bash']), undefined);
  assert.equal(commandOf(['decod']), undefined);
  assert.equal(commandOf(['-fjson', 'decode']), undefined);
  assert.equal(commandOf(['--version', 'decode']), undefined);
  assert.equal(commandOf(['--', 'decode']), undefined);
  assert.equal(commandOf([]), undefined);
});

/** What a program makes of argv: its output, its error output, and the error it ends with. */
async function outcome(argv: string[], only: string | undefined) {
  const out = sink(), err = sink();
  const state = { exitCode: 0 };
  const program = buildProgram({ stdout: out.stream, stderr: err.stream, stdin: process.stdin, env: {} }, state, {}, {}, only);
  let failure = '';
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    failure = `${(e as Error).name} ${(e as { exitCode?: number }).exitCode} ${(e as Error).message}`;
  }
  return { out: out.text(), err: err.text(), failure, exitCode: state.exitCode };
}

test('the program with one command parses, fails and prints as the whole program does', async () => {
  const hex = '1400000012000103000000000000000000000000';
  for (const argv of [['decode', '--bogus'], ['decode', '--prot', 'route', hex], ['-f', 'nope', 'decode', hex], ['dump', '--tabel', 'main'],
    ['decode', '--jobs', 'x', hex], ['spec', 'a', 'b'], ['-j', 'decode', hex], ['decode', '--proto', 'route', hex, '--version'], ['decode', '-J']]) {
    const only = commandOf(argv);
    assert.ok(only, argv.join(' '));
    const got = await outcome(argv, only);
    assert.deepEqual(got, await outcome(argv, undefined), argv.join(' '));
    assert.ok(got.out || got.err || got.failure, `${argv.join(' ')}: the case shows something`);
  }
  // And main() takes the shortcut for them: the same text as before it existed.
  const out = sink(), err = sink();
  assert.equal(await main(['-f', 'ndjson', 'decode', hex], { stdout: out.stream, stderr: err.stream, env: {} }), 0);
  // RTM_GETLINK is 18 in linux/rtnetlink.h; the message is its 16-byte header and a 4-byte rtgenmsg.
  const m = JSON.parse(out.text()) as { len: number; type: number; type_name: string };
  assert.deepEqual([m.len, m.type, m.type_name], [20, 18, 'RTM_GETLINK']);
});
