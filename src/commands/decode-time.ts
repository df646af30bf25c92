// Capture timestamps as ISO 8601 text, or undefined for one no date can hold (a damaged record,
// a pcapng if_tsoffset that lies): such a packet is still decoded, shown without a time.
import { isoTime, isoTimeOf } from './stream.js';

/** The last instant a JavaScript Date can hold (8.64e15 ms after the epoch), in ns. */
const MAX_DATE_NS = 8_640_000_000_000_000n * 1_000_000n;

export function captureTime(ns: bigint): string | undefined {
  return ns < 0n || ns > MAX_DATE_NS ? undefined : isoTime(ns);
}

/** A record's time that isoTimeOf shows from its numbers: a whole second below 2^32 and its nanoseconds. */
export function plainTime(sec: number, nsec: number): boolean {
  return Number.isInteger(sec) && Number.isInteger(nsec) && sec >= 0 && sec < 2 ** 32 && nsec >= 0 && nsec < 1e9;
}

/** captureTime of a record's seconds and nanoseconds: plain numbers where they are in range. */
export function captureTimeOf(sec: number, nsec: number): string | undefined {
  if (plainTime(sec, nsec)) return isoTimeOf(sec, Math.floor(nsec / 1000));
  return captureTime(BigInt(sec) * 1_000_000_000n + BigInt(nsec));
}
