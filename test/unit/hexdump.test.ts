/*
 * parseHexDump: every supported shape against real tool output saved under
 * test/fixtures/hex (regenerate with the commands in its README), plus inline
 * samples, multi-chunk inputs, errors and a seeded fuzz loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHexDump, HexParseError, type HexChunk, type HexShape } from '../../src/input/hex/index.js';
import { readCapture } from '../../src/capture/pcap.js';
import { rng } from '../helpers.js';

const HEX_DIR = new URL('../../../test/fixtures/hex/', import.meta.url);
const PCAP_DIR = new URL('../../../test/fixtures/pcap/', import.meta.url);
const text = (name: string): string => readFileSync(new URL(name, HEX_DIR), 'utf8');
const bin = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, HEX_DIR)));
const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));

function only(chunks: HexChunk[]): HexChunk {
  assert.equal(chunks.length, 1, `expected one chunk, got ${chunks.length}`);
  return chunks[0]!;
}

function assertBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  assert.deepEqual(Array.from(actual), Array.from(expected), what);
}

/* ---------------------------------------------------- real tool output */

const fixtureCases: { file: string; expect: string; shape: HexShape; repeats?: boolean }[] = [
  { file: 'newlink-lo.xxd.txt', expect: 'newlink-lo.bin', shape: 'xxd' },
  { file: 'newlink-lo.xxd-a.txt', expect: 'newlink-lo.bin', shape: 'xxd', repeats: true },
  { file: 'newlink-lo.xxd-p.txt', expect: 'newlink-lo.bin', shape: 'plain' },
  { file: 'odd45.xxd-g1.txt', expect: 'odd45.bin', shape: 'xxd' },
  { file: 'odd45.xxd-e.txt', expect: 'odd45.bin', shape: 'xxd' },
  { file: 'newlink-lo.hexdump-C.txt', expect: 'newlink-lo.bin', shape: 'hexdump-C', repeats: true },
  { file: 'newlink-lo.hexdump.txt', expect: 'newlink-lo.bin', shape: 'hexdump', repeats: true },
  { file: 'odd45.hexdump.txt', expect: 'odd45.bin', shape: 'hexdump' },
  { file: 'newlink-lo.od-Ax-tx1z.txt', expect: 'newlink-lo.bin', shape: 'od', repeats: true },
  { file: 'newlink-lo.od-tx1.txt', expect: 'newlink-lo.bin', shape: 'od', repeats: true },
  { file: 'odd45.od-x.txt', expect: 'odd45.bin', shape: 'od' },
  { file: 'odd45.od-Ad-tx1.txt', expect: 'odd45.bin', shape: 'od' },
  { file: 'odd45.od-tx4.txt', expect: 'odd45.bin', shape: 'od' },
  { file: 'getlink-req.xxd-i.txt', expect: 'getlink-req.bin', shape: 'c-array' },
  { file: 'getlink-req.python-repr.txt', expect: 'getlink-req.bin', shape: 'escaped' },
  { file: 'getlink-req.node-buffer.txt', expect: 'getlink-req.bin', shape: 'plain' },
  { file: 'kernel-offset-g4.dmesg.txt', expect: 'odd45.bin', shape: 'print_hex_dump' },
  { file: 'kernel-offset-g4-noascii.dmesg.txt', expect: 'getlink-req.bin', shape: 'print_hex_dump' },
  { file: 'kernel-none-g1.dmesg.txt', expect: 'getlink-req.bin', shape: 'print_hex_dump' },
  { file: 'kernel-address-g2.dmesg.txt', expect: 'odd45.bin', shape: 'print_hex_dump' },
  { file: 'odd45.od-An-tx1z.txt', expect: 'odd45.bin', shape: 'plain' },
];

for (const c of fixtureCases) {
  test(`fixture ${c.file} → ${c.expect} (${c.shape})`, () => {
    const src = text(c.file);
    if (c.repeats) assert.match(src, /^\*$/m, 'fixture should exercise the * repeat line');
    const ch = only(parseHexDump(src));
    assert.equal(ch.shape, c.shape);
    assertBytes(ch.bytes, bin(c.expect));
    assert.equal(ch.firstLine, 1);
  });
}

test('print_hex_dump in dmesg: two dumps between other log lines', () => {
  const chunks = parseHexDump(text('kernel-offset-g1.dmesg.txt'));
  assert.equal(chunks.length, 2);
  assert.deepEqual(chunks.map((c) => [c.shape, c.firstLine, c.lastLine]), [
    ['print_hex_dump', 2, 3],
    ['print_hex_dump', 5, 6],
  ]);
  assertBytes(chunks[0]!.bytes, bin('getlink-req.bin'));
  assertBytes(chunks[1]!.bytes, bin('done.bin'));
});

test('strace -e read=all -e write=all: one chunk per syscall with a dump', () => {
  const chunks = parseHexDump(text('strace-ip-link-lo.txt'));
  // sendto, recvmsg, sendmsg, recvmsg (the MSG_PEEK calls have no dump), sendmsg, recvmsg
  assert.deepEqual(chunks.map((c) => c.bytes.length), [32, 52, 48, 1100, 48, 1468]);
  for (const c of chunks) {
    assert.equal(c.shape, 'strace');
    const dv = new DataView(c.bytes.buffer, c.bytes.byteOffset);
    assert.equal(dv.getUint32(0, true), c.bytes.length, 'nlmsg_len matches the dump length');
  }
  assertBytes(chunks[0]!.bytes.subarray(0, 8), hex('20 00 00 00 10 00 05 00'));
  assert.match(text('strace-ip-link-lo.txt').split('\n')[chunks[2]!.firstLine - 1]!, /sendmsg\(4,/);
});

test('strace quoted buffers: -xx, octal escapes and dumps agree', () => {
  const xx = only(parseHexDump(text('strace-raw-xx.txt')));
  const octal = only(parseHexDump(text('strace-raw-octal.txt')));
  const both = only(parseHexDump(text('strace-raw-and-dump.txt')));
  assert.equal(xx.shape, 'strace-raw');
  assert.equal(octal.shape, 'strace-raw');
  assert.equal(both.shape, 'strace'); // the dump wins over the quoted string
  assert.equal(xx.bytes.length, 152);
  assertBytes(xx.bytes.subarray(0, 8), hex('18 00 00 00 16 00 01 03'));
  assertBytes(octal.bytes, xx.bytes);
  assertBytes(both.bytes.subarray(0, 4), xx.bytes.subarray(0, 4));
  assert.equal(both.bytes.length, 152);
  // the quoted string on the same line decodes to the same bytes as its dump
  const line = text('strace-raw-and-dump.txt').split('\n')[0]!;
  assertBytes(only(parseHexDump(line)).bytes, both.bytes);
  assert.equal(xx.truncated, undefined);
});

test('strace quoted buffer cut by -s is flagged truncated', () => {
  const full = only(parseHexDump(text('strace-raw-octal.txt')));
  const cut = only(parseHexDump(text('strace-raw-truncated.txt')));
  assert.equal(cut.truncated, true);
  assert.equal(cut.bytes.length, 32);
  assertBytes(cut.bytes, full.bytes.subarray(0, 32));
});

test('strace lines that only show decoded structures give a helpful error', () => {
  const src = '15731 sendto(3, [{nlmsg_len=32, nlmsg_type=RTM_NEWLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, nlmsg_seq=0, nlmsg_pid=0}, {ifi_family=AF_UNSPEC}], 32, 0, NULL, 0) = 32\n';
  assert.throws(() => parseHexDump(src), (e: unknown) => {
    assert.ok(e instanceof HexParseError);
    assert.equal(e.line, 1);
    assert.match(e.message, /^line 1: .*-e read=all/);
    return true;
  });
});

test('tcpdump -xx/-XX/-x/-X: one chunk per packet, equal to the capture', () => {
  const cap = readCapture(new Uint8Array(readFileSync(new URL('lo-udp.pcap', PCAP_DIR))));
  assert.equal(cap.packets.length, 2);
  for (const [file, strip] of [
    ['lo-udp.tcpdump-xx.txt', 0],
    ['lo-udp.tcpdump-XX.txt', 0],
    ['lo-udp.tcpdump-x.txt', 14], // -x/-X start after the Ethernet header
    ['lo-udp.tcpdump-X.txt', 14],
  ] as const) {
    const chunks = parseHexDump(text(file));
    assert.equal(chunks.length, 2, file);
    assert.deepEqual(chunks.map((c) => c.firstLine), [1, 7], `${file}: header lines start chunks`);
    chunks.forEach((c, i) => {
      assert.equal(c.shape, 'tcpdump');
      assertBytes(c.bytes, cap.packets[i]!.data.subarray(strip), `${file} packet ${i}`);
    });
  }
});

test('tcpdump printing each frame twice: the offset restart starts a new chunk', () => {
  const cap = readCapture(new Uint8Array(readFileSync(new URL('rtnl-getlink.pcap', PCAP_DIR))));
  const chunks = parseHexDump(text('rtnl-getlink.tcpdump-XX.txt'));
  assert.equal(chunks.length, 6);
  chunks.forEach((c, i) => assertBytes(c.bytes, cap.packets[i >> 1]!.data, `chunk ${i}`));
});

test('tshark -x: blank-line separated frames', () => {
  const cap = readCapture(new Uint8Array(readFileSync(new URL('rtnl-getlink.pcap', PCAP_DIR))));
  const chunks = parseHexDump(text('rtnl-getlink.tshark-x.txt'));
  assert.equal(chunks.length, 3);
  chunks.forEach((c, i) => assertBytes(c.bytes, cap.packets[i]!.data));
});

/* ---------------------------------------------------- inline samples */

const REQ = '20 00 00 00 10 00 05 00 01 00 00 00 00 00 00 00';

const inlineCases: { name: string; input: string; expect: string; shape: HexShape }[] = [
  { name: 'plain, no spaces', input: '20000000100005', expect: '20 00 00 00 10 00 05', shape: 'plain' },
  { name: 'plain, spaces', input: '20 00 00 00', expect: '20 00 00 00', shape: 'plain' },
  { name: 'plain, colons', input: '20:00:00:00', expect: '20 00 00 00', shape: 'plain' },
  { name: 'plain, 0x prefixes', input: '0x20 0x00 0x5', expect: '20 00 05', shape: 'plain' },
  { name: 'plain, stream wrapped mid-byte', input: '2000000\n0100005', expect: '20 00 00 00 10 00 05', shape: 'plain' },
  { name: 'plain, comments', input: '20 00 00 00  # nlmsg_len\n10 00 // type\n', expect: '20 00 00 00 10 00', shape: 'plain' },
  { name: 'plain, label', input: 'nlmsg: 20 00 00 00', expect: '20 00 00 00', shape: 'plain' },
  { name: 'plain, CRLF', input: '20 00\r\n00 00\r\n', expect: '20 00 00 00', shape: 'plain' },
  {
    name: 'xxd, ASCII column that looks like hex',
    input: '00000000: 6661 6365 2063 6166 6520 6265 6566 2061  face cafe beef a\n00000010: 6464                                     dd\n',
    expect: '66 61 63 65 20 63 61 66 65 20 62 65 65 66 20 61 64 64',
    shape: 'xxd',
  },
  { name: 'xxd -g1, single short line', input: '00000000: 41 42  AB\n', expect: '41 42', shape: 'xxd' },
  {
    name: 'xxd, trailing spaces of the ASCII column trimmed',
    input: '00000000: 6465 6164 2062 6565 6620 2020 2020 2020  dead beef',
    expect: '64 65 61 64 20 62 65 65 66 20 20 20 20 20 20 20',
    shape: 'xxd',
  },
  {
    name: 'hexdump -C with * up to the end offset',
    input:
      '00000000  20 00 00 00 10 00 05 00  01 00 00 00 00 00 00 00  |................|\n' +
      '00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n' +
      '*\n' +
      '00000040  7c 66 61 63 65 7c                                 ||face||\n' +
      '00000046\n',
    expect: REQ + ' 00'.repeat(48) + ' 7c 66 61 63 65 7c',
    shape: 'hexdump-C',
  },
  {
    name: 'hexdump (16-bit words are swapped), odd length',
    input: '0000000 0020 0000 0010 0005 0001\n0000009\n',
    expect: '20 00 00 00 10 00 05 00 01',
    shape: 'hexdump',
  },
  {
    name: 'od -A x -t x1z',
    input: '000000 20 00 00 00 10 00 05 00 01 00 00 00 00 00 00 00  > ...............<\n000010\n',
    expect: REQ,
    shape: 'od',
  },
  {
    name: 'od -t x1 with * and octal offsets',
    input: '0000000 20 00 00 00 10 00 05 00 01 00 00 00 00 00 00 00\n0000020 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n0000060 ff\n0000061\n',
    expect: REQ + ' 00'.repeat(32) + ' ff',
    shape: 'od',
  },
  {
    name: 'tcpdump -x, odd trailing byte',
    input: '12:00:00.000000 IP 127.0.0.1.1 > 127.0.0.1.2: UDP, length 1\n\t0x0000:  4500 001d 0001 0000 4011 7cce 7f00 0001\n\t0x0010:  7f00 0001 0001 0002 0009 0000 21\n',
    expect: '45 00 00 1d 00 01 00 00 40 11 7c ce 7f 00 00 01 7f 00 00 01 00 01 00 02 00 09 00 00 21',
    shape: 'tcpdump',
  },
  {
    name: 'print_hex_dump, groupsize 4 (LE words)',
    input: '[  12.345678] nlmsg: 00000000: 00000020 00050010 00000001 00000000  ................\n',
    expect: REQ,
    shape: 'print_hex_dump',
  },
  {
    name: 'print_hex_dump via journalctl -k',
    input: 'Jan 02 03:04:05 host kernel: nlmsg: 00000000: 20 00 00 00 10 00 05 00 01 00 00 00 00 00 00 00   ...............\n',
    expect: REQ,
    shape: 'print_hex_dump',
  },
  {
    name: 'print_hex_dump via dmesg -t (no timestamp), DUMP_PREFIX_NONE',
    input: 'nlmsg: 20 00 00 00 10 00 05 00 01 00 00 00 00 00 00 00   ...............\nnlmsg: 14 00  ..\n',
    expect: REQ + ' 14 00',
    shape: 'print_hex_dump',
  },
  {
    name: 'xxd quoted in mail or a comment',
    input: '> 00000000: 2000 0000 1000 0500  ........\n> 00000008: 0100 0000            ....\n',
    expect: '20 00 00 00 10 00 05 00 01 00 00 00',
    shape: 'xxd',
  },
  {
    name: 'hexdump -C -s (dump starting at an offset)',
    input: '00000014  01 00 00 00 49 00 01 00  |....I...|\n0000001c\n',
    expect: '01 00 00 00 49 00 01 00',
    shape: 'hexdump-C',
  },
  {
    name: 'C array',
    input: 'unsigned char msg[] = {\n  0x20, 0x00, 0x00, 0x00, /* len */\n  0x10, 0x00, 0x05, 0x00, // type, flags\n};\n',
    expect: '20 00 00 00 10 00 05 00',
    shape: 'c-array',
  },
  { name: 'C array, decimal', input: 'uint8_t m[4] = {32, 0, 0, 0};', expect: '20 00 00 00', shape: 'c-array' },
  { name: 'Go byte slice', input: 'msg := []byte{0x20, 0x00, 0x10, 0x00}', expect: '20 00 10 00', shape: 'c-array' },
  { name: 'Python list', input: 'bytes([0x20, 0x0, 16, 0])', expect: '20 00 10 00', shape: 'c-array' },
  { name: 'escaped string', input: '"\\x20\\x00\\x00\\x00"', expect: '20 00 00 00', shape: 'escaped' },
  { name: 'escaped, C concatenation', input: 'char m[] = "\\x20\\x00"\n           "\\x00\\x00";', expect: '20 00 00 00', shape: 'escaped' },
  { name: 'Python bytes, printable mixed in', input: "b' \\x00\\x00\\x00\\x10\\x00AB'", expect: '20 00 00 00 10 00 41 42', shape: 'escaped' },
  { name: 'octal escapes', input: '" \\0\\0\\0\\20\\0\\5\\0"', expect: '20 00 00 00 10 00 05 00', shape: 'escaped' },
  { name: 'bare escapes', input: '\\x20\\x00\n\\x00\\x00', expect: '20 00 00 00', shape: 'escaped' },
  {
    name: 'strace -xx sendto',
    input: 'sendto(3, "\\x20\\x00\\x00\\x00\\x10\\x00\\x05\\x03", 8, 0, NULL, 0) = 8',
    expect: '20 00 00 00 10 00 05 03',
    shape: 'strace-raw',
  },
  {
    name: 'strace -yy write with a decoded fd',
    input: '[pid  4242] 12:00:00.000001 write(3<NETLINK:[ROUTE:4242]>, "\\x20\\x00", 2) = 2',
    expect: '20 00',
    shape: 'strace-raw',
  },
];

for (const c of inlineCases) {
  test(`inline: ${c.name}`, () => {
    const ch = only(parseHexDump(c.input));
    assert.equal(ch.shape, c.shape);
    assertBytes(ch.bytes, hex(c.expect));
  });
}

/* ---------------------------------------------------- several chunks */

test('blank lines separate chunks', () => {
  const chunks = parseHexDump('20 00 00 00\n\n\n14 00 00 00 03 00\n');
  assert.deepEqual(chunks.map((c) => [Array.from(c.bytes).length, c.firstLine, c.lastLine]), [
    [4, 1, 1],
    [6, 4, 4],
  ]);
});

test('an offset restart at 0 starts a new chunk', () => {
  const src = '00000000: 2000 0000 1000 0500  ........\n00000000: 1400 0000 0300 0200  ........\n';
  const chunks = parseHexDump(src);
  assert.equal(chunks.length, 2);
  assertBytes(chunks[0]!.bytes, hex('20 00 00 00 10 00 05 00'));
  assertBytes(chunks[1]!.bytes, hex('14 00 00 00 03 00 02 00'));
  assert.deepEqual(chunks.map((c) => c.firstLine), [1, 2]);
});

test('a prompt line between two dumps separates them', () => {
  const src = '$ xxd a\n00000000: 2000  .\n$ xxd b\n00000000: 1400  ..\n';
  const chunks = parseHexDump(src);
  assert.deepEqual(chunks.map((c) => Array.from(c.bytes)), [[0x20, 0], [0x14, 0]]);
});

test('mixed shapes in blocks', () => {
  const src = [
    '00000000  20 00 00 00 10 00 05 00                           |........|',
    '00000008',
    '',
    'b"\\x14\\x00"',
    '',
    '{ 0x01, 0x02 }',
  ].join('\n');
  const chunks = parseHexDump(src);
  assert.deepEqual(chunks.map((c) => c.shape), ['hexdump-C', 'escaped', 'c-array']);
  assert.deepEqual(chunks.map((c) => c.firstLine), [1, 4, 6]);
});

/* ---------------------------------------------------- errors */

test('not hex: error names the line', () => {
  assert.throws(() => parseHexDump('20 00\n00 00\nhello world\n'), (e: unknown) => {
    assert.ok(e instanceof HexParseError);
    assert.equal(e.line, 3);
    assert.equal(e.column, 1);
    assert.equal(e.message, "line 3: not hex: 'hello world'");
    return true;
  });
});

test('not hex at all / empty input', () => {
  assert.throws(() => parseHexDump('just some words'), { name: 'HexParseError', message: "line 1: not hex: 'just some words'" });
  assert.throws(() => parseHexDump('\n\n  \n'), { name: 'HexParseError', message: 'line 1: no hex data found' });
  assert.throws(() => parseHexDump('\n\nzz'), (e: unknown) => e instanceof HexParseError && e.line === 3);
});

test('odd number of digits and bad C array values are errors', () => {
  assert.throws(() => parseHexDump('20 0 00'), (e: unknown) => e instanceof HexParseError && e.line === 1 && e.column === 4);
  assert.throws(() => parseHexDump('2000000'), /odd number of hex digits/);
  assert.throws(() => parseHexDump('{ 0x20,\n 0x123 }'), (e: unknown) => e instanceof HexParseError && e.line === 2 && /0x123/.test(e.message));
});

test('a * repeat that cannot fit whole rows, or is absurdly large, is an error', () => {
  const row = '00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n';
  assert.throws(() => parseHexDump(row + '*\n00000018\n'), (e: unknown) => e instanceof HexParseError && e.line === 2);
  assert.throws(() => parseHexDump(row + '*\nff000000\n'), /expand/);
});

/* ---------------------------------------------------- fuzz */


test('fuzz: parseHexDump only ever throws HexParseError, and terminates', () => {
  const rnd = rng(0x6e6c6374);
  const pieces = [
    '0', '1', '2', 'a', 'f', 'F', '9', '00', 'ff', '20', ' ', ' ', '  ', '\n', '\n', '\t', ':', '0x', '*', '|', '>', '<',
    '"', "'", '\\x', '\\', '{', '}', '[', ']', ',', 'b', '.', '00000000', '00000010', '0000000', '000010', ' | 00000  ',
    'sendto(3, ', ') = 32', '[   1.000000] ', 'nlmsg: ', '\t0x0000:  ', '12:00:00.000000 IP ', '#', '//', '/*', '*/', 'g', 'z',
  ];
  const seeds = [
    text('newlink-lo.hexdump-C.txt').slice(0, 600),
    text('odd45.xxd-e.txt'),
    text('strace-ip-link-lo.txt').slice(0, 900),
    text('lo-udp.tcpdump-X.txt'),
    text('kernel-offset-g1.dmesg.txt'),
    text('getlink-req.xxd-i.txt'),
    text('odd45.od-x.txt'),
  ];
  let parsed = 0;
  const started = Date.now();
  for (let i = 0; i < 4000; i++) {
    let input: string;
    if (i % 2 === 0) {
      input = '';
      const n = 1 + Math.floor(rnd() * 40);
      for (let j = 0; j < n; j++) input += pieces[Math.floor(rnd() * pieces.length)];
    } else {
      const s = seeds[i % seeds.length]!;
      const chars = s.split('');
      const edits = 1 + Math.floor(rnd() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * chars.length);
        const op = rnd();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.8) chars.splice(at, 0, pieces[Math.floor(rnd() * pieces.length)]!);
        else chars.length = at;
      }
      input = chars.join('');
    }
    try {
      const chunks = parseHexDump(input);
      for (const c of chunks) {
        assert.ok(c.bytes instanceof Uint8Array);
        assert.ok(c.firstLine >= 1 && c.lastLine >= c.firstLine, JSON.stringify(input));
      }
      parsed++;
    } catch (e) {
      if (!(e instanceof HexParseError)) {
        assert.fail(`unexpected ${(e as Error).name}: ${(e as Error).message} for input ${JSON.stringify(input)}`);
      }
      assert.ok(e.line >= 1);
      assert.ok(!e.message.includes('\n'), 'one-line message');
    }
  }
  assert.ok(parsed > 100, `some inputs parse (${parsed})`);
  assert.ok(Date.now() - started < 30000, 'fuzz loop finished in time');
});
