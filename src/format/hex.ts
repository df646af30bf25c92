// hex: the annotated byte layout (in the spirit of libmnl's mnl_nlmsg_fprintf): every byte of
// the message in rows of up to 4, each row labelled with the field or attribute it belongs to.
import { NLA_HDRLEN, NLMSG_HDRLEN, NLMSGERR_ERRNO_LEN, toHex } from '../codec/index.js';
import { headerLayout, type DecodedAttr, type DecodedMessage } from '../schema/index.js';
import type { MessageWriter, OutputItem, WriterOptions } from './types.js';
import { chalkFor } from './palette.js';

interface Span {
  offset: number;
  len: number;
  label: string;
}

function attrSpans(attrs: DecodedAttr[], depth: number, spans: Span[]): void {
  const pad = '  '.repeat(depth);
  for (const a of attrs) {
    if (a.type < 0) {
      spans.push({ offset: a.offset, len: a.len, label: `${pad}${a.name}` });
      continue;
    }
    const name = a.name ?? `attr ${a.type}`;
    const flags = (a.nested_flag ? 'N' : '-') + (a.net_byteorder ? 'B' : '-');
    spans.push({ offset: a.offset, len: NLA_HDRLEN, label: `${pad}${name}: len ${a.len} type ${a.type} [${flags}]` });
    if (a.attrs) attrSpans(a.attrs, depth + 1, spans);
    else if (a.len > NLA_HDRLEN) {
      const shown = a.value !== undefined ? JSON.stringify(a.value) : '';
      spans.push({ offset: a.offset + NLA_HDRLEN, len: a.len - NLA_HDRLEN, label: `${pad}  ${shown.length > 60 ? shown.slice(0, 60) + '…' : shown}` });
    }
  }
}

export function messageSpans(m: DecodedMessage): Span[] {
  const o = m.offset;
  const spans: Span[] = [
    { offset: o, len: 4, label: `nlmsg_len ${m.len}` },
    { offset: o + 4, len: 2, label: `nlmsg_type ${m.type_name ?? ''} (${m.type})` },
    { offset: o + 6, len: 2, label: `nlmsg_flags 0x${m.flags.toString(16)} ${m.flag_names.join(',')}` },
    { offset: o + 8, len: 4, label: `nlmsg_seq ${m.seq}` },
    { offset: o + 12, len: 4, label: `nlmsg_pid ${m.pid}` },
  ];
  if (m.error) spans.push({ offset: o + NLMSG_HDRLEN, len: NLMSGERR_ERRNO_LEN, label: `error ${m.error.errno ? `-${m.error.errno} ${m.error.name}` : '0 (ACK)'}` });
  if (m.error?.request) spans.push(...messageSpans(m.error.request).map((s) => ({ ...s, label: `  request ${s.label}` })));
  if (m.header) for (const f of headerLayout(m.header)) spans.push({ offset: f.offset, len: f.size, label: `${m.header.name}.${f.name} ${JSON.stringify(f.value)}` });
  if (m.attrs) attrSpans(m.attrs, 0, spans);
  if (m.payload) spans.push({ offset: m.payload.offset, len: m.payload.hex.length / 2, label: m.payload.text !== undefined ? JSON.stringify(m.payload.text) : 'payload' });
  return spans.sort((a, b) => a.offset - b.offset);
}

export function renderHexLayout(m: DecodedMessage, bytes: Uint8Array, color: boolean): string[] {
  const c = chalkFor(color);
  const lines: string[] = [];
  const end = m.offset + bytes.length;
  let pos = m.offset;
  const row = (off: number, len: number, label: string) => {
    for (let i = 0; i < len; i += 4) {
      const n = Math.min(4, len - i);
      const hex = toHex(bytes.subarray(off + i - m.offset, off + i - m.offset + n), ' ');
      lines.push(`${c.dim(off.toString(16).padStart(6, '0'))}  ${hex.padEnd(11)}  ${i === 0 ? label : ''}`);
    }
  };
  for (const s of messageSpans(m)) {
    if (s.offset < pos || s.offset >= end) continue; // nested spans overlap their container's value
    if (s.offset > pos) row(pos, s.offset - pos, c.dim('padding'));
    const len = Math.min(s.len, end - s.offset);
    row(s.offset, len, s.label);
    pos = s.offset + len;
  }
  if (pos < end) row(pos, end - pos, c.dim('padding'));
  return lines;
}

export class HexWriter implements MessageWriter {
  constructor(private readonly opts: WriterOptions) {}
  write(item: OutputItem): void {
    if ('record' in item) return; // records have no bytes of their own
    const m = item.message;
    if (!item.bytes) {
      this.opts.sink.write(`(no bytes for ${m.type_name ?? m.type})\n`);
      return;
    }
    this.opts.sink.write(renderHexLayout(m, item.bytes, this.opts.color).join('\n') + '\n\n');
  }
  end(): void {}
}
