// strace text decoded call by call: the bytes of each netlink buffer (from strace's hex dump, or
// rebuilt from its rendering), under the protocol of the socket it went through, with what strace
// left out reported on the message it belongs to.
import { parseStraceText, type StraceDatagram } from '../input/strace/index.js';
import { decodeDatagram, newContext, schemaFor, type DecodeContext, type DecodedMessage } from '../schema/index.js';
import { bytesOf } from './datagram-decoder.js';
import { straceTables } from './strace-tables.js';

/** strace's own text: its rendering of netlink messages, or a netlink socket() call before the dumps. */
export function looksLikeStrace(text: string): boolean {
  return /\{nlmsg_len=\d+, nlmsg_type=/.test(text) || /^(?:\[pid\s+\d+\]\s*|\d+\s+)?(?:[\d:.]+\s+)?socket\(AF_NETLINK,/m.test(text);
}

export type MessageWriter = (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']) => void;

/** Decodes every netlink buffer of the trace; returns whether any protocol had to be guessed. */
export async function decodeStrace(
  text: string, chosen: number | undefined, write: MessageWriter, newCtx: () => DecodeContext = newContext,
  datagram?: (protocol: number, bytes: Uint8Array, direction: 'in' | 'out' | undefined) => void,
): Promise<{ guessed: boolean; datagrams: number }> {
  const contexts = new Map<number, DecodeContext>();
  let guessed = false;
  const datagrams = await parseStraceText(text, straceTables);
  for (const d of datagrams) {
    const protocol = chosen ?? d.protocol ?? 0;
    guessed ||= chosen === undefined && d.protocol === undefined;
    let ctx = contexts.get(protocol);
    if (!ctx) contexts.set(protocol, (ctx = newCtx()));
    datagram?.(protocol, d.bytes, d.direction);
    const messages = decodeDatagram(d.bytes, schemaFor(protocol), ctx);
    attachDiagnostics(messages, d);
    for (const m of messages) write(m, bytesOf(m, d.bytes), { direction: d.direction });
  }
  return { guessed, datagrams: datagrams.length };
}

/** Each of strace's gaps goes on the message whose bytes it falls in (or the last one). */
function attachDiagnostics(messages: DecodedMessage[], d: StraceDatagram): void {
  for (const diag of d.diagnostics) {
    const owner = messages.find((m) => diag.offset >= m.offset && diag.offset < m.offset + m.len) ?? messages[messages.length - 1];
    owner?.diagnostics.push({ offset: diag.offset, message: `strace line ${d.line}: ${diag.message}` });
  }
}
