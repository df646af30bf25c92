// strace text decoded call by call: the bytes of each netlink buffer (from strace's hex dump, or
// rebuilt from its rendering), under the protocol of the socket it went through, with what strace
// left out reported on the message it belongs to — and never shown as a value.
import { kernelTransport } from '../context.js';
import { parseStraceText, type StraceDatagram } from '../input/strace/index.js';
import { decodeDatagram, headerLayout, newContext, schemaFor, type DecodeContext, type DecodedAttr, type DecodedMessage } from '../schema/index.js';
import { bytesOf } from './datagram-decoder.js';
import { straceTables } from './strace-tables.js';

export type MessageWriter = (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']) => void;

type Gap = StraceDatagram['gaps'][number];

/** Decodes every netlink buffer of the trace; returns whether any protocol had to be guessed. */
export async function decodeStrace(
  text: string, chosen: number | undefined, write: MessageWriter, newCtx: () => DecodeContext = newContext,
  datagram?: (protocol: number, bytes: Uint8Array, direction: 'in' | 'out' | undefined) => void,
): Promise<{ guessed: boolean; datagrams: number }> {
  const contexts = new Map<number, DecodeContext>();
  let guessed = false;
  const datagrams = await parseStraceText(text, await tablesFor(text), chosen);
  for (const d of datagrams) {
    const protocol = chosen ?? d.protocol ?? 0;
    guessed ||= chosen === undefined && d.protocol === undefined;
    let ctx = contexts.get(protocol);
    if (!ctx) contexts.set(protocol, (ctx = newCtx()));
    // A family strace named beside its dump: the trace need not hold the nlctrl exchange that gave the id.
    for (const [id, name] of d.genlFamilies ?? []) if (!ctx.genlFamilies.has(id)) ctx.genlFamilies.set(id, name);
    // A capture gets only the bytes strace printed: up to its first gap (the zeros standing in are no capture).
    datagram?.(protocol, d.gaps.length ? d.bytes.subarray(0, Math.min(...d.gaps.map((g) => g.offset))) : d.bytes, d.direction);
    const messages = decodeDatagram(d.bytes, schemaFor(protocol), ctx);
    for (const m of messages) maskGaps(m, d.gaps, d.bytes.length);
    attachDiagnostics(messages, d);
    for (const m of messages) write(m, printedBytes(m, d), { direction: d.direction });
  }
  return { guessed, datagrams: datagrams.length };
}

/**
 * The tables, with the interfaces of the namespace decode runs in when the trace names any but
 * lo: strace prints if_nametoindex("eth0"), the name, so only a live interface gives the number
 * (and sysfs would show the namespace it was mounted in, not ours).
 */
async function tablesFor(text: string): Promise<typeof straceTables> {
  if (!/if_nametoindex\("(?!lo")/.test(text)) return straceTables;
  try {
    // Loaded here only: an offline decode opens no socket (nor loads the FFI) otherwise.
    const { interfaceTable } = await import('./ifnames.js');
    const byName = new Map([...(await interfaceTable(await kernelTransport()))].map(([i, n]) => [n, i]));
    return { ...straceTables, ifindex: (name) => byName.get(name) };
  } catch {
    return straceTables; // no netlink here (a sandbox): sysfs, or the index stays unknown
  }
}

/** A message's bytes as far as strace printed them: the stand-in zeros of a gap are not shown (-f hex) nor written. */
function printedBytes(m: DecodedMessage, d: StraceDatagram): Uint8Array {
  const bytes = bytesOf(m, d.bytes);
  const gap = d.gaps.find((g) => g.end > m.offset && g.offset < m.offset + bytes.length);
  return gap ? bytes.subarray(0, Math.max(0, gap.offset - m.offset)) : bytes;
}

/** Each of strace's gaps goes on the message whose bytes it falls in (or the last one). */
function attachDiagnostics(messages: DecodedMessage[], d: StraceDatagram): void {
  for (const diag of d.diagnostics) {
    const owner = messages.find((m) => diag.offset >= m.offset && diag.offset < m.offset + m.len) ?? messages[messages.length - 1];
    owner?.diagnostics.push({ offset: diag.offset, message: `strace line ${d.line}: ${diag.message}` });
  }
}

// What the decoder made of bytes strace did not print is dropped: the zeros standing in for them
// would otherwise read as values (an index 0, a string cut at the gap, "attribute length 0").

const hits = (gaps: Gap[], from: number, to: number): Gap | undefined => gaps.find((g) => g.offset < to && g.end > from);

function maskGaps(m: DecodedMessage, gaps: Gap[], known: number): void {
  // Whatever lies past the bytes strace printed is a gap too.
  const all = known < m.offset + m.len ? [...gaps, { offset: known, end: m.offset + m.len }] : gaps;
  if (!hits(all, m.offset, m.offset + m.len)) return;
  // strace printed less than nlmsg_len says: cut short, as a capture's short frame is.
  const end = m.offset + m.len;
  if (all.some((g) => g.offset < end && g.end >= end)) m.truncated = true;
  const inGap = (offset: number) => all.some((g) => offset >= g.offset && offset < g.end);
  m.diagnostics = m.diagnostics.filter((x) => !inGap(x.offset) && !/^nlmsg_len \d+ but only/.test(x.message));
  if (m.header) {
    for (const f of headerLayout(m.header)) {
      if (!hits(all, f.offset, f.offset + f.size)) continue;
      delete m.header.fields[f.name];
      if (m.header.raw) delete m.header.raw[f.name];
    }
  }
  if (m.attrs) m.attrs = maskAttrs(m.attrs, all);
  if (m.payload) {
    const g = hits(all, m.payload.offset, m.payload.offset + m.payload.hex.length / 2);
    if (g) {
      const keep = Math.max(0, g.offset - m.payload.offset);
      m.payload = { offset: m.payload.offset, hex: m.payload.hex.slice(0, keep * 2) };
      m.diagnostics.push({ offset: g.offset, message: `strace did not print the payload from offset ${g.offset}: only the ${keep} byte(s) before are shown` });
    }
  }
  if (m.error?.request) maskGaps(m.error.request, all, known);
}

function maskAttrs(attrs: DecodedAttr[], gaps: Gap[]): DecodedAttr[] {
  const out: DecodedAttr[] = [];
  for (const a of attrs) {
    const end = a.offset + Math.max(a.len, 4);
    const g = hits(gaps, a.offset, end);
    if (!g) {
      out.push(a);
      continue;
    }
    // An attribute whose own header strace did not print is not in the trace at all.
    if (hits(gaps, a.offset, a.offset + 4)) continue;
    if (a.diagnostics) a.diagnostics = a.diagnostics.filter((x) => !gaps.some((h) => x.offset >= h.offset && x.offset < h.end));
    if (a.attrs) {
      a.attrs = maskAttrs(a.attrs, gaps);
    } else {
      delete a.value;
      delete a.raw;
      delete a.hex;
      (a.diagnostics ??= []).push({ offset: g.offset, message: `strace did not print bytes ${g.offset}–${Math.min(g.end, end) - 1} of this attribute: its value is unknown` });
    }
    if (a.diagnostics?.length === 0) delete a.diagnostics;
    out.push(a);
  }
  return out;
}
