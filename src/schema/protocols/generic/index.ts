// NETLINK_GENERIC (16): struct genlmsghdr, then the attributes of the family named by nlmsg_type (<linux/genetlink.h>).
import type { DecodedMessage } from '../../decoded.js';
import { attrSet } from '../../define.js';
import type { AttrSet, DecodeContext, MessageDef, Schema, StructDef } from '../../types.js';
import { kindOf } from '../common.js';
import { nlctlTestAttrSets, nlctlTestFamily } from '../test.js';
import { devlinkFamily, ethtoolFamily, nl80211Family } from './families.js';
import { GENL_ID_CTRL, nlctrlAttrSets, nlctrlEnums, nlctrlFamily, nlctrlFlagSets } from './nlctrl.js';
import type { GenlFamilyDef } from './types.js';

export type { GenlFamilyDef } from './types.js';
export { GENL_ID_CTRL } from './nlctrl.js';

/** Family tables by the name nlctrl reports. */
export const GENL_FAMILIES: Record<string, GenlFamilyDef> = Object.fromEntries(
  [nlctrlFamily, nlctlTestFamily, devlinkFamily, ethtoolFamily, nl80211Family].map((f) => [f.name, f]),
);

/** The attribute set for families with no table: every attribute walked generically. */
const UNKNOWN_SET = 'genl-unknown';

const genlmsghdr = (cmdEnum?: string): StructDef => ({
  name: 'genlmsghdr',
  fields: [
    { name: 'cmd', type: 'u8', ...(cmdEnum ? { enum: cmdEnum } : {}) },
    { name: 'version', type: 'u8' },
    { name: 'reserved', type: 'u16' },
  ],
});

const cmdEnumName = (family: string, reply: boolean) => `genl-cmd:${family}${reply ? ':reply' : ''}`;

const enums: Record<string, Record<number, string>> = { ...nlctrlEnums };
for (const f of Object.values(GENL_FAMILIES)) {
  enums[cmdEnumName(f.name, false)] = f.cmds;
  if (f.replyCmds) enums[cmdEnumName(f.name, true)] = f.replyCmds;
}

const attrSets: Record<string, AttrSet> = {
  ...nlctrlAttrSets,
  ...nlctlTestAttrSets,
  [UNKNOWN_SET]: attrSet('', 0, []),
};

/** Per family (and direction): the schema whose genlmsghdr names the commands. */
const familySchemas = new Map<string, Schema>();
function familySchema(family: GenlFamilyDef, reply: boolean): Schema {
  const useReply = reply && family.replyCmds !== undefined;
  const key = cmdEnumName(family.name, useReply);
  let s = familySchemas.get(key);
  if (!s) {
    s = { ...genericSchema, structs: { ...genericSchema.structs, genlmsghdr: genlmsghdr(key) } };
    familySchemas.set(key, s);
  }
  return s;
}

/** The family id is the message type: look it up among the families learned so far. */
function resolve(type: number, payload: Uint8Array, ctx: DecodeContext, header: { flags: number }): (MessageDef & { family?: string; schema?: Schema }) | undefined {
  const name = ctx.genlFamilies.get(type) ?? (type === GENL_ID_CTRL ? 'nlctrl' : undefined);
  const family = name !== undefined ? GENL_FAMILIES[name] : undefined;
  const base: MessageDef = { name: '', kind: 'other', header: 'genlmsghdr', attrs: UNKNOWN_SET };
  if (!family) return name !== undefined ? { ...base, family: name } : base;
  // Requests carry NLM_F_REQUEST; replies, notifications and multicast events do not.
  const reply = (header.flags & 0x01) === 0;
  const cmd = payload.length ? payload[0] : -1;
  const cmdName = (reply && family.replyCmds ? family.replyCmds : family.cmds)[cmd];
  const attrs = (reply ? family.replyAttrs?.[cmd] : undefined) ?? family.cmdAttrs?.[cmd] ?? family.attrs ?? UNKNOWN_SET;
  return {
    name: cmdName ?? '',
    kind: cmdName ? kindOf(cmdName) : 'other',
    header: 'genlmsghdr',
    attrs,
    family: family.name,
    schema: familySchema(family, reply),
  };
}

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
    [GENL_ID_CTRL]: { name: 'GENL_ID_CTRL', kind: 'other', header: 'genlmsghdr', attrs: 'ctrl' },
  },
  structs: { genlmsghdr: genlmsghdr() },
  attrSets,
  enums,
  flagSets: { ...nlctrlFlagSets },
  // nlctrl's "notify" group has id GENL_ID_CTRL; other families' group ids come from nlctrl.
  groups: { notify: GENL_ID_CTRL },
  resolve,
  learn,
};

/** Command number by name within a family ("getfamily", "CTRL_CMD_GETFAMILY"), case-insensitive. */
export function genlCommand(family: string, spec: string): number | undefined {
  const f = GENL_FAMILIES[family];
  if (!f) return undefined;
  const want = spec.trim().toUpperCase();
  if (/^\d+$/.test(want)) return Number(want);
  for (const [n, name] of Object.entries(f.cmds)) {
    if (name === want || name.replace(/^.*?_(CMD|MSG)_/, '') === want) return Number(n);
  }
  return undefined;
}
