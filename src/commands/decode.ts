// nlctl decode: netlink bytes from anywhere — hex in any common shape, or a pcap/pcapng
// capture — decoded offline, read as a stream so that memory stays flat. Bad bytes become
// diagnostics; input that holds no netlink at all is refused (exit 5).
import { StringDecoder } from 'node:string_decoder';
import { NLMSG_HDRLEN } from '../codec/index.js';
import { CaptureFormatError, CaptureStream, isCapture, stripCookedHeader, type CapturedPacket, type CaptureDiagnostic } from '../capture/pcap.js';
import type { CommandContext } from '../context.js';
import { DecodeError } from '../errors.js';
import { HexParseError, type HexChunk } from '../input/hex/index.js';
import { HexStream } from '../input/hex/stream.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeDatagram, schemaFor, type DecodeContext, type DecodedMessage } from '../schema/index.js';
import { captureTimeOf, plainTime } from './decode-time.js';
import { ParallelDecoder, threadsFor } from './decode-batch.js';
import { FastCaptureOutput, fastFraming } from './decode-fast.js';
import type { CaptureMeta } from '../format/fast/message.js';
import { countDiagnostics } from './diagnostics-count.js';
import { bytesOf, DatagramDecoder, DatagramTap } from './datagram-decoder.js';
import { openInput, type DecodeInput } from './decode-input.js';
import { allZero, Skips } from './decode-skips.js';
import { protocolOrThrow } from './names.js';
import { decodeStrace, looksLikeStrace } from './decode-strace.js';
import { isFamilyTable, mayBeFamilyTable } from './family-table.js';
import { contextWith, parseGenlFamilies } from './genl-family-option.js';
import { DecodePcap } from './decode-pcap.js';

interface DecodeOptions {
  proto?: string;
  strict?: boolean;
  jobs?: number;
  genlFamily?: string[];
  pcap?: string;
}

/** Capture problems shown one per line; the rest are counted. */
const SHOWN_PROBLEMS = 10;

/** How to get input nlctl can read, for text that holds none. */
const DUMP_HINT =
  'give a hex dump (xxd, hexdump -C, …), a pcap from an nlmon device, or strace output with hex dumps: ' +
  'strace -e trace=sendto,sendmsg,recvmsg,recvfrom -e read=all -e write=all';

interface Tally {
  messages: number;
  diagnostics: number;
}

export async function run(ctx: CommandContext, args: string[], o: DecodeOptions): Promise<void> {
  const format = formatName(ctx.global);
  const chosen = o.proto === undefined ? undefined : protocolOrThrow(o.proto);
  const families = await parseGenlFamilies(o.genlFamily);
  const newCtx = (): DecodeContext => contextWith(families);
  const input = openInput(args, () => ctx.io.stdin);
  const source = input.source;
  const pcap = o.pcap !== undefined ? new DecodePcap(o.pcap, input.reopen ? source : undefined, families) : undefined;
  try {
    await decodeInput(ctx, input, o, chosen, format, newCtx, pcap);
  } finally {
    pcap?.close();
  }
  if (pcap) ctx.io.stderr.write(`nlctl: ${pcap.records} record(s) in ${o.pcap}\n`);
}

async function decodeInput(
  ctx: CommandContext, input: DecodeInput, o: DecodeOptions, chosen: number | undefined, format: ReturnType<typeof formatName>, newCtx: () => DecodeContext, pcap: DecodePcap | undefined,
): Promise<void> {
  const source = input.source;
  const out = new Output(ctx.io.stdout);
  const writer = await makeWriter(out, ctx.global, ctx.io.env, format);
  const tally: Tally = { messages: 0, diagnostics: 0 };
  const skips = new Skips();
  const write = (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']): void => {
    if (meta) m.meta = meta;
    tally.messages++;
    tally.diagnostics += countDiagnostics(m);
    writer.write({ message: m, bytes });
  };

  const chunks = input.chunks[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 4) {
    const r = await chunks.next();
    if (r.done) break;
    head = head.length ? concat(head, r.value) : r.value;
  }
  const rest = (async function* () {
    if (head.length) yield head;
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
  })();

  let parallel = false;
  let fast: FastCaptureOutput | undefined;
  if (isCapture(head)) {
    const threads = await captureThreads(input, format, o, chosen, Boolean(ctx.io.stdout.isTTY));
    parallel = threads > 1;
    const framing = fastFraming(format, Boolean(ctx.io.stdout.isTTY), ctx.io.env);
    if (!parallel && framing) fast = new FastCaptureOutput(out, framing);
    await decodeCapture(rest, source, chosen, ctx.io.stderr, out, tally, skips, write, newCtx(), pcap, parallel ? await ParallelDecoder.start(format as 'json' | 'ndjson', out, threads) : undefined, fast);
  } else if (looksLikeStrace(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'))) {
    // strace's text is read whole: its calls are parsed with the sockets opened before them.
    const text = new StringDecoder('utf8');
    let all = '';
    for await (const c of rest) all += text.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    all += text.end();
    const r = await decodeStrace(all, chosen, write, newCtx, pcap && ((protocol, bytes, direction) => pcap.datagram(protocol, bytes, direction)));
    if (r.datagrams === 0) throw new DecodeError(`${source}: strace output with no netlink buffers in it (${DUMP_HINT})`);
    if (r.guessed) ctx.io.stderr.write('nlctl: decoded as NETLINK_ROUTE where the trace does not say (use --proto to choose another protocol)\n');
  } else {
    await decodeHex(rest, source, chosen, ctx.io.stderr, out, skips, write, newCtx(), pcap);
  }
  if (fast) fast.end();
  else if (!parallel) writer.end();
  await out.flush();
  if (tally.messages === 0) {
    throw new DecodeError(`${source}: no netlink message decoded${skips.total ? ` (${skips.summary()})` : ''}`);
  }
  if (o.strict && skips.total) throw new DecodeError(`${source}: ${skips.summary()} (--strict)`);
  if (skips.total) ctx.io.stderr.write(`nlctl: ${source}: ${skips.summary()}\n`);
  if (o.strict && tally.diagnostics) throw new DecodeError(`${tally.diagnostics} problem(s) in ${tally.messages} message(s) (--strict)`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
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

/** Chunks merged into the datagram before them when that datagram's last message is unfinished. */
const MERGE_LIMIT = 64 * 1024;

async function decodeHex(
  chunks: AsyncIterable<Uint8Array>, source: string, chosen: number | undefined, stderr: NodeJS.WritableStream, out: Output,
  skips: Skips, write: (m: DecodedMessage, bytes: Uint8Array, meta?: DecodedMessage['meta']) => void, dctx: DecodeContext, pcap: DecodePcap | undefined,
): Promise<void> {
  let meta: DecodedMessage['meta'] | undefined;
  let guessed = false;
  let lastShape: HexChunk['shape'] | undefined;
  const inner = new DatagramDecoder(dctx, (m, bytes) => write(m, bytes, meta));
  const dec = new DatagramTap(inner, pcap && ((protocol, bytes) => pcap.datagram(protocol, bytes, meta?.direction)));
  const onChunk = (c: HexChunk, continued: boolean): void => {
    if (dec.active && (continued || continuesMessage(c, lastShape, dec.lacking))) {
      dec.push(c.bytes);
      return;
    }
    dec.end();
    lastShape = c.shape;
    if (allZero(c.bytes)) {
      skips.add('all zeros');
      return;
    }
    const cooked = stripCookedHeader(c.bytes);
    if (cooked) {
      meta = cooked.direction !== 'unknown' ? { direction: cooked.direction } : undefined;
      dec.begin(schemaFor(chosen ?? cooked.protocol), chosen ?? cooked.protocol);
      dec.push(cooked.payload);
    } else {
      guessed ||= chosen === undefined;
      meta = undefined;
      dec.begin(schemaFor(chosen ?? 0), chosen ?? 0);
      dec.push(c.bytes);
    }
  };
  const hex = new HexStream(onChunk);
  const text = new StringDecoder('utf8');
  try {
    for await (const c of chunks) {
      hex.push(text.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
      await out.flush();
      if (out.closed) return;
    }
    hex.push(text.end());
    hex.end();
  } catch (e) {
    if (e instanceof HexParseError) {
      // Text with no hex at all gets the hint; an error inside a dump is only that error.
      const hint = /: (?:not hex|no hex data)/.test(e.message) ? ` (no netlink found: ${DUMP_HINT})` : '';
      throw new DecodeError(`${source}: ${e.message}${hint}`);
    }
    throw e;
  }
  dec.end();
  if (guessed) stderr.write('nlctl: decoded as NETLINK_ROUTE (use --proto to choose another protocol)\n');
}

/**
 * A dump cut by blank lines between attribute groups: the block goes on with the message before
 * it when that message is unfinished by its nlmsg_len and the block does not start a message itself.
 */
function continuesMessage(c: HexChunk, shape: HexChunk['shape'] | undefined, lacking: number): boolean {
  if (lacking === 0 || lacking > MERGE_LIMIT || c.shape !== shape || c.shape === 'strace' || c.shape === 'strace-raw') return false;
  const b = c.bytes;
  const len = b.length >= 4 ? (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 : 0;
  return !(len >= NLMSG_HDRLEN && len <= b.length);
}
