// Capture times of the fast JSON path written straight as bytes, "YYYY-MM-DDTHH:MM:SS.uuuuuuZ":
// the text isoTimeOf (src/commands/stream.ts) makes, without a string per packet. The date part
// is made once per second, as there. A test compares the two.
import { putBytes, type ByteWriter } from '../json-bytes.js';

let second = -1;
let prefix = '';
/** `"YYYY-MM-DDTHH:MM:SS.` of `second`. */
let prefixBytes = Buffer.alloc(0);

function setSecond(sec: number): void {
  second = sec;
  prefix = new Date(sec * 1000).toISOString().slice(0, 19);
  prefixBytes = Buffer.from(`"${prefix}.`, 'latin1');
}

/** The time as text (for the general writer): isoTimeOf's. */
export function timeText(sec: number, us: number): string {
  if (sec !== second) setSecond(sec);
  return `${prefix}.${String(us).padStart(6, '0')}Z`;
}

/** The time as a JSON string literal; `sec` a whole second, 0 ≤ us < 10^6 whole microseconds. */
export function writeTime(w: ByteWriter, sec: number, us: number): void {
  if (sec !== second) setSecond(sec);
  const need = prefixBytes.length + 8;
  if (w.pos + need > w.buf.length) w.room(need);
  const buf = w.buf;
  const p = putBytes(buf, w.pos, prefixBytes);
  for (let i = 5, n = us; i >= 0; i--) {
    const t = (n / 10) | 0;
    buf[p + i] = 48 + n - t * 10;
    n = t;
  }
  buf[p + 6] = 90; // Z
  buf[p + 7] = 34;
  w.pos = p + 8;
}
