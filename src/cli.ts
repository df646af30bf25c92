// The commander program: global flags and the commands. Command modules load lazily so that
// `nlctl decode` never pays for the FFI and `--help` stays fast.
import { Command, Option } from 'commander';
import type { Readable, Writable } from 'node:stream';
import { UsageError } from './errors.js';
import type { GlobalOptions } from './output.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

/** What every command gets: its parsed options merged with the global ones, and the streams. */
export interface CommandContext {
  io: Io;
  global: GlobalOptions;
  /** Set by a command that wants a non-zero exit without an error message. */
  exitCode: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes positional arguments untyped
type Action = (ctx: CommandContext, ...args: any[]) => Promise<void>;

export function intOption(name: string, min = 0, max = 0xffffffff) {
  return (value: string): number => {
    const n = /^0x[0-9a-f]+$/i.test(value) ? parseInt(value, 16) : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name}: '${value}' is not a whole number from ${min} to ${max}`);
    return n;
  };
}

export function secondsOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}: '${value}' is not a number of seconds`);
    return n;
  };
}

export function buildProgram(io: Io, state: { exitCode: number } = { exitCode: 0 }): Command {
  const program = new Command('nlctl');
  program
    .description('Send, listen to, dump and decode netlink messages.')
    .version('0.1.0')
    .addOption(new Option('-f, --format <format>', 'output format: pretty, table, json, ndjson, hex'))
    .option('-j, --json', 'JSON output (same as --format json)')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `nlctl: ${s.slice(7)}` : s),
    });

  const action = (load: () => Promise<{ run: Action }>) =>
    async function (this: Command, ...args: unknown[]) {
      const ctx: CommandContext = { io, global: program.opts<GlobalOptions>(), exitCode: 0 };
      const mod = await load();
      await mod.run(ctx, ...args.slice(0, -1));
      state.exitCode = ctx.exitCode;
    };

  program
    .command('dump')
    .description('dump a kernel table: link, addr, route, neigh, rule, family; or any --proto/--type')
    .argument('[what]', 'link | addr | route | neigh | rule | family')
    .option('-p, --proto <protocol>', 'protocol for a raw dump (name or number)')
    .option('-t, --type <type>', 'message type for a raw dump (number or name)')
    .option('--family-header <hex>', 'raw bytes of the fixed family header for a raw dump')
    .option('-4', 'IPv4 only (addr, route, neigh, rule)')
    .option('-6', 'IPv6 only (addr, route, neigh, rule)')
    .option('--messages', 'print whole decoded messages instead of one record per object')
    .option('--netns <name|path>', 'network namespace to dump in')
    .option('--timeout <seconds>', 'give up after this long', secondsOption('--timeout'), 10)
    .option('--retry <n>', 'repeat an interrupted dump (NLM_F_DUMP_INTR) up to n times', intOption('--retry', 0, 100), 0)
    .option('--strict', 'ask for strict checking of the dump request (NETLINK_GET_STRICT_CHK)')
    .action(action(() => import('./commands/dump.js')));

  return program;
}
