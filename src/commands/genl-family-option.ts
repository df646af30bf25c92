// --genl-family ID=NAME (repeatable): generic netlink family ids for input that does not say
// them itself (a capture or a trace from elsewhere, hex from a bug report). The input's own
// nlctrl CTRL_CMD_NEWFAMILY messages still win from where they stand.
import { UsageError } from '../errors.js';
import { newContext, type DecodeContext } from '../schema/index.js';
import { didYouMean } from '../suggest.js';

/** Message types below 16 are netlink's own (NLMSG_NOOP … NLMSG_MIN_TYPE); nlctrl is 16. */
const GENL_MIN_ID = 0x10;

export async function parseGenlFamilies(specs: string[] | undefined): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!specs?.length) return out;
  // The family list reads the tables' index, and genl's modules load: only when ids are given.
  const names = (await import('../schema/protocols/generic/index.js')).genlFamilyNames();
  for (const spec of specs ?? []) {
    const m = /^\s*(0x[0-9a-f]+|\d+)\s*=\s*([A-Za-z0-9_.-]+)\s*$/i.exec(spec);
    if (!m) throw new UsageError(`--genl-family '${spec}': expected ID=NAME, e.g. 21=ethtool`);
    const id = Number(m[1]);
    if (id < GENL_MIN_ID || id > 0xffff) throw new UsageError(`--genl-family ${spec}: a family id is a message type in ${GENL_MIN_ID}-65535`);
    const name = names.find((n) => n === m[2]) ?? names.find((n) => n.toLowerCase() === m[2].toLowerCase());
    if (!name) throw new UsageError(`--genl-family ${spec}: nlctl has no tables for family '${m[2]}'${didYouMean(m[2], names)}`);
    const before = out.get(id);
    if (before !== undefined && before !== name) throw new UsageError(`--genl-family: id ${id} given twice (${before}, ${name})`);
    out.set(id, name);
  }
  return out;
}

/** A fresh decode context that knows the given families. */
export function contextWith(families: Map<number, string>): DecodeContext {
  const ctx = newContext();
  for (const [id, name] of families) ctx.genlFamilies.set(id, name);
  return ctx;
}
