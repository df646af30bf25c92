// Messages whose layout depends on more than their type, declared as data in the vocabulary of
// the YNL specs: an operation's request and reply layouts, a sub-layout picked by a selector
// in the fixed header (sock_diag's family byte, genl's cmd), the families a type stands for
// (genl ids), and the layout of types no table lists. `layoutResolver` is the one lookup over
// it; a schema's `resolve` is that lookup, so the decoder and encoder call it as before.
import { NLM_F_REQUEST, type NlMsgHeader } from '../codec/index.js';
import type { DecodeContext, MessageDef, MessageKind, Schema } from './types.js';

/** What an operation's request and its reply carry, when they differ (YNL's do/dump request and reply). */
export interface OpLayout {
  request?: MessageDef;
  reply?: MessageDef;
}

/** The layouts of one message type. */
export interface TypeLayout extends OpLayout {
  /** Only a message with a payload has these layouts (an empty one keeps the type's table entry). */
  withPayload?: boolean;
  /** The layout by the value of the payload byte at `offset` (a fixed-header field): YNL's sub-message selector. */
  select?: { offset: number; cases: Record<number, OpLayout> };
}

/** One operation of a family's spec: its command numbers' attribute set, and its request's command. */
export interface FamilyOp {
  name: string;
  attrSet?: string;
  reqValue?: number;
}

/** A family's spec tables, split by direction (generic netlink: spec-tables.ts). */
export interface FamilyTables {
  family: { name: string };
  request: Schema;
  reply: Schema;
  reqOps: Map<number, FamilyOp>;
  rspOps: Map<number, FamilyOp>;
  /** The kind of each command by direction, from its name (worked out once, with the tables). */
  kinds: { request: Record<number, MessageKind>; reply: Record<number, MessageKind> };
  mainSet?: string;
}

/** Types that stand for a family, whose tables then give each command's layout (YNL genetlink). */
export interface FamilyLayouts {
  /** Ids that are fixed (GENL_ID_CTRL); other ids are learned while decoding (DecodeContext.genlFamilies). */
  fixed: Record<number, string>;
  tables: (family: string) => FamilyTables | undefined;
  /** The fixed header every message has, and the set of a command no table describes. */
  header: string;
  unknownSet: string;
  /** Where the command number is in the payload (genlmsghdr.cmd), and the enums that name commands by direction. */
  cmdOffset: number;
  cmdEnums: { request: string; reply: string };
}

export interface MessageLayouts {
  /** Per message type: request and reply layouts, or a selector. */
  types?: Record<number, TypeLayout>;
  /** An empty message of these types (the AUDIT_GET request, which has no struct). */
  empty?: Record<number, OpLayout>;
  families?: FamilyLayouts;
  /**
   * The layout of a type that `known` does not list (netfilter's unknown subsystems still have
   * an nfgenmsg); within `ranges` only, when given (audit's user and daemon record numbers).
   */
  unknown?: { known: ReadonlySet<number> | Record<number, unknown>; layout: MessageDef; ranges?: [number, number][] };
}

/** Where a message of a family stands: its command, the request command it answers, its direction. */
export interface FamilyCommand {
  /** The command byte (genlmsghdr.cmd); undefined when the payload is too short to hold it. */
  cmd?: number;
  /** The command of the request: `cmd` for a request, its operation's request for a reply. */
  request?: number;
  reply: boolean;
  /** Whether the family has tables (a spec); without, only its policy can type its attributes. */
  described: boolean;
}

export type Resolved = (MessageDef & { family?: string; schema?: Schema }) | undefined;

/** A message of a family type: its layout, and where it stands when the family is known by name. */
export interface FamilyMessage {
  layout: NonNullable<Resolved>;
  command?: FamilyCommand;
}

/** Requests carry NLM_F_REQUEST; replies, notifications and multicast events do not. */
const isReply = (header: Pick<NlMsgHeader, 'flags'>): boolean => (header.flags & NLM_F_REQUEST) === 0;

function direction(layout: OpLayout | undefined, reply: boolean): MessageDef | undefined {
  return reply ? layout?.reply : layout?.request;
}

/**
 * What a family's messages resolve to, by family tables, then direction and command: the same
 * frozen object for every message of one command (a genl capture resolves one per message).
 */
const FAMILY_LAYOUTS = new WeakMap<FamilyTables, Map<number, FamilyMessage>>();
/** Those of families nlctl has no tables for (or no name: ''), by name, then direction and command. */
const UNTABLED = new WeakMap<FamilyLayouts, Map<string, Map<number, FamilyMessage>>>();

function unknownLayout(f: FamilyLayouts): MessageDef {
  return { name: '', kind: 'other', header: f.header, attrs: f.unknownSet };
}

function untabled(f: FamilyLayouts): Map<string, Map<number, FamilyMessage>> {
  let m = UNTABLED.get(f);
  if (!m) UNTABLED.set(f, (m = new Map()));
  return m;
}

function byCommand<K>(maps: { get(k: K): Map<number, FamilyMessage> | undefined; set(k: K, v: Map<number, FamilyMessage>): unknown }, k: K): Map<number, FamilyMessage> {
  let byCmd = maps.get(k);
  if (!byCmd) maps.set(k, (byCmd = new Map()));
  return byCmd;
}

/** A lookup's result, frozen and kept (made only on a miss: no closure per message). */
function remember(byCmd: Map<number, FamilyMessage>, key: number, r: FamilyMessage): FamilyMessage {
  Object.freeze(r.layout);
  if (r.command) Object.freeze(r.command);
  byCmd.set(key, Object.freeze(r));
  return r;
}

/** A command of a family: its name in the direction's enum, its operation's attribute set. */
export function lookupFamily(f: FamilyLayouts, type: number, payload: Uint8Array, ctx: DecodeContext, header: Pick<NlMsgHeader, 'flags'>): FamilyMessage {
  const reply = isReply(header);
  const name = ctx.genlFamilies.get(type) ?? f.fixed[type];
  if (name === undefined) {
    const m = byCommand(untabled(f), '');
    return m.get(0) ?? remember(m, 0, { layout: unknownLayout(f) });
  }
  const cmd = payload.length > f.cmdOffset ? payload[f.cmdOffset] : undefined;
  // cmd is undefined or 0..255: one key per direction and command.
  const key = (reply ? 512 : 0) + (cmd ?? -1) + 1;
  const tables = f.tables(name);
  if (!tables) {
    const m = byCommand(untabled(f), name);
    return m.get(key) ?? remember(m, key, {
      layout: { ...unknownLayout(f), family: name },
      command: { cmd, request: cmd, reply, described: false },
    });
  }
  const m = byCommand(FAMILY_LAYOUTS, tables);
  return m.get(key) ?? remember(m, key, commandLayout(f, tables, cmd, reply));
}

function commandLayout(f: FamilyLayouts, tables: FamilyTables, cmd: number | undefined, reply: boolean): FamilyMessage {
  const schema = reply ? tables.reply : tables.request;
  // A request whose command only a reply names (a notification sent back) takes the reply's operation.
  const op = cmd === undefined ? undefined : (reply ? tables.rspOps : tables.reqOps).get(cmd) ?? (reply ? undefined : tables.rspOps.get(cmd));
  const cmdName = cmd === undefined ? undefined : schema.enums[reply ? f.cmdEnums.reply : f.cmdEnums.request]?.[cmd];
  const layout = {
    name: cmdName ?? '',
    kind: (cmd !== undefined ? (reply ? tables.kinds.reply : tables.kinds.request)[cmd] : undefined) ?? 'other',
    header: f.header,
    attrs: op?.attrSet ?? tables.mainSet ?? f.unknownSet,
    ...(op ? { spec: op.name } : {}),
    family: tables.family.name,
    schema,
  };
  return { layout, command: { cmd, request: reply ? op?.reqValue ?? cmd : cmd, reply, described: true } };
}

function isKnown(known: ReadonlySet<number> | Record<number, unknown>, type: number): boolean {
  return known instanceof Set ? known.has(type) : (known as Record<number, unknown>)[type] !== undefined;
}

/** The lookup over declared layouts; undefined means "the type's entry in `messages`". */
export function lookupLayout(l: MessageLayouts, type: number, payload: Uint8Array, ctx: DecodeContext, header: Pick<NlMsgHeader, 'flags'>): Resolved {
  const reply = isReply(header);
  if (payload.length === 0 && l.empty?.[type]) return direction(l.empty[type], reply);
  const t = l.types?.[type];
  if (t && !(t.withPayload && payload.length === 0)) {
    if (t.select) return direction(t.select.cases[payload[t.select.offset]], reply);
    return direction(t, reply);
  }
  if (l.families) return lookupFamily(l.families, type, payload, ctx, header).layout;
  const u = l.unknown;
  if (u && !isKnown(u.known, type) && (!u.ranges || u.ranges.some(([lo, hi]) => type >= lo && type <= hi))) return u.layout;
  return undefined;
}

/** A schema's `resolve` over its declared layouts. */
export function layoutResolver(l: MessageLayouts): NonNullable<Schema['resolve']> {
  return (type, payload, ctx, header) => lookupLayout(l, type, payload, ctx, header);
}
