// listen's ndjson and piped json by the fast JSON path (src/commands/listen-fast.ts) against the
// general decoder and writers (NLCTL_GENERAL_DECODER=1), byte for byte, through main() over
// FakeTransport: every fixture datagram and seeded mutations of them under each protocol, from
// seeded senders, groups, namespaces and times, with truncations and overruns among them; the
// pcap files of the two runs too. Only the overrun events' times (the clock at the event) differ.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { FastLiveWriter } from '../../src/commands/listen-fast.js';
import { listenWriter } from '../../src/commands/listen-output.js';
import type { CommandContext } from '../../src/context.js';
import { NdjsonWriter, JsonWriter } from '../../src/format/json.js';
import { main } from '../../src/main.js';
import { Output } from '../../src/output.js';
import { FakeTransport, type Datagram } from '../../src/transport/index.js';
import { DATAGRAMS, mutate } from '../fuzz-inputs.js';
import { rng } from '../helpers.js';

class Text extends Writable {
  text = '';
  override _write(c: Buffer, _e: string, done: () => void): void {
    this.text += c.toString();
    done();
  }
}

type More = Partial<Omit<Datagram, 'data'>>;
type Arrival = { data: Uint8Array; fromPid: number; group?: number; more: More } | { overrun: number };

/** Protocols the fast path serves in listen (generic netlink waits for policies: the general path). */
const PROTOCOLS = [0, 2, 4, 9, 12, 15, 25];

/** `n` seeded arrivals: fixture datagrams, whole or damaged, now and then an overrun. */
function arrivals(r: () => number, n: number): Arrival[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Arrival[] = [];
  let timeNs = 0n;
  for (let i = 0; i < n; i++) {
    if (r() < 0.02) {
      out.push({ overrun: 1 + Math.floor(r() * 500) });
      continue;
    }
    let data: Uint8Array = pick(DATAGRAMS);
    if (r() < 0.4) data = mutate(data, r);
    // Datagrams of one batch share their read time; a new one now and then, any second below 2^32.
    if (i === 0 || r() < 0.3) timeNs = BigInt(Math.floor(r() * 2 ** 32)) * 1_000_000_000n + BigInt(Math.floor(r() * 1e9));
    const more: More = { timeNs, timeSource: r() < 0.5 ? 'read' : 'kernel' };
    if (r() < 0.2) more.nsid = pick([-1, 0, 1, 7, 0x7fffffff, -0x80000000]);
    if (r() < 0.05) {
      more.truncated = true;
      more.length = data.length + 1 + Math.floor(r() * 70000);
    }
    out.push({ data, fromPid: pick([0, 1, 4242, 0x7fffffff, 0xffffffff, Math.floor(r() * 2 ** 32)]), group: pick([undefined, 0, 1, 5, 32, 0xffffffff]), more });
  }
  return out;
}

/** `nlctl ARGV` over a fake kernel that delivers `arrive` once it listens, then SIGINT when all is read. */
async function listen(argv: string[], arrive: Arrival[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Text(), stderr = new Text();
  const signals = new EventEmitter();
  let fake: FakeTransport | undefined;
  const run = main(argv, {
    stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1', ...env }, signals,
    transport: (protocol, opts) => (fake = new FakeTransport(() => [], protocol, 4242, opts)),
  });
  for (let i = 0; i < 500 && !/listening on/.test(stderr.text); i++) await new Promise((res) => setTimeout(res, 5));
  assert.ok(fake && /listening on/.test(stderr.text), `not listening: ${stderr.text}`);
  for (const a of arrive) {
    if ('overrun' in a) fake.overrun(a.overrun);
    else fake.deliver(a.data, a.fromPid, a.group, a.more);
  }
  for (let i = 0; i < 1000 && fake.queued > 0; i++) await new Promise((res) => setTimeout(res, 2));
  assert.equal(fake.queued, 0, 'the listener read everything');
  signals.emit('SIGINT');
  return { code: await run, stdout: stdout.text, stderr: stderr.text };
}

/** An overrun event's time is the clock's at the event: the one thing allowed to differ. */
const eventTimes = (text: string) => text.replace(/("event":"overrun","time":)"[^"]*"/g, '$1"T"');

test('listen: ndjson and piped json by the fast path are the general writers\' text, byte for byte, and the pcap the same', async () => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-listen-fast-`);
  try {
    mkdirSync(`${dir}/fast`);
    mkdirSync(`${dir}/general`);
    const r = rng(0x6c697374);
    let lines = 0;
    for (const [i, protocol] of PROTOCOLS.entries()) {
      for (const format of ['ndjson', 'json']) {
        const arrive = arrivals(r, 400);
        const argv = (run: string) => ['-f', format, 'listen', '--proto', String(protocol), '--pid', '77', '--pcap', `${dir}/${run}/${i}.pcap`];
        const fast = await listen(argv('fast'), arrive, {});
        const general = await listen(argv('general'), arrive, { NLCTL_GENERAL_DECODER: '1' });
        assert.equal(fast.code, general.code);
        assert.equal(fast.stderr.replace(`${dir}/fast/`, ''), general.stderr.replace(`${dir}/general/`, ''), `protocol ${protocol} ${format}: stderr`);
        const a = eventTimes(fast.stdout), b = eventTimes(general.stdout);
        if (a !== b) {
          let at = 0;
          while (a[at] === b[at]) at++;
          assert.fail(`protocol ${protocol} ${format}, at ${at}:\n  fast:    …${a.slice(Math.max(0, at - 150), at + 80)}\n  general: …${b.slice(Math.max(0, at - 150), at + 80)}`);
        }
        assert.deepEqual(readFileSync(`${dir}/fast/${i}.pcap`), readFileSync(`${dir}/general/${i}.pcap`), `protocol ${protocol} ${format}: pcap`);
        lines += fast.stdout.split('\n').length;
      }
    }
    assert.ok(lines > 2000, `${lines} lines printed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listen: ndjson and piped json take the fast path; NLCTL_GENERAL_DECODER=1, a terminal and other formats do not', async () => {
  const writer = async (format: 'ndjson' | 'json' | 'pretty', env: NodeJS.ProcessEnv = {}, tty = false) => {
    const stdout = Object.assign(new Text(), { isTTY: tty });
    const ctx = { io: { stdout, stderr: new Text(), stdin: Readable.from([]), env }, global: { format }, transport: () => new FakeTransport() } as unknown as CommandContext;
    return listenWriter(new Output(stdout), ctx, format, 2, {});
  };
  assert.ok(await writer('ndjson') instanceof FastLiveWriter);
  assert.ok(await writer('json') instanceof FastLiveWriter);
  assert.ok(await writer('ndjson', { NLCTL_GENERAL_DECODER: '1' }) instanceof NdjsonWriter);
  assert.ok(await writer('json', { NLCTL_GENERAL_DECODER: '1' }) instanceof JsonWriter);
  assert.ok(await writer('json', {}, true) instanceof JsonWriter);
  assert.ok(!(await writer('pretty') instanceof FastLiveWriter));
});
