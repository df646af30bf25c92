// A checked YNL spec → nlctl's one schema vocabulary (types.ts): attribute sets keyed by number
// with C names (as the uapi headers spell them) and spec names side by side, structs, enums and
// flag sets, sub-messages, and the operations with their request/reply numbers.
import type { AttrDef, AttrSet, Display, FieldDef, MessageDef, Schema, StructDef, SubMessageFormat, ValueDef, WireType } from '../types.js';
import { keyed, kindOf } from '../protocols/common.js';
import { layoutResolver, type TypeLayout } from '../layouts.js';
import { asyncOpPrefix, attrSetPrefix, cLower, constName, cUpper, enumPrefix, familyNameDefine, mcastGroupDefine, opPrefix } from './names.js';
import type { RawAttr, RawAttrSet, RawDefinition, RawMember, RawOp, RawOpMode, RawSpec, SpecProtocol } from './spec.js';

export interface SpecOpMode {
  request?: { attributes: string[] };
  reply?: { attributes: string[] };
}

export interface SpecOp {
  /** Spec name: dev-get, linkinfo-get, getlink. */
  name: string;
  /** C name of the request (ETHTOOL_MSG_LINKINFO_GET, RTM_GETLINK, NETDEV_CMD_DEV_GET). */
  cName: string;
  /** C name of the reply / notification, where it differs (ETHTOOL_MSG_LINKINFO_GET_REPLY). */
  replyCName: string;
  /** Message type (netlink-raw) or genlmsghdr.cmd of requests and of replies; undefined when none. */
  reqValue?: number;
  rspValue?: number;
  do?: SpecOpMode;
  dump?: SpecOpMode;
  /** The operation whose reply this notification repeats. */
  notify?: string;
  event?: { attributes: string[] };
  mcgrp?: string;
  /** Attribute set (spec name) and fixed header (C struct name) of its messages. */
  attrSet?: string;
  fixedHeader?: string;
  isAsync: boolean;
}

export interface SpecGroup {
  name: string;
  /** The #define of its name (NETDEV_MCGRP_MGMT). */
  cName: string;
  /** netlink-raw groups have numbers; genetlink ids come from nlctrl at run time. */
  value?: number;
}

export interface SpecFamily {
  /** Spec name, which is also the generic netlink family name: netdev, ethtool, rt-link. */
  name: string;
  protocol: SpecProtocol;
  /** Netlink protocol number: 16 for generic netlink, protonum for netlink-raw. */
  protonum: number;
  version: number;
  /** Where it came from: a file, or "built-in". */
  source: string;
  /** Tables in the schema vocabulary (attribute sets keyed by spec name, structs by C name). */
  schema: Schema;
  ops: SpecOp[];
  groups: SpecGroup[];
  /** Fixed header after nlmsghdr (netlink-raw) or genlmsghdr (genetlink-legacy), as a C struct name. */
  fixedHeader?: string;
  /** C names of everything, for checks against the uapi headers: name → value. */
  cNames: { consts: Record<string, number>; enums: Record<string, number>; attrs: Record<string, number>; ops: Record<string, number>; groups: Record<string, string>; family: [string, string] };
}

const INTS = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64']);

function display(hint: string | undefined, binary: boolean): Display | undefined {
  switch (hint) {
    case 'mac': case 'fddi': return 'mac';
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'ipv4-or-v6': return binary ? 'addr' : 'ipv4';
    case 'uuid': return 'uuid';
    case 'hex': return 'hex';
    default: return undefined;
  }
}

interface Ctx {
  spec: RawSpec;
  defs: Map<string, RawDefinition>;
  sets: Map<string, RawAttrSet>;
}

/** enum / flags / enum-as-flags of a value: which table the decoder reads. */
function enumRef(ctx: Ctx, name: string | undefined, asFlags: boolean | undefined): Pick<ValueDef, 'enum' | 'flags' | 'enumAsFlags'> {
  if (!name) return {};
  const def = ctx.defs.get(name);
  if (def?.type === 'flags') return { flags: name };
  if (asFlags) return { flags: `${name}:flags`, enumAsFlags: true };
  return { enum: name };
}

function valueDef(ctx: Ctx, a: RawAttr | RawMember): ValueDef {
  const be = a['byte-order'] === 'big-endian' ? { be: true } : {};
  const type = a.type;
  if (INTS.has(type) || type === 'uint' || type === 'sint') {
    const d = display(a['display-hint'], false);
    return { type: type as WireType, ...be, ...enumRef(ctx, a.enum, a['enum-as-flags']), ...(d ? { display: d } : {}) };
  }
  switch (type) {
    case 'string': return { type: 'string' };
    case 'flag': return { type: 'flag' };
    case 'pad': return { type: 'pad' };
    case 'bitfield32': return { type: 'bitfield32', ...enumRef(ctx, a.enum, a['enum-as-flags']) };
    case 'binary': {
      if (a.struct) return { type: 'struct', struct: cLower(a.struct) };
      const attr = a as RawAttr;
      if (attr['sub-type'] && INTS.has(attr['sub-type'])) {
        const d = display(a['display-hint'], false);
        return { type: 'binary', subType: attr['sub-type'] as WireType, ...be, ...enumRef(ctx, a.enum, a['enum-as-flags']), ...(d ? { display: d } : {}) };
      }
      const d = display(a['display-hint'], true);
      return { type: 'binary', ...(d ? { display: d } : {}) };
    }
    default: return { type: 'binary' };
  }
}

function attrDef(ctx: Ctx, a: RawAttr, prefix: string): AttrDef {
  const name = cUpper(a['name-prefix'] !== undefined ? `${a['name-prefix']}${a.name}` : `${prefix}${a.name}`);
  const base = { name, spec: a.name, ...(a['multi-attr'] ? { multi: true } : {}) };
  switch (a.type) {
    case 'nest': return { ...base, type: 'nest', nested: a['nested-attributes'] };
    case 'nest-type-value': {
      const levels = a['type-value'] ?? [];
      return { ...base, type: 'nest-array', nested: a['nested-attributes'], depth: Math.max(1, levels.length), indexed: true, typeValue: levels };
    }
    case 'indexed-array': {
      const sub = a['sub-type'] ?? 'binary';
      if (sub === 'nest') return { ...base, type: 'indexed-array', subType: 'nest', nested: a['nested-attributes'] };
      const inner = valueDef(ctx, { ...a, type: sub });
      return { ...inner, ...base, type: 'indexed-array', subType: inner.type };
    }
    case 'sub-message': return { ...base, type: 'sub-message', subMessage: a['sub-message'], selector: a.selector };
    default: return { ...valueDef(ctx, a), ...base };
  }
}

function compileSets(ctx: Ctx, cAttrs: Record<string, number>): Record<string, AttrSet> {
  const out: Record<string, AttrSet> = {};
  for (const set of ctx.spec['attribute-sets']) {
    const prefix = attrSetPrefix(ctx.spec, set, ctx.sets);
    const attrs: Record<number, AttrDef> = {};
    if (set['subset-of']) {
      // A subset takes the numbers (and anything it does not override) from its parent.
      const parent = ctx.sets.get(set['subset-of'])!;
      const numbers = attrNumbers(parent);
      for (const a of set.attributes) {
        const real = parent.attributes.find((x) => x.name === a.name)!;
        attrs[numbers.get(a.name)!] = attrDef(ctx, { ...real, ...a }, prefix);
      }
    } else {
      const numbers = attrNumbers(set);
      for (const a of set.attributes) {
        const def = attrDef(ctx, a, prefix);
        const n = numbers.get(a.name)!;
        attrs[n] = def;
        if (a.type !== 'unused') cAttrs[def.name] = n;
      }
    }
    out[set.name] = keyed({ prefix, spec: set.name, attrs });
  }
  return out;
}

/** Attribute numbers: from 1 up, a `value` restarting the count (nlspec's rule). */
export function attrNumbers(set: RawAttrSet): Map<string, number> {
  const out = new Map<string, number>();
  let next = 1;
  for (const a of set.attributes) {
    const n = a.value ?? next;
    out.set(a.name, n);
    next = n + 1;
  }
  return out;
}

const INT_WIDTH: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };

/**
 * A struct, laid out as the C compiler does: each integer at a multiple of its size, the whole
 * rounded up to its widest member (ovs_key_arp is 22 bytes of members, sizeof 24). Specs spell
 * inner padding as pad members; the compiler adds what they leave implicit.
 */
function compileStruct(ctx: Ctx, def: RawDefinition, done: Map<string, { def: StructDef; size: number; align: number }>): { def: StructDef; size: number; align: number } {
  const known = done.get(def.name);
  if (known) return known;
  const fields: FieldDef[] = [];
  let off = 0;
  let align = 1;
  for (const m of def.members ?? []) {
    const base = { name: cLower(m.name), spec: m.name };
    const len = typeof m.len === 'number' ? m.len : undefined;
    let field: FieldDef;
    let size: number;
    let a = 1;
    if (m.type === 'pad') {
      field = { ...base, type: 'pad', size: len ?? 0 };
      size = len ?? 0;
    } else if (m.type === 'binary' && m.struct) {
      const inner = ctx.defs.get(m.struct);
      const sub = inner ? compileStruct(ctx, inner, done) : { size: 0, align: 1 };
      field = { ...base, type: 'struct', struct: cLower(m.struct) };
      size = sub.size;
      a = sub.align;
    } else if (m.type === 'binary' || m.type === 'string') {
      const d = m.type === 'binary' ? display(m['display-hint'], true) : undefined;
      field = { ...base, type: m.type, ...(len !== undefined ? { size: len } : {}), ...(d ? { display: d } : {}) };
      size = len ?? 0;
    } else {
      field = { ...valueDef(ctx, m), ...base };
      size = a = INT_WIDTH[m.type] ?? 0;
    }
    const gap = a > 1 && off % a ? a - (off % a) : 0;
    if (gap) field.pad = gap;
    off += gap + size;
    align = Math.max(align, a);
    fields.push(field);
  }
  const tail = off % align ? align - (off % align) : 0;
  if (tail) fields.push({ name: '__tail_pad', type: 'pad', size: tail });
  const out = { def: { name: cLower(def.name), spec: def.name, fields }, size: off + tail, align };
  done.set(def.name, out);
  return out;
}

/** Operation numbers, by nlspec's rules for the unified and the directional model. */
function numberOps(spec: RawSpec): { op: RawOp; req?: number; rsp?: number }[] {
  const out: { op: RawOp; req?: number; rsp?: number }[] = [];
  if (spec.operations['enum-model'] !== 'directional') {
    let val = 1;
    for (const op of spec.operations.list) {
      if (op.value !== undefined) val = op.value;
      out.push({ op, req: val, rsp: val });
      val++;
    }
    return out;
  }
  let req: number | undefined = 1;
  let rsp: number | undefined = 1;
  for (const op of spec.operations.list) {
    let reqNext: number | undefined, rspNext: number;
    if (op.notify !== undefined || op.event !== undefined) {
      if (op.value !== undefined) rsp = op.value;
      reqNext = req;
      rspNext = (rsp ?? 0) + 1;
      req = undefined;
    } else {
      const mode: RawOpMode = op.do ?? op.dump ?? {};
      if (mode.request?.value) req = mode.request.value;
      if (mode.reply?.value) rsp = mode.reply.value;
      reqNext = (req ?? 0) + 1;
      rspNext = (rsp ?? 0) + (mode.reply ? 1 : 0);
    }
    const thisReq = req === reqNext ? undefined : req;
    const thisRsp = rsp === rspNext ? undefined : rsp;
    out.push({ op, req: thisReq, rsp: thisRsp });
    req = reqNext;
    rsp = rspNext;
  }
  return out;
}

const modeOf = (m: RawOpMode | undefined): SpecOpMode | undefined =>
  m && {
    ...(m.request ? { request: { attributes: m.request.attributes ?? [] } } : {}),
    ...(m.reply ? { reply: { attributes: m.reply.attributes ?? [] } } : {}),
  };

/** Compile a checked spec. `source` says where it came from (a file name, or "built-in"). */
export function compileSpec(spec: RawSpec, source: string): SpecFamily {
  const ctx: Ctx = {
    spec,
    defs: new Map((spec.definitions ?? []).map((d) => [d.name, d])),
    sets: new Map(spec['attribute-sets'].map((s) => [s.name, s])),
  };
  const protocol = spec.protocol ?? 'genetlink';
  const cNames: SpecFamily['cNames'] = { consts: {}, enums: {}, attrs: {}, ops: {}, groups: {}, family: [familyNameDefine(spec), spec.name] };
  const enums: Schema['enums'] = {};
  const flagSets: Schema['flagSets'] = {};
  const structs: Schema['structs'] = {};
  const laidOut = new Map<string, { def: StructDef; size: number; align: number }>();
  for (const def of spec.definitions ?? []) {
    if (def.type === 'const') {
      if (typeof def.value === 'number' && !def.header && (def.scope ?? 'uapi') === 'uapi') cNames.consts[constName(spec, def)] = def.value;
    } else if (def.type === 'struct') {
      const s = compileStruct(ctx, def, laidOut).def;
      structs[s.name] = s;
    } else {
      const table: Record<number, string> = {};
      const bits: Record<number, string> = {};
      const prefix = enumPrefix(spec, def);
      let next = def['value-start'] ?? 0;
      for (const e of def.entries ?? []) {
        const entry = typeof e === 'string' ? { name: e } : e;
        const v = entry.value ?? next;
        next = v + 1;
        table[v] = entry.name;
        bits[2 ** v] = entry.name;
        // Definitions from another header (`header:`) are spelled there, maybe otherwise.
        if (!def.header) cNames.enums[cUpper(prefix + entry.name)] = def.type === 'flags' ? 2 ** v : v;
      }
      if (def.type === 'flags') flagSets[def.name] = bits;
      else {
        enums[def.name] = table;
        flagSets[`${def.name}:flags`] = bits;
      }
    }
  }
  const attrSets = compileSets(ctx, cNames.attrs);
  const subMessages: Record<string, Record<string, SubMessageFormat>> = {};
  for (const sm of spec['sub-messages'] ?? []) {
    const formats: Record<string, SubMessageFormat> = {};
    for (const f of sm.formats) {
      formats[String(f.value)] = {
        ...(f['fixed-header'] ? { header: cLower(f['fixed-header']) } : {}),
        ...(f['attribute-set'] ? { attrs: f['attribute-set'] } : {}),
      };
    }
    subMessages[sm.name] = formats;
  }

  const directional = spec.operations['enum-model'] === 'directional';
  const familyHeader = spec.operations['fixed-header'];
  const ops: SpecOp[] = numberOps(spec).map(({ op, req, rsp }) => {
    const isAsync = op.notify !== undefined || op.event !== undefined;
    const cName = (isAsync ? asyncOpPrefix(spec) : opPrefix(spec)) + cUpper(op.name);
    const replyCName = cName; // directional genetlink replies are named by nameReplies() below
    const header = op['fixed-header'] ?? familyHeader;
    const attrSet = op['attribute-set'] ?? (op.notify ? spec.operations.list.find((o) => o.name === op.notify)?.['attribute-set'] : undefined);
    const out: SpecOp = {
      name: op.name, cName, replyCName, isAsync,
      ...(req !== undefined ? { reqValue: req } : {}),
      ...(rsp !== undefined ? { rspValue: rsp } : {}),
      ...(op.do ? { do: modeOf(op.do) } : {}),
      ...(op.dump ? { dump: modeOf(op.dump) } : {}),
      ...(op.notify ? { notify: op.notify } : {}),
      ...(op.event ? { event: { attributes: op.event.attributes ?? [] } } : {}),
      ...(op.mcgrp ? { mcgrp: op.mcgrp } : {}),
      ...(attrSet ? { attrSet } : {}),
      ...(header ? { fixedHeader: cLower(header) } : {}),
    };
    // The uapi enums: unified numbers every op once; directional has a user→kernel enum (ops
    // with do) and a kernel→user one (replies, notifications); netlink-raw's come from elsewhere.
    if (!directional) {
      if (req !== undefined) cNames.ops[cName] = req;
    } else if (req !== undefined && (op.do || protocol === 'netlink-raw') && !isAsync) cNames.ops[cName] = req;
    return out;
  });

  if (directional && protocol !== 'netlink-raw') nameReplies(spec, ops, cNames.ops);

  const groups: SpecGroup[] = (spec['mcast-groups']?.list ?? []).map((g) => ({
    name: g.name, cName: mcastGroupDefine(spec, g), ...(g.value !== undefined ? { value: g.value } : {}),
  }));
  for (const g of groups) cNames.groups[g.cName] = g.name;

  const protonum = protocol === 'netlink-raw' ? spec.protonum ?? 0 : 16;
  const raw = protocol === 'netlink-raw' ? rawMessages(ops) : undefined;
  const resolve = raw ? rawResolve(raw.replies, raw.requests) : undefined;
  const schema: Schema = {
    protocol: protonum,
    name: spec.name,
    messages: raw?.requests ?? {},
    ...(resolve ? { resolve } : {}),
    structs,
    attrSets,
    enums,
    flagSets,
    subMessages,
    ...(groups.some((g) => g.value !== undefined) ? { groups: Object.fromEntries(groups.filter((g) => g.value !== undefined).map((g) => [g.name, g.value!])) } : {}),
  };
  return {
    name: spec.name, protocol, protonum, version: spec.version ?? 1, source, schema, ops, groups,
    ...(familyHeader ? { fixedHeader: cLower(familyHeader) } : {}),
    cNames,
  };
}

/**
 * C names of directional replies. A header generated from the spec (ethtool_netlink_generated.h)
 * numbers them apart as FAMILY_MSG_X_REPLY; the hand-written headers (devlink.h, nl80211.h,
 * genetlink.h) share one enum, where a reply has the name of the notification or request of the
 * same number, or else is the NEW of what was asked for (DEVLINK_CMD_GET → DEVLINK_CMD_NEW).
 */
function nameReplies(spec: RawSpec, ops: SpecOp[], cOps: Record<string, number>): void {
  const generated = /_generated\.h$/.test(spec['uapi-header'] ?? '');
  const asyncBy = new Map<number, SpecOp>();
  const reqBy = new Map<number, SpecOp>();
  for (const op of ops) {
    if (op.isAsync && op.rspValue !== undefined) asyncBy.set(op.rspValue, op);
    if (!op.isAsync && op.reqValue !== undefined) reqBy.set(op.reqValue, op);
  }
  for (const op of ops) {
    const v = op.rspValue;
    if (v === undefined) continue;
    if (op.isAsync) {
      cOps[op.cName] = v;
      continue;
    }
    if (generated) op.replyCName = `${op.cName}_REPLY`;
    else op.replyCName = asyncBy.get(v)?.cName ?? reqBy.get(v)?.cName ?? op.cName.replace(/GET/, 'NEW');
    if (op.do?.reply) cOps[op.replyCName] = v;
  }
}

/** netlink-raw message types of requests (and of anything else no request has the number of) and of replies. */
function rawMessages(ops: SpecOp[]): { requests: Record<number, MessageDef>; replies: Record<number, MessageDef> } {
  const requests: Record<number, MessageDef> = {};
  const replies: Record<number, MessageDef> = {};
  const def = (op: SpecOp, name = op.cName): MessageDef => ({
    name, kind: kindOf(name), spec: op.name,
    ...(op.fixedHeader ? { header: op.fixedHeader } : {}),
    ...(op.attrSet ? { attrs: op.attrSet } : {}),
  });
  for (const op of ops) if (op.reqValue !== undefined && !op.isAsync && requests[op.reqValue] === undefined) requests[op.reqValue] = def(op);
  for (const op of ops) {
    const v = op.isAsync ? op.rspValue ?? op.reqValue : op.rspValue;
    if (v === undefined) continue;
    // A reply carries the name of the request type of its number (RTM_GETLINK is answered by RTM_NEWLINK).
    if (replies[v] === undefined) replies[v] = def(op, requests[v]?.name ?? op.cName);
    if (requests[v] === undefined) requests[v] = replies[v];
  }
  return { requests, replies };
}

/** Replies that differ from the request of the same number, as layouts picked by the missing NLM_F_REQUEST flag. */
function rawResolve(replies: Record<number, MessageDef>, requests: Record<number, MessageDef>): Schema['resolve'] {
  const differ = Object.keys(replies).some((n) => replies[Number(n)].attrs !== requests[Number(n)]?.attrs || replies[Number(n)].header !== requests[Number(n)]?.header);
  if (!differ) return undefined;
  const types: Record<number, TypeLayout> = {};
  for (const [n, reply] of Object.entries(replies)) types[Number(n)] = { reply };
  return layoutResolver({ types });
}
