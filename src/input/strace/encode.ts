// strace's rendering of netlink messages turned back into the bytes it was printed from.
//
//   message  = [{nlmsg_len=…, nlmsg_type=…, …}, BODY]  or  {nlmsg_len=…, …} alone
//   BODY     = FAMILY-HEADER-STRUCT [, ATTRS]  |  "raw bytes"  |  {error=-E…, msg=…} [, ATTRS]  |  0
//   ATTRS    = [{nla_len=…, nla_type=…}, VALUE]  or a list of them; VALUE may itself be ATTRS
//
// The lengths strace prints (nlmsg_len, nla_len, the call's return value) are the truth: a value
// is written at the width its attribute's length leaves, and what strace left out is never
// invented — the datagram ends where the known bytes end, and a diagnostic says what is missing.
import {
  align4, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_NEWFAMILY, GENL_HDRLEN, GENL_ID_CTRL,
  NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_ERROR, NLMSG_HDRLEN, NLMSGERR_ERRNO_LEN, parseIPv4, parseIPv6,
} from '../../codec/index.js';
import { cValue, exprValue } from './names.js';
import type { SNode } from './syntax.js';
import { describe, flatten, isAttr, messageList } from './tree.js';

/** A family header's fields after nlmsghdr, flattened (nested structs by member name). */
export interface HeaderLayout {
  size: number;
  fields: { name: string; offset: number; size: number; be?: boolean }[];
}

/** What the encoder needs from the protocol tables, given by the caller. */
export interface StraceTables {
  /** The fixed header of a message of this protocol and type; undefined when it has none or it is unknown. */
  header(protocol: number | undefined, type: number, flags: number, firstByte: number): HeaderLayout | undefined;
  /** A struct the tables know whose members are these names, in this order (rtnl_link_ifmap …). */
  structByMembers?(protocol: number | undefined, names: string[], size: number): HeaderLayout | undefined;
  /** The index of an interface of this machine, for strace's if_nametoindex("eth0"). */
  ifindex?(name: string): number | undefined;
}

export interface Diagnostic {
  offset: number;
  message: string;
}

export class DatagramWriter {
  private bytes: number[] = [];
  /** 1 where the byte came from what strace printed (or is padding, zero by definition); 0 where nlctl filled a gap. */
  private known: number[] = [];
  /** Stretches that are zeros by definition (attribute padding), whether or not anything follows them yet. */
  private zeros: { offset: number; end: number }[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Generic netlink family ids by name, learned from nlctrl replies earlier in the trace. */
  constructor(readonly tables: StraceTables, readonly genlIds: Map<string, number>, readonly protocol: number | undefined) {}

  result(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  /** The stretches of the result strace did not print: their bytes are zeros standing in for unknown ones. */
  gaps(): { offset: number; end: number }[] {
    const out: { offset: number; end: number }[] = [];
    for (let i = 0; i < this.bytes.length; i++) {
      if (this.known[i] || this.zeros.some((z) => i >= z.offset && i < z.end)) continue;
      const last = out[out.length - 1];
      if (last && last.end === i) last.end = i + 1;
      else out.push({ offset: i, end: i + 1 });
    }
    return out;
  }

  /** Extends the result to `end` with bytes nothing printed. */
  private fill(end: number): void {
    while (this.bytes.length < end) {
      this.bytes.push(0);
      this.known.push(0);
    }
  }

  /** Zero bytes that are known to be zero: alignment padding, struct padding. */
  private pad(end: number): void {
    const from = this.bytes.length;
    this.fill(end);
    for (let i = from; i < end; i++) this.known[i] = 1;
  }

  private note(offset: number, message: string): void {
    this.diagnostics.push({ offset, message });
  }

  private put(offset: number, value: bigint, size: number, be = false): void {
    this.fill(offset + size);
    let v = BigInt.asUintN(size * 8, value);
    for (let i = 0; i < size; i++) {
      const at = be ? offset + size - 1 - i : offset + i;
      this.bytes[at] = Number(v & 0xffn);
      this.known[at] = 1;
      v >>= 8n;
    }
  }

  private putBytes(offset: number, data: Uint8Array): void {
    this.fill(offset + data.length);
    for (let i = 0; i < data.length; i++) {
      this.bytes[offset + i] = data[i];
      this.known[offset + i] = 1;
    }
  }

  /** The messages of one buffer; `total` is how many bytes the call moved. */
  buffer(node: SNode, total: number | undefined): void {
    const messages = messageList(node);
    if (!messages) {
      if (node.kind === 'string') this.raw(0, node, total);
      else this.note(0, `strace printed something nlctl cannot turn into bytes: ${describe(node)}`);
      return;
    }
    let at = 0;
    let end = 0;
    for (const m of messages) {
      const len = this.message(at, m);
      if (len === undefined) return;
      end = at + len;
      at += align4(len);
      if (len < NLMSG_HDRLEN) break;
    }
    // The last message is as long as its nlmsg_len says, whatever strace left out of it (a gap).
    if (end > this.bytes.length && (total === undefined || end <= total)) this.fill(end);
    // Padding after an unaligned last message is inside the call's byte count, and zeros.
    if (total !== undefined && this.bytes.length === end && at <= total) this.pad(at);
    if (messages.cut) this.note(at, 'strace printed only the first messages of this buffer (its -s limit); the rest is missing');
    if (total !== undefined && total > at && this.bytes.length >= at && !messages.cut) {
      if (this.bytes.length < total && at < total) this.note(at, `the call moved ${total} bytes; strace printed ${this.bytes.length} of them, the rest is missing`);
    }
  }

  private raw(at: number, s: SNode & { kind: 'string' }, total: number | undefined): void {
    this.putBytes(at, s.bytes);
    if (s.cut) this.note(at + s.bytes.length, `strace cut these bytes short at ${s.bytes.length}${total !== undefined ? ` of ${total}` : ''} (raise its -s limit)`);
  }

  /** One message at `at`; returns its nlmsg_len, or undefined when the header is unreadable. `capped`: an echo that is its header only. */
  private message(at: number, m: SNode[], capped = false): number | undefined {
    const hdr = m[0];
    if (hdr?.kind !== 'struct') return undefined;
    const field = (k: string) => hdr.members.find((x) => x.key === k)?.value;
    const len = this.number(at, field('nlmsg_len'), 'nlmsg_len') ?? 0n;
    const type = this.msgType(at, field('nlmsg_type'));
    const flags = this.number(at + 6, field('nlmsg_flags'), 'nlmsg_flags') ?? 0n;
    this.put(at, len, 4);
    this.put(at + 4, type, 2);
    this.put(at + 6, flags, 2);
    this.put(at + 8, this.number(at + 8, field('nlmsg_seq'), 'nlmsg_seq') ?? 0n, 4);
    this.put(at + 12, this.number(at + 12, field('nlmsg_pid'), 'nlmsg_pid') ?? 0n, 4);
    const end = at + Number(len);
    let pos = at + NLMSG_HDRLEN;
    const body = m.slice(1);
    if (type === BigInt(NLMSG_ERROR) && body[0]?.kind === 'struct' && body[0].members.some((x) => x.key === 'error')) {
      pos = this.error(pos, body[0], end, Number(flags));
      body.shift();
    } else if (body[0]?.kind === 'struct') {
      pos = this.header(pos, body.shift() as SNode & { kind: 'struct' }, Number(type), Number(flags), end);
    } else if (body[0]?.kind === 'string') {
      const s = body.shift() as SNode & { kind: 'string' };
      this.raw(pos, s, undefined);
      pos += s.bytes.length;
    } else if (body[0]?.kind === 'number' && type === 3n) {
      this.put(pos, (body.shift() as { value: bigint }).value, 4);
      pos += 4;
    }
    for (const rest of body) pos = this.attrs(pos, rest, end);
    // The last attribute's alignment padding is inside nlmsg_len; padding is zeros by definition.
    if (pos < end && align4(pos) >= end) {
      this.pad(end);
      pos = end;
    }
    this.learn(at, Number(type), pos);
    if (pos < end && this.bytes.length < end && !capped) this.note(pos, `strace printed ${pos - at} of this message's ${end - at} bytes; the rest is missing`);
    return Number(len);
  }

  private msgType(at: number, v: SNode | undefined): bigint {
    if (v?.kind === 'expr' && v.terms.length === 1 && v.terms[0].name && /^[a-z]/.test(v.terms[0].name)) {
      // A generic netlink family, by the name strace learned from the kernel.
      const name = v.terms[0].name;
      if (name === 'nlctrl') return BigInt(GENL_ID_CTRL);
      const id = this.genlIds.get(name);
      if (id !== undefined) return BigInt(id);
      this.note(at + 4, `generic netlink family '${name}': its id is not in this trace (no nlctrl reply names it); type left 0`);
      return 0n;
    }
    return this.number(at + 4, v, 'nlmsg_type') ?? 0n;
  }

  /** Remembers family ids from nlctrl's CTRL_CMD_NEWFAMILY (cmd 1): the id and the name attributes. */
  private learn(at: number, type: number, end: number): void {
    if (type !== GENL_ID_CTRL || this.bytes[at + NLMSG_HDRLEN] !== CTRL_CMD_NEWFAMILY) return;
    let id: number | undefined;
    let name: string | undefined;
    for (let p = at + NLMSG_HDRLEN + GENL_HDRLEN; p + NLA_HDRLEN <= end;) {
      const alen = this.bytes[p] | (this.bytes[p + 1] << 8);
      const atype = (this.bytes[p + 2] | (this.bytes[p + 3] << 8)) & NLA_TYPE_MASK;
      if (alen < NLA_HDRLEN) break;
      if (atype === CTRL_ATTR_FAMILY_ID && alen >= NLA_HDRLEN + 2) id = this.bytes[p + NLA_HDRLEN] | (this.bytes[p + NLA_HDRLEN + 1] << 8);
      if (atype === CTRL_ATTR_FAMILY_NAME) name = Buffer.from(this.bytes.slice(p + NLA_HDRLEN, p + alen)).toString('latin1').replace(/\0.*$/s, '');
      p += align4(alen);
    }
    if (id !== undefined && name) this.genlIds.set(name, id);
  }

  /** nlmsgerr: the errno, then the echoed request (whole, or its header when capped). */
  private error(pos: number, s: SNode & { kind: 'struct' }, end: number, flags: number): number {
    const err = s.members.find((x) => x.key === 'error')?.value;
    const errno = this.number(pos, err, 'error');
    if (errno !== undefined) this.put(pos, errno, 4);
    const msg = s.members.find((x) => x.key === 'msg')?.value;
    if (!msg) return pos + NLMSGERR_ERRNO_LEN;
    const list = msg.kind === 'struct' ? [msg] : msg.kind === 'array' ? msg.items : [];
    const inner = list[0]?.kind === 'struct' && list[0].members.some((x) => x.key === 'nlmsg_len') ? list : undefined;
    if (!inner) return pos + NLMSGERR_ERRNO_LEN;
    // A capped echo (NLM_F_CAPPED) carries only the request's header: nothing is missing.
    const capped = inner.length === 1 && (BigInt(flags) & cValue('NLM_F_CAPPED')!) !== 0n;
    const len = this.message(pos + NLMSGERR_ERRNO_LEN, inner, capped) ?? 0;
    const echoed = inner.length === 1 ? NLMSG_HDRLEN : len;
    return Math.min(pos + NLMSGERR_ERRNO_LEN + align4(echoed), Math.max(end, pos + NLMSGERR_ERRNO_LEN + NLMSG_HDRLEN));
  }

  /** The family header (ifinfomsg, rtmsg, genlmsghdr, …) by its table's layout. */
  private header(pos: number, s: SNode & { kind: 'struct' }, type: number, flags: number, end: number): number {
    const members = flatten(s);
    // The first member (a family, a command) may choose the layout, as sock_diag's does.
    const first = members[0]?.value;
    const firstByte = first && (first.kind === 'number' || first.kind === 'expr') ? Number((this.number(pos, first, 'header') ?? 0n) & 0xffn) : 0;
    const layout = this.tables.header(this.protocol, type, flags, firstByte);
    if (!layout) {
      this.note(pos, `no table gives the layout of this message's header (${members.map((m) => m.key).join(', ')}); its bytes are missing`);
      return end;
    }
    for (const { key, value } of members) {
      const f = layout.fields.find((x) => x.name === key);
      if (!f) {
        this.note(pos, `header field '${key}' is not in the table's layout`);
        continue;
      }
      this.value(pos + f.offset, f.size, value, key, f.be);
    }
    this.structPadding(pos, layout, members.map((m) => m.key));
    // The family header is padded to 4 bytes (NLMSG_ALIGN): netconfmsg is 1 byte, its attributes start at 4.
    if (layout.size % 4) this.zeros.push({ offset: pos + layout.size, end: pos + align4(layout.size) });
    return pos + align4(layout.size);
  }

  /**
   * Bytes no field covers, and fields the tables name as padding or reserved (`pad`, `__ifi_pad`,
   * fib_rule_hdr's `res1`) that strace left out, are zeros, though strace does not print them.
   */
  private structPadding(at: number, layout: HeaderLayout, printed: string[]): void {
    this.fill(at + layout.size);
    const padding = (f: HeaderLayout['fields'][number]) => /(^|_)(pad|res|reserved)\d*$/.test(f.name) && !printed.includes(f.name);
    for (let i = 0; i < layout.size; i++) {
      const f = layout.fields.find((x) => i >= x.offset && i < x.offset + x.size);
      if (!f || padding(f)) this.known[at + i] = 1;
    }
  }

  /** One attribute, or a list of them, at `pos`; returns the position after. */
  private attrs(pos: number, node: SNode, end: number): number {
    if (node.kind !== 'array') {
      this.note(pos, `expected attributes, strace printed ${describe(node)}`);
      return pos;
    }
    if (isAttr(node)) return this.attr(pos, node);
    for (const item of node.items) {
      if (pos >= end && end > 0) break;
      if (item.kind === 'array' && isAttr(item)) pos = this.attr(pos, item);
      // An attribute with no value is printed as its header alone.
      else if (item.kind === 'struct' && item.members.some((m) => m.key === 'nla_len')) pos = this.attr(pos, { kind: 'array', items: [item], cut: false });
      else {
        this.note(pos, `expected an attribute, strace printed ${describe(item)}`);
        break;
      }
    }
    if (node.cut) this.note(pos, 'strace printed only the first attributes here (its -s limit); the rest is missing');
    return pos;
  }

  private attr(pos: number, node: SNode & { kind: 'array' }): number {
    const hdr = node.items[0] as SNode & { kind: 'struct' };
    const len = Number(this.number(pos, hdr.members.find((m) => m.key === 'nla_len')?.value, 'nla_len') ?? 4n);
    const type = this.number(pos + 2, hdr.members.find((m) => m.key === 'nla_type')?.value, 'nla_type') ?? 0n;
    this.put(pos, BigInt(len), 2);
    this.put(pos + 2, type, 2);
    const value = node.items[1];
    const size = Math.max(0, len - NLA_HDRLEN);
    if (value !== undefined) this.value(pos + NLA_HDRLEN, size, value, 'attribute', (Number(type) & NLA_F_NET_BYTEORDER) !== 0);
    else if (size > 0) this.note(pos + NLA_HDRLEN, `strace printed no value for this ${size}-byte attribute; its bytes are missing`);
    if (len % 4) this.zeros.push({ offset: pos + len, end: pos + align4(len) });
    return pos + align4(len);
  }

  /** A value written at `at` in `size` bytes. */
  private value(at: number, size: number, v: SNode, what: string, be = false): void {
    switch (v.kind) {
      case 'number':
      case 'expr': {
        // A number fills 1, 2, 4 or 8 bytes; in any other width it is not the whole value
        // (strace prints an AF_BRIDGE link's 6-byte IFLA_ADDRESS as its first byte alone).
        if (size > 0 && ![1, 2, 4, 8].includes(size)) return this.note(at, `strace printed a number for this ${size}-byte ${what}; its bytes are unknown`);
        const n = this.number(at, v, what);
        if (n !== undefined && size > 0) this.put(at, n, size, be);
        return;
      }
      case 'call':
        return this.call(at, size, v, what);
      case 'string': {
        this.putBytes(at, v.bytes.subarray(0, size));
        if (v.cut) this.note(at + v.bytes.length, `strace cut this ${what} short at ${v.bytes.length} of ${size} bytes (raise its -s limit)`);
        // A string attribute's terminating NUL is not printed; the byte after the text is 0.
        else if (v.bytes.length < size) this.putBytes(at + v.bytes.length, new Uint8Array(size - v.bytes.length));
        return;
      }
      case 'hwaddr':
        return this.putBytes(at, v.bytes.subarray(0, size));
      case 'array':
        if (v.items.length && v.items.every((i) => i.kind === 'array' && isAttr(i))) {
          this.attrs(at, v, at + size);
          return;
        }
        if (isAttr(v)) {
          this.attr(at, v);
          return;
        }
        return this.members(at, size, v.items, what, v.cut);
      case 'struct': {
        const members = flatten(v);
        const layout = this.tables.structByMembers?.(this.protocol, members.map((m) => m.key), size);
        if (!layout) return this.members(at, size, members.map((m) => m.value), what, false);
        for (const { key, value } of members) {
          const f = layout.fields.find((x) => x.name === key)!;
          this.value(at + f.offset, f.size, value, key, f.be);
        }
        if (layout.size <= size) this.structPadding(at, layout, members.map((m) => m.key));
        return;
      }
      case 'null':
        return;
      default:
        this.note(at, `strace printed ${describe(v)} for this ${what}; its bytes are missing`);
    }
  }

  /** A struct or array the tables do not lay out: members of equal width, when the size says so. */
  private members(at: number, size: number, items: SNode[], what: string, cut: boolean): void {
    if (items.length && items.every((i) => i.kind === 'indexed')) return this.indexed(at, size, items as (SNode & { kind: 'indexed' })[], what, cut);
    const scalars = items.filter((i) => i.kind === 'number' || i.kind === 'expr' || i.kind === 'call');
    const width = items.length ? size / items.length : 0;
    if (scalars.length !== items.length || cut || ![1, 2, 4, 8].includes(width)) {
      this.note(at, `strace printed this ${what} as ${items.length} members in ${size} bytes; nlctl cannot lay them out, the bytes are missing`);
      return;
    }
    items.forEach((item, i) => this.value(at + i * width, width, item, what));
  }

  /**
   * `[NAME-1]=v, …`: strace prints every element in order, naming each index from its own
   * tables — which may be older or newer than the headers (IPSTATS_MIB_* were renumbered) — so
   * the position in the list is the index, and the names are only labels.
   */
  private indexed(at: number, size: number, items: (SNode & { kind: 'indexed' })[], what: string, cut: boolean): void {
    const width = size / items.length;
    if (cut || ![1, 2, 4, 8].includes(width)) {
      this.note(at, `strace printed this ${what} as ${items.length} indexed elements in ${size} bytes; nlctl cannot lay them out, the bytes are missing`);
      return;
    }
    items.forEach((item, i) => this.value(at + i * width, width, item.value, what));
  }

  /**
   * An address in a field that may be wider (inet_diag's 16-byte idiag_src holds an IPv4 address
   * in its first 4): strace prints only the address, and the rest of the field is zeros.
   */
  private address(at: number, size: number, bytes: Uint8Array): void {
    this.putBytes(at, bytes.subarray(0, size));
    if (size > bytes.length) this.zeros.push({ offset: at + bytes.length, end: at + size });
  }

  private call(at: number, size: number, v: SNode & { kind: 'call' }, what: string): void {
    const arg = v.args[0];
    const text = (n: SNode | undefined) => (n?.kind === 'string' ? Buffer.from(n.bytes).toString('latin1') : undefined);
    switch (v.name) {
      case 'htons':
      case 'htonl':
      case 'htobe16':
      case 'htobe32':
      case 'htobe64': {
        const n = this.number(at, arg, what);
        if (n === undefined) return;
        this.put(at, n, Math.min(size, v.name === 'htons' || v.name === 'htobe16' ? 2 : v.name === 'htobe64' ? 8 : 4), true);
        return;
      }
      case 'inet_addr': {
        const ip = parseIPv4(text(arg) ?? '');
        if (ip) this.address(at, size, ip);
        else this.note(at, `cannot read inet_addr(${describe(arg)})`);
        return;
      }
      case 'inet_pton': {
        const af = v.args[0]?.kind === 'expr' ? v.args[0].terms[0].name : undefined;
        const addr = text(v.args[1]);
        const bytes = addr === undefined ? undefined : af === 'AF_INET6' ? parseIPv6(addr) : parseIPv4(addr);
        if (bytes) this.address(at, size, bytes);
        else this.note(at, `cannot read inet_pton(${af}, ${describe(v.args[1])})`);
        return;
      }
      case 'if_nametoindex': {
        const name = text(arg) ?? '';
        const index = name === 'lo' ? 1 : this.tables.ifindex?.(name);
        // strace printed the name, not the number: only a live interface of that name gives it.
        if (index === undefined) return this.note(at, `if_nametoindex("${name}"): no interface of that name here, so its index is unknown`);
        if (name !== 'lo') this.note(at, `if_nametoindex("${name}") read as ${index}, the index it has on this machine`);
        this.put(at, BigInt(index), Math.min(size, 4));
        return;
      }
      default:
        this.note(at, `strace printed ${v.name}(…) for this ${what}; nlctl cannot compute it, the bytes are missing`);
    }
  }

  private number(at: number, v: SNode | undefined, what: string): bigint | undefined {
    if (v === undefined) return undefined;
    if (v.kind === 'number') return v.value;
    if (v.kind === 'expr') {
      const { value, unknown } = exprValue(v.terms, nlmFlag);
      if (!unknown.length) return value;
      this.note(at, `${what}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a constant of the uapi headers, so the value is unknown`);
      return undefined;
    }
    if (v.kind === 'call') {
      if (v.name === 'htons' || v.name === 'htonl') return this.number(at, v.args[0], what);
      if (v.name === 'if_nametoindex') {
        const name = v.args[0]?.kind === 'string' ? Buffer.from(v.args[0].bytes).toString('latin1') : '';
        const index = name === 'lo' ? 1 : this.tables.ifindex?.(name);
        if (index === undefined) this.note(at, `if_nametoindex("${name}"): no interface of that name here, so its index is unknown`);
        return index === undefined ? undefined : BigInt(index);
      }
    }
    this.note(at, `${what}: strace printed ${describe(v)}, not a number`);
    return undefined;
  }
}

/** strace's names for flag combinations that the headers spell out bit by bit. */
function nlmFlag(name: string): bigint | undefined {
  return name === 'NLM_F_DUMP' ? cValue('NLM_F_ROOT')! | cValue('NLM_F_MATCH')! : undefined;
}
