// The entry point: run the CLI and turn every failure into a one-line message and an exit code.
// This is the only place errors become exit codes (see EXIT in errors.ts and the README).
import { CommanderError } from 'commander';
import { buildProgram, requestJsonAlias, type Io } from './cli.js';
import { EXIT, NlctlError } from './errors.js';

export async function main(argv: string[], io: Partial<Io> = {}): Promise<number> {
  const full: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin, ...io };
  const debug = argv.includes('--debug');
  const state = { exitCode: 0 };
  const program = buildProgram(full, state);
  try {
    await program.parseAsync(requestJsonAlias(argv), { from: 'user' });
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
