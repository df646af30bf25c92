// monitor: one line per event, the way `ip monitor` reads, with interface names instead of
// indexes: `[LINK] dv0 UP mtu 1500 state UP`, `[ADDR] 10.88.0.1/24 dev dv0 scope global`,
// `[ROUTE] 10.88.0.0/24 dev dv0 proto kernel scope link src 10.88.0.1`, `[NEIGH] …`,
// generic netlink as `family:cmd` with its scalar attributes. `--verbose` is the pretty writer.
import type { ChalkInstance } from 'chalk';
import { schemaFor, toRecord, type DecodedMessage, type FlatRecord, type JsonValue } from '../schema/index.js';
import { chalkFor } from './palette.js';
import type { MessageWriter, OutputEvent, OutputItem, WriterOptions } from './types.js';

/**
 * Interface names by index: filled by an initial lookup and kept current by link events. An
 * index nobody has named yet starts a fresh lookup (when one is given), so that the events
 * after it are named even when no link group is joined.
 */
export class InterfaceNames {
  private readonly names = new Map<number, string>();
  private refreshing = false;
  private readonly missed = new Set<number>();
  constructor(initial?: Iterable<[number, string]>, private readonly lookup?: () => Promise<Iterable<[number, string]>>) {
    if (initial) for (const [i, n] of initial) this.names.set(i, n);
  }
  private refresh(index: number): void {
    if (!this.lookup || this.refreshing || this.missed.has(index)) return;
    this.missed.add(index);
    this.refreshing = true;
    this.lookup()
      .then((all) => {
        for (const [i, n] of all) if (!this.names.has(i)) this.names.set(i, n);
      })
      .catch(() => undefined)
      .finally(() => (this.refreshing = false));
  }
  set(index: number, name: string): void {
    this.names.set(index, name);
  }
  delete(index: number): void {
    this.names.delete(index);
  }
  get(index: number): string | undefined {
    return this.names.get(index);
  }
  /** The name, or `if3` as ip says for an index it does not know. */
  name(index: JsonValue | undefined): string {
    if (typeof index !== 'number') return String(index);
    const name = this.names.get(index);
    if (name !== undefined) return name;
    this.refresh(index);
    return `if${index}`;
  }
}

/** `ip -ts` time: local, `[2026-12-01T09:23:39.673678]`, from the message's ISO time. */
export function ipTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return `[${iso}]`;
  const frac = /\.(\d+)Z?$/.exec(iso)?.[1] ?? '000';
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `[${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${frac.padEnd(6, '0').slice(0, 6)}]`;
}

const str = (v: JsonValue | undefined): string => (Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const FAMILY: Record<string, string> = { AF_INET: 'inet', AF_INET6: 'inet6', AF_UNSPEC: '', AF_BRIDGE: 'bridge', AF_MPLS: 'mpls', AF_PACKET: 'link' };
const familyName = (v: JsonValue | undefined) => (typeof v === 'string' && v in FAMILY ? FAMILY[v] : str(v).replace(/^AF_/, '').toLowerCase());
const has = (v: JsonValue | undefined) => v !== undefined && v !== null && v !== '';
const flagsOf = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** "RTM_NEWLINK" → ["LINK", false]; "RTM_DELADDR" → ["ADDR", true]. */
function tagOf(typeName: string): { tag: string; deleted: boolean } {
  const m = /^RTM_(NEW|DEL|GET|SET)(.+)$/.exec(typeName);
  if (m) return { tag: m[2], deleted: m[1] === 'DEL' };
  return { tag: typeName.replace(/^NLMSG_/, ''), deleted: false };
}

type LineFn = (r: FlatRecord, names: InterfaceNames) => string;

function linkLine(r: FlatRecord): string {
  const flags = flagsOf(r.flags);
  const parts = [str(r.ifname) || `if${str(r.ifindex)}`, flags.includes('UP') ? 'UP' : 'DOWN'];
  if (has(r.mtu)) parts.push(`mtu ${str(r.mtu)}`);
  if (has(r.operstate)) parts.push(`state ${str(r.operstate)}`);
  const kind = r.linkinfo && typeof r.linkinfo === 'object' && !Array.isArray(r.linkinfo) ? (r.linkinfo as FlatRecord).kind : undefined;
  if (has(kind)) parts.push(str(kind));
  if (has(r.address) && r.address !== '00:00:00:00:00:00') parts.push(str(r.address));
  return parts.join(' ');
}

function prefixOf(addr: JsonValue | undefined, len: JsonValue | undefined, family: string): string {
  if (!has(addr)) return Number(len) === 0 || len === undefined ? 'default' : `0/${str(len)}`;
  const host = family === 'inet6' ? 128 : 32;
  return len === undefined || Number(len) === host ? str(addr) : `${str(addr)}/${str(len)}`;
}

function addrLine(r: FlatRecord, n: InterfaceNames): string {
  const fam = familyName(r.family);
  const parts = [`${str(r.local ?? r.address)}/${str(r.prefixlen)}`];
  if (has(r.local) && has(r.address) && r.address !== r.local) parts.push(`peer ${str(r.address)}`);
  parts.push(`dev ${n.name(r.ifindex)}`);
  if (fam) parts.push(fam);
  if (has(r.scope)) parts.push(`scope ${str(r.scope)}`);
  if (has(r.label) && r.label !== n.get(Number(r.ifindex))) parts.push(`label ${str(r.label)}`);
  return parts.join(' ');
}

function routeLine(r: FlatRecord, n: InterfaceNames): string {
  const fam = familyName(r.family);
  const parts: string[] = [];
  if (has(r.type) && r.type !== 'unicast') parts.push(str(r.type));
  parts.push(prefixOf(r.dst, r.dst_len, fam));
  if (has(r.gateway)) parts.push(`via ${str(r.gateway)}`);
  if (has(r.oif)) parts.push(`dev ${n.name(r.oif)}`);
  if (has(r.table) && r.table !== 'main') parts.push(`table ${str(r.table)}`);
  if (has(r.protocol) && r.protocol !== 'boot') parts.push(`proto ${str(r.protocol)}`);
  if (has(r.scope) && r.scope !== 'global') parts.push(`scope ${str(r.scope)}`);
  if (has(r.prefsrc)) parts.push(`src ${str(r.prefsrc)}`);
  if (has(r.priority)) parts.push(`metric ${str(r.priority)}`);
  parts.push(...flagsOf(r.flags));
  if (has(r.pref)) parts.push(`pref ${str(r.pref)}`);
  return parts.join(' ');
}

function neighLine(r: FlatRecord, n: InterfaceNames): string {
  const parts = [has(r.dst) ? str(r.dst) : familyName(r.family), `dev ${n.name(r.ifindex)}`];
  if (has(r.lladdr)) parts.push(`lladdr ${str(r.lladdr)}`);
  parts.push(...flagsOf(r.flags).map((f) => f.toLowerCase()), ...flagsOf(r.state));
  return parts.join(' ');
}

function ruleLine(r: FlatRecord): string {
  const fam = familyName(r.family);
  const parts = [`${has(r.priority) ? str(r.priority) : 0}:`, 'from', has(r.src) ? prefixOf(r.src, r.src_len, fam) : 'all'];
  if (has(r.dst)) parts.push('to', prefixOf(r.dst, r.dst_len, fam));
  if (has(r.fwmark)) parts.push('fwmark', str(r.fwmark));
  parts.push(r.action === 'to_tbl' || !has(r.action) ? `lookup ${str(r.table)}` : str(r.action));
  return parts.join(' ');
}

const RP_FILTER: Record<number, string> = { 0: 'off', 1: 'strict', 2: 'loose' };

/** Like ip: `inet dv0 forwarding off rp_filter loose …`; index -1 is "all", -2 "default". */
function netconfLine(r: FlatRecord, n: InterfaceNames): string {
  const parts: string[] = [];
  const fam = familyName(Object.entries(r).find(([k]) => /family$/.test(k))?.[1]);
  if (fam) parts.push(fam);
  for (const [k, v] of Object.entries(r)) {
    if (/family$/.test(k)) continue;
    if (k === 'ifindex') parts.push(v === -1 ? 'all' : v === -2 ? 'default' : n.name(v));
    else if (typeof v === 'number') parts.push(k, k === 'rp_filter' ? RP_FILTER[v] ?? String(v) : v ? 'on' : 'off');
  }
  return parts.join(' ');
}

/** Anything else: its scalar fields as key value, interface indexes named. */
function genericLine(r: FlatRecord, n: InterfaceNames, max = 8): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (parts.length >= max) break;
    if (v === null || typeof v === 'object' && !Array.isArray(v) || Array.isArray(v) && v.some((x) => typeof x === 'object')) continue;
    if (/family$/.test(k) && typeof v === 'string') {
      const f = familyName(v);
      if (f) parts.push(f);
      continue;
    }
    parts.push(/^(ifindex|.*_ifindex|oif|iif|dev|link|master)$/.test(k) && typeof v === 'number' ? `dev ${n.name(v)}` : `${k} ${str(v)}`);
  }
  return parts.join(' ');
}

const LINES: Record<string, LineFn> = { LINK: linkLine, ADDR: addrLine, ROUTE: routeLine, NEIGH: neighLine, RULE: ruleLine, NETCONF: netconfLine };

/** One line for one message (without the timestamp). */
export function monitorLine(m: DecodedMessage, names: InterfaceNames, rec: FlatRecord = recordOf(m)): string {
  if (m.error) return m.error.errno ? `[ERROR] ${m.error.name}: ${m.error.text}${m.error.extack?.msg ? `: ${m.error.extack.msg}` : ''}` : '[ACK]';
  const typeName = m.type_name ?? `type ${m.type}`;
  if (m.family) {
    const cmd = m.header?.fields.cmd;
    const cmdName = typeof cmd === 'string' ? cmd.replace(/^.*?_(CMD|MSG)_/, '').toLowerCase() : str(cmd);
    const { cmd: _c, version: _v, reserved: _r, ...attrs } = rec;
    return `[${m.family}:${cmdName}] ${genericLine(attrs, names)}`.trimEnd();
  }
  const { tag, deleted } = tagOf(typeName);
  const fn = LINES[tag];
  let body: string;
  if (fn) body = fn(rec, names);
  else if (m.payload) body = m.payload.text !== undefined ? JSON.stringify(m.payload.text) : m.payload.hex.slice(0, 64);
  else body = genericLine(rec, names);
  return `[${tag}] ${deleted ? 'Deleted ' : ''}${body}`.trimEnd();
}

function recordOf(m: DecodedMessage): FlatRecord {
  return m.header || m.attrs ? toRecord(m, schemaFor(m.protocol_number)) : {};
}

/** Link events keep the names current; a deleted link's name is still used for its own line. */
function learn(m: DecodedMessage, rec: FlatRecord, names: InterfaceNames): (() => void) | undefined {
  if (m.protocol_number !== 0 || !/^RTM_(NEW|DEL)LINK$/.test(m.type_name ?? '')) return undefined;
  const index = rec.ifindex;
  const name = rec.ifname;
  if (typeof index !== 'number') return undefined;
  if (typeof name === 'string') names.set(index, name);
  return m.type_name === 'RTM_DELLINK' ? () => names.delete(index) : undefined;
}

export interface MonitorOptions extends WriterOptions {
  names: InterfaceNames;
  timestamps?: boolean;
}

export class MonitorWriter implements MessageWriter {
  private readonly c: ChalkInstance;
  constructor(private readonly opts: MonitorOptions) {
    this.c = chalkFor(opts.color);
  }
  write(item: OutputItem): void {
    if ('record' in item) return;
    const m = item.message;
    const rec = recordOf(m);
    const after = learn(m, rec, this.opts.names);
    let line = monitorLine(m, this.opts.names, rec);
    line = line.replace(/^\[[^\]]+\]/, (t) => this.c.bold(t));
    if (m.meta?.from_pid) line += this.c.dim(` (from port ${m.meta.from_pid})`);
    if (m.meta?.nsid !== undefined) line = `${this.c.dim(`[nsid ${m.meta.nsid}]`)} ${line}`;
    if (this.opts.timestamps && m.meta?.time) line = `${this.c.dim(ipTimestamp(m.meta.time))} ${line}`;
    for (const d of m.diagnostics) line += this.c.red(` ! offset ${d.offset}: ${d.message}`);
    this.opts.sink.write(line + '\n');
    after?.();
  }
  event(e: OutputEvent): void {
    const text = `${this.opts.timestamps && e.time ? ipTimestamp(e.time) + ' ' : ''}[${e.event.toUpperCase()}] ${e.message}`;
    this.opts.sink.write((e.event === 'info' ? this.c.dim(text) : this.c.red.bold(text)) + '\n');
  }
  end(): void {}
}
