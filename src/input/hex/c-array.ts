// Byte lists in source code: C/Go arrays { 0x20, … }, Python lists [32, 0, …].
import { decodeQuoted } from '../escapes.js';
import { ByteBuilder, chunk, clip, HexParseError, lineIndex, stripComments, type HexChunk, type Line } from './common.js';

export function parseCArray(block: Line[]): HexChunk[] {
  const { text, lineAt } = lineIndex(block);
  const code = stripComments(text);
  const open = code.includes('{') ? '{' : '[';
  const close = open === '{' ? '}' : ']';
  const out: HexChunk[] = [];
  let i = code.indexOf(open);
  while (i >= 0) {
    let j = code.indexOf(close, i + 1);
    const nested = code.indexOf(open, i + 1);
    if (nested >= 0 && (j < 0 || nested < j)) {
      i = nested; // innermost list holds the bytes
      continue;
    }
    if (j < 0) j = code.length;
    const bytes = new ByteBuilder();
    const re = /[^\s,]+/g;
    re.lastIndex = i + 1;
    let m: RegExpExecArray | null;
    while ((m = re.exec(code)) && m.index < j) {
      let tok = m[0];
      if (m.index + tok.length > j) tok = tok.slice(0, j - m.index);
      const v = byteValue(tok.replace(/^\([^)]*\)/, ''));
      if (v === null) {
        const at = lineAt(m.index);
        throw new HexParseError(at.no, `not a byte value: '${clip(tok)}'`, at.col);
      }
      bytes.push(v);
    }
    if (bytes.length) out.push(chunk(bytes.bytes(), 'c-array', lineAt(i).no, lineAt(Math.max(i, j - 1)).no));
    i = code.indexOf(open, j + 1);
  }
  return out;
}

function byteValue(tok: string): number | null {
  let m = /^0[xX]([0-9a-fA-F]{1,2})[uUlL]*$/.exec(tok);
  if (m) return parseInt(m[1]!, 16);
  m = /^(\d{1,3})[uUlL]*$/.exec(tok);
  if (m) {
    const v = parseInt(m[1]!, 10);
    return v <= 255 ? v : null;
  }
  if (/^'.*'$/.test(tok)) {
    const q = decodeQuoted(tok, 0);
    return q.bytes.length === 1 ? q.bytes[0]! : null;
  }
  return null;
}
