// nlctl decode: netlink bytes from anywhere — hex in any common shape, or a pcap/pcapng
// capture — decoded offline, read as a stream so that memory stays flat. Bad bytes become
// diagnostics; input that holds no netlink at all is refused (exit 5).
import { StringDecoder } from 'node:string_decoder';
import { NLMSG_HDRLEN } from '../codec/index.js';
import { isCapture } from '../capture/reader.js';
import { stripCookedHeader } from '../capture/cooked.js';
import type { CommandContext } from '../context.js';
import { DecodeError } from '../errors.js';
import { HexParseError, type HexChunk } from '../input/hex/index.js';
import { HexStream } from '../input/hex/stream.js';
import { looksLikeStrace } from '../input/strace-line.js';
import { formatName, makeWriter, Output } from '../output.js';
import { schemaFor, type DecodeContext, type DecodedMessage } from '../schema/index.js';
import { countDiagnostics } from './diagnostics-count.js';
import { DatagramDecoder, DatagramTap } from './datagram-decoder.js';
import { openInput, type DecodeInput } from './decode-input.js';
import type { DecodePcap } from './decode-pcap.js';
import { allZero, Skips } from './decode-skips.js';
import type { DecodeOptions, Tally } from './decode-types.js';
import { protocolOrThrow } from './names.js';
import { contextWith, parseGenlFamilies } from './genl-family-option.js';

/** How to get input nlctl can read, for text that holds none. */
const DUMP_HINT =
  'give a hex dump (xxd, hexdump -C, …), a pcap from an nlmon device, or strace output with hex dumps: ' +
  'strace -e trace=sendto,sendmsg,recvmsg,recvfrom -e read=all -e write=all';

export async function run(ctx: CommandContext, args: string[], o: DecodeOptions): Promise<void> {
  const format = formatName(ctx.global);
  const chosen = o.proto === undefined ? undefined : protocolOrThrow(o.proto);
  const families = await parseGenlFamilies(o.genlFamily);
  const newCtx = (): DecodeContext => contextWith(families);
  const input = openInput(args, () => ctx.io.stdin);
  const source = input.source;
  const pcap = o.pcap !== undefined ? new (await import('./decode-pcap.js')).DecodePcap(o.pcap, input.reopen ? source : undefined, families) : undefined;
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

  // Each kind of input loads its own modules: a hex message never loads the capture reader, the
  // fast JSON path, the decode workers or strace's parser.
  let writerUsed = true;
  if (isCapture(head)) {
    const { decodeCaptureInput } = await import('./decode-capture.js');
    writerUsed = await decodeCaptureInput({ ctx, input, o, chosen, format, out, tally, skips, write, dctx: newCtx(), pcap }, rest);
  } else if (looksLikeStrace(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'))) {
    // strace's text is read whole: its calls are parsed with the sockets opened before them.
    const text = new StringDecoder('utf8');
    let all = '';
    for await (const c of rest) all += text.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    all += text.end();
    const { decodeStrace } = await import('./decode-strace.js');
    const r = await decodeStrace(all, chosen, write, newCtx, pcap && ((protocol, bytes, direction) => pcap.datagram(protocol, bytes, direction)));
    if (r.datagrams === 0) throw new DecodeError(`${source}: strace output with no netlink buffers in it (${DUMP_HINT})`);
    if (r.guessed) ctx.io.stderr.write('nlctl: decoded as NETLINK_ROUTE where the trace does not say (use --proto to choose another protocol)\n');
  } else {
    await decodeHex(rest, source, chosen, ctx.io.stderr, out, skips, write, newCtx(), pcap);
  }
  if (writerUsed) writer.end();
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
