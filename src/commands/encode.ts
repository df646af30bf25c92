// nlctl encode: build a message from the same options as `send` — or from decoded JSON — and
// write it as hex, raw bytes or a C array, without sending anything.
import { readAll } from '../stdin.js';
import type { CommandContext } from '../context.js';
import { toHex } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { schemaFor, type DecodedMessage } from '../schema/index.js';
import { encodeDecodedMessage } from '../schema/encode-json.js';
import { EncodeError } from '../schema/encode.js';
import { allocateSeq, NETLINK_GENERIC } from '../transport/index.js';
import { readUserFile } from './read-file.js';
import { buildMessage, liveResolver, messageBytes, readBody, writeWarnings, type MessageOptions } from './message-builder.js';
import { withIpNames } from './ip-names.js';

interface EncodeOptions extends MessageOptions {
  fromJson?: string | true;
  out: 'hex' | 'raw' | 'c';
}

/** Decoded messages from JSON (an array, one object, or one object per line); events are skipped. */
export function messagesFromJson(text: string): DecodedMessage[] {
  const trimmed = text.trim();
  let items: unknown[];
  try {
    if (trimmed.startsWith('[')) items = JSON.parse(trimmed);
    else items = trimmed.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch (e) {
    throw new UsageError(`--from-json: not JSON: ${(e as Error).message}`);
  }
  const msgs = items.filter((x): x is DecodedMessage => typeof x === 'object' && x !== null && 'type' in x && 'protocol_number' in x);
  if (!msgs.length) throw new UsageError('--from-json: no decoded messages in the input (expected the output of nlctl decode -j / --format ndjson)');
  return msgs;
}

function render(messages: Uint8Array[], out: EncodeOptions['out']): string | Buffer {
  switch (out) {
    case 'raw':
      return Buffer.concat(messages);
    case 'c':
      return messages.map((m, i) => {
        const rows: string[] = [];
        for (let j = 0; j < m.length; j += 12) rows.push('  ' + Array.from(m.subarray(j, j + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ') + ',');
        return `unsigned char msg${messages.length > 1 ? i : ''}[${m.length}] = {\n${rows.join('\n')}\n};\n`;
      }).join('');
    default:
      return messages.map((m) => toHex(m) + '\n').join('');
  }
}

const BUILD_OPTIONS: Partial<Record<keyof EncodeOptions, string>> = {
  proto: '--proto', type: '--type', flags: '--flags', seq: '--seq', pid: '--pid', family: '--family', cmd: '--cmd',
  genlVersion: '--genl-version', header: '--header', headerHex: '--header-hex', hex: '--hex', file: '--file', attr: '--attr', nul: '--nul',
};

export async function run(ctx: CommandContext, text: string | undefined, opts: EncodeOptions): Promise<void> {
  const o = await withIpNames(opts, ctx.transport);
  let messages: Uint8Array[];
  if (o.fromJson !== undefined) {
    // Everything else that builds a message would be ignored.
    const ignored = Object.entries(BUILD_OPTIONS).filter(([key]) => o[key as keyof EncodeOptions] !== undefined).map(([, flag]) => flag);
    if (text !== undefined) ignored.unshift(`the text '${text}'`);
    if (ignored.length) throw new UsageError(`--from-json takes whole messages from the JSON: ${ignored.join(', ')} cannot apply`);
    const src = o.fromJson === true || o.fromJson === '-' ? (await readAll(ctx.io.stdin)).toString('utf8') : readUserFile(o.fromJson, '--from-json').toString('utf8');
    messages = messagesFromJson(src).map((m, i) => {
      try {
        if (!Number.isInteger(m.protocol_number) || m.protocol_number < 0 || m.protocol_number > 31) {
          throw new EncodeError(`protocol_number ${JSON.stringify(m.protocol_number)} is not a netlink protocol (0-31)`);
        }
        return encodeDecodedMessage(m, schemaFor(m.protocol_number));
      } catch (e) {
        // JSON edited into another shape (a string where a list belongs) fails as a TypeError.
        if (e instanceof EncodeError || e instanceof RangeError || e instanceof TypeError) throw new UsageError(`--from-json: message ${i + 1}: ${e.message}`);
        throw e;
      }
    });
  } else {
    const body = await readBody(o, text, () => readAll(ctx.io.stdin));
    // Only a generic netlink family given by name needs the kernel (to learn its id).
    const needsKernel = o.family !== undefined && !/^\d+$/.test(o.family) && o.family !== 'nlctrl';
    const sock = needsKernel ? ctx.transport(NETLINK_GENERIC) : undefined;
    try {
      const m = await buildMessage(o, body, sock ? liveResolver(sock) : undefined);
      writeWarnings(m, ctx.io.stderr);
      messages = [messageBytes(m, m.seq || allocateSeq(), m.pid)];
    } finally {
      sock?.close();
    }
  }
  ctx.io.stdout.write(render(messages, o.out));
}
