// Plain hex: 20000000…, 20 00 00 00, 20:00:00, 0x20 0x00, xxd -p, Node's <Buffer …>.
import { ByteBuilder, chunk, clip, HexParseError, stripComments, tokenBytes, type HexChunk, type Line } from './common.js';

const LABEL_PREFIX = /^\s*(?:[^\s:]*[^0-9a-fA-F\s:][^\s:]*:\s+)+/;

export function parsePlain(block: Line[]): HexChunk[] {
  const cleaned = block.map((l) => {
    let s = stripComments(l.text);
    // Node's <Buffer 20 00 …> inspection
    if (/<Buffer\b/.test(s)) s = s.replace(/<Buffer\b/g, '       ').replace(/>\s*$/, ' ');
    const m = LABEL_PREFIX.exec(s);
    if (m) s = ' '.repeat(m[0].length) + s.slice(m[0].length);
    return { l, s };
  });
  const body = cleaned.filter((c) => c.s.trim() !== '');
  if (!body.length) {
    const l = block[0]!;
    throw new HexParseError(l.no, `not hex: '${clip(l.text.trim())}'`, 1);
  }
  const bytes = new ByteBuilder();
  // A hex stream wrapped across lines (xxd -p, copied streams) may break inside a byte.
  if (body.every((c) => /^\s*[0-9a-fA-F]+\s*$/.test(c.s))) {
    const digits = body.map((c) => c.s.trim()).join('');
    if (digits.length % 2) {
      const last = body[body.length - 1]!;
      throw new HexParseError(last.l.no, `odd number of hex digits (${digits.length}) in hex stream`);
    }
    // Every character is a hex digit (checked above): Node's own hex decoder reads them.
    bytes.append(Buffer.from(digits, 'hex'));
  } else {
    for (const { l, s } of body) {
      const re = /[^\s,:;\-"'()]+/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(s))) {
        const t = m[0];
        const col = m.index + 1;
        const digits = /^0[xX]/.test(t) ? t.slice(2) : t;
        if (!/^[0-9a-fA-F]+$/.test(digits)) {
          throw new HexParseError(l.no, `not hex: '${clip(l.text.trim())}'`, col);
        }
        if (digits !== t && digits.length <= 2) bytes.push(parseInt(digits, 16));
        else if (digits.length % 2) throw new HexParseError(l.no, `odd number of hex digits in '${clip(t)}'`, col);
        else bytes.append(tokenBytes(digits, false));
      }
    }
  }
  return [chunk(bytes.bytes(), 'plain', body[0]!.l.no, body[body.length - 1]!.l.no)];
}
