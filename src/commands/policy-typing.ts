// Live generic netlink traffic typed by the kernel's own policy: when a message carries an
// attribute that no table knows, nlctl asks nlctrl for the family's policy (CTRL_CMD_GETPOLICY,
// once per family for the run) and decodes that message, and every later one, with it. Output
// waits for the answer, so it stays in order; traffic the tables know costs no round trip.
import type { Writable } from 'node:stream';
import { NETLINK_GENERIC } from '../codec/index.js';
import type { AttrSet, DecodeContext, DecodedAttr, DecodedMessage } from '../schema/index.js';
import { compilePolicy, policyRequestPayload } from '../schema/policy/compile.js';
import type { FamilyPolicy } from '../schema/policy/types.js';
import { requestPolicy, type Transport, type TransportFactory } from '../transport/index.js';

/** nlctrl answers inside the send; a transport that never answers (a test double) is not waited for long. */
const POLICY_TIMEOUT_MS = 2000;

function hasUnknown(attrs: DecodedAttr[] | undefined): boolean {
  if (!attrs) return false;
  for (const a of attrs) {
    if (a.type >= 0 && a.name === undefined && a.typed_by === undefined) return true;
    if (hasUnknown(a.attrs)) return true;
  }
  return false;
}

/** The generic netlink family of a message with an attribute no table knows (echoed requests too). */
function familyNeedingPolicy(m: DecodedMessage, asked: Set<string>): string | undefined {
  if (m.protocol_number !== NETLINK_GENERIC) return undefined;
  // Families already asked for are not walked again (large dumps).
  if (m.family !== undefined && m.family !== 'nlctrl' && !asked.has(m.family) && hasUnknown(m.attrs)) return m.family;
  return m.error?.request ? familyNeedingPolicy(m.error.request, asked) : undefined;
}

/** Ask the kernel for a family's policy over a socket of its own (the traffic's socket stays as it is). */
export async function fetchPolicy(transport: TransportFactory, family: string, netns?: string): Promise<FamilyPolicy> {
  const t = transport(NETLINK_GENERIC, { netns });
  try {
    return compilePolicy(family, await requestPolicy(t, policyRequestPayload(family), family, POLICY_TIMEOUT_MS));
  } finally {
    t.close();
  }
}

/** The policy of one op, over a socket already open (the request's, before it is sent). */
export async function opPolicy(t: Transport, family: string, cmd: number): Promise<FamilyPolicy> {
  return compilePolicy(family, await requestPolicy(t, policyRequestPayload(family, cmd), family, POLICY_TIMEOUT_MS), cmd);
}

/**
 * Does an --attr list give an attribute by a bare number that the set does not know, with no
 * type of its own (`1=7`, not `1=u16:7`)? Then the op's policy can type it.
 */
export function attrsWantPolicy(attrs: string[] | undefined, set: AttrSet | undefined): boolean {
  for (const m of (attrs ?? []).join(',').matchAll(/(?:^|[,{])\s*(\d+)\s*=\s*(?![a-z0-9]+:)/gi)) {
    if (!set?.attrs[Number(m[1])]) return true;
  }
  return false;
}

export class PolicyTyping {
  private readonly asked = new Set<string>();
  private readonly held: { redecode: () => DecodedMessage[]; write: (m: DecodedMessage[]) => void }[] = [];
  private pending: Promise<void> | undefined;

  constructor(
    private readonly ctx: DecodeContext,
    private readonly transport: TransportFactory,
    private readonly stderr: Writable,
    private readonly netns?: string,
  ) {}

  /**
   * Decoded messages that are ready to write: `write` runs now, or (when a policy is being
   * asked for, or these need one) later with the messages decoded again, with the policy.
   * `keep` is called only then: it copies the bytes (receive buffers are reused) and returns
   * the decoder of the copy.
   */
  pass(msgs: DecodedMessage[], keep: () => () => DecodedMessage[], write: (m: DecodedMessage[]) => void): void {
    if (!this.pending) {
      let family: string | undefined;
      for (const m of msgs) if ((family = familyNeedingPolicy(m, this.asked)) !== undefined) break;
      if (family === undefined) return write(msgs);
      this.start(family);
    }
    this.held.push({ redecode: keep(), write });
  }

  private start(family: string): void {
    this.asked.add(family);
    this.pending = fetchPolicy(this.transport, family, this.netns)
      .then((p) => void (this.ctx.genlPolicies ??= new Map()).set(family, p))
      .catch((e: Error) => void this.stderr.write(`nlctl: policy of ${family} not available (${e.message}): its unknown attributes stay raw\n`))
      .finally(() => {
        this.pending = undefined;
        // Written in arrival order; a held message may itself need another family's policy.
        for (const h of this.held.splice(0)) this.pass(h.redecode(), () => h.redecode, h.write);
      });
  }

  /** Is a policy being asked for (later messages must wait behind the held ones)? */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Everything held is written (call before ending the output). */
  async settle(): Promise<void> {
    while (this.pending) await this.pending;
  }
}
