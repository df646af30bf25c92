// Extended ACK offsets named: NLMSGERR_ATTR_OFFS counts bytes from the start of the request's
// nlmsghdr; the request, decoded, says which attribute (and nest path) or header field is there.
import type { DecodedAttr, DecodedMessage } from './decoded.js';
import { headerLayout } from './decoded.js';

export interface ExtackLocation {
  /** The attribute's C name (RTA_DST), innermost last in `cpath`. */
  attr?: string;
  /** The path by spec names, as YNL prints it (`.header.dev-name`), or by C names where no spec named it. */
  path?: string;
  /** A field of the fixed family header (ifinfomsg.ifi_index). */
  field?: string;
}

/** Where `offset` (from the request's nlmsghdr) falls in the decoded request `m`. */
export function locateOffset(m: DecodedMessage, offset: number): ExtackLocation | undefined {
  const at = m.offset + offset;
  const chain: DecodedAttr[] = [];
  let list = m.attrs;
  while (list) {
    const a = list.find((x) => at >= x.offset && at < x.offset + Math.max(x.len, 4));
    if (!a) break;
    chain.push(a);
    list = a.attrs;
  }
  if (chain.length) {
    const last = chain[chain.length - 1];
    return {
      attr: last.name ?? `attribute ${last.type}`,
      path: '.' + chain.map((a) => a.spec_name ?? a.name ?? String(a.type)).join('.'),
    };
  }
  if (m.header) {
    const f = headerLayout(m.header).find((x) => at >= x.offset && at < x.offset + Math.max(x.size, 1));
    if (f) return { field: `${m.header.name}.${f.name}` };
  }
  return undefined;
}

/** The location as people read it in one line: "RTA_DST, .dst" or "ifinfomsg.ifi_index". */
export function describeLocation(l: ExtackLocation): string {
  if (l.attr) return l.path && l.path !== `.${l.attr}` ? `${l.attr}, ${l.path}` : l.attr;
  return l.field ?? '';
}
