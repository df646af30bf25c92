// decode's capture input (pcap, pcapng): frames read as a stream, each netlink payload decoded
// under its protocol, through the fast JSON path, the decode workers or the writer. Loaded only
// when the input is a capture.
import type { CommandContext } from '../context.js';
import { CaptureFormatError, CaptureStream, type CapturedPacket, type CaptureDiagnostic } from '../capture/pcap.js';
import { DecodeError } from '../errors.js';
import type { CaptureMeta } from '../format/fast/message.js';
import type { formatName, Output } from '../output.js';
import { decodeDatagram, schemaFor, type DecodeContext, type DecodedMessage } from '../schema/index.js';
import { bytesOf } from './datagram-decoder.js';
import { ParallelDecoder, threadsFor } from './decode-batch.js';
import { FastCaptureOutput, fastFraming } from './decode-fast.js';
import type { DecodeInput } from './decode-input.js';
import type { DecodePcap } from './decode-pcap.js';
import { allZero, type Skips } from './decode-skips.js';
import { captureTimeOf, plainTime } from './decode-time.js';
import type { DecodeOptions, Tally } from './decode-types.js';
import { isFamilyTable, mayBeFamilyTable } from './family-table.js';

/** Capture problems shown one per line; the rest are counted. */
const SHOWN_PROBLEMS = 10;

export interface CaptureRun {
  ctx: CommandContext;
  input: DecodeInput;
  o: DecodeOptions;
  chosen: number | undefined;
  format: ReturnType<typeof formatName>;
  out: Output;
  tally: Tally;
  skips: Skips;
  write: (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']) => void;
  dctx: DecodeContext;
  pcap: DecodePcap | undefined;
}

/**
 * Decodes the capture whose bytes `chunks` gives. True when its messages went to `write` (the
 * caller's writer is to be ended); false when the fast path or the workers wrote them.
 */
export async function decodeCaptureInput(r: CaptureRun, chunks: AsyncIterable<Uint8Array>): Promise<boolean> {
  const tty = Boolean(r.ctx.io.stdout.isTTY);
  const threads = await captureThreads(r.input, r.format, r.o, r.chosen, tty);
  const parallel = threads > 1;
  const framing = fastFraming(r.format, tty, r.ctx.io.env);
  const fast = !parallel && framing ? new FastCaptureOutput(r.out, framing) : undefined;
  const pool = parallel ? await ParallelDecoder.start(r.format as 'json' | 'ndjson', r.out, threads) : undefined;
  await decodeCapture(chunks, r.input.source, r.chosen, r.ctx.io.stderr, r.out, r.tally, r.skips, r.write, r.dctx, r.pcap, pool, fast);
  fast?.end();
  return !fast && !parallel;
}

/** Workers only for json/ndjson to a pipe or file, and never when generic netlink needs one context. */
async function captureThreads(input: DecodeInput, format: string, o: DecodeOptions, chosen: number | undefined, tty: boolean): Promise<number> {
  if (format !== 'ndjson' && !(format === 'json' && !tty)) return 1;
  const n = threadsFor(input.size, o.jobs);
  if (n <= 1) return 1;
  if (chosen !== undefined) return chosen === 16 ? 1 : n;
  if (!input.reopen) return 1; // stdin cannot be read twice to look for generic netlink
  return (await hasGeneric(input.reopen())) ? 1 : n;
}

/** A first pass over a capture: does any frame carry generic netlink (which learns family ids in order)? */
async function hasGeneric(chunks: AsyncIterable<Uint8Array>): Promise<boolean> {
  let found = false;
  const s = new CaptureStream({ packet: (p) => { if (p.netlink?.protocol === 16) found = true; }, diagnostic: () => {} });
  for await (const c of chunks) {
    s.push(c);
    if (found || s.done) return found;
  }
  s.end();
  return found;
}

async function decodeCapture(
  chunks: AsyncIterable<Uint8Array>, source: string, chosen: number | undefined, stderr: NodeJS.WritableStream, out: Output,
  tally: Tally, skips: Skips, write: (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']) => void,
  dctx: DecodeContext, pcap: DecodePcap | undefined, pool?: ParallelDecoder, fast?: FastCaptureOutput,
): Promise<void> {
  let problems = 0;
  let packets: CapturedPacket[] = [];
  const problem = (d: CaptureDiagnostic): void => {
    if (++problems <= SHOWN_PROBLEMS) stderr.write(`nlctl: ${source}: offset ${d.offset}: ${d.message}\n`);
  };
  const stream = new CaptureStream({ packet: (p) => packets.push(p), diagnostic: problem, skipped: (why) => skips.add(why) });
  const fastMeta: CaptureMeta = {};
  const handle = async (): Promise<void> => {
    const batch = packets;
    packets = [];
    for (const p of batch) {
      if (!p.netlink) skips.add(`not netlink (link type ${p.linkType})`);
      else if (p.netlink.payload.length === 0) skips.add('empty');
      else if (allZero(p.netlink.payload)) skips.add('all zeros');
      else {
        const protocol = chosen ?? p.netlink.protocol;
        const direction = p.netlink.direction === 'unknown' ? undefined : p.netlink.direction;
        const frame = { protocol, pktType: p.netlink.pktType };
        const fastFrame = fast !== undefined && !pool && !mayBeFamilyTable(frame);
        // The fast path writes a plain time from its numbers, without the text.
        const plain = plainTime(p.tsSec, p.tsNsec);
        const time = plain && fastFrame ? undefined : captureTimeOf(p.tsSec, p.tsNsec);
        if (!plain && time === undefined) problem({ offset: p.offset, message: `timestamp ${p.tsSec}.${String(p.tsNsec).padStart(9, '0')} s is out of range; packet shown without a time` });
        // The time in ns only where a capture or a worker takes it (a BigInt per packet costs).
        const ns = pcap || pool ? BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec) : 0n;
        // The frame as it was, cooked header values and all, under the protocol it was decoded as.
        pcap?.datagram(protocol, p.netlink.payload, direction, (plain || time !== undefined) && p.tsSec <= 0xffffffff ? ns : 0n, p.netlink.pktType);
        if (pool) await pool.add({ protocol, payload: p.netlink.payload, ns, direction });
        else {
          if (fastFrame) {
            // One meta object for every packet: the fast path only reads it.
            fastMeta.time = time;
            fastMeta.second = plain ? p.tsSec : undefined;
            fastMeta.micros = plain ? Math.floor(p.tsNsec / 1000) : undefined;
            fastMeta.direction = direction;
            fast!.packet(p.netlink.payload, protocol, dctx, fastMeta);
            continue;
          }
          const meta: DecodedMessage['meta'] = {};
          if (time !== undefined) meta.time = time;
          if (direction) meta.direction = direction;
          const msgs = decodeDatagram(p.netlink.payload, schemaFor(protocol), dctx);
          if (isFamilyTable(frame, msgs)) meta.family_table = true;
          if (fast) fast.decoded(msgs, meta);
          else for (const m of msgs) write(m, bytesOf(m, p.netlink.payload), meta);
        }
      }
    }
    fast?.flush();
    await out.flush();
  };
  try {
    for await (const c of chunks) {
      stream.push(c);
      await handle();
      // The reader went away (`| head`): the rest of the capture would be decoded for nobody.
      if (stream.done || out.closed) break;
    }
    // A capture left unread is not a truncated one.
    if (!out.closed) stream.end();
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new DecodeError(`${source}: ${e.message}`);
    throw e;
  }
  await handle();
  if (fast) {
    tally.messages += fast.messages;
    tally.diagnostics += fast.diagnostics;
  }
  if (pool) {
    const r = await pool.finish();
    tally.messages += r.messages;
    tally.diagnostics += r.diagnostics;
  }
  if (problems > SHOWN_PROBLEMS) stderr.write(`nlctl: ${source}: ${problems - SHOWN_PROBLEMS} more problem(s) in the capture not shown\n`);
  tally.diagnostics += problems;
}
