#!/usr/bin/env node
// make fuzz: a long seeded fuzz run of decode's input side and of the dissectors.
// CASES cases (default 1,000,000; FROM and CASES replay a range) from SEED, at most MINUTES minutes (default 20). Each case runs
// the capture reader (whole and in pieces), the hex parser, and every datagram it yields through
// decodeDatagram, the streaming DatagramDecoder and the fast JSON path (compared byte for byte); every 25th case also runs the whole
// `nlctl decode` in process and its exit code is counted. The cases run in a child process that
// reports progress; one that makes no progress for HANG_SECONDS is a hang: it is killed, the case
// is reported, and the run goes on after it. Prints crashes (with how to replay them), hangs and
// exit codes; exits 1 when there was any crash or hang.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CASES = Number(process.env.CASES ?? 1_000_000);
const FROM = Number(process.env.FROM ?? 0);
const SEED = Number(process.env.SEED ?? 0x6e6c6374);
const MINUTES = Number(process.env.MINUTES ?? 20);
const HANG_SECONDS = Number(process.env.HANG_SECONDS ?? 10);
const FULL_EVERY = 25;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') await child(Number(process.argv[3]), Number(process.argv[4]));
else await parent();

async function parent() {
  const started = Date.now();
  const deadline = started + MINUTES * 60_000;
  const crashes = [];
  const hangs = [];
  const exits = new Map();
  const kinds = new Map();
  let done = 0; // cases the children reported finished
  let next = FROM;
  while (next < CASES && Date.now() < deadline) {
    const from = next;
    await new Promise((resolve) => {
      const c = fork(self, ['--child', String(from), String(CASES)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let last = Date.now();
      let current = from;
      const watch = setInterval(() => {
        if (Date.now() - last > HANG_SECONDS * 1000) {
          hangs.push(current);
          c.kill('SIGKILL');
        } else if (Date.now() > deadline) c.kill('SIGTERM');
      }, 500);
      c.on('message', (m) => {
        last = Date.now();
        if (m.at !== undefined) { current = m.at; next = m.at + 1; }
        if (m.progress) { done = m.progress.done; for (const [k, v] of m.progress.exits) exits.set(k, v + (exits.get(k) ?? 0)); for (const [k, v] of m.progress.kinds) kinds.set(k, v + (kinds.get(k) ?? 0)); }
        if (m.crash) crashes.push(m.crash);
      });
      c.on('exit', () => {
        clearInterval(watch);
        if (hangs.at(-1) === current) next = current + 1;
        resolve();
      });
    });
  }
  const secs = (Date.now() - started) / 1000;
  console.log(`\nfuzz: ${(next - FROM).toLocaleString('en')} cases in ${secs.toFixed(0)} s (seed ${SEED}; ${[...kinds].map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')})`);
  console.log(`  cases finished: ${done.toLocaleString('en')}; crashes: ${crashes.length}`);
  for (const c of crashes.slice(0, 20)) console.log(`    case ${c.index} (${c.kind}, ${c.stage}): ${c.message}   replay: SEED=${SEED} FROM=${c.index} CASES=${c.index + 1} node scripts/fuzz.mjs`);
  console.log(`  hangs (no progress for ${HANG_SECONDS} s): ${hangs.length}${hangs.length ? ` (cases ${hangs.join(', ')})` : ''}`);
  console.log(`  exit codes of the whole decode (every ${FULL_EVERY}th case): ${[...exits].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v.toLocaleString('en')}`).join(', ')}`);
  if (next < CASES) console.log(`  stopped by the ${MINUTES}-minute bound before ${CASES.toLocaleString('en')} cases`);
  process.exit(crashes.length || hangs.length ? 1 : 0);
}

async function child(from, to) {
  const { makeCase, DATAGRAMS } = await import('../build/test/fuzz-inputs.js');
  const { rng } = await import('../build/test/helpers.js');
  const { readCapture, CaptureFormatError, CaptureStream } = await import('../build/src/capture/pcap.js');
  const { parseHexDump, HexParseError } = await import('../build/src/input/hex/index.js');
  const { decodeDatagram, newContext, schemaFor } = await import('../build/src/schema/index.js');
  const { DatagramDecoder } = await import('../build/src/commands/datagram-decoder.js');
  const { decodeInProcess } = await import('../build/test/fuzz-inputs.js');
  const { FastJson } = await import('../build/src/format/fast/message.js');
  const { ByteWriter } = await import('../build/src/format/json-bytes.js');
  const { unquoteBig } = await import('../build/src/format/json.js');
  const PROTOCOLS = [0, 4, 9, 12, 15, 16, 25];
  const exits = new Map();
  const kinds = new Map();
  let done = 0; // cases the children reported finished
  const send = (m) => process.send(m);

  const crash = (index, kind, stage, e) => send({ crash: { index, kind, stage, message: String(e?.stack ?? e).split('\n').slice(0, 3).join(' | ').slice(0, 400) } });

  /** The fast JSON path: the ndjson text of the general decoder and JSON.stringify, byte for byte. */
  function fastJson(bytes, schema) {
    const w = new ByteWriter(256);
    new FastJson(w, 'ndjson', () => 0).datagram(bytes, schema, newContext(), { direction: 'in' });
    const want = decodeDatagram(bytes, schema, newContext()).map((m) => unquoteBig(JSON.stringify({ ...m, meta: { direction: 'in' } })) + '\n').join('');
    if (w.view().toString('utf8') !== want) throw new Error('fast JSON path differs from the general decoder');
  }

  /** decodeDatagram, the streaming decoder and the fast JSON path must agree and never throw. */
  function datagram(bytes, protocol, r) {
    const schema = schemaFor(protocol);
    fastJson(bytes, schema);
    const whole = JSON.stringify(decodeDatagram(bytes, schema, newContext()));
    const got = [];
    const dec = new DatagramDecoder(newContext(), (m) => got.push(m), 32);
    dec.begin(schema);
    for (let i = 0; i < bytes.length;) { const n = 1 + Math.floor(r() * 64); dec.push(bytes.subarray(i, i + n)); i += n; }
    dec.end();
    if (JSON.stringify(got) !== whole) throw new Error('streaming decode differs from decodeDatagram');
  }

  for (let i = from; i < to; i++) {
    send({ at: i });
    const c = makeCase(SEED, i);
    const r = rng((SEED + i) >>> 0);
    kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    let payloads = [];
    let stage = 'read';
    try {
      if (c.kind === 'hex') {
        try {
          payloads = parseHexDump(Buffer.from(c.bytes).toString('utf8')).map((h) => h.bytes);
        } catch (e) {
          if (!(e instanceof HexParseError)) throw e;
        }
      } else {
        let cap;
        try { cap = readCapture(c.bytes); } catch (e) { if (!(e instanceof CaptureFormatError)) throw e; }
        if (cap) {
          payloads = cap.packets.filter((p) => p.netlink).map((p) => p.netlink.payload);
          stage = 'stream';
          const got = [];
          const s = new CaptureStream({ packet: (p) => got.push(p.data.length), diagnostic: () => {} });
          for (let o = 0; o < c.bytes.length && !s.done;) { const n = 1 + Math.floor(r() * 512); s.push(c.bytes.subarray(o, o + n)); o += n; }
          s.end();
          if (got.join() !== cap.packets.map((p) => p.data.length).join()) throw new Error('capture read in pieces differs from readCapture');
        }
      }
      stage = 'decode';
      for (const p of payloads.slice(0, 8)) datagram(p, PROTOCOLS[Math.floor(r() * PROTOCOLS.length)], r);
      // A mutated real datagram too, under a random protocol.
      const src = DATAGRAMS[Math.floor(r() * DATAGRAMS.length)];
      const m = Uint8Array.from(src);
      for (let k = 0, n = 1 + Math.floor(r() * 6); k < n && m.length; k++) m[Math.floor(r() * m.length)] ^= 1 + Math.floor(r() * 255);
      datagram(r() < 0.2 ? m.subarray(0, Math.floor(r() * m.length)) : m, PROTOCOLS[Math.floor(r() * PROTOCOLS.length)], r);
      if (i % FULL_EVERY === 0) {
        stage = 'nlctl decode';
        const res = await decodeInProcess(c.bytes);
        exits.set(res.code, (exits.get(res.code) ?? 0) + 1);
        if (res.code !== 0 && res.code !== 5) throw new Error(`exit ${res.code}: ${res.stderr.slice(0, 200)}`);
        if (/\n\s+at /.test(res.stderr)) throw new Error(`stack trace on stderr: ${res.stderr.slice(0, 200)}`);
      }
    } catch (e) {
      crash(i, c.kind, stage, e);
    }
    done++;
    if (done % 2000 === 0 || i === to - 1) { send({ progress: { done, exits: [...exits], kinds: [...kinds] } }); exits.clear(); kinds.clear(); }
  }
  send({ progress: { done, exits: [...exits], kinds: [...kinds] } });
  process.exit(0);
}
