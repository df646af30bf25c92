// nlctl completion bash|zsh|fish: a script that completes commands and options (from the
// commander program itself) and, through `nlctl __complete`, protocols, message types, groups,
// families, commands, attribute and header field names for the protocol on the command line.
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';

/** What an option's value is, for completion (by its long name). */
const VALUE_KINDS: Record<string, string> = {
  proto: 'protocols', type: 'types', group: 'groups', 'to-group': 'groups', 'join-group': 'groups',
  attr: 'attrs', header: 'fields', family: 'families', cmd: 'commands', format: 'formats',
  netns: 'netns', file: 'files', pcap: 'files', 'from-json': 'files', source: 'sources', out: 'outs', table: 'tables', dev: 'devs',
};

interface OptionSpec {
  names: string[];
  takesValue: boolean;
  kind: string;
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What the positional argument is (dump targets, shells, files). */
  positional: string;
}

function optionsOf(cmd: Command): OptionSpec[] {
  return cmd.options.map((o) => ({
    names: [o.short, o.long].filter((n): n is string => Boolean(n)),
    takesValue: o.required || o.optional,
    kind: VALUE_KINDS[(o.long ?? '').replace(/^--/, '')] ?? 'none',
  }));
}

const POSITIONAL: Record<string, string> = { dump: 'targets', completion: 'shells', decode: 'files', send: 'none', encode: 'none' };

export function commandSpecs(program: Command): { global: OptionSpec[]; commands: CommandSpec[] } {
  return {
    global: [...optionsOf(program), { names: ['-h', '--help'], takesValue: false, kind: 'none' }, { names: ['-V', '--version'], takesValue: false, kind: 'none' }],
    commands: program.commands
      .filter((c) => !(c as Command & { _hidden?: boolean })._hidden)
      .map((c) => ({ name: c.name(), description: c.description(), options: [...optionsOf(c), { names: ['-h', '--help'], takesValue: false, kind: 'none' }], positional: POSITIONAL[c.name()] ?? 'none' })),
  };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Value kinds whose words are fixed (the rest come from `nlctl __complete`). */
const FIXED_WORDS: Record<string, string> = { formats: 'pretty table json ndjson hex', sources: 'diag proc', outs: 'hex raw c', shells: 'bash zsh fish' };

/** How bash and zsh differ where their scripts are alike: case patterns, the words array, where the words start. */
interface ShellSyntax {
  pattern: (p: string) => string;
  words: string;
  first: number;
  current: string;
  /** Inside the arithmetic loop's (( … )). */
  pad: string;
}
const BASH: ShellSyntax = { pattern: (p) => `${p})`, words: 'COMP_WORDS', first: 1, current: 'COMP_CWORD', pad: '' };
const ZSH: ShellSyntax = { pattern: (p) => `(${p})`, words: 'words', first: 2, current: 'CURRENT', pad: ' ' };

/** The case lines that complete the fixed word lists, in the shell's syntax. */
function fixedWordCases(sh: ShellSyntax, words: (list: string) => string): string {
  return Object.entries(FIXED_WORDS).map(([kind, list]) => `    ${sh.pattern(kind)} ${words(list)} ;;`).join('\n');
}

/**
 * The scan of the words before the cursor: the command, and the values of -p, -t and --family;
 * then the protocol they imply.
 */
function wordScan(sh: ShellSyntax, commands: CommandSpec[]): string {
  const w = (i: string) => `\${${sh.words}[${i}]}`;
  return `  for ((${sh.pad}i = ${sh.first}; i < ${sh.current}; i++${sh.pad})); do
    w=${w('i')}
    case $w in
      ${sh.pattern('-p|--proto')} proto=${w('i+1')} ;;
      ${sh.pattern('-t|--type')} type=${w('i+1')} ;;
      ${sh.pattern('--family')} family=${w('i+1')} ;;
      ${sh.pattern(commands.map((c) => c.name).join('|'))} [[ -z $cmd ]] && cmd=$w ;;
    esac
  done
  [[ $cmd == dump && -z $proto ]] && proto=route
  [[ -n $family && -z $proto ]] && proto=generic`;
}

export function bashScript(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const all = [...global, ...commands.flatMap((c) => c.options)];
  const valueOpts = [...new Set(all.filter((o) => o.takesValue).flatMap((o) => o.names.map((n) => `${n}:${o.kind}`)))];
  const cases = commands.map((c) => `    ${c.name}) opts=${q(c.options.flatMap((o) => o.names).join(' '))}; pos=${c.positional} ;;`).join('\n');
  return `# bash completion for nlctl; load with: source <(nlctl completion bash)
_nlctl_value_kind() {
  local o
  for o in ${valueOpts.join(' ')}; do
    [[ "\${o%%:*}" == "$1" ]] && { echo "\${o#*:}"; return; }
  done
}
_nlctl_words() {
  local kind=$1 proto=$2 type=$3 family=$4
  case $kind in
    files) compgen -f -- "$cur" ;;
    netns) [[ -d /run/netns ]] && compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur" ;;
${fixedWordCases(BASH, (list) => `compgen -W '${list}' -- "$cur"`)}
    none) ;;
    *) compgen -W "$(\${NLCTL_COMPLETE_CMD:-nlctl} __complete "$kind" "\${proto:-}" "\${type:-}" "\${family:-}" 2>/dev/null)" -- "$cur" ;;
  esac
}
_nlctl() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local cmd='' proto='' type='' family='' opts='' pos=none i w kind
${wordScan(BASH, commands)}
  case $cmd in
${cases}
    *) opts=${q(global.flatMap((o) => o.names).join(' '))} ;;
  esac
  kind=$(_nlctl_value_kind "$prev")
  if [[ -n $kind ]]; then
    COMPREPLY=($(_nlctl_words "$kind" "$proto" "$type" "$family"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W ${q(commands.map((c) => c.name).join(' '))} -- "$cur"))
  else
    COMPREPLY=($(_nlctl_words "$pos" "$proto" "$type" "$family"))
  fi
}
complete -o default -F _nlctl nlctl
`;
}

export function zshScript(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const valueOpts = [...new Set([...global, ...commands.flatMap((c) => c.options)].filter((o) => o.takesValue).flatMap((o) => o.names.map((n) => `${n}:${o.kind}`)))];
  const cases = commands.map((c) => `    (${c.name}) opts=(${c.options.flatMap((o) => o.names).map(q).join(' ')}); pos=${c.positional} ;;`).join('\n');
  return `#compdef nlctl
# zsh completion for nlctl; install with: nlctl completion zsh > "\${fpath[1]}/_nlctl"
_nlctl_words() {
  local kind=$1 proto=$2 type=$3 family=$4
  case $kind in
    (files) _files ;;
    (netns) compadd -- /run/netns/*(N:t) ;;
${fixedWordCases(ZSH, (list) => `compadd -- ${list}`)}
    (none) ;;
    (*)
      local -a list
      list=(\${(f)"$(\${=NLCTL_COMPLETE_CMD:-nlctl} __complete $kind "$proto" "$type" "$family" 2>/dev/null)"})
      (( \${#list} )) && compadd -- $list ;;
  esac
}
_nlctl() {
  local -a kinds opts
  local cmd='' proto='' type='' family='' pos=none i w kind=''
  kinds=(${valueOpts.map(q).join(' ')})
${wordScan(ZSH, commands)}
  case $cmd in
${cases}
    (*) opts=(${global.flatMap((o) => o.names).map(q).join(' ')}) ;;
  esac
  for w in $kinds; do
    [[ \${w%%:*} == \${words[CURRENT-1]} ]] && kind=\${w#*:}
  done
  if [[ -n $kind ]]; then
    _nlctl_words $kind "$proto" "$type" "$family"
  elif [[ \${words[CURRENT]} == -* ]]; then
    compadd -- $opts
  elif [[ -z $cmd ]]; then
    compadd -- ${commands.map((c) => c.name).join(' ')}
  else
    _nlctl_words $pos "$proto" "$type" "$family"
  fi
}
compdef _nlctl nlctl 2>/dev/null
`;
}

export function fishScript(program: Command): string {
  const { global, commands } = commandSpecs(program);
  const lines = [
    '# fish completion for nlctl; install with: nlctl completion fish > ~/.config/fish/completions/nlctl.fish',
    'function __nlctl_opt --description "value of an option already on the command line"',
    '    set -l words (commandline -opc)',
    '    for i in (seq (count $words))',
    '        if contains -- $words[$i] $argv',
    '            set -l j (math $i + 1)',
    '            test $j -le (count $words); and echo $words[$j]',
    '            return',
    '        end',
    '    end',
    'end',
    'function __nlctl_dynamic',
    '    set -l proto (__nlctl_opt -p --proto)',
    '    set -l family (__nlctl_opt --family)',
    '    test -z "$proto"; and test -n "$family"; and set proto generic',
    '    nlctl __complete $argv[1] "$proto" (__nlctl_opt -t --type) "$family" 2>/dev/null',
    'end',
    'complete -c nlctl -f',
    `complete -c nlctl -n __fish_use_subcommand -a ${q(commands.map((c) => c.name).join(' '))}`,
  ];
  const valueArg = (o: OptionSpec): string => {
    switch (o.kind) {
      case 'none': return '';
      case 'files': return ' -r -F';
      case 'netns': return " -r -a '(ls /run/netns 2>/dev/null)'";
      default: return FIXED_WORDS[o.kind] && o.kind !== 'shells' ? ` -r -a '${FIXED_WORDS[o.kind]}'` : ` -r -a '(__nlctl_dynamic ${o.kind})'`;
    }
  };
  const optLine = (o: OptionSpec, cond: string) => {
    const flags = o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
    return `complete -c nlctl${cond} ${flags}${o.takesValue ? valueArg(o) : ''}`;
  };
  for (const o of global) lines.push(optLine(o, ''));
  for (const c of commands) {
    const cond = ` -n '__fish_seen_subcommand_from ${c.name}'`;
    for (const o of c.options) lines.push(optLine(o, cond));
    if (c.positional === 'targets') lines.push(`complete -c nlctl${cond} -a '(__nlctl_dynamic targets)'`);
    if (c.positional === 'shells') lines.push(`complete -c nlctl${cond} -a '${FIXED_WORDS.shells}'`);
    if (c.positional === 'files') lines.push(`complete -c nlctl${cond} -F`);
  }
  return lines.join('\n') + '\n';
}

const SHELLS: Record<string, (p: Command) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export async function run(ctx: CommandContext, shell: string): Promise<void> {
  const make = SHELLS[shell];
  if (!make) throw new UsageError(`completion: unknown shell '${shell}'${didYouMean(shell, Object.keys(SHELLS))} (bash, zsh or fish)`);
  ctx.io.stdout.write(make(ctx.program));
}
