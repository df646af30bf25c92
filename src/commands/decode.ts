// nlctl decode: netlink bytes from anywhere — hex in any common shape, or a pcap/pcapng
// capture — decoded offline. Never gives up on bad bytes: they become diagnostics.
import { readFileSync, statSync } from 'node:fs';
import { isCapture, readCapture, CaptureFormatError, LINKTYPE_NETLINK, stripCookedHeader } from '../capture/pcap.js';
import type { CommandContext } from '../cli.js';
import { DecodeError, UsageError } from '../errors.js';
import { parseHexDump, HexParseError } from '../input/hex/index.js';
import { formatName, makeWriter, Output } from '../output.js';
import { decodeDatagram, newContext, protocolNumber, schemaFor, type DecodedMessage } from '../schema/index.js';
import { isoTime } from './stream.js';
import { decodeParallel, threadsFor, type Packet } from './decode-batch.js';
import { countDiagnostics } from './diagnostics-count.js';
import { readAll } from '../stdin.js';

interface DecodeOptions {
  proto?: string;
  strict?: boolean;
  jobs?: number;
}

/** Arguments are files when they name one, else hex text; no arguments: stdin. */
async function readInput(args: string[], stdin: () => Promise<Buffer>): Promise<{ bytes: Buffer; source: string }> {
  if (args.length === 0) return { bytes: await stdin(), source: 'stdin' };
  if (args.length === 1 && args[0] !== '-' && looksLikePath(args[0])) {
    try {
      return { bytes: readFileSync(args[0]), source: args[0] };
    } catch (e) {
      throw new UsageError(`${args[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  if (args.length === 1 && args[0] === '-') return { bytes: await stdin(), source: 'stdin' };
  return { bytes: Buffer.from(args.join('\n')), source: 'arguments' };
}

function looksLikePath(arg: string): boolean {
  try {
    return statSync(arg).isFile();
  } catch {
    // Hex never contains '/' or a file extension: such an argument was meant as a file.
    return /[/]|\.(pcap|pcapng|cap|txt|hex|log|bin)$/i.test(arg);
  }
}


export async function run(ctx: CommandContext, args: string[], o: DecodeOptions): Promise<void> {
  const format = formatName(ctx.global);
  const chosen = o.proto === undefined ? undefined : protocolNumber(o.proto);
  if (o.proto !== undefined && chosen === undefined) throw new UsageError(`unknown protocol '${o.proto}'`);
  const input = await readInput(args, () => readAll(ctx.io.stdin));
  const source = input.source;
  // A plain Uint8Array view: Buffer's subarray is several times slower, and decoding slices a lot.
  const bytes = new Uint8Array(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const out = new Output(ctx.io.stdout);
  const writer = makeWriter(out, ctx.global, ctx.io.env, format);
  const dctx = newContext();
  let diagnostics = 0;
  let messages = 0;
  let parallel = false;
  const emit = (data: Uint8Array, protocol: number, meta?: DecodedMessage['meta']) => {
    for (const m of decodeDatagram(data, schemaFor(protocol), dctx)) {
      if (meta) m.meta = meta;
      messages++;
      diagnostics += countDiagnostics(m);
      writer.write({ message: m, bytes: data.subarray(m.offset, m.offset + Math.max(16, Math.min(m.len, data.length - m.offset))) });
    }
  };

  if (isCapture(bytes)) {
    let capture;
    try {
      capture = readCapture(bytes);
    } catch (e) {
      if (e instanceof CaptureFormatError) throw new DecodeError(`${source}: ${e.message}`);
      throw e;
    }
    for (const d of capture.diagnostics) ctx.io.stderr.write(`nlctl: ${source}: offset ${d.offset}: ${d.message}\n`);
    diagnostics += capture.diagnostics.length;
    let skipped = 0;
    const packets: Packet[] = [];
    for (const p of capture.packets) {
      if (!p.netlink) {
        skipped++;
        continue;
      }
      const direction = p.netlink.direction === 'unknown' ? undefined : p.netlink.direction;
      packets.push({ protocol: chosen ?? p.netlink.protocol, payload: p.netlink.payload, ns: BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec), direction });
    }
    // Big captures to JSON for machines: spread the work over the cores.
    const threads = threadsFor(packets, o.jobs);
    if ((format === 'ndjson' || (format === 'json' && !ctx.io.stdout.isTTY)) && threads > 1) {
      const r = await decodeParallel(packets, format, out, threads);
      messages += r.messages;
      diagnostics += r.diagnostics;
      parallel = true;
    } else {
      for (const p of packets) emit(p.payload, p.protocol, { time: isoTime(p.ns), ...(p.direction ? { direction: p.direction } : {}) });
    }
    if (skipped) ctx.io.stderr.write(`nlctl: ${source}: ${skipped} packet(s) are not netlink (link type ${LINKTYPE_NETLINK} expected), skipped\n`);
  } else {
    let chunks;
    try {
      chunks = parseHexDump(input.bytes.toString('utf8'));
    } catch (e) {
      if (e instanceof HexParseError) throw new DecodeError(`${source}: ${e.message}`);
      throw e;
    }
    let guessed = false;
    for (const c of chunks) {
      const cooked = stripCookedHeader(c.bytes);
      if (cooked) emit(cooked.payload, chosen ?? cooked.protocol, cooked.direction !== 'unknown' ? { direction: cooked.direction } : undefined);
      else {
        guessed ||= chosen === undefined;
        emit(c.bytes, chosen ?? 0);
      }
    }
    if (guessed) ctx.io.stderr.write('nlctl: decoded as NETLINK_ROUTE (use --proto to choose another protocol)\n');
  }
  if (!parallel) writer.end();
  await out.flush();
  if (o.strict && diagnostics) throw new DecodeError(`${diagnostics} problem(s) in ${messages} message(s) (--strict)`);
}
