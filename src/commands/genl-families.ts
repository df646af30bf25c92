// Every generic netlink family the kernel has, from one nlctrl dump: for `--group all`,
// `family:all`, completion, and "did you mean" on a family name.
import { CTRL_CMD_GETFAMILY, GENL_HDRLEN, NLM_F_DUMP, NLM_F_REQUEST } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { genlFamilyNames } from '../schema/protocols/generic/index.js';
import { didYouMean } from '../suggest.js';
import { buildRequest, GENL_ID_CTRL, genlHeader, parseFamilyAttrs, request, resolveFamily, type GenlFamily, type Transport } from '../transport/index.js';

export async function listFamilies(t: Transport, timeoutMs = 5000): Promise<GenlFamily[]> {
  const r = await request(t, buildRequest(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, genlHeader(CTRL_CMD_GETFAMILY)), { timeoutMs, label: 'CTRL_CMD_GETFAMILY' });
  return r.replies.map((m) => ({ ...parseFamilyAttrs(m.payload.subarray(GENL_HDRLEN)), reply: Uint8Array.from(m.bytes) }));
}

/** Names to suggest from: the live families, else the ones nlctl has tables for. */
async function familyNames(t: Transport): Promise<string[]> {
  try {
    return (await listFamilies(t, 1000)).map((f) => f.name);
  } catch {
    return genlFamilyNames();
  }
}

/** A family by name; when there is none, the error offers the closest live names. */
export async function resolveFamilyOrSuggest(t: Transport, name: string): Promise<GenlFamily> {
  try {
    return await resolveFamily(t, name);
  } catch (e) {
    if (!(e instanceof UsageError) || !/^no generic netlink family/.test(e.message)) throw e;
    const hint = didYouMean(name, await familyNames(t));
    throw hint ? new UsageError(`no generic netlink family '${name}'${hint} (see: nlctl dump family)`) : e;
  }
}
