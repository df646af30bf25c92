// Messages whose layout depends on more than their type, declared as data in the vocabulary of
// the YNL specs: an operation's request and reply layouts, a sub-layout picked by a selector
// in the fixed header (sock_diag's family byte, genl's cmd), the families a type stands for
// (genl ids), and the layout of types no table lists. `layoutResolver` is the one lookup over
// it; a schema's `resolve` is that lookup, so the decoder and encoder call it as before.
import { NLM_F_REQUEST, type NlMsgHeader } from '../codec/index.js';
import { kindOf } from './protocols/common.js';
import type { DecodeContext, MessageDef, Schema } from './types.js';

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

/** One operation of a family's spec: its command numbers' attribute set. */
export interface FamilyOp {
  name: string;
  attrSet?: string;
}

/** A family's spec tables, split by direction (generic netlink: spec-tables.ts). */
export interface FamilyTables {
  family: { name: string };
  request: Schema;
  reply: Schema;
  reqOps: Map<number, FamilyOp>;
  rspOps: Map<number, FamilyOp>;
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

export type Resolved = (MessageDef & { family?: string; schema?: Schema }) | undefined;

function direction(layout: OpLayout | undefined, reply: boolean): MessageDef | undefined {
  return reply ? layout?.reply : layout?.request;
}

/**
 * The layouts a family's commands resolve to, by family tables, then direction and command: the
 * same frozen object for every message of one command (a genl capture resolves one per message).
 */
const FAMILY_LAYOUTS = new WeakMap<FamilyTables, Map<number, Resolved>>();
/** Those of families nlctl has no tables for, by name. */
const UNTABLED = new Map<string, Resolved>();

/** A command of a family: its name in the direction's enum, its operation's attribute set. */
function familyLayout(f: FamilyLayouts, type: number, payload: Uint8Array, ctx: DecodeContext, reply: boolean): Resolved {
  const name = ctx.genlFamilies.get(type) ?? f.fixed[type];
  const tables = name !== undefined ? f.tables(name) : undefined;
  if (!tables) {
    const key = name ?? '';
    let r = UNTABLED.get(key);
    if (!r) {
      const base: MessageDef = { name: '', kind: 'other', header: f.header, attrs: f.unknownSet };
      UNTABLED.set(key, (r = Object.freeze(name !== undefined ? { ...base, family: name } : base)));
    }
    return r;
  }
  const cmd = payload.length > f.cmdOffset ? payload[f.cmdOffset] : -1;
  let byCmd = FAMILY_LAYOUTS.get(tables);
  if (!byCmd) FAMILY_LAYOUTS.set(tables, (byCmd = new Map()));
  // cmd is -1..255: one key per direction and command.
  const key = (reply ? 512 : 0) + cmd + 1;
  let r = byCmd.get(key);
  if (!r) byCmd.set(key, (r = Object.freeze(commandLayout(f, tables, cmd, reply))));
  return r;
}

function commandLayout(f: FamilyLayouts, tables: FamilyTables, cmd: number, reply: boolean): NonNullable<Resolved> {
  const schema = reply ? tables.reply : tables.request;
  // A request whose command only a reply names (a notification sent back) takes the reply's operation.
  const op = (reply ? tables.rspOps : tables.reqOps).get(cmd) ?? (reply ? undefined : tables.rspOps.get(cmd));
  const cmdName = schema.enums[reply ? f.cmdEnums.reply : f.cmdEnums.request]?.[cmd];
  return {
    name: cmdName ?? '',
    kind: cmdName ? kindOf(cmdName) : 'other',
    header: f.header,
    attrs: op?.attrSet ?? tables.mainSet ?? f.unknownSet,
    ...(op ? { spec: op.name } : {}),
    family: tables.family.name,
    schema,
  };
}

function isKnown(known: ReadonlySet<number> | Record<number, unknown>, type: number): boolean {
  return known instanceof Set ? known.has(type) : (known as Record<number, unknown>)[type] !== undefined;
}

/** The lookup over declared layouts; undefined means "the type's entry in `messages`". */
export function lookupLayout(l: MessageLayouts, type: number, payload: Uint8Array, ctx: DecodeContext, header: Pick<NlMsgHeader, 'flags'>): Resolved {
  // Requests carry NLM_F_REQUEST; replies, notifications and multicast events do not.
  const reply = (header.flags & NLM_F_REQUEST) === 0;
  if (payload.length === 0 && l.empty?.[type]) return direction(l.empty[type], reply);
  const t = l.types?.[type];
  if (t && !(t.withPayload && payload.length === 0)) {
    if (t.select) return direction(t.select.cases[payload[t.select.offset]], reply);
    return direction(t, reply);
  }
  if (l.families) return familyLayout(l.families, type, payload, ctx, reply);
  const u = l.unknown;
  if (u && !isKnown(u.known, type) && (!u.ranges || u.ranges.some(([lo, hi]) => type >= lo && type <= hi))) return u.layout;
  return undefined;
}

/** A schema's `resolve` over its declared layouts. */
export function layoutResolver(l: MessageLayouts): NonNullable<Schema['resolve']> {
  return (type, payload, ctx, header) => lookupLayout(l, type, payload, ctx, header);
}
