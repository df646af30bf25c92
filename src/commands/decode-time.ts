// Capture timestamps as ISO 8601 text, or undefined for one no date can hold (a damaged record,
// a pcapng if_tsoffset that lies): such a packet is still decoded, shown without a time.
import { isoTime } from './stream.js';

/** The last instant a JavaScript Date can hold (8.64e15 ms after the epoch), in ns. */
const MAX_DATE_NS = 8_640_000_000_000_000n * 1_000_000n;

export function captureTime(ns: bigint): string | undefined {
  return ns < 0n || ns > MAX_DATE_NS ? undefined : isoTime(ns);
}
