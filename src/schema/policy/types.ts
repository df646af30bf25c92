// A generic netlink family's attribute policy as the kernel reports it (nlctrl CTRL_CMD_GETPOLICY,
// <linux/netlink.h> enum netlink_policy_type_attr), and its compiled tables.
import type { AttrSet } from '../types.js';

/** One attribute of one policy: NL_POLICY_TYPE_ATTR_* by nlctrl's spec names. */
export interface PolicyAttr {
  /** enum netlink_attribute_type by nlctrl's spec name: u16, nul-string, nested, … */
  type: string;
  /** Value bounds (MIN/MAX_VALUE_S or _U); 64-bit values beyond 2^53 as decimal strings. */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  /** For nested and nested-array: the policy of the inner attributes, and its highest type. */
  policy?: number;
  maxType?: number;
  mask?: number | string;
  bitfield32Mask?: number;
}

export interface FamilyPolicy {
  family: string;
  /** Command → policy index for doit and dumpit (CTRL_ATTR_OP_POLICY). */
  ops: Map<number, { do?: number; dump?: number }>;
  /** Policy index → attribute type → its policy. */
  policies: Map<number, Map<number, PolicyAttr>>;
  /** The same as attribute sets: `policy-N`, and `policy-any` for messages no op's policy covers. */
  sets: Record<string, AttrSet>;
}

/** The name of the compiled set of policy `idx`. */
export const policySetName = (idx: number): string => `policy-${idx}`;
/** The union of the ops' top-level policies (attributes they disagree on left out). */
export const ANY_POLICY_SET = 'policy-any';
