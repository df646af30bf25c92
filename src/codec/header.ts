// struct nlmsghdr, the 16-byte header in front of every netlink message (host byte order):
//
//   0               4       6       8               12              16
//   +---------------+-------+-------+---------------+---------------+
//   | nlmsg_len     | type  | flags | nlmsg_seq     | nlmsg_pid     |
//   +---------------+-------+-------+---------------+---------------+
//
// nlmsg_len counts the header too. The meaning of flag bits 0x100–0x800 depends on the request:
// GET (ROOT/MATCH/ATOMIC), NEW (REPLACE/EXCL/CREATE/APPEND), DEL (NONREC/BULK), or an ACK (CAPPED/ACK_TLVS).
import { view } from './bytes.js';
import { NLMSG_HDRLEN } from './align.js';
import { NLMSG_DONE, NLMSG_ERROR } from './constants.js';

export interface NlMsgHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

export function decodeHeader(bytes: Uint8Array, offset = 0): NlMsgHeader {
  return {
    len: u32(bytes, offset),
    type: bytes[offset + 4] | (bytes[offset + 5] << 8),
    flags: bytes[offset + 6] | (bytes[offset + 7] << 8),
    seq: u32(bytes, offset + 8),
    pid: u32(bytes, offset + 12),
  };
}

export function encodeHeader(h: NlMsgHeader, out = new Uint8Array(NLMSG_HDRLEN), offset = 0): Uint8Array {
  const v = view(out);
  v.setUint32(offset, h.len >>> 0, true);
  v.setUint16(offset + 4, h.type & 0xffff, true);
  v.setUint16(offset + 6, h.flags & 0xffff, true);
  v.setUint32(offset + 8, h.seq >>> 0, true);
  v.setUint32(offset + 12, h.pid >>> 0, true);
  return out;
}

/** Which family of modifier bits applies to a message. */
export type FlagContext = 'get' | 'new' | 'del' | 'ack' | 'other';

const COMMON_FLAGS: [number, string][] = [
  [0x01, 'request'],
  [0x02, 'multi'],
  [0x04, 'ack'],
  [0x08, 'echo'],
  [0x10, 'dump_intr'],
  [0x20, 'dump_filtered'],
];

const MODIFIER_FLAGS: Record<FlagContext, [number, string][]> = {
  get: [[0x100, 'root'], [0x200, 'match'], [0x400, 'atomic']],
  new: [[0x100, 'replace'], [0x200, 'excl'], [0x400, 'create'], [0x800, 'append']],
  del: [[0x100, 'nonrec'], [0x200, 'bulk']],
  ack: [[0x100, 'capped'], [0x200, 'ack_tlvs']],
  other: [],
};

/** The context a message's flags are read in: ACKs and DONE by type, otherwise from the request kind. */
export function flagContext(type: number, kind?: 'get' | 'new' | 'del'): FlagContext {
  if (type === NLMSG_ERROR || type === NLMSG_DONE) return 'ack';
  return kind ?? 'other';
}

/** Flag names, lower case; 'dump' stands for root|match on GET requests; unknown bits as hex. */
export function flagNames(flags: number, ctx: FlagContext): string[] {
  const names: string[] = [];
  let rest = flags;
  for (const [bit, name] of COMMON_FLAGS) {
    if (flags & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (ctx === 'get' && (flags & 0x300) === 0x300) {
    names.push('dump');
    rest &= ~0x300;
  }
  for (const [bit, name] of MODIFIER_FLAGS[ctx]) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push('0x' + rest.toString(16));
  return names;
}

const ALL_FLAG_NAMES: Record<string, number> = {
  request: 0x01, multi: 0x02, ack: 0x04, echo: 0x08, dump_intr: 0x10, dump_filtered: 0x20,
  root: 0x100, match: 0x200, atomic: 0x400, dump: 0x300,
  replace: 0x100, excl: 0x200, create: 0x400, append: 0x800,
  nonrec: 0x100, bulk: 0x200, capped: 0x100, ack_tlvs: 0x200,
};

/** Parse "request,ack,dump" or "0x305" or "5" into a number; throws RangeError naming the bad word. */
export function parseFlags(spec: string): number {
  let flags = 0;
  for (const word of spec.split(/[,|+\s]+/).filter(Boolean)) {
    const w = word.toLowerCase().replace(/^nlm_f_/, '');
    if (/^(0x[0-9a-f]+|\d+)$/.test(w)) flags |= Number(w);
    else if (w in ALL_FLAG_NAMES) flags |= ALL_FLAG_NAMES[w];
    else throw new RangeError(`unknown flag '${word}' (known: ${Object.keys(ALL_FLAG_NAMES).join(', ')})`);
  }
  if (flags > 0xffff) throw new RangeError(`flags 0x${flags.toString(16)} do not fit in 16 bits`);
  return flags;
}
