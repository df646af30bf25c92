// Where an undelimited ASCII column starts after the hex bytes of a row.
import type { Tok } from './common.js';

/**
 * Finds how many leading tokens are data when an undelimited ASCII column
 * follows them (xxd, tcpdump -X, print_hex_dump): the largest k such that the
 * line ends, after whitespace, with exactly one character per byte of the
 * first k tokens, each either '.' or that byte's printable character.
 * Returns -1 when no ASCII column is found.
 */
export function asciiColumnStart(text: string, toks: Tok[], perTok: number[][]): number {
  if (toks.length > 512) return -1;
  const k = asciiColumnIn(text, toks, perTok);
  if (k > 0) return k;
  const trimmed = text.replace(/\s+$/, '');
  return trimmed !== text ? asciiColumnIn(trimmed, toks, perTok) : -1;
}

function asciiColumnIn(text: string, toks: Tok[], perTok: number[][]): number {
  const flat: number[] = [];
  const cum: number[] = [0];
  for (const b of perTok) {
    for (const x of b) flat.push(x);
    cum.push(flat.length);
  }
  for (let k = toks.length; k >= 1; k--) {
    const n = cum[k]!;
    const gapStart = toks[k - 1]!.end;
    // Spaces at the end of the ASCII column may have been trimmed away.
    let trailing = 0;
    while (trailing < n && flat[n - 1 - trailing] === 0x20) trailing++;
    for (let m = 0; m <= trailing; m++) {
      const len = n - m;
      const start = text.length - len;
      if (start <= gapStart) continue;
      if (!/^\s+$/.test(text.slice(gapStart, start))) continue;
      let ok = true;
      for (let j = 0; j < len && ok; j++) {
        const ch = text.charCodeAt(start + j);
        const b = flat[j]!;
        ok = ch === 0x2e || (b >= 0x20 && b < 0x7f && ch === b);
      }
      if (ok) return k;
    }
  }
  return -1;
}
