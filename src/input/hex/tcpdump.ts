// tcpdump -x/-X/-xx/-XX: a packet header line, then \t0x0000:  4500 0054 …  ascii.
import { hexRun, tokenize, type HexChunk, type Line } from './common.js';
import { resolveDump, type DumpLine } from './offset.js';

const TCPDUMP_LINE = /^(\s*)0x([0-9a-fA-F]{4,}):(?=\s)/;

export function parseTcpdump(block: Line[]): HexChunk[] {
  const out: HexChunk[] = [];
  let cur: DumpLine[] = [];
  let header: number | undefined;
  const flush = (): void => {
    if (cur.length) {
      const c = resolveDump(cur, 16, 'tcpdump');
      if (header !== undefined) c.firstLine = header;
      out.push(c);
    }
    cur = [];
    header = undefined;
  };
  for (const l of block) {
    const m = TCPDUMP_LINE.exec(l.text);
    if (!m) {
      // Any other line is (part of) a packet header: the next data belongs to a new packet.
      if (cur.length) flush();
      if (header === undefined) header = l.no;
      continue;
    }
    const toks = hexRun(tokenize(l.text, m[0].length));
    const d: DumpLine = { no: l.no, kind: 'data', text: l.text, off: m[2]!, colon: true, ox: true, prefix: '', kernel: false, toks };
    const prev = cur[cur.length - 1];
    if (prev && parseInt(d.off, 16) <= parseInt(prev.off, 16)) flush();
    if (toks.length) cur.push(d);
  }
  flush();
  return out;
}
