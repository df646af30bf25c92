// strace's own rendering of netlink messages, turned back into bytes, must decode to the same
// messages and values as the hex dumps strace printed of the same calls in the same run. The
// fixtures (test/fixtures/strace/capture.sh) hold both; each is decoded once from the dumps and
// once with the dump lines removed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeStrace } from '../../src/commands/decode-strace.js';
import { straceTables } from '../../src/commands/strace-tables.js';
import { hasStraceNetlink, parseStraceText, type StraceDatagram } from '../../src/input/strace/index.js';
import { parseValue } from '../../src/input/strace/syntax.js';
import { decodeDatagram, newContext, schemaFor, type DecodedMessage } from '../../src/schema/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../../test/fixtures/strace/${name}`, import.meta.url), 'utf8');
}

const withoutDumps = (text: string) => text.split('\n').filter((l) => !/^\s*[|*] /.test(l)).join('\n');

/** Decoded messages of each datagram, with a context per protocol so genl family ids carry over. */
function decodeAll(datagrams: StraceDatagram[]): DecodedMessage[][] {
  const contexts = new Map<number, ReturnType<typeof newContext>>();
  return datagrams.map((d) => {
    const p = d.protocol ?? 0;
    if (!contexts.has(p)) contexts.set(p, newContext());
    return decodeDatagram(d.bytes, schemaFor(p), contexts.get(p)!);
  });
}

/** What a message says, without where its bytes were or what was wrong with them. */
function meaning(m: DecodedMessage): unknown {
  return JSON.parse(JSON.stringify(m, (k, v) => (k === 'offset' || k === 'diagnostics' ? undefined : v)));
}

const TRACES = ['ip-link.txt', 'ip-addr.txt', 'ip-route.txt', 'genl-ctrl-list.txt', 'ss-tan.txt', 'ethtool-va.txt'];

for (const name of TRACES) {
  test(`strace rendering of ${name} decodes as its hex dumps do`, async () => {
    const text = fixture(name);
    const dumped = await parseStraceText(text, straceTables);
    const rendered = await parseStraceText(withoutDumps(text), straceTables);
    assert.ok(dumped.length > 0, 'the fixture holds netlink calls');
    assert.ok(dumped.every((d) => d.source === 'dump'));
    assert.ok(rendered.every((d) => d.source === 'rendering'));
    assert.deepEqual(rendered.map((d) => [d.syscall, d.direction, d.protocol]), dumped.map((d) => [d.syscall, d.direction, d.protocol]));
    const a = decodeAll(dumped);
    const b = decodeAll(rendered);
    let exact = 0;
    for (let i = 0; i < a.length; i++) {
      const missing = rendered[i].diagnostics.filter((x) => /missing|cut/.test(x.message));
      if (Buffer.compare(Buffer.from(dumped[i].bytes), Buffer.from(rendered[i].bytes)) === 0) {
        exact++;
        continue;
      }
      // Bytes strace did not print may be absent, never different: the rendering says so.
      assert.ok(missing.length > 0, `datagram at line ${dumped[i].line} differs from its dump without a diagnostic`);
      // The gaps (bytes strace did not print) hold stand-in zeros; every other byte is the dump's.
      const printed = Buffer.from(rendered[i].bytes);
      for (const g of rendered[i].gaps) printed.set(dumped[i].bytes.subarray(g.offset, g.end), g.offset);
      assert.deepEqual(printed, Buffer.from(dumped[i].bytes.subarray(0, rendered[i].bytes.length)), `line ${dumped[i].line}: the bytes that were printed are the dump's`);
      const whole = (m: DecodedMessage) => !rendered[i].gaps.some((g) => g.offset < m.offset + m.len && g.end > m.offset);
      const known = b[i].filter((m) => m.offset + m.len <= rendered[i].bytes.length && m.len >= 16 && whole(m));
      for (const m of known) assert.deepEqual(meaning(m), meaning(a[i].find((x) => x.offset === m.offset)!), `line ${dumped[i].line}: message at ${m.offset}`);
    }
    assert.ok(exact >= a.length - 2, `${exact} of ${a.length} datagrams rebuilt byte for byte`);
  });
}

test('a trace names its protocol: genl ctrl list is nlctrl, ss is sock_diag, with no --proto', async () => {
  const genl = await parseStraceText(withoutDumps(fixture('genl-ctrl-list.txt')), straceTables);
  assert.ok(genl.every((d) => d.protocol === 16));
  const messages = decodeAll(genl).flat();
  assert.ok(messages.some((m) => m.type_name === 'CTRL_CMD_NEWFAMILY' || m.header?.fields?.cmd === 'CTRL_CMD_NEWFAMILY'), 'nlctrl replies decoded as CTRL_CMD_NEWFAMILY');
  const ss = await parseStraceText(withoutDumps(fixture('ss-tan.txt')), straceTables);
  assert.ok(ss.length > 0 && ss.every((d) => d.protocol === 4));
});

test('a generic netlink family id comes from the nlctrl reply earlier in the trace', async () => {
  const d = await parseStraceText(withoutDumps(fixture('ethtool-va.txt')), straceTables);
  const dumped = await parseStraceText(fixture('ethtool-va.txt'), straceTables);
  const type = (x: StraceDatagram) => x.bytes[4] | (x.bytes[5] << 8);
  const first = d.findIndex((x) => x.direction === 'in' && type(x) === 0x10);
  assert.ok(first >= 0, 'an nlctrl reply');
  const later = d.map((x, i) => [x, i] as const).filter(([x, i]) => i > first && x.direction === 'out' && type(x) !== 0x10);
  assert.ok(later.length > 0, 'requests to the family after the reply');
  for (const [x, i] of later) assert.equal(type(x), type(dumped[i]));
  assert.ok(d.every((x) => !x.diagnostics.some((g) => /family .* id is not/.test(g.message))));
});

test('values strace cut short (-s 32) are flagged, never invented', async () => {
  const text = fixture('ip-link-default.txt');
  assert.ok(hasStraceNetlink(text));
  const d = await parseStraceText(text, straceTables);
  const cut = d.flatMap((x) => x.diagnostics).filter((x) => /cut|only the first|missing/.test(x.message));
  assert.ok(cut.length > 0, 'strace abbreviated this trace: something is flagged');
  for (const x of d) {
    const len = x.bytes[0] | (x.bytes[1] << 8) | (x.bytes[2] << 16);
    if (x.bytes.length < len) assert.ok(x.diagnostics.length > 0, `line ${x.line}: shorter than its nlmsg_len and not flagged`);
  }
});

test('an NLMSG_ERROR with no socket() line before it takes its protocol from the request it echoes', async () => {
  // ip link set lo mtu 1400: the first reply is an ENODEV for a probe whose request the trace does not hold.
  const [first] = await parseStraceText(fixture('ip-link-set-mtu.txt'), straceTables);
  assert.equal(first.protocol, 0, 'route, from the echoed RTM_NEWLINK');
  assert.deepEqual(first.diagnostics, []);
  const [m] = decodeDatagram(first.bytes, schemaFor(0), newContext());
  assert.equal(m.error?.name, 'ENODEV');
  assert.equal(m.error?.request?.type_name, 'RTM_NEWLINK');
  assert.deepEqual(m.error?.request?.header?.fields, { ifi_family: 'AF_UNSPEC', ifi_type: 'netrom', ifi_index: 0, ifi_flags: [], ifi_change: '0x0' });
});

test('strace -s 64: a value is shown only when strace printed all of it; the rest is flagged', async () => {
  // One trace, two readings: its hex dumps are the whole bytes, its rendering (dumps removed) is cut at 64.
  const text = fixture('genl-ctrl-list-s64.txt');
  const read = async (t: string) => {
    const out: DecodedMessage[] = [];
    await decodeStrace(t, undefined, (m) => out.push(m));
    return out;
  };
  const whole = await read(text);
  const cut = await read(withoutDumps(text));
  assert.equal(cut.length, whole.length);
  const flat = (attrs: DecodedMessage['attrs'], out = new Map<number, NonNullable<DecodedMessage['attrs']>[number]>()) => {
    for (const a of attrs ?? []) {
      out.set(a.offset, a);
      flat(a.attrs, out);
    }
    return out;
  };
  let shown = 0;
  let unknown = 0;
  for (let i = 0; i < whole.length; i++) {
    const truth = flat(whole[i].attrs);
    for (const [offset, a] of flat(cut[i].attrs)) {
      const real = truth.get(offset);
      assert.equal(a.name, real?.name, `message ${i}: attribute at ${offset}`);
      if ('value' in a) {
        assert.deepEqual(a.value, real!.value, `message ${i}: ${a.name}`);
        shown++;
      } else if (!a.attrs) {
        assert.ok(a.diagnostics?.some((d) => /strace did not print bytes/.test(d.message)), `message ${i}: ${a.name} unflagged`);
        unknown++;
      }
    }
    if (truth.size > flat(cut[i].attrs).size) assert.ok(cut[i].diagnostics.some((d) => /strace cut these bytes short at 64/.test(d.message)), `message ${i}: what is left out is flagged`);
  }
  assert.ok(shown > 0 && cut.some((m, i) => flat(m.attrs).size < flat(whole[i].attrs).size), `${shown} values shown, some left out`);
  assert.ok(unknown > 0, "an attribute cut in its value is shown without one");
});

test('text without netlink messages is not strace netlink', () => {
  assert.equal(hasStraceNetlink('connect(3, {sa_family=AF_INET6, sin6_port=htons(53), inet_pton(AF_INET6, "::1", &sin6_addr)}, 28) = 0'), false);
  assert.equal(hasStraceNetlink("{'ACTION': 'change', 'DEVPATH': '/devices/x'}"), false);
});

test('the value syntax: strings with escapes and cuts, flags, shifts, calls, hardware addresses, indexed arrays', () => {
  assert.deepEqual(parseValue('"a\\x01\\377\\n"...'), { kind: 'string', bytes: Uint8Array.from([97, 1, 255, 10]), cut: true });
  const flags = parseValue('IFF_UP|IFF_LOOPBACK|0x8');
  assert.equal(flags.kind, 'expr');
  const shift = parseValue('1<<TCP_LISTEN|0x1');
  assert.ok(shift.kind === 'expr' && shift.terms[0].shift?.name === 'TCP_LISTEN');
  const call = parseValue('inet_pton(AF_INET6, "::1", &sin6_addr)');
  assert.ok(call.kind === 'call' && call.args.length === 3);
  const mac = parseValue('00:11:22:aa:bb:cc');
  assert.deepEqual(mac, { kind: 'hwaddr', bytes: Uint8Array.from([0, 0x11, 0x22, 0xaa, 0xbb, 0xcc]) });
  const arr = parseValue('[[DEVCONF_FORWARDING]=0, [58 /* DEVCONF_??? */]=7, ...]');
  assert.ok(arr.kind === 'array' && arr.cut && arr.items.length === 2 && arr.items[1].kind === 'indexed');
  assert.deepEqual(parseValue('-ENODEV'), { kind: 'expr', terms: [{ name: 'ENODEV', negate: true }] });
  assert.equal(parseValue('0x43 /* IFLA_??? */').kind, 'number');
});
