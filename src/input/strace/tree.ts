// Shapes of strace's parsed rendering the encoder reads: the messages of a buffer, attributes,
// flattened structs, and the addresses strace prints as text.
import type { SNode } from './syntax.js';

/** The messages of a buffer: one message, or a list of them. */
export function messageList(node: SNode): (SNode[][] & { cut?: boolean }) | undefined {
  const isHeader = (n: SNode | undefined) => n?.kind === 'struct' && n.members.some((m) => m.key === 'nlmsg_len');
  if (isHeader(node)) return [[node]];
  if (node.kind !== 'array') return undefined;
  if (isHeader(node.items[0])) return [node.items];
  const out: SNode[][] & { cut?: boolean } = [];
  for (const item of node.items) {
    if (isHeader(item)) out.push([item]);
    else if (item.kind === 'array' && isHeader(item.items[0])) out.push(item.items);
    else return undefined;
  }
  out.cut = node.cut;
  return out.length ? out : undefined;
}

export function isAttr(n: SNode & { kind: 'array' }): boolean {
  const h = n.items[0];
  return h?.kind === 'struct' && h.members.some((m) => m.key === 'nla_len');
}

/** Struct members with nested structs flattened (`id={idiag_sport=…}` → idiag_sport) and `inet_pton(…, &x)` keyed x. */
export function flatten(s: SNode & { kind: 'struct' }): { key: string; value: SNode }[] {
  const out: { key: string; value: SNode }[] = [];
  for (const m of s.members) {
    if (m.key !== undefined && m.value.kind === 'struct') out.push(...flatten(m.value));
    else if (m.key !== undefined) out.push({ key: m.key, value: m.value });
    else if (m.value.kind === 'call' && m.value.name === 'inet_pton') {
      const target = m.value.args[2];
      const name = target?.kind === 'expr' ? target.terms[0].name?.replace(/^&/, '') : undefined;
      if (name) out.push({ key: name, value: m.value });
    }
  }
  return out;
}

export function describe(n: SNode | undefined): string {
  if (!n) return 'nothing';
  if (n.kind === 'unparsed') return `'${n.text.slice(0, 40)}'`;
  return `a ${n.kind}`;
}


export function ipv4Bytes(s: string): Uint8Array | undefined {
  const p = s.split('.').map(Number);
  return p.length === 4 && p.every((x) => x >= 0 && x <= 255) ? Uint8Array.from(p) : undefined;
}

export function ipv6Bytes(s: string): Uint8Array | undefined {
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two groups.
  const text = s.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (t: string) => (t ? t.split(':').map((h) => (/^[0-9a-f]{1,4}$/i.test(h) ? parseInt(h, 16) : NaN)) : []);
  const a = parse(halves[0]);
  const b = halves.length === 2 ? parse(halves[1]) : [];
  const groups = halves.length === 2 ? [...a, ...new Array(Math.max(0, 8 - a.length - b.length)).fill(0), ...b] : a;
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
