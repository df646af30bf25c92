// Options → one netlink message: protocol, type, flags, seq, pid, family header, payload
// (text, hex, file, stdin, or typed attributes). Shared by `send` and `encode`.
import { concat, fromHex, NLM_F_DUMP, NLM_F_REQUEST, parseFlags, encodeAttrs, align4 } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { protocolOrThrow, suggestInMessage, typeOrThrow } from './names.js';
import { schemaFor, structSize, type Schema } from '../schema/index.js';
import { encodeStruct, EncodeError, parseAttrSpecs } from '../schema/encode.js';
import { AttrSpecError } from '../schema/attr-checks.js';
import { splitHeaderFields, ynlAttrs } from '../schema/ynl-encode.js';
import { specFamily } from '../schema/ynl/index.js';
import type { Transport } from '../transport/index.js';
import { buildRequest, GENL_ID_CTRL, NETLINK_GENERIC } from '../transport/index.js';
import { resolveFamilyOrSuggest } from './genl-families.js';
import { genlCommand, genlOp, genlTables } from '../schema/protocols/generic/index.js';
import { readUserFile } from './read-file.js';
import { checkOptionCombinations } from './message-checks.js';
import { headerByFields, resolveDef } from './header-resolve.js';
import { attrsWantPolicy, opPolicy } from './policy-typing.js';
import { withPolicy } from '../schema/policy/overlay.js';
import type { FamilyPolicy } from '../schema/types.js';

export type { MessageOptions } from './message-options.js';
import type { MessageOptions } from './message-options.js';

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
  /**
   * The generic netlink family asked for, once resolved; `reply` is nlctrl's CTRL_CMD_NEWFAMILY
   * message that named it; `policy`: its op's policy, when it typed --attr.
   */
  genl?: { id: number; name: string; reply?: Uint8Array; policy?: FamilyPolicy };
  /** What the user may mean but is probably a mistake (a family header of the wrong size): said on stderr. */
  warnings: string[];
  /** The protocol's datagrams have no nlmsghdr (uevent): `payload` is the whole datagram. */
  raw?: boolean;
}

/** The bytes to send: nlmsghdr and payload, or the bare datagram for protocols without nlmsghdr. */
export function messageBytes(m: BuiltMessage, seq: number, pid: number): Uint8Array {
  return m.raw ? Uint8Array.from(m.payload) : buildRequest(m.type, m.flags, m.payload, seq, pid);
}

/** Say the message's warnings, one `nlctl: warning:` line each. */
export function writeWarnings(m: BuiltMessage, stderr: { write(s: string): unknown }): void {
  for (const w of m.warnings) stderr.write(`nlctl: warning: ${w}\n`);
}

/** Hex from an option, or a usage error that says what hex is wanted. */
function hexOption(option: string, text: string): Uint8Array {
  try {
    return fromHex(text);
  } catch {
    const shown = text.length > 40 ? text.slice(0, 40) + '…' : text;
    throw new UsageError(`${option}: '${shown}' is not hex bytes (pairs of digits 0-9, a-f)`);
  }
}

/**
 * Where a generic netlink family id comes from: live nlctrl, or a number given by the user.
 * Live, nlctrl also gives an op's policy, which types --attr given by number.
 */
export type FamilyResolver = ((name: string) => Promise<{ id: number; version: number; reply?: Uint8Array }>) & {
  policy?: (name: string, cmd: number) => Promise<FamilyPolicy>;
};

export function liveResolver(t: Transport): FamilyResolver {
  const resolve: FamilyResolver = (name) => resolveFamilyOrSuggest(t, name);
  resolve.policy = (name, cmd) => opPolicy(t, name, cmd);
  return resolve;
}

/** "f=v,g=w": a part without '=' continues the value before it, so flag lists read "ifi_flags=up,loopback". */
function parseFieldList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0 && last !== undefined) {
      out[last] += `,${part}`;
      continue;
    }
    if (eq < 1) throw new EncodeError(`expected field=value, got '${part}'`);
    last = part.slice(0, eq).trim();
    out[last] = part.slice(eq + 1).trim();
  }
  if (last === undefined) throw new EncodeError(`no field=value in '${text}'`);
  return out;
}

function genlCommandNumber(familyName: string, spec: string | undefined): number {
  if (spec === undefined) throw new UsageError(`--family ${familyName} needs --cmd (a number, or a command name)`);
  const cmd = genlCommand(familyName, spec) ?? (/^(0x[0-9a-f]+|\d+)$/i.test(spec) ? Number(spec) : undefined);
  if (cmd !== undefined && cmd > 0xff) throw new UsageError(`--cmd ${spec}: a command is one byte of genlmsghdr (0-255)`);
  if (cmd !== undefined) return cmd;
  const ops = genlTables(familyName)?.family.ops.filter((op) => op.do || op.dump).map((op) => op.name);
  throw new UsageError(`unknown command '${spec}' for family ${familyName}${ops ? `${didYouMean(spec, ops)} (known: ${ops.join(', ')})` : ': give its number'}`);
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
    return hexOption('--hex', o.hex);
  }
  if (o.file !== undefined) {
    return o.file === '-' && stdin ? await stdin() : readUserFile(o.file, '--file');
  }
  if (o.nul && text === undefined) throw new UsageError('--nul NUL-terminates a text payload: give the text as an argument');
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
  const protocol = protocolOrThrow(o.proto ?? (o.family ? 'generic' : 'route'));
  const schema = o.specSchema ?? schemaFor(protocol);
  // Attributes are written with the tables of what they belong to (a genl family's own).
  let attrSchema = schema;
  checkOptionCombinations(o, schema);
  if (schema.framing === 'raw') {
    const payload = body ?? new Uint8Array(0);
    return { protocol, schema, type: 0, flags: 0, seq: 0, pid: 0, payload, label: `${schema.name} datagram`, warnings: [], raw: true };
  }
  let flags = NLM_F_REQUEST;
  if (o.flags !== undefined) {
    if (!/[^\s,|+]/.test(o.flags)) throw new UsageError(`--flags: no flags in '${o.flags}' (names like request,ack,dump, or a number; 0 for none)`);
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
  let genlPolicy: FamilyPolicy | undefined;
  const warnings: string[] = [];
  // The fixed header the message type has, for checking --header-hex against.
  let headerName: string | undefined;
  let headerSize: number | undefined;

  if (o.family) {
    if (protocol !== NETLINK_GENERIC) throw new UsageError('--family is for generic netlink (--proto generic)');
    let id: number, version: number;
    let reply: Uint8Array | undefined;
    if (/^\d+$/.test(o.family)) {
      id = Number(o.family);
      if (id > 0xffff) throw new UsageError(`--family ${o.family}: a family id is the 16-bit message type (0-65535)`);
      version = o.genlVersion ?? 1;
    } else if (o.family === 'nlctrl') {
      id = GENL_ID_CTRL;
      version = o.genlVersion ?? 2;
    } else {
      if (!resolver) throw new UsageError(`family '${o.family}' must be looked up live; give its number instead`);
      const fam = await resolver(o.family);
      id = fam.id;
      version = o.genlVersion ?? fam.version;
      reply = fam.reply;
    }
    const name = o.family;
    const cmd = genlCommandNumber(name, o.cmd);
    type = id;
    familyHeader = Uint8Array.from([cmd, version, 0, 0]);
    headerName = 'genlmsghdr';
    headerSize = 4;
    const tables = genlTables(name);
    const op = o.cmd !== undefined ? genlOp(name, o.cmd) ?? tables?.reqOps.get(cmd) : undefined;
    attrSet = op?.attrSet;
    if (tables) attrSchema = tables.request;
    // `--attr 1=7` where no table knows attribute 1: the op's policy says what it is.
    if (resolver?.policy && attrsWantPolicy(o.attr, attrSet ? attrSchema.attrSets[attrSet] : undefined)) {
      // No policy (an old kernel, a family without one): the attribute asks for a type, as before.
      const policy = await resolver.policy(name, cmd).catch(() => undefined);
      const typed = policy && withPolicy(policy, tables ? attrSchema : schema, attrSet, cmd, (flags & NLM_F_DUMP) !== 0, false);
      if (typed) ({ schema: attrSchema, attrs: attrSet } = typed);
      if (typed) genlPolicy = policy;
    }
    label = op ? `${name} ${op.name}` : `${name} cmd ${cmd}`;
    genl = { id, name, ...(reply ? { reply } : {}), ...(genlPolicy ? { policy: genlPolicy } : {}) };
  } else {
    if (o.type === undefined) {
      if (protocol === 0) throw new UsageError('--type is needed (e.g. RTM_GETLINK or 18)');
      type = 0;
    } else {
      type = typeOrThrow(schema, o.type);
    }
    const def = schema.messages[type];
    label = def?.name ?? `${schema.name} type ${type}`;
    attrSet = def?.attrs;
    if (def?.header && schema.structs[def.header]) {
      headerName = def.header;
      headerSize = structSize(schema.structs[def.header], schema);
    }
    if (o.header !== undefined) {
      const sdef = def?.header ? schema.structs[def.header] : undefined;
      try {
        const values = parseFieldList(o.header);
        if (sdef) familyHeader = encodeStruct(sdef, values, schema, (d) => structSize(d, schema));
        else {
          // The header may depend on its own content (sock_diag's family byte).
          const found = headerByFields(schema, type, flags, values);
          if (!found) throw new UsageError(`${label} has no family header with the fields ${Object.keys(values).join(', ')}; use --header-hex`);
          familyHeader = found.bytes;
          headerName = found.sdef.name;
          headerSize = familyHeader.length;
          attrSet ??= found.def.attrs;
        }
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`--header: ${suggestInMessage((e as Error).message, schema)}`);
      }
    } else if (def?.header && schema.structs[def.header] && (o.attr?.length || body === undefined)) {
      // Attributes follow the family header, so an all-zero one is implied.
      familyHeader = new Uint8Array(structSize(schema.structs[def.header], schema));
    }
  }
  if (o.headerHex !== undefined) {
    familyHeader = hexOption('--header-hex', o.headerHex);
    const resolved = !o.family && !headerName ? resolveDef(schema, type, flags, familyHeader) : undefined;
    if (resolved?.header && schema.structs[resolved.header]) {
      headerName = resolved.header;
      headerSize = structSize(schema.structs[resolved.header], schema);
      attrSet ??= resolved.attrs;
    }
    // Sent as given (a short or long header is how one tests the kernel's checks), but said.
    if (headerSize !== undefined && familyHeader.length !== headerSize) {
      warnings.push(`--header-hex is ${familyHeader.length} byte(s), but ${label}'s ${headerName} is ${headerSize}: sending it as given`);
    }
  }

  let attrs: Uint8Array = new Uint8Array(0);
  if (o.attr?.length) {
    const empty = o.attr.find((a) => !/[^\s,]/.test(a));
    if (empty !== undefined) throw new UsageError(`--attr: '${empty}' holds no attribute (write NAME=value)`);
  }
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
      if (e instanceof EncodeError || e instanceof AttrSpecError || e instanceof RangeError) throw new UsageError(`--attr: ${suggestInMessage(e.message, schema, attrSet)}`);
      throw e;
    }
  }
  const padded = (b: Uint8Array) => (b.length % 4 && (attrs.length || body) ? concat([b, new Uint8Array(align4(b.length) - b.length)]) : b);
  const payload = concat([padded(familyHeader), body && attrs.length ? padded(body) : body ?? new Uint8Array(0), attrs]);
  return { protocol, schema, type, flags, seq: o.seq ?? 0, pid: o.pid ?? 0, payload, label, genl, warnings };
}
