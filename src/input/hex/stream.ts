/*
 * Hex text read as a stream: the text is cut into segments at blank lines (block boundaries,
 * so each segment parses exactly as it would within the whole text) once a window's worth has
 * arrived. A block longer than the window, with no blank line in it, is cut at a line end, and
 * the first chunk after such a cut is marked as continuing the chunk before it.
 */
import { splitLines, type HexChunk, type HexParseError, type Line } from './common.js';
import { notHexError, parseHexLines } from './index.js';

/** Text parsed at once; peak memory is a small multiple of this. */
export const HEX_WINDOW = 4 * 1024 * 1024;

export class HexStream {
  private text = '';
  private nextLine = 1;
  private found = false;
  private hint?: HexParseError;
  private first?: Line;
  private cutInBlock = false;

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
    this.parse(this.text, false);
    this.text = '';
    if (!this.found) throw this.hint ?? notHexError(this.first);
  }

  private cut(): boolean {
    const t = this.text;
    let at = lastBlankLine(t);
    let inBlock = false;
    if (at < 0) {
      at = t.lastIndexOf('\n') + 1;
      inBlock = true;
      if (at <= 0) return false; // one line longer than the window: wait for its end
    }
    this.text = t.slice(at);
    this.parse(t.slice(0, at), inBlock);
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
    this.cutInBlock = endsInBlock;
  }
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
