/*
 * Hex text read as a stream: the text is cut into segments at blank lines (block boundaries,
 * so each segment parses exactly as it would within the whole text) once a window's worth has
 * arrived. A block longer than the window, with no blank line in it, is cut at a line end, and
 * the first chunk after such a cut is marked as continuing the chunk before it.
 */
import { splitLines, type HexChunk, type HexParseError, type Line } from './common.js';
import { notHexError, parseHexLines } from './index.js';
import { LINE_PREFIX } from '../strace-line.js';

/** Text parsed at once; peak memory is a small multiple of this. */
export const HEX_WINDOW = 1024 * 1024;

export class HexStream {
  private text = '';
  private nextLine = 1;
  private found = false;
  private hint?: HexParseError;
  private first?: Line;
  private cutInBlock = false;
  /** The last segment, parsed once the next is cut: a short tail is parsed together with it. */
  private pending?: { text: string; inBlock: boolean };

  /** `onChunk(chunk, continued)`: continued when the chunk goes on where the previous one was cut. */
  constructor(private readonly onChunk: (c: HexChunk, continued: boolean) => void, private readonly window = HEX_WINDOW) {}

  push(text: string): void {
    this.text += text;
    while (this.text.length >= this.window && this.cut()) {
      // keep cutting while whole windows are waiting
    }
  }

  /** Parses what is left; throws when the whole text held no hex at all. */
  end(): void {
    const p = this.pending;
    this.pending = undefined;
    // A short tail after a cut inside a block keeps the context of the rows before it.
    if (p && p.inBlock && this.text.length < this.window / 2) this.parse(p.text + this.text, false);
    else {
      if (p) this.parse(p.text, p.inBlock);
      this.parse(this.text, false);
    }
    this.text = '';
    if (!this.found) throw this.hint ?? notHexError(this.first);
  }

  private cut(): boolean {
    const t = this.text;
    let at = lastBlankLine(t);
    let inBlock = false;
    if (at < 0) {
      // Before a strace call or a tcpdump header, as long as that leaves a good part of a window.
      const unit = lastUnitStart(t);
      if (unit >= this.window / 2) at = unit;
    }
    if (at <= 0) {
      at = rowBoundary(t);
      inBlock = true;
      if (at <= 0) return false; // one line longer than the window: wait for its end
    }
    this.text = t.slice(at);
    if (this.pending) this.parse(this.pending.text, this.pending.inBlock);
    this.pending = { text: t.slice(0, at), inBlock };
    return true;
  }

  private parse(segment: string, endsInBlock: boolean): void {
    if (!segment) return;
    // A segment ends with a line break; splitting it leaves one empty string after that.
    const lines = splitLines(segment.endsWith('\n') ? segment.slice(0, -1) : segment, this.nextLine);
    this.nextLine += lines.length;
    const r = parseHexLines(lines);
    this.first ??= r.first;
    this.hint ??= r.hint;
    r.chunks.forEach((c, i) => {
      this.found = true;
      this.onChunk(c, i === 0 && this.cutInBlock);
    });
    // Only a chunk that ran up to the cut goes on after it.
    const last = r.chunks[r.chunks.length - 1];
    this.cutInBlock = endsInBlock && last !== undefined && last.lastLine === this.nextLine - 1;
  }
}

/**
 * A line that starts a unit of its own inside a block: a strace call (its dump lines follow it)
 * or a tcpdump packet header. Cutting before one parses as the whole block would.
 */
const UNIT_START = new RegExp(LINE_PREFIX + String.raw`(?:[a-z_][a-z0-9_]*\(|<\.\.\.\s|IP6?\s)`);

/** Index of the start of the last line of `t` that starts a unit (not the first line), or -1. */
function lastUnitStart(t: string): number {
  let end = t.lastIndexOf('\n');
  while (end > 0) {
    const start = t.lastIndexOf('\n', end - 1);
    if (start < 0) return -1;
    if (UNIT_START.test(t.slice(start + 1, end))) return start + 1;
    end = start;
  }
  return -1;
}

/** A row of hex data (with or without an offset); not a '*' repeat or a bare end offset. */
const DATA_ROW = /^\s*(?:\S*:\s+)?(?:0x)?[0-9a-fA-F]+:?\s+[0-9a-fA-F]{2,}\b/;
const STAR = /^\s*\*\s*$/;

/** Where to cut inside a block: before a data row that does not follow a '*' line. */
function rowBoundary(t: string): number {
  let end = t.lastIndexOf('\n');
  let after = '';
  for (let tries = 0; end > 0 && tries < 64; tries++) {
    const start = t.lastIndexOf('\n', end - 1);
    const line = t.slice(start + 1, end);
    if (after && DATA_ROW.test(after) && !STAR.test(line)) return end + 1;
    if (start < 0) break;
    after = line;
    end = start;
  }
  return t.lastIndexOf('\n') + 1;
}

/** Index just after the last blank line of `t` (a line of only white space), or -1. */
function lastBlankLine(t: string): number {
  let end = t.lastIndexOf('\n');
  while (end > 0) {
    const start = t.lastIndexOf('\n', end - 1);
    if (/^[ \t\r\f\v]*$/.test(t.slice(start + 1, end))) return end + 1;
    if (start < 0) return -1;
    end = start;
  }
  return -1;
}
