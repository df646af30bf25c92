// Interface names ⇄ indexes, from one RTM_GETLINK dump in the namespace the command works in
// (sysfs would show the namespace it was mounted in, not ours).
import { AF_UNSPEC, cString, NLA_TYPE_MASK, NLM_F_DUMP, NLM_F_REQUEST, type RawMessage } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { decodeRecord, messageType, newContext, schemaFor, structSize } from '../schema/index.js';
import { INT_SIZES } from '../schema/values.js';
import { didYouMean } from '../suggest.js';
import { buildRequest, request, type TransportFactory } from '../transport/index.js';
import { DUMP_TARGETS } from './dump-targets.js';

// The request is dump link's; its records are RTM_NEWLINK, by name from the tables.
const LINKS = DUMP_TARGETS.link;
const newLinkType = () => messageType(schemaFor(LINKS.protocol), 'RTM_NEWLINK');

/** Every interface of the namespace: index → name. */
export async function interfaceTable(transport: TransportFactory, netns?: string): Promise<Map<number, string>> {
  const sock = transport(LINKS.protocol, { netns, receiveTimes: false });
  try {
    const r = await request(sock, buildRequest(LINKS.type, NLM_F_REQUEST | NLM_F_DUMP, LINKS.header(AF_UNSPEC)), { timeoutMs: 5000, label: LINKS.label });
    const out = new Map<number, string>();
    const names = new LinkNames(out);
    for (const m of r.replies) names.add(m.header.type, m.payload, () => m);
    return out;
  } finally {
    sock.close();
  }
}

/** Names gathered from RTM_NEWLINK messages (a names lookup's, or a link dump's own). */
export class LinkNames {
  private readonly where = nameLayout();
  private readonly newLink = newLinkType();
  constructor(readonly names: Map<number, string>) {}
  /** One reply: its name when it is an RTM_NEWLINK. `raw` gives the message for what the scan cannot read. */
  add(type: number, payload: Uint8Array, raw: () => RawMessage): void {
    if (type !== this.newLink) return;
    const entry = this.where ? linkName(payload, this.where) : undefined;
    if (entry) this.names.set(entry[0], entry[1]);
    else if (raw) {
      // A message the scan does not read (no tables for it): the general record.
      const rec = decodeRecord(raw(), schemaFor(LINKS.protocol), newContext());
      if (rec && typeof rec.ifindex === 'number' && typeof rec.ifname === 'string') this.names.set(rec.ifindex, rec.ifname);
    }
  }
}

/** Where ifinfomsg keeps the index and which attribute is IFLA_IFNAME, from the tables. */
interface NameLayout {
  indexAt: number;
  headerSize: number;
  ifnameType: number;
}

function nameLayout(): NameLayout | undefined {
  const schema = schemaFor(LINKS.protocol);
  const type = newLinkType();
  const def = type === undefined ? undefined : schema.messages[type];
  const sdef = def?.header ? schema.structs[def.header] : undefined;
  const set = def?.attrs ? schema.attrSets[def.attrs] : undefined;
  if (!sdef || !set) return undefined;
  let off = 0, indexAt = -1;
  for (const f of sdef.fields) {
    off += f.pad ?? 0;
    if (f.name === 'ifi_index' && f.type === 's32') indexAt = off;
    const size = f.type === 'pad' ? f.size ?? 0 : INT_SIZES[f.type];
    if (size === undefined) return undefined;
    off += size;
  }
  const ifname = Object.entries(set.attrs).find(([, a]) => a.name === 'IFLA_IFNAME' && a.type === 'string');
  return indexAt < 0 || !ifname ? undefined : { indexAt, headerSize: structSize(sdef, schema), ifnameType: Number(ifname[0]) };
}

/** [index, name] of one RTM_NEWLINK, read in place: decoding whole links only for their names costs as much as the dump. */
function linkName(p: Uint8Array, where: NameLayout): [number, string] | undefined {
  if (p.length < where.headerSize) return undefined;
  const index = p[where.indexAt] | (p[where.indexAt + 1] << 8) | (p[where.indexAt + 2] << 16) | (p[where.indexAt + 3] << 24);
  for (let off = (where.headerSize + 3) & ~3; off + 4 <= p.length;) {
    const len = p[off] | (p[off + 1] << 8);
    if (len < 4 || off + len > p.length) break;
    if (((p[off + 2] | (p[off + 3] << 8)) & NLA_TYPE_MASK) === where.ifnameType) return [index, cString(p.subarray(off + 4, off + len))];
    off += (len + 3) & ~3;
  }
  return undefined;
}

/** Looks names up once per command, lazily. */
export class InterfaceLookup {
  private table?: Promise<Map<number, string>>;
  constructor(private readonly transport: TransportFactory, private readonly netns?: string) {}
  all(): Promise<Map<number, string>> {
    return (this.table ??= interfaceTable(this.transport, this.netns));
  }
  /** The index of a name (or of a number as text); a usage error offering close names otherwise. */
  async index(name: string, what: string): Promise<number> {
    if (/^\d+$/.test(name)) return Number(name);
    const t = await this.all();
    for (const [i, n] of t) if (n === name) return i;
    throw new UsageError(`${what}: no interface '${name}'${this.netns ? ` in namespace ${this.netns}` : ''}${didYouMean(name, t.values())}`);
  }
}
