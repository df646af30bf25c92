// The value syntax strace prints for syscall arguments, parsed into a small tree:
//
//   {key=value, …}        struct   (members may be unkeyed: `inet_pton(AF_INET6, "::", &idiag_src)`)
//   [value, …]            array    (a trailing `...` means strace cut the list short)
//   "text\x01\377"        string   (`"…"...` means strace cut it at its -s limit)
//   42  -1  0x1f  0777    number
//   IFF_UP|IFF_LOOPBACK|0x8   1<<TCP_LISTEN   symbolic expression of names and numbers
//   htons(80)  inet_addr("1.2.3.4")  if_nametoindex("lo")   helper call
//   00:11:22:33:44:55     hardware address
//   /* IFLA_??? */        comment: dropped
//
// The parser never throws on what it cannot read: it returns an `unparsed` node holding the text.

export type SNode =
  | { kind: 'struct'; members: { key?: string; value: SNode }[] }
  | { kind: 'array'; items: SNode[]; cut: boolean }
  | { kind: 'string'; bytes: Uint8Array; cut: boolean }
  | { kind: 'number'; value: bigint }
  | { kind: 'expr'; terms: ExprTerm[] }
  | { kind: 'call'; name: string; args: SNode[] }
  | { kind: 'hwaddr'; bytes: Uint8Array }
  // An array element with its index: `[IPV4_DEVCONF_FORWARDING-1]=1`, `[DEVCONF_MTU6]=1500`.
  | { kind: 'indexed'; index: ExprTerm; offset: number; value: SNode }
  | { kind: 'null' }
  | { kind: 'unparsed'; text: string };

/** One term of `A|B|1<<C|0x8`: a name or a number, optionally shifted left by another term. */
export type ExprTerm = { name?: string; value?: bigint; negate?: boolean; shift?: { name?: string; value?: bigint } };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?(0x[0-9a-fA-F]+|0[0-7]+|\d+)(?![0-9a-fA-F:])/y;
const INDEXED = /\[([A-Za-z_0-9]+)(?:([+-])(\d+))?\s*(?:\/\*.*?\*\/\s*)?\]=/y;
const HWADDR = /[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})+/y;

export class StraceParser {
  pos = 0;
  constructor(readonly text: string) {}

  private skipSpace(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.text.startsWith('/*', this.pos)) {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
        continue;
      }
      return;
    }
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private match(re: RegExp): string | undefined {
    this.skipSpace();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }

  /** One value; an unreadable stretch up to the next `,` `]` or `}` becomes `unparsed`. */
  value(): SNode {
    const c = this.peek();
    if (c === '{') return this.struct();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    const start = this.pos;
    const hw = this.match(HWADDR);
    if (hw !== undefined) {
      if (hw.length > 2) return { kind: 'hwaddr', bytes: Uint8Array.from(hw.split(':').map((h) => parseInt(h, 16))) };
      this.pos = start;
    }
    if (this.eat('NULL')) return { kind: 'null' };
    const expr = this.expr();
    if (expr) return expr;
    return this.unparsed(start);
  }

  private unparsed(start: number): SNode {
    let depth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (depth === 0 && (ch === ',' || ch === ']' || ch === '}' || ch === ')')) break;
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      if (ch === ')' || ch === ']' || ch === '}') depth--;
      this.pos++;
    }
    if (this.pos === start && this.pos < this.text.length) this.pos++;
    return { kind: 'unparsed', text: this.text.slice(start, this.pos).trim() };
  }

  private term(): ExprTerm | undefined {
    const n = this.match(NUMBER);
    if (n !== undefined) return { value: parseNumber(n) };
    const start = this.pos;
    // -ENODEV: an errno, negated.
    const negate = this.eat('-');
    const id = this.match(IDENT);
    if (id === undefined) {
      this.pos = start;
      return undefined;
    }
    return negate ? { name: id, negate } : { name: id };
  }

  /** A number, a name, a call, or names and numbers joined by `|` (each maybe `1<<X`). */
  private expr(): SNode | undefined {
    const start = this.pos;
    const first = this.term();
    if (!first) return undefined;
    if (first.name !== undefined && this.peek() === '(') return this.call(first.name);
    const terms: ExprTerm[] = [first];
    for (;;) {
      if (this.eat('<<')) {
        const by = this.term();
        if (!by) break;
        terms[terms.length - 1].shift = by;
        continue;
      }
      if (this.text[this.pos] !== '|' && this.peek() !== '|') break;
      this.eat('|');
      const t = this.term();
      if (!t) {
        this.pos = start;
        return undefined;
      }
      terms.push(t);
    }
    if (terms.length === 1 && first.value !== undefined && !first.shift) return { kind: 'number', value: first.value };
    return { kind: 'expr', terms };
  }

  private call(name: string): SNode {
    this.eat('(');
    const args: SNode[] = [];
    while (this.peek() !== ')' && this.pos < this.text.length) {
      if (this.eat('&')) {
        const id = this.match(IDENT) ?? '';
        args.push({ kind: 'expr', terms: [{ name: '&' + id }] });
      } else args.push(this.value());
      if (!this.eat(',')) break;
    }
    this.eat(')');
    return { kind: 'call', name, args };
  }

  /** Comma-separated items up to `close` (already past the opener); `cut` when strace ended it with "...". */
  private list<T>(close: string, item: () => T): { items: T[]; cut: boolean } {
    const items: T[] = [];
    let cut = false;
    while (this.peek() !== close && this.pos < this.text.length) {
      if (this.eat('...')) {
        cut = true;
        break;
      }
      items.push(item());
      if (!this.eat(',')) break;
    }
    this.eat(close);
    return { items, cut };
  }

  private struct(): SNode {
    this.eat('{');
    const { items: members, cut } = this.list('}', (): { key?: string; value: SNode } => {
      const save = this.pos;
      const key = this.match(IDENT);
      if (key !== undefined && this.eat('=')) return { key, value: this.value() };
      this.pos = save;
      return { value: this.value() };
    });
    if (cut) members.push({ value: { kind: 'unparsed', text: '...' } });
    return { kind: 'struct', members };
  }

  private array(): SNode {
    this.eat('[');
    const { items, cut } = this.list(']', (): SNode => {
      INDEXED.lastIndex = this.pos;
      const ix = INDEXED.exec(this.text);
      if (!ix) return this.value();
      this.pos = INDEXED.lastIndex;
      const index: ExprTerm = /^\d/.test(ix[1]) ? { value: BigInt(ix[1]) } : { name: ix[1] };
      const offset = ix[3] ? (ix[2] === '-' ? -1 : 1) * Number(ix[3]) : 0;
      return { kind: 'indexed', index, offset, value: this.value() };
    });
    return { kind: 'array', items, cut };
  }

  private string(): SNode {
    this.eat('"');
    const out: number[] = [];
    const t = this.text;
    while (this.pos < t.length && t[this.pos] !== '"') {
      const ch = t[this.pos];
      if (ch !== '\\') {
        // strace escapes every non-printable byte, so what is left is ASCII (or UTF-8 under -s with a UTF-8 locale).
        for (const b of Buffer.from(ch, 'utf8')) out.push(b);
        this.pos++;
        continue;
      }
      const e = t[this.pos + 1];
      this.pos += 2;
      if (e === 'x') {
        out.push(parseInt(t.slice(this.pos, this.pos + 2), 16));
        this.pos += 2;
      } else if (e >= '0' && e <= '7') {
        let digits = e;
        while (digits.length < 3 && t[this.pos] >= '0' && t[this.pos] <= '7') digits += t[this.pos++];
        out.push(parseInt(digits, 8) & 0xff);
      } else out.push(ESCAPES[e] ?? e.charCodeAt(0));
    }
    this.pos++;
    const cut = t.startsWith('...', this.pos);
    if (cut) this.pos += 3;
    return { kind: 'string', bytes: Uint8Array.from(out), cut };
  }
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '\\': 92, '"': 34 };

function parseNumber(s: string): bigint {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const v = /^0[0-7]+$/.test(body) ? BigInt('0o' + body.slice(1)) : BigInt(body);
  return neg ? -v : v;
}

/** Parses one value from the text. */
export function parseValue(text: string): SNode {
  return new StraceParser(text).value();
}
