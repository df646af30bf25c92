// A message's leaves as a template keeps them (template.ts): per leaf, where its bytes and its
// text are, and what writes it again.
import type { Schema } from '../../schema/index.js';
import type { CompiledAttr } from './attr-heads.js';

/** A message's leaves, in the order of their bytes (which is that of their text). */
export class Leaves {
  /** Per leaf: the attribute's offset in the payload, where its value starts (after an attribute's header), its length, datagram offset, raw type, and first in its set (1). */
  off: Int32Array;
  valueAt: Int32Array;
  len: Int32Array;
  at: Float64Array;
  raw: Int32Array;
  first: Uint8Array;
  /** Per leaf: its text from the body's start, [ts, te). */
  ts: Int32Array;
  te: Int32Array;
  /** Per leaf: its attribute, or null for the family header (written by its plan, `headers`). */
  attrs: (CompiledAttr | null)[] = [];
  schemas: Schema[] = [];
  headers: (object | undefined)[] = [];

  constructor(n: number) {
    this.off = new Int32Array(n);
    this.valueAt = new Int32Array(n);
    this.len = new Int32Array(n);
    this.at = new Float64Array(n);
    this.raw = new Int32Array(n);
    this.first = new Uint8Array(n);
    this.ts = new Int32Array(n);
    this.te = new Int32Array(n);
  }

  /** Room for leaf i. */
  room(i: number): void {
    if (i < this.off.length) return;
    const n = Math.max(64, this.off.length * 2);
    const more = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.off = more(this.off);
    this.valueAt = more(this.valueAt);
    this.len = more(this.len);
    this.at = more(this.at);
    this.raw = more(this.raw);
    this.first = more(this.first);
    this.ts = more(this.ts);
    this.te = more(this.te);
  }

  /** Leaves [0, n) of `from` (the recorder's), the room for them checked by the caller. */
  copy(from: Leaves, n: number): void {
    for (let i = 0; i < n; i++) {
      this.off[i] = from.off[i]!;
      this.valueAt[i] = from.valueAt[i]!;
      this.len[i] = from.len[i]!;
      this.at[i] = from.at[i]!;
      this.raw[i] = from.raw[i]!;
      this.first[i] = from.first[i]!;
      this.ts[i] = from.ts[i]!;
      this.te[i] = from.te[i]!;
      this.attrs[i] = from.attrs[i]!;
      this.schemas[i] = from.schemas[i]!;
      this.headers[i] = from.headers[i];
    }
    this.attrs.length = this.schemas.length = this.headers.length = n;
  }

  /** Let go of the tables and plans the last message's leaves named. */
  forget(): void {
    this.attrs.length = 0;
    this.schemas.length = 0;
    this.headers.length = 0;
  }
}
