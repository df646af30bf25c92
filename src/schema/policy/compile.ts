// The kernel's policy of a generic netlink family, compiled into the tables' vocabulary: each
// policy becomes an attribute set whose attributes are typed from NL_POLICY_TYPE_ATTR_TYPE and
// marked `typedBy: 'policy'`. The nlctrl replies are read with nlctl's own nlctrl tables (from
// its YNL spec, checked against <linux/genetlink.h> and <linux/netlink.h>), so no number here
// is written by hand.
import { encodeAttrs, genlPayload, type RawMessage } from '../../codec/index.js';
import type { DecodedAttr, DecodedMessage } from '../decoded.js';
import { decodeMessage, newContext } from '../decode.js';
import { genericSchema, genlTables } from '../protocols/generic/index.js';
import type { AttrDef, AttrSet, WireType } from '../types.js';
import { ANY_POLICY_SET, policySetName, type FamilyPolicy, type PolicyAttr } from './types.js';

/** enum netlink_attribute_type (nlctrl's names) → how the decoder reads it. */
const WIRE: Record<string, WireType> = {
  flag: 'flag', u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64', s8: 's8', s16: 's16', s32: 's32', s64: 's64',
  binary: 'binary', string: 'string', 'nul-string': 'string', nested: 'nest', 'nested-array': 'nest-array',
  bitfield32: 'bitfield32', sint: 'sint', uint: 'uint',
};

function nlctrl() {
  const t = genlTables('nlctrl');
  if (!t) throw new Error('nlctrl tables missing');
  return t;
}

/** An attribute number of nlctrl's `set` by its spec name. */
function attrNumber(set: string, spec: string): number {
  const attrs = nlctrl().request.attrSets[set]?.attrs ?? {};
  for (const [n, def] of Object.entries(attrs)) if (def.spec === spec) return Number(n);
  throw new Error(`nlctrl spec has no ${set}.${spec}`);
}

/**
 * The genlmsghdr and attributes of a CTRL_CMD_GETPOLICY request for a family (by name or id),
 * optionally for one command (CTRL_ATTR_OP); sent as a dump.
 */
export function policyRequestPayload(family: string | number, op?: number): Uint8Array {
  const t = nlctrl();
  const cmd = t.family.ops.find((o) => o.name === 'getpolicy')?.reqValue;
  if (cmd === undefined) throw new Error('nlctrl spec has no getpolicy');
  const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
  const attrs = [
    typeof family === 'number'
      ? { type: attrNumber('ctrl-attrs', 'family-id'), value: new Uint8Array(new Uint16Array([family]).buffer) }
      : { type: attrNumber('ctrl-attrs', 'family-name'), value: new TextEncoder().encode(family + '\0') },
    ...(op !== undefined ? [{ type: attrNumber('ctrl-attrs', 'op'), value: u32(op) }] : []),
  ];
  return genlPayload(cmd, encodeAttrs(attrs));
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const wide = (v: unknown): number | string | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

/** The NL_POLICY_TYPE_ATTR_* of one attribute, decoded by nlctrl's policy-attrs set. */
function policyAttr(attrs: DecodedAttr[]): PolicyAttr | undefined {
  const by = new Map(attrs.map((a) => [a.spec_name, a.value]));
  const type = by.get('type');
  if (typeof type !== 'string') return undefined;
  const p: PolicyAttr = { type };
  const set = <K extends keyof PolicyAttr>(k: K, v: PolicyAttr[K] | undefined) => {
    if (v !== undefined) p[k] = v;
  };
  set('min', wide(by.get('min-value-s') ?? by.get('min-value-u')));
  set('max', wide(by.get('max-value-s') ?? by.get('max-value-u')));
  set('minLength', num(by.get('min-length')));
  set('maxLength', num(by.get('max-length')));
  set('policy', num(by.get('policy-idx')));
  set('maxType', num(by.get('policy-maxtype')));
  set('mask', wide(by.get('mask')));
  set('bitfield32Mask', num(by.get('bitfield32-mask')));
  return p;
}

/** What the decoder reads an attribute of this policy as. */
export function policyDef(p: PolicyAttr): AttrDef | undefined {
  const type = WIRE[p.type];
  if (!type) return undefined;
  const def: AttrDef = { name: '', type, typedBy: 'policy', policyType: p.type };
  if ((type === 'nest' || type === 'nest-array') && p.policy !== undefined) def.nested = policySetName(p.policy);
  return def;
}

/**
 * Read CTRL_CMD_GETPOLICY replies (for one family) into its policy and compiled sets. The kernel
 * numbers an op that has only a dumpit as command 0 (it reads the command from the empty doit):
 * when the request named one op (`op`), command 0 is that op.
 */
export function compilePolicy(family: string, replies: RawMessage[], op?: number): FamilyPolicy {
  const ctx = newContext();
  const ops = new Map<number, { do?: number; dump?: number }>();
  const policies = new Map<number, Map<number, PolicyAttr>>();
  const decoded: DecodedMessage[] = replies.map((r) => decodeMessage(r, genericSchema, ctx));
  for (const m of decoded) {
    for (const a of m.attrs ?? []) {
      if (a.spec_name === 'op-policy') {
        for (const op of a.attrs ?? []) {
          if (op.type < 0) continue;
          const by = new Map((op.attrs ?? []).map((x) => [x.spec_name, x.value]));
          ops.set(op.type, { ...ops.get(op.type), ...(num(by.get('do')) !== undefined ? { do: num(by.get('do')) } : {}), ...(num(by.get('dump')) !== undefined ? { dump: num(by.get('dump')) } : {}) });
        }
      } else if (a.spec_name === 'policy') {
        for (const pol of a.attrs ?? []) {
          if (pol.type < 0) continue;
          const attrs = policies.get(pol.type) ?? new Map<number, PolicyAttr>();
          policies.set(pol.type, attrs);
          for (const at of pol.attrs ?? []) {
            const p = at.type >= 0 ? policyAttr(at.attrs ?? []) : undefined;
            if (p) attrs.set(at.type, p);
          }
        }
      }
    }
  }
  const zero = ops.get(0);
  if (op !== undefined && op !== 0 && zero && !ops.has(op)) {
    ops.delete(0);
    ops.set(op, zero);
  }
  return { family, ops, policies, sets: compileSets(ops, policies) };
}

function compileSets(ops: FamilyPolicy['ops'], policies: FamilyPolicy['policies']): Record<string, AttrSet> {
  const sets: Record<string, AttrSet> = {};
  for (const [idx, attrs] of policies) {
    const set: AttrSet = { prefix: '', attrs: {} };
    for (const [n, p] of attrs) {
      const def = policyDef(p);
      if (def) set.attrs[n] = def;
    }
    sets[policySetName(idx)] = set;
  }
  // Replies and notifications are typed by the policies of the requests (one attribute space
  // per family, in families without a spec), where they agree.
  const top = new Set<number>();
  for (const o of ops.values()) for (const i of [o.do, o.dump]) if (i !== undefined) top.add(i);
  if (!top.size && policies.has(0)) top.add(0);
  const any: AttrSet = { prefix: '', attrs: {} };
  const clash = new Set<number>();
  for (const i of top) {
    for (const [n, def] of Object.entries(sets[policySetName(i)]?.attrs ?? {})) {
      const have = any.attrs[Number(n)];
      if (have && (have.policyType !== def.policyType || have.nested !== def.nested)) clash.add(Number(n));
      else any.attrs[Number(n)] = def;
    }
  }
  for (const n of clash) delete any.attrs[n];
  sets[ANY_POLICY_SET] = any;
  return sets;
}
