/*
 * Decoding of C/Python-style quoted byte strings: "\x20\0\20 A", b'\x20 ',
 * as printed by strace, C sources and Python reprs.
 */

export interface QuotedString {
  bytes: number[];
  /** Index just after the closing quote (or the end of the text when unclosed). */
  end: number;
  closed: boolean;
}

const SIMPLE: Record<string, number> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  v: 0x0b,
  f: 0x0c,
  a: 0x07,
  b: 0x08,
  e: 0x1b,
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
  '?': 0x3f,
};

const HEX_DIGIT = /^[0-9a-fA-F]$/;
const OCT_DIGIT = /^[0-7]$/;

/** Pushes the UTF-8 encoding of one code point (non-ASCII text inside a literal). */
function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * Decodes escapes in `s` from index `i` until `stop` (a quote character) or the end.
 * \xHH takes at most two digits (strace and Python print exactly two); octal takes up to three.
 */
export function decodeEscaped(s: string, i: number, stop: string | null): QuotedString {
  const out: number[] = [];
  while (i < s.length) {
    const c = s[i]!;
    if (stop !== null && c === stop) return { bytes: out, end: i + 1, closed: true };
    if (c !== '\\' || i + 1 >= s.length) {
      const cp = s.codePointAt(i)!;
      pushUtf8(out, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = s[i + 1]!;
    if (e === 'x' && i + 2 < s.length && HEX_DIGIT.test(s[i + 2]!)) {
      let j = i + 2;
      let v = 0;
      while (j < s.length && j < i + 4 && HEX_DIGIT.test(s[j]!)) v = v * 16 + parseInt(s[j++]!, 16);
      out.push(v);
      i = j;
    } else if (OCT_DIGIT.test(e)) {
      let j = i + 1;
      let v = 0;
      while (j < s.length && j < i + 4 && OCT_DIGIT.test(s[j]!)) v = v * 8 + parseInt(s[j++]!, 8);
      out.push(v & 0xff);
      i = j;
    } else if (e in SIMPLE) {
      out.push(SIMPLE[e]!);
      i += 2;
    } else {
      // Unknown escape: keep the character itself, as C compilers and Python do.
      pushUtf8(out, e.codePointAt(0)!);
      i += 2;
    }
  }
  return { bytes: out, end: s.length, closed: stop === null };
}

/** Decodes the literal whose opening quote is at s[i]. */
export function decodeQuoted(s: string, i: number): QuotedString {
  return decodeEscaped(s, i + 1, s[i]!);
}
