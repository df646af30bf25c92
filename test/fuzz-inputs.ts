// Seeded generators of hostile decode input, shared by the fuzz test in `make test` and the long
// run of `make fuzz`: corrupted pcapng blocks, capture records that are empty or all zeros, and
// hex dumps mixed with prose. Each case is rebuilt from (seed, index), so a failure can be replayed.
import { readFileSync, readdirSync } from 'node:fs';
import { Writable, Readable } from 'node:stream';
import { PcapWriter } from '../src/capture/pcap.js';
import { main } from '../src/main.js';
import { rng } from './helpers.js';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

function load(dir: string, ext: string): Uint8Array[] {
  const d = new URL(`${dir}/`, FIXTURES);
  return readdirSync(d).filter((n) => n.endsWith(ext)).sort().map((n) => new Uint8Array(readFileSync(new URL(n, d))));
}

const PCAPNG = load('pcap', '.pcapng');
const PCAP = load('pcap', '.pcap');
const HEX_LINES = load('hex', '.txt').map((b) => Buffer.from(b).toString('utf8').split('\n'));
export const DATAGRAMS = readdirSync(new URL('dissect/', FIXTURES)).filter((n) => n.endsWith('.hex')).sort()
  .flatMap((n) => readFileSync(new URL(`dissect/${n}`, FIXTURES), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => Uint8Array.from(Buffer.from(l.trim(), 'hex'))));

const PROSE = [
  'Here is what strace printed:', 'The kernel answered with this:', '$ ip link show lo', '# note: second dump below',
  "{'ACTION': 'change', 'SEQNUM': '12'}", '{"type": "RTM_NEWLINK", "len": 1234}', '--- SIGCHLD {si_signo=SIGCHLD} ---',
  'inet_pton(AF_INET6, "::1")', 'connect(3, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0', 'ok', '   ', '', 'deadbeef is not a word',
  '0x20 bytes follow', '[  12.345678] eth0: link up', 'sendto(3, "abc", 3, 0, NULL, 0) = 3', 'b\'\\x00\' and more', '* 1100 bytes in buffer 0',
];

export type Case = { kind: string; bytes: Uint8Array };

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function u32(b: Uint8Array, at: number, v: number, le = true): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, le);
}

/** Offsets of the blocks of a (well-formed, little-endian) pcapng file. */
function blocks(b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let off = 0; off + 12 <= b.length;) {
    out.push(off);
    const len = dv.getUint32(off + 4, true);
    if (len < 12) break;
    off += len;
  }
  return out;
}

/** A pcapng file with a block corrupted: lengths that lie, types changed, blocks cut, dropped or repeated, the BOM broken. */
export function pcapngCorrupt(r: () => number): Uint8Array {
  const src = pick(r, PCAPNG);
  const offs = blocks(src);
  let b = Uint8Array.from(src);
  const at = pick(r, offs);
  const len = new DataView(b.buffer).getUint32(at + 4, true);
  switch (Math.floor(r() * 9)) {
    case 0: u32(b, at + 4, pick(r, [0, 4, 11, 12, 13, len + 4, len - 4, 0x7fffffff, 0xffffffff, Math.floor(r() * 0x10000)])); break;
    case 1: u32(b, at + len - 4, Math.floor(r() * 0x10000)); break; // trailer differs
    case 2: u32(b, at, pick(r, [0, 1, 2, 3, 5, 6, 0x0a0d0d0a, 0x80000001, Math.floor(r() * 0x100000000)])); break;
    case 3: b = b.subarray(0, at + Math.floor(r() * len)); break; // cut inside a block
    case 4: b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]); break; // block dropped
    case 5: b = Uint8Array.from([...b.subarray(0, at + len), ...b.subarray(at, at + len), ...b.subarray(at + len)]); break; // repeated
    case 6: u32(b, 8, Math.floor(r() * 0x100000000)); break; // byte-order magic
    case 7: { // an interface id or a captured length that lies
      const epb = offs.find((o) => new DataView(b.buffer).getUint32(o, true) === 6);
      if (epb !== undefined) u32(b, epb + 8 + pick(r, [0, 12]), pick(r, [1, 7, 0xffff, 0xffffffff, Math.floor(r() * 5000)]));
      break;
    }
    default: for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++) b[at + Math.floor(r() * len)] ^= 1 + Math.floor(r() * 255);
  }
  return b;
}

/** A pcap of records that are empty, all zeros, cooked headers only, good, or cut. */
export function captureRecords(r: () => number): Uint8Array {
  const w = new PcapWriter({ resolution: pick(r, ['us', 'ns'] as const) });
  const parts: Uint8Array[] = [w.header()];
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    const kind = Math.floor(r() * 5);
    const payload = kind === 0 ? new Uint8Array(0) : kind === 1 ? new Uint8Array(Math.floor(r() * 64)) : kind === 2 ? new Uint8Array(16 + 4 * Math.floor(r() * 8)) : pick(r, DATAGRAMS);
    const rec = w.record({ protocol: pick(r, [0, 0, 4, 9, 15, 16, 25]), payload, tsSec: i, tsNsec: 0, direction: r() < 0.5 ? 'in' : 'out' });
    if (kind === 4 && r() < 0.5) {
      // An empty record with no cooked header at all (incl_len 0).
      const empty = rec.subarray(0, 16).slice();
      u32(empty, 8, 0);
      u32(empty, 12, 0);
      parts.push(empty);
    } else parts.push(rec);
  }
  if (r() < 0.2) parts.push(pick(r, PCAP).subarray(24)); // real records after
  const out = Buffer.concat(parts);
  return r() < 0.15 ? out.subarray(0, Math.floor(r() * out.length)) : out;
}

/** Hex dumps of every shape with prose, prompts and code between and inside them, sometimes cut. */
export function hexWithProse(r: () => number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) {
    if (r() < 0.7) lines.push(pick(r, PROSE));
    const dump = pick(r, HEX_LINES);
    const from = Math.floor(r() * dump.length * 0.3);
    const piece = dump.slice(from, from + 1 + Math.floor(r() * 60));
    if (r() < 0.3) piece.splice(Math.floor(r() * piece.length), 0, pick(r, PROSE)); // prose inside a dump
    if (r() < 0.2) piece.splice(Math.floor(r() * piece.length), 0, ''); // a blank line inside
    lines.push(...piece);
  }
  let text = lines.join(r() < 0.1 ? '\r\n' : '\n');
  if (r() < 0.1) text = text.slice(0, Math.floor(r() * text.length));
  return Buffer.from(text);
}

export const GENERATORS = { pcapng: pcapngCorrupt, records: captureRecords, hex: hexWithProse } as const;

export function makeCase(seed: number, index: number): Case {
  const r = rng((seed ^ Math.imul(index, 0x9e3779b1)) >>> 0);
  const kinds = Object.keys(GENERATORS) as (keyof typeof GENERATORS)[];
  const kind = kinds[index % kinds.length]!;
  return { kind, bytes: GENERATORS[kind](r) };
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    if (this.text.length < 1 << 16) this.text += chunk.toString();
    done();
  }
}

/** `nlctl -f ndjson decode` on the bytes, in this process: its exit code and stderr. */
export async function decodeInProcess(bytes: Uint8Array, extra: string[] = []): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(['-f', 'ndjson', 'decode', ...extra], { stdin: Readable.from([Buffer.from(bytes)]), stdout, stderr, env: {} });
  return { code, stderr: stderr.text, stdout: stdout.text };
}

/** A datagram damaged one seeded way: bytes flipped, cut, a length that lies, junk spliced in, flags toggled, an edge byte. */
export function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const pick = (n: number) => Math.floor(r() * n);
  switch (pick(6)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n && b.length; i++) b[pick(b.length)] ^= 1 + pick(255);
      return b;
    case 1:
      return b.subarray(0, pick(b.length + 1));
    case 2: { // a length that lies, at an aligned offset
      if (b.length < 4) return b;
      const at = pick(b.length >> 2) * 4;
      const lie = [0, 1, 3, 4, 5, 8, 15, 16, 17, 20, 0xffff, b.length + 4, pick(0x10000)][pick(13)]!;
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (r() < 0.4 && at + 4 <= b.length) v.setUint32(at, lie, true);
      else v.setUint16(at, lie & 0xffff, true);
      return b;
    }
    case 3: { // bytes spliced in
      const junk = Uint8Array.from({ length: 1 + pick(24) }, () => pick(256));
      const at = pick(b.length + 1);
      return Uint8Array.from([...b.subarray(0, at), ...junk, ...b.subarray(at)]);
    }
    case 4: // nested and byte-order flags toggled on an aligned attribute header
      if (b.length >= 24) b[16 + pick((b.length - 16) >> 2) * 4 + 3] ^= [0x80, 0x40, 0xc0][pick(3)]!;
      return b;
    default: // a value byte set to an edge: 0, 0xff, a printable or non-ASCII byte
      if (b.length) b[pick(b.length)] = [0, 0xff, 0x7f, 0x80, 0x22, 0x5c, 0x0a, 0xc3][pick(8)]!;
      return b;
  }
}
