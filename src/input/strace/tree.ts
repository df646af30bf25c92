// Shapes of strace's parsed rendering the encoder reads: the messages of a buffer, attributes,
// flattened structs.
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

