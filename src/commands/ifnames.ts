// Interface names ⇄ indexes, from one RTM_GETLINK dump in the namespace the command works in
// (sysfs would show the namespace it was mounted in, not ours).
import { NLM_F_DUMP, NLM_F_REQUEST } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { decodeRecord, newContext, schemaFor } from '../schema/index.js';
import { didYouMean } from '../suggest.js';
import { buildRequest, NetlinkSocket, request, type TransportFactory } from '../transport/index.js';

const RTM_GETLINK = 18;

/** The kernel's own sockets, for the lookups that do not go through a command's transport. */
export const kernelSockets: TransportFactory = (protocol, opts) => new NetlinkSocket(protocol, opts);

/** Every interface of the namespace: index → name. */
export async function interfaceTable(transport: TransportFactory, netns?: string): Promise<Map<number, string>> {
  const sock = transport(0, { netns });
  try {
    const r = await request(sock, buildRequest(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, new Uint8Array(16)), { timeoutMs: 5000, label: 'RTM_GETLINK' });
    const schema = schemaFor(0);
    const ctx = newContext();
    const out = new Map<number, string>();
    for (const m of r.replies) {
      const rec = decodeRecord(m, schema, ctx);
      if (rec && typeof rec.ifindex === 'number' && typeof rec.ifname === 'string') out.set(rec.ifindex, rec.ifname);
    }
    return out;
  } finally {
    sock.close();
  }
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
