// strace's hex dumps (-e read=/write=), read the same way by the strace call reader and the
// hex reader: "| 00000  10 00 00 00 12 00 01 03  …  ................", 16 bytes a row in a
// 48-column hex area, and "* 40 bytes in buffer 0" before each iovec's dump.

/** A dump row: its offset, and the hex area with the ASCII column after it. */
const DUMP_LINE = /^\s*\|\s+([0-9a-fA-F]{5,})  (.*)$/;
/** The line strace prints before the dump of each buffer of a vector call. */
export const BUFFER_LINE = /^\s*\*\s+\d+\s+bytes in buffer\s+\d+/;
const HEX_AREA = 48;

export interface DumpRow {
  offset: number;
  /** The hex area (the first 48 columns after the offset), and where it starts in the line. */
  area: string;
  areaStart: number;
}

export function dumpRow(line: string): DumpRow | undefined {
  const m = DUMP_LINE.exec(line);
  if (!m) return undefined;
  return { offset: Number.parseInt(m[1]!, 16), area: m[2]!.slice(0, HEX_AREA), areaStart: line.indexOf(m[2]!) };
}

/** The bytes at the start of a row's hex area (strace prints them in lower case). */
export function rowBytes(area: string): number[] {
  const out: number[] = [];
  for (const h of area.trim().split(/\s+/)) {
    if (!/^[0-9a-f]{2}$/.test(h)) break;
    out.push(parseInt(h, 16));
  }
  return out;
}
