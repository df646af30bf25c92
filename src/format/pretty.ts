// pretty: the human view. One line per message header, then the family header, the
// attributes indented by nesting, values by name (addresses, enums, flags), raw bytes as hex
// and text. Colour only when asked (a terminal, no NO_COLOR).
import type { ChalkInstance } from 'chalk';
import { NLMSG_ERROR } from '../codec/index.js';
import { schemaFor, type DecodedAttr, type DecodedMessage, type JsonValue } from '../schema/index.js';
import { chalkFor } from './palette.js';
import type { MessageWriter, OutputEvent, OutputItem, WriterOptions } from './types.js';

function scalar(v: JsonValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',');
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${scalar(x)}`).join(' ');
  return String(v);
}

function shortHex(hex: string, max = 64): string {
  const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
  return hex.length > max * 2 ? spaced.slice(0, max * 3) + `… (${hex.length / 2} bytes)` : spaced;
}

/** A group by its name in the protocol's table (rtnetlink: "ipv4-route"), else its number. */
function groupName(protocol: number, group: number): string {
  let names = GROUP_NAMES.get(protocol);
  if (!names) {
    names = new Map(Object.entries(schemaFor(protocol).groups ?? {}).map(([name, n]) => [n, name]));
    GROUP_NAMES.set(protocol, names);
  }
  return names.get(group) ?? String(group);
}
const GROUP_NAMES = new Map<number, Map<number, string>>();

export function renderMessage(m: DecodedMessage, c: ChalkInstance, indent = ''): string[] {
  const lines: string[] = [];
  const meta = m.meta;
  const where: string[] = [];
  if (meta?.time) where.push(c.dim(meta.time));
  if (meta?.direction) where.push(meta.direction === 'out' ? c.yellow('→') : c.cyan('←'));
  if (meta?.from_pid !== undefined) where.push(c.dim(meta.from_pid === 0 ? 'kernel' : `port ${meta.from_pid}`));
  if (meta?.group) where.push(c.dim(`group ${groupName(m.protocol_number, meta.group)}`));
  if (meta?.nsid !== undefined) where.push(c.dim(`nsid ${meta.nsid}`));
  if (meta?.family_table) where.push(c.dim('(family table)'));
  const name = m.type_name ?? `type ${m.type}`;
  const fam = m.family ? c.magenta(`${m.family} `) : '';
  const head = `${fam}${c.bold(name)} ${c.dim(m.protocol)} len ${m.len} seq ${m.seq} pid ${m.pid}` +
    (m.flag_names.length ? ` flags ${m.flag_names.join(',')}` : '') + (m.truncated ? c.red(' TRUNCATED') : '');
  lines.push(indent + [...where, head].join(' '));
  const sub = indent + '  ';
  if (m.error) {
    const e = m.error;
    if (m.type === NLMSG_ERROR && e.errno === 0) lines.push(sub + c.green('ACK'));
    else if (e.errno !== 0) lines.push(sub + c.red(`error ${e.name}: ${e.text}`) + (e.extack?.msg ? c.red(`: ${e.extack.msg}`) : ''));
    if (e.extack) {
      const x = e.extack;
      if (x.offset !== undefined) lines.push(sub + `extack offset ${x.offset}` + (x.attr ? `: ${x.attr}${x.path && x.path !== `.${x.attr}` ? ` (${x.path})` : ''}` : x.field ? `: ${x.field}` : ''));
      if (x.missingType !== undefined) {
        const named = x.missing ? `: ${x.missing.attr ? `${x.missing.attr} (${x.missing.path})` : x.missing.path}` : '';
        lines.push(sub + `extack missing attribute type ${x.missingType}` + (x.missingNest !== undefined ? ` in nest at ${x.missingNest}` : '') + named);
      }
      if (x.cookie) lines.push(sub + `extack cookie ${x.cookie}`);
      if (x.policy) lines.push(sub + `extack policy ${scalar(x.policy)}`);
    }
    if (e.request) {
      const req = renderMessage({ ...e.request, meta: undefined }, c, sub + '  ');
      req[0] = sub + c.dim('request ') + req[0].trimStart();
      lines.push(...req);
    }
  }
  if (m.header) {
    lines.push(sub + c.blue(m.header.name) + ' ' + Object.entries(m.header.fields).map(([name, value]) => `${name}=${scalar(value)}`).join(' '));
  }
  if (m.attrs) lines.push(...renderAttrs(m.attrs, c, sub));
  if (m.payload) {
    lines.push(sub + c.dim('payload ') + shortHex(m.payload.hex) + (m.payload.text !== undefined ? ' ' + c.green(JSON.stringify(m.payload.text)) : ''));
  }
  for (const d of m.diagnostics) lines.push(sub + c.red(`! offset ${d.offset}: ${d.message}`));
  return lines;
}

function renderAttrs(attrs: DecodedAttr[], c: ChalkInstance, indent: string): string[] {
  const lines: string[] = [];
  for (const a of attrs) {
    const label = a.name ? c.blue(a.name) : c.blue(`attr ${a.type}`) + (a.nested_flag ? c.dim(' (nested)') : '');
    let text = label;
    if (a.value !== undefined) text += ' ' + scalar(a.value);
    if (a.hex !== undefined && (a.value === undefined || (!a.name && !a.typed_by))) text += ' ' + c.dim(shortHex(a.hex));
    // Typed by the kernel's policy, not named by any table: say so, so it is not taken for spec knowledge.
    if (a.typed_by) text += ' ' + c.dim(`(typed by ${a.typed_by})`);
    lines.push(indent + text);
    if (a.attrs) lines.push(...renderAttrs(a.attrs, c, indent + '  '));
    for (const d of a.diagnostics ?? []) lines.push(indent + '  ' + c.red(`! offset ${d.offset}: ${d.message}`));
  }
  return lines;
}

export class PrettyWriter implements MessageWriter {
  private readonly c: ChalkInstance;
  constructor(private readonly opts: WriterOptions) {
    this.c = chalkFor(opts.color);
  }
  write(item: OutputItem): void {
    if ('record' in item) this.opts.sink.write(Object.entries(item.record).map(([k, v]) => `${this.c.blue(k)}=${scalar(v)}`).join(' ') + '\n');
    else this.opts.sink.write(renderMessage(item.message, this.c).join('\n') + '\n');
  }
  event(e: OutputEvent): void {
    const text = `${e.time ? e.time + ' ' : ''}${e.event.toUpperCase()}: ${e.message}`;
    this.opts.sink.write((e.event === 'info' ? this.c.dim(text) : this.c.red.bold(text)) + '\n');
  }
  end(): void {}
}
