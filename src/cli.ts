// The commander program: global flags and the commands. Command modules load lazily so that
// `nlctl decode` never pays for the FFI and `--help` stays fast.
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { kernelTransport, type CommandContext, type Deps, type Io, type SignalSource } from './context.js';
import { EXIT, UsageError } from './errors.js';
import type { GlobalOptions } from './output.js';
import { SYSTEM_SPEC_DIRS } from './schema/ynl/spec-dirs.js';
import { EXIT_CODES, examplesText } from './help/examples.js';

export const VERSION = '0.1.0';

export type { CommandContext, Io } from './context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander passes positional arguments untyped
type Action = (ctx: CommandContext, ...args: any[]) => Promise<void>;

export function intOption(name: string, min = 0, max = 0xffffffff) {
  return (value: string): number => {
    // Only digits (or 0x hex): Number() would also take '', '1e3' and '0b11'.
    const t = value.trim();
    const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name}: '${value}' is not a whole number from ${min} to ${max}`);
    return n;
  };
}

export function secondsOption(name: string) {
  return (value: string): number => {
    const n = /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}: '${value}' is not a number of seconds`);
    return n;
  };
}

/** Repeatable options collect into a list. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options that build a message, shared by send and encode. */
function addMessageOptions(cmd: Command): Command {
  return cmd
    .option('-p, --proto <protocol>', 'protocol: route (default), generic, usersock, sock_diag, netfilter, test, … or 0-31')
    .option('-t, --type <type>', 'message type: number or name (RTM_GETLINK, getlink)')
    .option('--flags <flags>', 'header flags: request,ack,dump,create,excl,… or a number (default: request)')
    .option('--seq <n>', 'sequence number (default: a fresh one)', intOption('--seq'))
    .option('--pid <n>', 'nlmsg_pid in the header (default: our port id)', intOption('--pid'))
    .option('--family <name|id>', 'generic netlink family (resolved through nlctrl)')
    .option('--cmd <cmd>', 'generic netlink command (number or name)')
    .option('--genl-version <n>', 'generic netlink family version in genlmsghdr (default: the family\'s)', intOption('--genl-version', 0, 255))
    .option('--header <fields>', 'family header by fields, e.g. ifi_index=2,ifi_family=AF_INET')
    .option('--header-hex <hex>', 'family header as raw hex')
    .option('--hex <hex>', 'payload as hex')
    .option('--file <path>', 'payload from a file (- for stdin)')
    .option('-a, --attr <spec>', 'typed attribute NAME=[type:]value, nested NAME={A=…,B=…}; spec or C names; repeatable', collect)
    .option('--request <json>', 'request attributes as JSON, keyed by spec names as YNL\'s --json takes them (also: --json \'{…}\')')
    .option('--nul', 'NUL-terminate the text payload');
}

/**
 * The program. `deps` replaces sockets and signals (tests); `extras` adds help text computed from
 * the tables (listen's group names): it is loaded only when help is shown, to keep start-up fast.
 * `only` names the one command the arguments run (main.ts commandOf): the others are left out,
 * which parses the same and saves defining ~150 options at every start.
 */
export function buildProgram(io: Io, state: { exitCode: number } = { exitCode: 0 }, deps: Deps = {}, extras: Record<string, string> = {}, only?: string): Command {
  const wanted = (name: string) => only === undefined || only === name;
  const signals: SignalSource = deps.signals ?? process;
  const program = new Command('nlctl');
  program
    .description('Send, listen to, dump and decode netlink messages.')
    .version(VERSION)
    .addOption(new Option('-f, --format <format>', 'output format: pretty, table, json, ndjson, hex'))
    .option('-j, --json', 'JSON output (same as --format json)')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .option('--debug', 'show stack traces for errors')
    .option('--spec <file>', 'a YNL spec to use (replaces the built-in one of its family); repeatable', collect)
    .addHelpText('after', `${examplesText('nlctl')}\n${EXIT_CODES}`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(oneLine(s, 'nlctl')),
    });

  const action = (load: () => Promise<{ run: Action }>, live = true) =>
    async function (this: Command, ...args: unknown[]) {
      const transport = deps.transport ?? (live ? await kernelTransport() : () => {
        throw new Error('this command opens no sockets');
      });
      const ctx: CommandContext = { io, global: program.opts<GlobalOptions>(), exitCode: EXIT.OK, transport, signals, program };
      // Specs are read before the command runs, so that a malformed one fails at once. With none
      // given and no spec directory on this machine, the built-in tables need no setting up.
      if (ctx.global.spec?.length || io.env.NLCTL_SPEC_PATH || SYSTEM_SPEC_DIRS.some((d) => existsSync(d))) {
        const { configureSpecs } = await import('./schema/ynl/loader.js');
        await configureSpecs(ctx.global.spec ?? [], io.env);
      }
      const mod = await load();
      await mod.run(ctx, ...args.slice(0, -1));
      state.exitCode = ctx.exitCode;
    };

  if (wanted('dump')) program
    .command('dump')
    .description('dump a kernel table: link, addr, route, neigh, rule, family; or any --proto/--type')
    .argument('[what]', 'link | addr | route | neigh | rule | family')
    .option('-p, --proto <protocol>', 'protocol for a raw dump (name or number)')
    .option('-t, --type <type>', 'message type for a raw dump (number or name)')
    .option('--family-header <hex>', 'raw bytes of the fixed family header for a raw dump')
    .option('-4', 'IPv4 only (addr, route, neigh, rule)')
    .option('-6', 'IPv6 only (addr, route, neigh, rule)')
    .option('--messages', 'print whole decoded messages instead of one record per object')
    .option('--table <table>', 'route: the routing table, a number, main, local, default or all (default: main)')
    .option('--dev <name>', 'addr, route, neigh: only objects of this interface')
    .option('--family <name>', 'a dump of a generic netlink family by its spec: with --cmd OP')
    .option('--cmd <op>', 'the operation to dump (spec name like dev-get, or C name)')
    .option('-a, --attr <spec>', 'request attribute NAME=value (spec or C names, nested NAME={A=…}); repeatable', collect)
    .option('--request <json>', 'request attributes as JSON keyed by spec names (also: --json \'{…}\')')
    .option('--netns <name|path>', 'network namespace to dump in')
    .option('--timeout <seconds>', 'give up after this long', secondsOption('--timeout'), 10)
    .option('--retry <n>', 'repeat an interrupted dump (NLM_F_DUMP_INTR) up to n times', intOption('--retry', 0, 100), 0)
    .option('--strict', 'ask for strict checking of the dump request (NETLINK_GET_STRICT_CHK)')
    .action(action(() => import('./commands/dump.js')));

  if (wanted('send')) addMessageOptions(
    program
      .command('send')
      .description('build and send a netlink message, and show the replies, ACKs and errors')
      .argument('[text]', 'payload as text (see also --hex, --file, --attr)'),
  )
    .option('--bind-pid <n>', 'port id to bind our socket to (default: chosen by the kernel)', intOption('--bind-pid'))
    .option('--to <portid>', 'destination port id (default 0: the kernel)', intOption('--to'))
    .option('--to-group <groups>', 'destination multicast group(s), 1-32, comma-separated; repeatable', collect)
    .option('--join-group <groups>', 'also join these groups while waiting for replies; repeatable', collect)
    .option('-w, --wait <n>', 'wait for n messages (any kind) and print them', intOption('--wait', 1))
    .option('--timeout <seconds>', 'how long to wait for replies', secondsOption('--timeout'))
    .option('--repeat <n>', 'send the message n times (sequence numbers counting up)', intOption('--repeat', 1))
    .option('--dry-run', 'print the message instead of sending it')
    .option('--echo', 'print the sent message too')
    .option('--cap-ack', 'ask for capped errors (NETLINK_CAP_ACK)')
    .option('--netns <name|path>', 'network namespace to send from')
    .option('--pcap <file>', 'write the sent and received messages to a pcap file (pcapng when it ends in .pcapng)')
    .option('--messages', 'with -j and a spec family: whole decoded messages instead of YNL-shaped replies')
    .option('--policy', 'with --family F [--cmd OP]: print the kernel\'s attribute policy of the family (CTRL_CMD_GETPOLICY) instead of sending')
    .action(action(() => import('./commands/send.js')));

  if (wanted('listen')) program
    .command('listen')
    .description('join multicast groups or wait on a port id, and print every message as it arrives')
    .option('-p, --proto <protocol>', 'protocol: route (default; generic for family:group), usersock, test, … or 0-31')
    .option('-g, --group <groups>', 'groups: all, numbers, names (link, ipv4-route, …), or genl family:group; comma-separated, repeatable', collect)
    .option('--pid <portid>', 'bind to this port id and receive unicast sent to it', intOption('--pid'))
    .option('-c, --count <n>', 'stop after n messages', intOption('--count', 1))
    .option('--timeout <seconds>', 'stop after this long', secondsOption('--timeout'))
    .option('--netns <name|path>', 'network namespace to listen in')
    .option('--all-nsid', 'also receive from peer namespaces, with their nsid (NETLINK_LISTEN_ALL_NSID)')
    .option('--rcvbuf <bytes>', 'receive buffer size', intOption('--rcvbuf', 128, 0x7fffffff))
    .option('--pcap <file>', 'write every received message to a pcap file (LINKTYPE_NETLINK; pcapng when it ends in .pcapng)')
    .option('--timestamps', 'prefix each event with its time, as ip -ts monitor does (also: -ts)')
    .option('-v, --verbose', 'print whole decoded messages instead of one line per event')
    .action(action(() => import('./commands/listen.js')));

  if (wanted('encode')) addMessageOptions(
    program
      .command('encode')
      .description('build a message (same options as send, or --from-json) and print it as hex, raw bytes or a C array')
      .argument('[text]', 'payload as text'),
  )
    .option('--from-json [file]', 'encode decoded messages (nlctl decode -j or ndjson output); stdin when no file')
    .addOption(new Option('--out <form>', 'hex (one message per line), raw, or c').choices(['hex', 'raw', 'c']).default('hex'))
    .action(action(() => import('./commands/encode.js')));

  if (wanted('decode')) program
    .command('decode')
    .description('decode netlink bytes offline: hex dumps in any common shape, or pcap/pcapng captures')
    .argument('[input...]', 'a file (hex text or capture), hex text, or nothing to read stdin')
    .option('-p, --proto <protocol>', 'protocol of hex input (default route; captures carry their own)')
    .option('--strict', 'exit 5 when anything in the input is malformed')
    .option('-J, --jobs <n>', 'threads for large capture files to json/ndjson (default: 1; with 4+ cores and over 64 MiB, cores - 1 up to 4)', intOption('--jobs', 1, 64))
    .option('--genl-family <id=name>', 'name a generic netlink family id the input does not name itself (e.g. 21=ethtool); repeatable', collect)
    .option('--pcap <file>', 'also write what was decoded as a pcap file (LINKTYPE_NETLINK; pcapng when it ends in .pcapng) that Wireshark opens')
    .action(action(() => import('./commands/decode.js'), false));

  if (wanted('sockets')) program
    .command('sockets')
    .description('list netlink sockets: protocol, port id, groups, queues, drops, process (like ss -A netlink)')
    .option('-p, --proto <protocol>', 'only this protocol')
    .option('--pid <portid>', 'only this port id', intOption('--pid'))
    .option('--netns <name|path>', 'network namespace to look in')
    .addOption(new Option('--source <source>', 'where to read: diag (NETLINK_SOCK_DIAG) or proc (/proc/net/netlink)').choices(['diag', 'proc']))
    .action(action(() => import('./commands/sockets.js')));

  if (wanted('spec')) program
    .command('spec')
    .description('what a spec family offers: its operations (do/dump), attribute sets and groups; no family: the families')
    .argument('[family]', 'family name (netdev, ethtool, rt-link, …)')
    .option('--op <op>', 'the attributes of one operation\'s request and reply, as YNL\'s --list-attrs')
    .option('--set <name>', 'one attribute set with every attribute')
    .action(action(() => import('./commands/spec.js'), false));

  if (wanted('completion')) program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash | zsh | fish')
    .action(action(() => import('./commands/completion.js')));

  // What the completion scripts call for names that depend on the protocol and type.
  if (wanted('__complete')) program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .argument('[words...]')
    .action(action(() => import('./commands/complete.js')));

  for (const cmd of program.commands) {
    const text = examplesText(cmd.name()) + (extras[cmd.name()] ? `\n${extras[cmd.name()]}` : '');
    if (text) cmd.addHelpText('after', text);
  }

  // Each command's errors point at its own help.
  for (const cmd of program.commands) {
    cmd.configureOutput({ outputError: (s, write) => write(oneLine(s, `nlctl ${cmd.name()}`)) });
  }
  return program;
}

/**
 * Commander's error as one `nlctl:` line: its "(Did you mean …?)" line joins the message, and
 * without a suggestion the line says where the usage is.
 */
export function oneLine(text: string, command: string): string {
  const [first, ...rest] = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  let line = first.replace(/^error: /, '').replace(/\.$/, '')
    .replace(/\. Allowed choices are (.*)$/, ': choose one of $1')
    .replace(/\. Expected (.*)$/, ': expected $1');
  const suggestion = rest.find((l) => /^\(Did you mean/.test(l));
  if (suggestion) line += ` ${suggestion.replace('(Did you', '(did you')}`;
  else line += ` (see ${command} --help)`;
  return `nlctl: ${line}\n`;
}

/**
 * YNL's spelling `--json '{…}'` for request attributes: a value that is a JSON object becomes
 * --request (nlctl's own -j/--json stays the output switch).
 */
export function requestJsonAlias(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json' && i + 1 < argv.length && /^\s*\{/.test(argv[i + 1])) {
      out.push('--request', argv[++i]);
    } else out.push(argv[i]);
  }
  return out;
}
