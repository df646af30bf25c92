// Options → one netlink message: protocol, type, flags, seq, pid, family header, payload
// (text, hex, file, stdin, or typed attributes). Shared by `send` and `encode`.
import { readFileSync } from 'node:fs';
import { concat, fromHex, NLM_F_REQUEST, parseFlags, encodeAttrs, align4 } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { messageType, protocolNumber, schemaFor, structSize, type Schema } from '../schema/index.js';
import { encodeStruct, EncodeError, parseAttrSpecs } from '../schema/encode.js';
import { splitHeaderFields, ynlAttrs } from '../schema/ynl-encode.js';
import { specFamily } from '../schema/ynl/index.js';
import type { Transport } from '../transport/index.js';
import { GENL_ID_CTRL, NETLINK_GENERIC, resolveFamily } from '../transport/index.js';
import { genlCommand, genlOp, genlTables } from '../schema/protocols/generic/index.js';

export interface MessageOptions {
  proto?: string;
  type?: string;
  flags?: string;
  seq?: number;
  pid?: number;
  family?: string;
  cmd?: string;
  genlVersion?: number;
  header?: string;
  headerHex?: string;
  hex?: string;
  file?: string;
  attr?: string[];
  /** Request attributes as JSON in YNL's shape (spec names). */
  request?: string;
  /** A netlink-raw spec family's tables, used instead of the protocol's (dump --family rt-link). */
  specSchema?: Schema;
  nul?: boolean;
}

export interface BuiltMessage {
  protocol: number;
  schema: Schema;
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** Everything after nlmsghdr. */
  payload: Uint8Array;
  label: string;
  /** The generic netlink family asked for, once resolved. */
  genl?: { id: number; name: string };
}

/** Where a generic netlink family id comes from: live nlctrl, or a number given by the user. */
export type FamilyResolver = (name: string) => Promise<{ id: number; version: number }>;

export function liveResolver(t: Transport): FamilyResolver {
  return (name) => resolveFamily(t, name);
}

function parseFieldList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 1) throw new UsageError(`--header: expected field=value, got '${part}'`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function genlCommandNumber(familyName: string, spec: string | undefined): number {
  if (spec === undefined) throw new UsageError(`--family ${familyName} needs --cmd (a number, or a command name)`);
  const cmd = genlCommand(familyName, spec) ?? (/^(0x[0-9a-f]+|\d+)$/i.test(spec) ? Number(spec) : undefined);
  if (cmd !== undefined) return cmd;
  const ops = genlTables(familyName)?.family.ops.filter((op) => op.do || op.dump).map((op) => op.name);
  throw new UsageError(`unknown command '${spec}' for family ${familyName}${ops ? ` (known: ${ops.join(', ')})` : ': give its number'}`);
}

/**
 * A message type without an attribute table of its own (an opaque payload such as
 * NLTEST_MSG_ECHO) still takes attributes by name: the protocol's table whose prefix the
 * first --attr name carries (the longest such prefix), e.g. NLTEST_ATTR_DATA → NLTEST_ATTR_.
 */
function attrSetOfName(schema: Schema, spec: string): string | undefined {
  const name = spec.split(/[={,]/)[0].trim().toUpperCase();
  let best: string | undefined;
  let bestLen = 0;
  for (const [setName, set] of Object.entries(schema.attrSets)) {
    const prefix = set.prefix.toUpperCase();
    if (prefix.length > bestLen && name.length > prefix.length && name.startsWith(prefix)) {
      best = setName;
      bestLen = prefix.length;
    }
  }
  return best;
}

/** The payload body from text / --hex / --file / stdin; undefined when none was given. */
export async function readBody(o: MessageOptions, text: string | undefined, stdin?: () => Promise<Buffer>): Promise<Uint8Array | undefined> {
  const sources = [text !== undefined, o.hex !== undefined, o.file !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError('give the payload one way: text, --hex or --file');
  if (o.hex !== undefined) {
    try {
      return fromHex(o.hex);
    } catch (e) {
      throw new UsageError(`--hex: ${(e as Error).message}`);
    }
  }
  if (o.file !== undefined) {
    try {
      return o.file === '-' && stdin ? await stdin() : readFileSync(o.file);
    } catch (e) {
      throw new UsageError(`--file ${o.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  if (text !== undefined) {
    const bytes = new TextEncoder().encode(text);
    return o.nul ? concat([bytes, new Uint8Array(1)]) : bytes;
  }
  return undefined;
}

/**
 * --family of a netlink-raw spec (rt-link, tc, netlink-test): its protocol, the operation's
 * request type and the spec's own tables; undefined for generic netlink families.
 */
export function rawFamilyOptions(o: MessageOptions): MessageOptions | undefined {
  if (!o.family || /^\d+$/.test(o.family)) return undefined;
  const fam = specFamily(o.family);
  if (fam?.protocol !== 'netlink-raw') return undefined;
  if (o.cmd === undefined) throw new UsageError(`--family ${o.family} needs --cmd (nlctl spec ${o.family} lists the operations)`);
  const want = o.cmd.toUpperCase().replace(/-/g, '_');
  const op = fam.ops.find((x) => x.name === o.cmd || x.cName === want || x.name.toUpperCase().replace(/-/g, '_') === want);
  if (!op || op.reqValue === undefined || op.isAsync) throw new UsageError(`unknown operation '${o.cmd}' for family ${o.family} (known: ${fam.ops.filter((x) => x.do || x.dump).map((x) => x.name).join(', ')})`);
  const proto = schemaFor(fam.protonum);
  return { ...o, family: undefined, cmd: undefined, proto: String(fam.protonum), type: String(op.reqValue), specSchema: { ...fam.schema, name: proto.name } };
}

export async function buildMessage(given: MessageOptions, body: Uint8Array | undefined, resolver?: FamilyResolver): Promise<BuiltMessage> {
  const o = rawFamilyOptions(given) ?? given;
  const protocol = protocolNumber(o.proto ?? (o.family ? 'generic' : 'route'));
  if (protocol === undefined) throw new UsageError(`unknown protocol '${o.proto}' (a name like route, generic, test, or a number 0-31)`);
  const schema = o.specSchema ?? schemaFor(protocol);
  // Attributes are written with the tables of what they belong to (a genl family's own).
  let attrSchema = schema;
  let flags = NLM_F_REQUEST;
  if (o.flags !== undefined) {
    try {
      flags = parseFlags(o.flags);
    } catch (e) {
      throw new UsageError(`--flags: ${(e as Error).message}`);
    }
  }
  let type: number;
  let familyHeader: Uint8Array = new Uint8Array(0);
  let attrSet: string | undefined;
  let label: string;
  let genl: BuiltMessage['genl'];

  if (o.family) {
    if (protocol !== NETLINK_GENERIC) throw new UsageError('--family is for generic netlink (--proto generic)');
    let id: number, version: number;
    if (/^\d+$/.test(o.family)) {
      id = Number(o.family);
      version = o.genlVersion ?? 1;
    } else if (o.family === 'nlctrl') {
      id = GENL_ID_CTRL;
      version = o.genlVersion ?? 2;
    } else {
      if (!resolver) throw new UsageError(`family '${o.family}' must be looked up live; give its number instead`);
      const fam = await resolver(o.family);
      id = fam.id;
      version = o.genlVersion ?? fam.version;
    }
    const name = o.family;
    const cmd = genlCommandNumber(name, o.cmd);
    type = id;
    familyHeader = Uint8Array.from([cmd, version, 0, 0]);
    const tables = genlTables(name);
    const op = o.cmd !== undefined ? genlOp(name, o.cmd) ?? tables?.reqOps.get(cmd) : undefined;
    attrSet = op?.attrSet;
    if (tables) attrSchema = tables.request;
    label = op ? `${name} ${op.name}` : `${name} cmd ${cmd}`;
    genl = { id, name };
  } else {
    if (o.type === undefined) {
      if (protocol === 0) throw new UsageError('--type is needed (e.g. RTM_GETLINK or 18)');
      type = 0;
    } else {
      const t = messageType(schema, o.type);
      if (t === undefined || t > 0xffff) throw new UsageError(`unknown message type '${o.type}' for protocol ${schema.name}`);
      type = t;
    }
    const def = schema.messages[type];
    label = def?.name ?? `${schema.name} type ${type}`;
    attrSet = def?.attrs;
    if (o.header !== undefined) {
      const sdef = def?.header ? schema.structs[def.header] : undefined;
      if (!sdef) throw new UsageError(`${label} has no family header to fill by fields; use --header-hex`);
      try {
        familyHeader = encodeStruct(sdef, parseFieldList(o.header), schema, (d) => structSize(d, schema));
      } catch (e) {
        throw new UsageError(`--header: ${(e as Error).message}`);
      }
    } else if (def?.header && schema.structs[def.header] && (o.attr?.length || body === undefined)) {
      // Attributes follow the family header, so an all-zero one is implied.
      familyHeader = new Uint8Array(structSize(schema.structs[def.header], schema));
    }
  }
  if (o.headerHex !== undefined) {
    try {
      familyHeader = fromHex(o.headerHex);
    } catch (e) {
      throw new UsageError(`--header-hex: ${(e as Error).message}`);
    }
  }

  let attrs: Uint8Array = new Uint8Array(0);
  if (o.request !== undefined) {
    if (o.attr?.length) throw new UsageError('give the request attributes one way: --attr or --request/--json');
    let obj: unknown;
    try {
      obj = JSON.parse(o.request);
    } catch (e) {
      throw new UsageError(`--request: not JSON: ${(e as Error).message}`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError('--request: give an object, e.g. \'{"header": {"dev-name": "lo"}}\'');
    try {
      // Fields of the fixed family header sit beside the attributes, as YNL takes them.
      const def = o.family ? undefined : schema.messages[type];
      const split = def?.header && o.header === undefined && o.headerHex === undefined ? splitHeaderFields(obj as Record<string, never>, def.header, attrSchema) : { rest: obj as Record<string, never> };
      if (split.header) familyHeader = split.header;
      attrs = encodeAttrs(ynlAttrs(split.rest, attrSet ? attrSchema.attrSets[attrSet] : undefined, attrSchema, ''));
    } catch (e) {
      if (e instanceof EncodeError || e instanceof RangeError) throw new UsageError(`--request: ${e.message}`);
      throw e;
    }
  }
  if (o.attr?.length) {
    attrSet ??= attrSetOfName(attrSchema, o.attr[0]);
    try {
      // One list, so that a sub-message finds its selector in another --attr (kind=vxlan).
      attrs = encodeAttrs(parseAttrSpecs(o.attr.join(','), attrSchema, attrSet));
    } catch (e) {
      if (e instanceof EncodeError || e instanceof RangeError) throw new UsageError(`--attr: ${e.message}`);
      throw e;
    }
  }
  const padded = (b: Uint8Array) => (b.length % 4 && (attrs.length || body) ? concat([b, new Uint8Array(align4(b.length) - b.length)]) : b);
  const payload = concat([padded(familyHeader), body && attrs.length ? padded(body) : body ?? new Uint8Array(0), attrs]);
  return { protocol, schema, type, flags, seq: o.seq ?? 0, pid: o.pid ?? 0, payload, label, genl };
}
