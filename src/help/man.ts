// nlctl.1 from the commander program itself: the same descriptions, options and examples as
// --help, so that the man page cannot drift from the tool.
import type { Command, Option } from 'commander';
import { EXAMPLES, EXIT_CODES } from './examples.js';

/** roff-escape one line of text. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

function optionLines(opts: readonly Option[]): string[] {
  const out: string[] = [];
  for (const o of opts) {
    if ((o as Option & { hidden?: boolean }).hidden) continue;
    out.push('.TP', `.B ${esc(o.flags)}`, esc(o.description + (o.defaultValue !== undefined && typeof o.defaultValue !== 'boolean' ? ` (default: ${String(o.defaultValue)})` : '')));
  }
  return out;
}

function exampleLines(name: string): string[] {
  const ex = EXAMPLES[name];
  if (!ex) return [];
  return ['.PP', 'Examples:', '.PP', '.nf', '.RS', ...ex.map(esc), '.RE', '.fi'];
}

export function manPage(program: Command, version: string, extra: Record<string, string> = {}): string {
  const lines: string[] = [
    `.TH NLCTL 1 "" "nlctl ${version}" "User Commands"`,
    '.SH NAME',
    `nlctl \\- ${esc(program.description().replace(/\.$/, '').toLowerCase())}`,
    '.SH SYNOPSIS',
    '.B nlctl',
    '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    esc(program.description()),
    '.SH GLOBAL OPTIONS',
    ...optionLines([...program.options, { flags: '-h, --help', description: 'show help' } as Option]),
    '.SH COMMANDS',
  ];
  for (const cmd of program.commands) {
    if ((cmd as Command & { _hidden?: boolean })._hidden) continue;
    const help = { flags: '-h, --help', description: 'show help for this command' } as Option;
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
    lines.push('.SS', `\\fBnlctl ${cmd.name()}\\fR ${esc(args)} [\\fIoptions\\fR]`, esc(cmd.description()));
    for (const a of cmd.registeredArguments) if (a.description) lines.push('.TP', `.I ${esc(a.name())}`, esc(a.description));
    lines.push(...optionLines([...cmd.options, help]));
    if (extra[cmd.name()]) lines.push('.PP', '.nf', ...extra[cmd.name()].trim().split('\n').map(esc), '.fi');
    lines.push(...exampleLines(cmd.name()));
  }
  lines.push('.SH EXAMPLES', ...exampleLines('nlctl').slice(3));
  lines.push('.SH EXIT STATUS', esc(EXIT_CODES.replace('\n', ' ')));
  lines.push('.SH SEE ALSO', '\\fBip\\fR(8), \\fBip-monitor\\fR(8), \\fBss\\fR(8), \\fBgenl\\fR(8), \\fBnetlink\\fR(7)');
  return lines.join('\n') + '\n';
}
