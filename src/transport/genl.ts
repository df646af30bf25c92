// Generic netlink family lookup through nlctrl (CTRL_CMD_GETFAMILY): name → id, version,
// multicast groups. Families have ids assigned at registration, so they must be asked for.
import {
  cString, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_ID, CTRL_ATTR_MCAST_GRP_NAME,
  CTRL_ATTR_VERSION, CTRL_CMD_GETFAMILY, encodeAttrs, genlPayload, GENL_HDRLEN, GENL_ID_CTRL, NLM_F_ACK, parseAttrs, view,
} from '../codec/index.js';
import { NetlinkError, UsageError } from '../errors.js';
import { buildRequest, request } from './request.js';
import type { Transport } from './types.js';

export { GENL_ID_CTRL, NETLINK_GENERIC } from '../codec/constants.js';
export { genlHeader } from '../codec/message.js';

export interface GenlFamily {
  id: number;
  name: string;
  version: number;
  groups: Map<string, number>;
  /** The CTRL_CMD_NEWFAMILY message nlctrl answered with, as received (header included): captures carry it. */
  reply?: Uint8Array;
}

const u32 = (b: Uint8Array) => view(b).getUint32(0, true);
const u16 = (b: Uint8Array) => view(b).getUint16(0, true);

/** Parse the attributes of a CTRL_CMD_NEWFAMILY reply (after the genlmsghdr). */
export function parseFamilyAttrs(attrs: Uint8Array): GenlFamily {
  const fam: GenlFamily = { id: 0, name: '', version: 0, groups: new Map() };
  for (const a of parseAttrs(attrs).attrs) {
    if (a.type === CTRL_ATTR_FAMILY_ID && a.value.length >= 2) fam.id = u16(a.value);
    else if (a.type === CTRL_ATTR_FAMILY_NAME) fam.name = cString(a.value);
    else if (a.type === CTRL_ATTR_VERSION && a.value.length >= 4) fam.version = u32(a.value);
    else if (a.type === CTRL_ATTR_MCAST_GROUPS) {
      for (const g of parseAttrs(a.value).attrs) {
        let name = '', id = 0;
        for (const f of parseAttrs(g.value).attrs) {
          if (f.type === CTRL_ATTR_MCAST_GRP_NAME) name = cString(f.value);
          else if (f.type === CTRL_ATTR_MCAST_GRP_ID && f.value.length >= 4) id = u32(f.value);
        }
        if (name) fam.groups.set(name, id);
      }
    }
  }
  return fam;
}

/** Ask nlctrl for a family by name over a NETLINK_GENERIC transport. */
export async function resolveFamily(t: Transport, name: string, timeoutMs = 5000): Promise<GenlFamily> {
  const attrs = encodeAttrs([{ type: CTRL_ATTR_FAMILY_NAME, value: new TextEncoder().encode(name + '\0') }]);
  const payload = genlPayload(CTRL_CMD_GETFAMILY, attrs);
  try {
    const r = await request(t, buildRequest(GENL_ID_CTRL, NLM_F_ACK, payload), { timeoutMs, label: `CTRL_CMD_GETFAMILY ${name}` });
    const reply = r.replies[0];
    if (!reply) throw new UsageError(`generic netlink family '${name}': no answer from nlctrl`);
    return { ...parseFamilyAttrs(reply.payload.subarray(GENL_HDRLEN)), reply: Uint8Array.from(reply.bytes) };
  } catch (e) {
    if (e instanceof NetlinkError && e.errnoName === 'ENOENT') throw new UsageError(`no generic netlink family '${name}' (is its module loaded? see: nlctl dump family)`);
    throw e;
  }
}
