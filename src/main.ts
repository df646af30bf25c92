// The entry point: run the CLI and turn every failure into a one-line message and an exit code.
// This is the only place errors become exit codes (see EXIT in errors.ts and the README).
import { CommanderError } from 'commander';
import { buildProgram, requestJsonAlias } from './cli.js';
import type { Deps, Io } from './context.js';
import { EXIT, NlctlError } from './errors.js';
import { directStdout, nodeStdout, stderrWhenWritten } from './stdio.js';

const COMMANDS = new Set(['dump', 'send', 'listen', 'encode', 'decode', 'sockets', 'completion', '__complete']);

export { outputAbandoned } from './stdio.js';

/**
 * `ip -ts monitor` users type `-ts`: a short option cannot have two letters, so it becomes
 * --timestamps after the command word (wherever it was written).
 */
export function rewriteArgs(argv: string[]): string[] {
  if (!argv.includes('-ts')) return argv;
  const rest = argv.filter((a) => a !== '-ts');
  const at = rest.findIndex((a) => COMMANDS.has(a));
  return at < 0 ? [...rest, '--timestamps'] : [...rest.slice(0, at + 1), '--timestamps', ...rest.slice(at + 1)];
}

/** The program's own options (cli.ts), by whether they take a value: what may come before a command. */
export const GLOBAL_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ['-f', true], ['--format', true], ['-j', false], ['--json', false], ['--no-color', false], ['--debug', false], ['--spec', true],
]);

/** Commands that run without the others defined; completion describes the whole program. */
export const SOLO_COMMANDS: ReadonlySet<string> = new Set(['dump', 'send', 'listen', 'encode', 'decode', 'sockets', 'spec']);

/**
 * The command `argv` runs, when nothing but the program's own options comes before it: the
 * program is then built with that command only. Anything else (help, an unknown word or option)
 * gets the whole program, for its help and its suggestions.
 */
export function commandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return SOLO_COMMANDS.has(arg) ? arg : undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const takesValue = GLOBAL_OPTIONS.get(eq > 0 ? arg.slice(0, eq) : arg);
    if (takesValue === undefined) return undefined;
    if (takesValue && eq < 0) i++;
  }
  return undefined;
}

function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
}

/** Run nlctl with `argv`; `deps` replaces the process's streams, sockets and signals (tests). */
export async function main(argv: string[], deps: Deps = {}): Promise<number> {
  let stdout: Io['stdout'] | undefined;
  const full: Io = {
    // Each only when used: process.stdin, process.stdout and process.stderr set up a tty, pipe or
    // file stream (20-30 built-in modules); a file, /dev/null, a pipe or a socket is written
    // directly (src/stdio.ts), and a reader that goes away ends the output quietly, exit 0.
    get stdout() {
      return (stdout ??= deps.stdout ?? directStdout() ?? nodeStdout());
    },
    stderr: deps.stderr ?? stderrWhenWritten(),
    env: deps.env ?? process.env,
    get stdin() {
      return deps.stdin ?? process.stdin;
    },
  };
  const debug = argv.includes('--debug');
  const state = { exitCode: 0 };
  argv = rewriteArgs(argv);
  const help = wantsHelp(argv);
  const extras = help ? await (await import('./help/extras.js')).helpExtras() : {};
  argv = requestJsonAlias(argv);
  const program = buildProgram(full, state, deps, extras, help ? undefined : commandOf(argv));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (e instanceof NlctlError) {
      full.stderr.write(`nlctl: ${e.message}\n`);
      if (debug && e.stack) full.stderr.write(e.stack + '\n');
      return e.exitCode;
    }
    // A malformed spec: "FILE: YAML path: what is wrong", a usage error.
    if ((e as Error)?.name === 'SpecError') {
      full.stderr.write(`nlctl: ${(e as Error).message}\n`);
      if (debug && (e as Error).stack) full.stderr.write((e as Error).stack + '\n');
      return EXIT.USAGE;
    }
    const err = e as Error;
    full.stderr.write(`nlctl: internal error: ${err?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err?.stack) full.stderr.write(err.stack + '\n');
    return EXIT.INTERNAL;
  }
}
