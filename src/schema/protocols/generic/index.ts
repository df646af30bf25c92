// NETLINK_GENERIC (16): struct genlmsghdr, then the attributes of the family named by nlmsg_type
// (<linux/genetlink.h>). Every family's tables come from its YNL spec, read when first needed.
import { NLM_F_DUMP } from '../../../codec/index.js';
import type { DecodedMessage } from '../../decoded.js';
import { lookupFamily, type FamilyLayouts, type MessageLayouts } from '../../layouts.js';
import type { DecodeContext, Schema } from '../../types.js';
import { GENL_ID_CTRL } from './nlctrl.js';
import { genlmsghdr, genlTables, UNKNOWN_SET } from './spec-tables.js';
import { withPolicy } from '../../policy/overlay.js';

export { GENL_ID_CTRL } from './nlctrl.js';
export { genlFamilyNames, genlOpByNumber, genlTables, type GenlTables } from './spec-tables.js';

/** The family id is the message type (learned from nlctrl, or nlctrl's own); the command byte picks the operation. */
const families: FamilyLayouts = {
  fixed: { [GENL_ID_CTRL]: 'nlctrl' },
  tables: genlTables,
  header: 'genlmsghdr',
  unknownSet: UNKNOWN_SET,
  cmdOffset: 0,
  cmdEnums: { request: 'genl-cmd', reply: 'genl-cmd-reply' },
};

export const genericLayouts: MessageLayouts = { families };

/** The declared layout, then the kernel's policy for what the tables leave out (families without a spec: everything). */
const resolve: NonNullable<Schema['resolve']> = (type, payload, ctx, header) => {
  const { layout: found, command: c } = lookupFamily(families, type, payload, ctx, header);
  const policy = c && found.family !== undefined ? ctx.genlPolicies?.get(found.family) : undefined;
  if (!c || !policy) return found;
  const typed = withPolicy(policy, found.schema ?? genericSchema, found.attrs, c.request, !c.reply && (header.flags & NLM_F_DUMP) !== 0, !c.described);
  return typed ? { ...found, ...typed } : found;
};

function attrValue(m: DecodedMessage, type: number): unknown {
  return m.attrs?.find((a) => a.type === type)?.value;
}

/** Remember family ids from nlctrl replies and notifications, as Wireshark does within one capture. */
function learn(m: DecodedMessage, ctx: DecodeContext): void {
  if (m.family !== 'nlctrl') return;
  const id = attrValue(m, 1);
  const name = attrValue(m, 2);
  if (typeof id !== 'number' || typeof name !== 'string') return;
  if (m.type_name === 'CTRL_CMD_NEWFAMILY') ctx.genlFamilies.set(id, name);
  else if (m.type_name === 'CTRL_CMD_DELFAMILY' && ctx.genlFamilies.get(id) === name) ctx.genlFamilies.delete(id);
}

export const genericSchema: Schema = {
  protocol: 16,
  name: 'generic',
  messages: {
    // Only nlctrl has a fixed id; every other family's type is learned (resolve).
    [GENL_ID_CTRL]: { name: 'GENL_ID_CTRL', kind: 'other', header: 'genlmsghdr', attrs: UNKNOWN_SET },
  },
  structs: { genlmsghdr: genlmsghdr() },
  attrSets: { [UNKNOWN_SET]: { prefix: '', attrs: {} } },
  enums: {},
  flagSets: {},
  // nlctrl's "notify" group has id GENL_ID_CTRL; other families' group ids come from nlctrl.
  groups: { notify: GENL_ID_CTRL },
  resolve,
  learn,
  forFamily: (family, reply) => {
    const t = genlTables(family);
    return t && (reply ? t.reply : t.request);
  },
};

/**
 * Command number by name within a family: the spec's name (dev-get), the C name
 * (NETDEV_CMD_DEV_GET) or its tail (DEV_GET, getfamily), case-insensitive; or a number.
 */
export function genlCommand(family: string, spec: string): number | undefined {
  const want = spec.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(want)) return Number(want);
  const op = genlOp(family, want);
  return op?.reqValue ?? op?.rspValue;
}

/** The spec operation of a family by any of its names. */
export function genlOp(family: string, spec: string) {
  const t = genlTables(family);
  if (!t) return undefined;
  const want = spec.trim().toUpperCase().replace(/-/g, '_');
  return t.family.ops.find((op) => op.name.toUpperCase().replace(/-/g, '_') === want || op.cName === want || op.cName.replace(/^.*?_(CMD|MSG)_/, '') === want);
}
