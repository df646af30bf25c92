// Capture packets decoded by the fast JSON path (src/format/fast) for ndjson and compact json:
// JSON text written as bytes and handed to stdout in large chunks.
import { ByteWriter } from '../format/json-bytes.js';
import { FastJson, type CaptureMeta, type Framing } from '../format/fast/message.js';
import { templates } from '../format/fast/template.js';
import type { Output } from '../output.js';
import { schemaFor, type DecodeContext, type DecodedMessage, type Schema } from '../schema/index.js';
import { countDiagnostics } from './diagnostics-count.js';

/** Text is handed to stdout once this much has gathered. */
const CHUNK = 256 * 1024;

export class FastCaptureOutput {
  private readonly w = new ByteWriter(CHUNK * 2);
  private readonly json: FastJson;

  constructor(private readonly out: Output, framing: Framing) {
    this.json = new FastJson(this.w, framing, countDiagnostics);
  }

  get messages(): number {
    return this.json.messages;
  }

  get diagnostics(): number {
    return this.json.diagnostics;
  }

  packet(payload: Uint8Array, protocol: number, ctx: DecodeContext, meta: CaptureMeta): void {
    this.datagram(payload, schemaFor(protocol), ctx, meta);
  }

  /** One datagram of `schema`'s protocol; returns how many messages it held. */
  datagram(payload: Uint8Array, schema: Schema, ctx: DecodeContext, meta?: CaptureMeta): number {
    const before = this.json.messages;
    this.json.datagram(payload, schema, ctx, meta);
    if (this.w.pos >= CHUNK) this.flush();
    return this.json.messages - before;
  }

  /** Messages already decoded by the general decoder (their meta set, or given as `meta`), written in their turn. */
  decoded(msgs: DecodedMessage[], meta?: CaptureMeta): void {
    this.json.decoded(msgs, meta);
    if (this.w.pos >= CHUNK) this.flush();
  }

  /** A value that is not a message (an event), framed as the messages are. */
  value(v: unknown): void {
    this.json.value(v);
    if (this.w.pos >= CHUNK) this.flush();
  }

  flush(): void {
    if (!this.w.pos) return;
    // Reused when the stream is done with the bytes: no garbage is made (one new buffer per chunk
    // made 1.5 GB for a 400 MB output). Else the stream keeps this buffer, and writing goes on in a new one.
    if (this.out.writeBytes(this.w.view())) this.w.clear();
    else this.w.take();
  }

  end(): void {
    this.json.end();
    this.flush();
  }
}

/** The fast path serves ndjson and compact json (a terminal gets indented json: the general writer). */
export function fastFraming(format: string, tty: boolean, env: NodeJS.ProcessEnv): Framing | undefined {
  // NLCTL_GENERAL_DECODER=1: every message through the general decoder and JSON.stringify (for comparison).
  if (env.NLCTL_GENERAL_DECODER === '1') return undefined;
  // NLCTL_TEMPLATES=0: every message written in full, none from a template (for comparison).
  templates.on = env.NLCTL_TEMPLATES !== '0';
  if (format === 'ndjson') return 'ndjson';
  if (format === 'json' && !tty) return 'json';
  return undefined;
}
