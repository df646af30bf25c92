// listen's ndjson (and piped json): each datagram goes from its bytes straight to JSON text by the
// fast path decode uses (src/format/fast), with listen's meta (time, direction, sender, group,
// nsid), instead of decoded objects and JSON.stringify; the text the general writers would print,
// byte for byte (test/unit/listen-fast.test.ts). Events and anything decoded in full (a message
// held for a generic netlink policy) join the same bytes, so the order stays as it came.
import type { CaptureMeta, MessageWriter, OutputEvent, OutputItem } from '../format/index.js';
import type { Framing } from '../format/fast/message.js';
import type { Output } from '../output.js';
import type { DecodeContext, Schema } from '../schema/index.js';
import { FastCaptureOutput } from './decode-fast.js';

export class FastLiveWriter implements MessageWriter {
  private readonly fast: FastCaptureOutput;
  private scheduled = false;

  constructor(out: Output, framing: Framing) {
    this.fast = new FastCaptureOutput(out, framing);
  }

  datagram(data: Uint8Array, schema: Schema, ctx: DecodeContext, meta: CaptureMeta): number {
    const n = this.fast.datagram(data, schema, ctx, meta);
    this.soon();
    return n;
  }

  write(item: OutputItem): void {
    if ('record' in item) this.fast.value(item.record);
    else this.fast.decoded([item.message]);
    this.soon();
  }

  event(e: OutputEvent): void {
    this.fast.value(e);
    this.soon();
  }

  end(): void {
    this.fast.end();
  }

  /**
   * Handed to stdout when the event loop is next free, as Output does with text: between two
   * batches of the receive loop, so a message reaches the reader as soon as it was read.
   */
  private soon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.fast.flush();
    });
  }
}
