// Policy typing through main() over FakeTransport playing nlctrl and a family: the policy is
// asked for once, only when an attribute no table knows arrives, on a socket of its own; the
// output waits for it and keeps its order. No socket is opened, so these pass unprivileged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { concat, encodeAttrs, encodeMessage, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR, type AttrSpec, type RawMessage } from '../../src/codec/index.js';
import { main } from '../../src/main.js';
import { FakeTransport, type FakeHandler } from '../../src/transport/index.js';
import { ndjson } from '../helpers.js';
import { uapiConstants } from '../uapi-constants.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function nlctl(argv: string[], handler: FakeHandler) {
  const stdout = new Sink(), stderr = new Sink();
  const fakes: FakeTransport[] = [];
  const code = await main(argv, {
    stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1' }, signals: new EventEmitter(),
    transport: (protocol, opts) => {
      const f = new FakeTransport(handler, protocol, 4242, opts);
      fakes.push(f);
      return f;
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text, fakes };
}

// nlctrl's numbers from <linux/genetlink.h> and <linux/netlink.h>, by gcc.
const {
  GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_POLICY,
  CTRL_ATTR_OP_POLICY, CTRL_ATTR_POLICY_DO, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U16, NL_ATTR_TYPE_U32,
} = uapiConstants(['linux/netlink.h', 'linux/genetlink.h'], [
  'GENL_ID_CTRL', 'CTRL_CMD_NEWFAMILY', 'CTRL_CMD_GETFAMILY', 'CTRL_CMD_GETPOLICY', 'CTRL_ATTR_FAMILY_ID', 'CTRL_ATTR_FAMILY_NAME', 'CTRL_ATTR_POLICY',
  'CTRL_ATTR_OP_POLICY', 'CTRL_ATTR_POLICY_DO', 'NL_POLICY_TYPE_ATTR_TYPE', 'NL_ATTR_TYPE_U16', 'NL_ATTR_TYPE_U32',
] as const);
const FAMILY_ID = 0x22;

const u16 = (n: number) => new Uint8Array(new Uint16Array([n]).buffer);
const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const nest = (type: number, children: AttrSpec[]): AttrSpec => ({ type, value: encodeAttrs(children), nested: true });
const genl = (type: number, cmd: number, flags: number, seq: number, attrs: AttrSpec[]) =>
  encodeMessage({ type, flags, seq, pid: 0 }, concat([new Uint8Array([cmd, 1, 0, 0]), encodeAttrs(attrs)]));
const ack = (m: RawMessage) => encodeMessage({ type: NLMSG_ERROR, flags: 0x100, seq: m.header.seq, pid: 0 }, concat([new Uint8Array(4), m.bytes.subarray(0, 16)]));
const done = (seq: number) => encodeMessage({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq, pid: 0 }, new Uint8Array(4));

/** A kernel with one family `name` whose every reply is `reply`; GETPOLICY answers for op 1: attr 1 u16, attr 2 u32. */
function kernel(name: string, reply: AttrSpec[]): FakeHandler {
  return (m) => {
    const cmd = m.payload[0];
    if (m.header.type === GENL_ID_CTRL && cmd === CTRL_CMD_GETFAMILY) {
      return [genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, m.header.seq, [{ type: CTRL_ATTR_FAMILY_ID, value: u16(FAMILY_ID) }, { type: CTRL_ATTR_FAMILY_NAME, value: Buffer.from(name + '\0') }]), ack(m)];
    }
    if (m.header.type === GENL_ID_CTRL && cmd === CTRL_CMD_GETPOLICY) {
      const attr = (n: number, t: number) => nest(CTRL_ATTR_POLICY, [nest(0, [nest(n, [{ type: NL_POLICY_TYPE_ATTR_TYPE, value: u32(t) }])])]);
      const base = [{ type: CTRL_ATTR_FAMILY_ID, value: u16(FAMILY_ID) }];
      return [
        genl(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, NLM_F_MULTI, m.header.seq, [...base, nest(CTRL_ATTR_OP_POLICY, [nest(1, [{ type: CTRL_ATTR_POLICY_DO, value: u32(0) }])])]),
        genl(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, NLM_F_MULTI, m.header.seq, [...base, attr(1, NL_ATTR_TYPE_U16)]),
        genl(GENL_ID_CTRL, CTRL_CMD_GETPOLICY, NLM_F_MULTI, m.header.seq, [...base, attr(2, NL_ATTR_TYPE_U32)]),
        done(m.header.seq),
      ];
    }
    if (m.header.type === FAMILY_ID) return [genl(FAMILY_ID, 1, NLM_F_MULTI, m.header.seq, reply), genl(FAMILY_ID, 1, NLM_F_MULTI, m.header.seq, reply), done(m.header.seq)];
    return [];
  };
}

const policyRequests = (fakes: FakeTransport[]) => fakes.flatMap((f) => f.sent).filter((s) => s.bytes[4] === GENL_ID_CTRL && s.bytes[16] === CTRL_CMD_GETPOLICY);

test('a family no spec describes: its attributes typed by the policy, asked once, in order', async () => {
  const r = await nlctl(['-f', 'ndjson', 'send', '--family', 'nospec', '--cmd', '1', '--flags', 'request,dump'], kernel('nospec', [{ type: 1, value: u16(7) }, { type: 2, value: u32(1234) }]));
  assert.equal(r.code, 0, r.stderr);
  const msgs = ndjson(r.stdout);
  assert.deepEqual(msgs.map((m) => m.type_name ?? m.type), [FAMILY_ID, FAMILY_ID, 'NLMSG_DONE']);
  for (const m of msgs.slice(0, 2)) assert.deepEqual(m.attrs.map((a: any) => [a.type, a.value, a.typed_by]), [[1, 7, 'policy'], [2, 1234, 'policy']]);
  assert.equal(policyRequests(r.fakes).length, 1, 'one GETPOLICY for the run');
  // On a socket of its own, closed after.
  const own = r.fakes.find((f) => f.sent.some((s) => s.bytes[16] === CTRL_CMD_GETPOLICY))!;
  assert.ok(!own.sent.some((s) => s.bytes[4] === FAMILY_ID));
  assert.equal(own.closed, true);
});

test('a spec family whose replies the tables know: no policy round trip', async () => {
  // netdev dev-get (cmd 1) with only NETDEV_A_DEV_IFINDEX (1).
  const r = await nlctl(['-f', 'ndjson', 'send', '--family', 'netdev', '--cmd', 'dev-get', '--flags', 'request,dump'], kernel('netdev', [{ type: 1, value: u32(3) }]));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ndjson(r.stdout)[0].attrs[0].name, 'NETDEV_A_DEV_IFINDEX');
  assert.equal(policyRequests(r.fakes).length, 0);
});

test('a nlctrl that gives no policy: the attributes stay raw, a note says why, exit 0', async () => {
  const handler = kernel('nospec', [{ type: 1, value: u16(7) }]);
  const r = await nlctl(['-f', 'ndjson', 'send', '--family', 'nospec', '--cmd', '1', '--flags', 'request,dump'], (m, to, f) =>
    m.header.type === GENL_ID_CTRL && m.payload[0] === CTRL_CMD_GETPOLICY ? [encodeMessage({ type: NLMSG_ERROR, flags: 0, seq: m.header.seq, pid: 0 }, concat([u32(-95 >>> 0), m.bytes.subarray(0, 16)]))] : handler(m, to, f));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ndjson(r.stdout)[0].attrs[0].hex, '0700');
  assert.match(r.stderr, /^nlctl: policy of nospec not available \(.*\): its unknown attributes stay raw$/m);
});
