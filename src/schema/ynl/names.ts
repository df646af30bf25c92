// C names as the kernel's uapi headers spell them, by the rules of the kernel's YNL code
// generator (tools/net/ynl/pyynl/ynl_gen_c.py): spec names upper-cased with '-' → '_', after a
// prefix that the spec may override at each level.
import type { RawAttrSet, RawDefinition, RawSpec } from './spec.js';

export const cUpper = (s: string): string => s.toUpperCase().replace(/-/g, '_');
export const cLower = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/** The family's name as an identifier: netdev, nl80211, ovs_datapath, rt_link. */
export const identName = (spec: RawSpec): string => spec.name.replace(/-/g, '_');

/** Prefix of a set's attribute names: name-prefix, or FAMILY_A_ (the set named like the family), or FAMILY_A_SET_. */
export function attrSetPrefix(spec: RawSpec, set: RawAttrSet, sets: Map<string, RawAttrSet>): string {
  if (set['subset-of']) {
    const parent = sets.get(set['subset-of']);
    if (parent && parent !== set) return attrSetPrefix(spec, parent, sets);
  }
  if (set['name-prefix'] !== undefined) return cUpper(set['name-prefix']);
  if (set.name === spec.name) return cUpper(`${identName(spec)}-a-`);
  return cUpper(`${identName(spec)}-a-${set.name}-`);
}

/** Prefix of an enum's or flag set's entries: name-prefix, or FAMILY_ENUM_. */
export function enumPrefix(spec: RawSpec, def: RawDefinition): string {
  return cUpper(def['name-prefix'] ?? `${identName(spec)}-${def.name}-`);
}

/** A constant's #define: name-prefix, or FAMILY_, then the name. */
export function constName(spec: RawSpec, def: RawDefinition): string {
  return cUpper(`${def['name-prefix'] ?? `${identName(spec)}-`}${def.name}`);
}

/** Prefix of operation names: operations.name-prefix, or FAMILY_CMD_ (the family's own name, not its identifier). */
export function opPrefix(spec: RawSpec): string {
  return cUpper(spec.operations['name-prefix'] ?? `${spec.name}-cmd-`);
}

/** Notifications and events may have their own prefix (async-prefix). */
export function asyncOpPrefix(spec: RawSpec): string {
  return spec.operations['async-prefix'] !== undefined ? cUpper(spec.operations['async-prefix']) : opPrefix(spec);
}

/** A multicast group's #define: c-define-name, or FAMILY_MCGRP_NAME. */
export function mcastGroupDefine(spec: RawSpec, group: { name: string; 'c-define-name'?: string }): string {
  return cUpper(group['c-define-name'] ?? `${identName(spec)}-mcgrp-${group.name}`);
}

/** The #define of the family name string (FAMILY_FAMILY_NAME unless c-family-name says otherwise). */
export function familyNameDefine(spec: RawSpec): string {
  return cUpper(spec['c-family-name'] ?? `${spec.name}_FAMILY_NAME`);
}
