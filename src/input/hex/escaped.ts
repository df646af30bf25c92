// Quoted byte strings: "\x20\x00…" (C, strace), b' \x00…' (Python), bare \x20\x00 escapes.
import { decodeEscaped, decodeQuoted } from '../escapes.js';
import { ByteBuilder, chunk, lineIndex, type HexChunk, type Line } from './common.js';

export function parseEscaped(block: Line[]): HexChunk[] {
  const { text, lineAt } = lineIndex(block);
  const bytes = new ByteBuilder();
  let first: number | undefined;
  let last = block[0]!.no;
  // Quoted literals ("…", '…', b'…'), concatenated as C and Python do.
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (c !== '"' && c !== "'") continue;
    const q = decodeQuoted(text, i);
    bytes.append(q.bytes);
    first ??= lineAt(i).no;
    last = lineAt(Math.max(i, q.end - 1)).no;
    i = q.end - 1;
  }
  if (first !== undefined) return [chunk(bytes.bytes(), 'escaped', first, last)];
  // No quotes: the lines are bare escape sequences such as \x20\x00\x00\x00.
  for (const l of block) bytes.append(decodeEscaped(l.text.replace(/\s+/g, ''), 0, null).bytes);
  return [chunk(bytes.bytes(), 'escaped', block[0]!.no, block[block.length - 1]!.no)];
}
