// Names of the attribute sets a generic netlink family's policy compiles to (the policy's types
// are in ../types.ts, with the rest of the tables' vocabulary).
export type { FamilyPolicy, PolicyAttr } from '../types.js';

/** The name of the compiled set of policy `idx`. */
export const policySetName = (idx: number): string => `policy-${idx}`;
/** The union of the ops' top-level policies (attributes they disagree on left out). */
export const ANY_POLICY_SET = 'policy-any';
