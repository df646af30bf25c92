// A generic netlink family's tables from its YNL spec: a schema per direction whose genlmsghdr
// names the commands (requests and replies may be numbered apart), and the ops by number.
import type { AttrSet, FieldDef, MessageKind, Schema, StructDef } from '../../types.js';
import { kindOf } from '../common.js';
import type { FamilyTables } from '../../layouts.js';
import { listSpecFamilies, specFamily, type SpecFamily, type SpecOp } from '../../ynl/index.js';
import { CTRL_CMDS } from './nlctrl.js';

/** The attribute set for messages no operation describes: every attribute walked generically. */
export const UNKNOWN_SET = 'genl-unknown';

/** The layouts' family tables (layouts.ts), with the spec's own family and operations; mainSet serves the commands no operation describes (nlctrl's notifications). */
export interface GenlTables extends FamilyTables {
  family: SpecFamily;
  reqOps: Map<number, SpecOp>;
  rspOps: Map<number, SpecOp>;
}

export function genlmsghdr(cmdEnum?: string, fixedHeader?: string): StructDef {
  const fields: FieldDef[] = [
    { name: 'cmd', type: 'u8', ...(cmdEnum ? { enum: cmdEnum } : {}) },
    { name: 'version', type: 'u8' },
    { name: 'reserved', type: 'u16' },
  ];
  // genetlink-legacy families may put a struct of their own after genlmsghdr (ovs_header).
  if (fixedHeader) fields.push({ name: fixedHeader, type: 'struct', struct: fixedHeader });
  return { name: 'genlmsghdr', fields };
}

const EMPTY_SET: AttrSet = { prefix: '', attrs: {} };
const TABLES = new WeakMap<SpecFamily, GenlTables>();

function build(family: SpecFamily): GenlTables {
  const reqOps = new Map<number, SpecOp>();
  const rspOps = new Map<number, SpecOp>();
  const reqNames: Record<number, string> = {};
  const rspNames: Record<number, string> = {};
  for (const op of family.ops) {
    if (op.reqValue !== undefined && !op.isAsync && !reqOps.has(op.reqValue)) {
      reqOps.set(op.reqValue, op);
      reqNames[op.reqValue] = op.cName;
    }
  }
  for (const op of family.ops) {
    const v = op.isAsync ? op.rspValue ?? op.reqValue : op.rspValue;
    if (v !== undefined && !rspOps.has(v)) {
      rspOps.set(v, op);
      rspNames[v] = op.replyCName;
    }
  }
  if (family.name === 'nlctrl') {
    for (const [n, name] of Object.entries(CTRL_CMDS)) {
      reqNames[Number(n)] ??= name;
      rspNames[Number(n)] ??= name;
    }
  }
  const make = (names: Record<number, string>, key: string): Schema => ({
    ...family.schema,
    protocol: 16,
    name: 'generic',
    messages: {},
    structs: { ...family.schema.structs, genlmsghdr: genlmsghdr(key, family.fixedHeader) },
    attrSets: { ...family.schema.attrSets, [UNKNOWN_SET]: EMPTY_SET },
    enums: { ...family.schema.enums, [key]: names },
  });
  const counts = new Map<string, number>();
  for (const op of family.ops) if (op.attrSet) counts.set(op.attrSet, (counts.get(op.attrSet) ?? 0) + 1);
  const mainSet = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const kinds = (names: Record<number, string>): Record<number, MessageKind> => Object.fromEntries(Object.entries(names).map(([n, name]) => [n, kindOf(name)]));
  return {
    family, request: make(reqNames, 'genl-cmd'), reply: make(rspNames, 'genl-cmd-reply'), reqOps, rspOps,
    kinds: { request: kinds(reqNames), reply: kinds(rspNames) }, mainSet,
  };
}

/** The tables of a generic netlink family by name (a genetlink spec), or undefined. */
export function genlTables(name: string): GenlTables | undefined {
  const family = specFamily(name);
  if (!family || family.protocol === 'netlink-raw') return undefined;
  let t = TABLES.get(family);
  if (!t) TABLES.set(family, (t = build(family)));
  return t;
}

/** The generic netlink families nlctl has a spec for (built in, or given at run time). */
export function genlFamilyNames(): string[] {
  return listSpecFamilies().filter((f) => f.protocol !== 'netlink-raw').map((f) => f.name);
}

/** A family's operation by its command number (requests first, then replies and events). */
export function genlOpByNumber(family: string, cmd: number): SpecOp | undefined {
  const t = genlTables(family);
  return t?.reqOps.get(cmd) ?? t?.rspOps.get(cmd);
}
