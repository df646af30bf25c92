// IP addresses as people and tools write them ("10.0.0.1", "fe80::1", "::ffff:1.2.3.4") → the
// bytes on the wire, in network order. undefined when the text is not one.

export function parseIPv4(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? Uint8Array.from(b) : undefined;
}

export function parseIPv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(':')) return undefined;
  let tail: number[] = [];
  let str = s;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = parseIPv4(v4[1]);
    if (!b) return undefined;
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    str = s.slice(0, -v4[1].length) + '0';
  }
  const halves = str.split('::');
  if (halves.length > 2) return undefined;
  const part = (h: string) => (h ? h.split(':').map((x) => (/^[0-9a-f]{1,4}$/i.test(x) ? parseInt(x, 16) : NaN)) : []);
  const head = part(halves[0]);
  const rest = halves.length === 2 ? part(halves[1]) : [];
  if (v4) (halves.length === 2 ? rest : head).pop();
  const zeros = 8 - head.length - rest.length - tail.length;
  if (halves.length === 2 && zeros < 1) return undefined;
  const words = halves.length === 2 ? [...head, ...Array<number>(zeros).fill(0), ...rest, ...tail] : [...head, ...tail];
  if (words.length !== 8 || words.some((w) => Number.isNaN(w))) return undefined;
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}
