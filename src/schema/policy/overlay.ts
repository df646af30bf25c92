// Tables and a policy together: the attributes a family's tables leave out are taken from the
// kernel's policy of the same message, nests included (a spec's nest is merged with the policy
// of the same attribute). What the tables know always wins; what only the policy knows is
// marked typed by the policy.
import type { AttrSet, Schema } from '../types.js';
import { ANY_POLICY_SET, policySetName, type FamilyPolicy } from './types.js';

/** Merged schemas per base schema, so that each message does not rebuild them. */
const MERGED = new WeakMap<FamilyPolicy, WeakMap<Schema, Schema>>();

function mergedSchema(policy: FamilyPolicy, base: Schema): Schema {
  let byBase = MERGED.get(policy);
  if (!byBase) MERGED.set(policy, (byBase = new WeakMap()));
  let s = byBase.get(base);
  if (!s) byBase.set(base, (s = { ...base, attrSets: { ...base.attrSets, ...policy.sets } }));
  return s;
}

/** The set `baseName` of `schema` with what policy set `policyName` adds; returns the merged set's name. */
function mergeSet(schema: Schema, baseName: string | undefined, policyName: string): string {
  const base = baseName !== undefined ? schema.attrSets[baseName] : undefined;
  const pol = schema.attrSets[policyName];
  if (!pol) return baseName ?? policyName;
  if (!base || !Object.keys(base.attrs).length) return policyName;
  const name = `${baseName}+${policyName}`;
  if (schema.attrSets[name]) return name;
  const merged: AttrSet = { ...base, attrs: { ...pol.attrs, ...base.attrs } };
  // Registered before the nests are merged: recursive sets end here.
  schema.attrSets[name] = merged;
  for (const [n, def] of Object.entries(base.attrs)) {
    const p = pol.attrs[Number(n)];
    if (!p?.nested || !def.nested || (def.type !== 'nest' && def.type !== 'nest-array')) continue;
    if (def.type !== p.type) continue;
    merged.attrs[Number(n)] = { ...def, nested: mergeSet(schema, def.nested, p.nested) };
  }
  return name;
}

/**
 * The schema and attribute set to decode one generic netlink message with, given the tables'
 * choice (`base`, `baseSet`) and the family's policy. `cmd` is the request command the policy
 * is keyed by; `dump` says whether the dumpit policy applies. `anyOp` lets messages no op's
 * policy covers use the union of the ops' policies (families without a spec: one attribute space).
 */
export function withPolicy(policy: FamilyPolicy, base: Schema, baseSet: string | undefined, cmd: number | undefined, dump: boolean, anyOp: boolean): { schema: Schema; attrs: string } | undefined {
  const op = cmd !== undefined ? policy.ops.get(cmd) : undefined;
  const idx = op ? (dump ? op.dump ?? op.do : op.do ?? op.dump) : undefined;
  const policyName = idx !== undefined ? policySetName(idx) : anyOp ? ANY_POLICY_SET : undefined;
  if (policyName === undefined) return undefined;
  const schema = mergedSchema(policy, base);
  return { schema, attrs: mergeSet(schema, baseSet, policyName) };
}
