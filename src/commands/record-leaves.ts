// The values inside nests that a record's template writes again alone (records-template.ts).
// While a record is written whole, the nest writers (record-compound.ts) log each inner value that
// is not a nest itself: where its bytes are in the message, where its text is in the record, and
// its writer. A later message that differs from the template only in some of those values has just
// them written again: a link's IFLA_AF_SPEC (a kilobyte of per-family settings) differs from the
// last link's in its IPv6 cacheinfo alone.
import type { JsonBytes } from '../format/records-bytes.js';

/** Write the value of `n` bytes at `o` of `b`; false: not written, take the general code (record-emitters.ts). */
export type Emit = (b: Uint8Array, o: number, n: number, be: boolean, out: JsonBytes) => boolean;

export class LeafLog {
  /** Set while a record that may become a template is written. */
  on = false;
  n = 0;
  /** Per leaf: its value's bytes (offset in the message data, length), its text (offsets in the output), its writer and byte order. */
  inAt = new Int32Array(64);
  inLen = new Int32Array(64);
  outAt = new Int32Array(64);
  outEnd = new Int32Array(64);
  be = new Uint8Array(64);
  emit: Emit[] = [];

  add(inAt: number, inLen: number, outAt: number, outEnd: number, emit: Emit, be: boolean): void {
    const i = this.n++;
    if (i === this.inAt.length) this.grow();
    this.inAt[i] = inAt;
    this.inLen[i] = inLen;
    this.outAt[i] = outAt;
    this.outEnd[i] = outEnd;
    this.be[i] = be ? 1 : 0;
    this.emit[i] = emit;
  }

  private grow(): void {
    this.inAt = doubled(this.inAt);
    this.inLen = doubled(this.inLen);
    this.outAt = doubled(this.outAt);
    this.outEnd = doubled(this.outEnd);
    this.be = doubled(this.be);
  }
}

/** `a` copied into an array of twice its length. */
export function doubled<T extends Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The one log: records are written one at a time. */
export const leafLog = new LeafLog();
