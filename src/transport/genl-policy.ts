// The kernel's attribute policy of a generic netlink family: a CTRL_CMD_GETPOLICY dump to nlctrl.
// The request's bytes come from the schema layer (nlctrl's tables); this only asks and collects.
import { NLM_F_DUMP, type RawMessage } from '../codec/index.js';
import { NetlinkError, UsageError } from '../errors.js';
import { GENL_ID_CTRL } from './genl.js';
import { buildRequest, request } from './request.js';
import type { Transport } from './types.js';

/** Send a GETPOLICY request (genlmsghdr + attributes) and return every reply of the dump. */
export async function requestPolicy(t: Transport, payload: Uint8Array, family: string, timeoutMs = 5000): Promise<RawMessage[]> {
  try {
    const r = await request(t, buildRequest(GENL_ID_CTRL, NLM_F_DUMP, payload), { timeoutMs, label: `CTRL_CMD_GETPOLICY ${family}` });
    return r.replies;
  } catch (e) {
    // ENODATA: the family has no policy at all (VFS_DQUOT, acpi_event): nothing to report.
    if (e instanceof NetlinkError && e.errnoName === 'ENODATA') return [];
    if (e instanceof NetlinkError && e.errnoName === 'ENOENT') throw new UsageError(`no generic netlink family '${family}' (see: nlctl dump family)`);
    throw e;
  }
}
