// stdout as a pipe: a reader that goes away (`nlctl … | head -1`) ends every command quietly,
// exit 0 (EXIT.OK: what listen and dump already did), with no stack trace and no "Error:" text;
// and a pipe gets every byte a file gets, from a slow reader too, without the writer spinning
// while a non-blocking pipe is full.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { PcapWriter } from '../../src/capture/pcap.js';
import { EXIT } from '../../src/errors.js';
import { NLCTL, fixturePath, requireTool } from '../helpers.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-pipe-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `messages` RTM_NEWLINK messages of lo (1468 bytes each), one per record. */
function capture(dir: string, messages: number): string {
  const payload = readFileSync(fixturePath('hex/newlink-lo.bin'));
  const w = new PcapWriter({ resolution: 'ns' });
  const parts: Uint8Array[] = [w.header()];
  for (let i = 0; i < messages; i++) parts.push(w.record({ protocol: 0, payload, tsSec: 1_700_000_000 + i, tsNsec: 0, direction: 'in' }));
  const file = `${dir}/links-${messages}.pcap`;
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

/** Commands that write to stdout, offline (dump and sockets ask the kernel, as any user may). */
function commands(big: string): string[][] {
  return [
    ['--help'], ['dump', '--help'], ['help', 'decode'], ['-f', 'json', '--version'],
    ['spec'], ['spec', 'ethtool'], ['spec', 'ethtool', '--op', 'linkinfo-get'], ['-j', 'spec', 'ethtool'],
    ['completion', 'bash'], ['completion', 'zsh'], ['completion', 'fish'], ['__complete', 'protocols'],
    ['encode', '-t', 'RTM_GETLINK', '--seq', '1'], ['encode', '-t', 'RTM_GETLINK', '--seq', '1', '--out', 'raw'], ['encode', '-t', 'RTM_GETLINK', '--seq', '1', '--out', 'c'],
    ['decode', fixturePath('hex/newlink-lo.xxd.txt')],
    ['decode', big], ['-f', 'ndjson', 'decode', big], ['-j', 'decode', big], ['-f', 'table', 'decode', big], ['-f', 'hex', 'decode', big],
    ['-f', 'ndjson', 'decode', '--jobs', '2', big],
    ['dump', 'link'], ['-j', 'dump', 'link'], ['-f', 'table', 'dump', 'link'], ['dump', 'link', '--messages'],
    ['sockets'], ['-j', 'sockets'],
  ];
}

/** A pipe whose reader is already gone: every write to it fails with EPIPE (a FIFO opened both ways, then its read end closed). */
function pipeWithoutReader(dir: string, name: string): number {
  const fifo = `${dir}/${name}`;
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  closeSync(reader);
  return writer;
}

function assertQuiet(what: string, code: number | null, stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `${what}: a stack trace on stderr:\n${stderr}`);
  assert.doesNotMatch(stderr, /Error:|EPIPE|Unhandled/, `${what}: an error on stderr:\n${stderr}`);
  assert.equal(code, EXIT.OK, `${what}: exit ${code}, stderr:\n${stderr}`);
}

test('stdout a pipe whose reader is gone: every command ends quietly with exit 0', (t) => {
  const dir = tempDir(t);
  const big = capture(dir, 1000);
  for (const [i, args] of commands(big).entries()) {
    const fd = pipeWithoutReader(dir, `fifo${i}`);
    try {
      const r = spawnSync(process.execPath, [NLCTL, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1' } });
      assertQuiet(`nlctl ${args.join(' ')}`, r.status, r.stderr);
    } finally {
      closeSync(fd);
    }
  }
});

// head, on a pipe made as small as Linux allows (one page, F_SETPIPE_SZ): whatever nlctl writes
// past the first 4 KiB is still to come when the reader closes after the first line.
const HEAD = `
import fcntl, json, os, subprocess, sys
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
with open(os.environ['NLCTL_ERR'], 'wb') as err:
    p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=w, stderr=err)
os.close(w)
chunks = []
while True:
    chunk = os.read(r, 4096)
    if not chunk:
        break
    end = chunk.find(b'\\n')
    chunks.append(chunk if end < 0 else chunk[:end + 1])
    if end >= 0:
        break
os.close(r)
print(json.dumps({'code': p.wait(), 'first': b''.join(chunks).hex()}))
`;

test('| head -n 1: the first line arrives, and every command ends quietly with exit 0', (t) => {
  if (!requireTool(t, 'python3')) return;
  const dir = tempDir(t);
  const big = capture(dir, 1000);
  let cut = 0;
  for (const args of commands(big)) {
    const what = `nlctl ${args.join(' ')}`;
    // The first line as a file gets it (the whole output when it has no newline: --out raw), to
    // compare with what head read; the kernel's answers (seq, pid, counters) differ run to run.
    const live = args.includes('dump') || args.includes('sockets');
    const file = spawnSync(process.execPath, [NLCTL, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30, timeout: 30000, env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(file.status, 0, `${what}: ${file.stderr}`);
    const nl = file.stdout.indexOf(10);
    const r = spawnSync('python3', ['-c', HEAD, process.execPath, NLCTL, ...args], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30000, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1', NLCTL_ERR: `${dir}/err` },
    });
    assert.equal(r.status, 0, `${what}: the reader ended with ${r.status ?? r.signal}`);
    const { code, first } = JSON.parse(r.stdout) as { code: number; first: string };
    const line = Buffer.from(first, 'hex');
    if (!live) assert.deepEqual(line, nl < 0 ? file.stdout : file.stdout.subarray(0, nl + 1), `${what}: the first line`);
    else assert.match(line.toString(), /^.+\n$/, `${what}: the first line`);
    assertQuiet(what, code, readFileSync(`${dir}/err`, 'utf8'));
    // More than the pipe and the line: nlctl was still writing when the reader closed.
    if (nl >= 0 && file.stdout.length - nl > 2 * 4096) cut++;
  }
  assert.ok(cut >= 7, `${cut} commands wrote past the reader's close`);
});

test('stderr a pipe whose reader is gone: an error still ends with its own exit code, no crash', (t) => {
  const dir = tempDir(t);
  const err = pipeWithoutReader(dir, 'err');
  const out = pipeWithoutReader(dir, 'out');
  try {
    for (const [args, code] of [[['bogus'], EXIT.USAGE], [['decode', `${dir}/missing`], EXIT.USAGE], [['decode', 'zz'], EXIT.DECODE]] as const) {
      const r = spawnSync(process.execPath, [NLCTL, ...args], { stdio: ['ignore', out, err], timeout: 30000 });
      assert.equal(r.status, code, `nlctl ${args.join(' ')}`);
    }
  } finally {
    closeSync(err);
    closeSync(out);
  }
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('a slow reader on a pipe gets every byte a file gets', (t) => {
  const dir = tempDir(t);
  const big = capture(dir, 3000);
  for (const args of [['-f', 'ndjson', 'decode', big], ['decode', big], ['-f', 'table', 'decode', big]]) {
    execFileSync(process.execPath, [NLCTL, ...args], { stdio: ['ignore', openSync(`${dir}/file`, 'w'), 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
    const piped = execFileSync('sh', ['-c', '"$0" "$@" | { sleep 1; cat; }', process.execPath, NLCTL, ...args], { maxBuffer: 1 << 30, timeout: 60000, env: { ...process.env, NO_COLOR: '1' } });
    const file = readFileSync(`${dir}/file`);
    assert.ok(file.length > 256 * 1024, `${file.length} bytes`);
    assert.equal(piped.length, file.length, `nlctl ${args.join(' ')}: bytes`);
    assert.equal(sha(piped), sha(file), `nlctl ${args.join(' ')}: the same bytes`);
  }
});

// A pipe made non-blocking before nlctl starts (Node's own spawn would make a child's stdio
// blocking again), read only after a sleep: nlctl meets EAGAIN and must wait for the reader,
// neither spinning nor losing bytes. Its CPU time comes from wait4.
const SLOW_NONBLOCKING = `
import json, os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=w)
os.close(w)
time.sleep(float(sys.argv[1]))
chunks = []
while True:
    chunk = os.read(r, 1 << 16)
    if not chunk:
        break
    chunks.append(chunk)
_, status, usage = os.wait4(p.pid, 0)
sys.stdout.buffer.write(b''.join(chunks))
sys.stderr.write(json.dumps({'code': os.waitstatus_to_exitcode(status), 'cpu': usage.ru_utime + usage.ru_stime}) + '\\n')
`;

test('a non-blocking pipe that is full: nlctl waits without spinning and writes every byte', (t) => {
  if (!requireTool(t, 'python3')) return;
  const dir = tempDir(t);
  const small = capture(dir, 600);
  const SLEEP_S = 2;
  // Bytes (decode's fast path) and text (the pretty writer).
  for (const args of [['-f', 'ndjson', 'decode', small], ['decode', small]]) {
    const what = `nlctl ${args.join(' ')}`;
    execFileSync(process.execPath, [NLCTL, ...args], { stdio: ['ignore', openSync(`${dir}/file`, 'w'), 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
    const file = readFileSync(`${dir}/file`);
    assert.ok(file.length > 512 * 1024, `${what}: ${file.length} bytes, more than a pipe holds`);
    const r = spawnSync('python3', ['-c', SLOW_NONBLOCKING, String(SLEEP_S), process.execPath, NLCTL, ...args], {
      maxBuffer: 1 << 30, timeout: 60000, env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    const report = JSON.parse(r.stderr.toString().trim().split('\n').pop()!) as { code: number; cpu: number };
    assert.equal(report.code, 0, `${what}: ${r.stderr}`);
    assert.equal(r.stdout.length, file.length, `${what}: bytes`);
    assert.equal(sha(r.stdout), sha(file), `${what}: the same bytes as a file`);
    // Decoding 600 messages costs ~0.3 s; a writer retrying EAGAIN in a loop would burn the sleep.
    process.stderr.write(`# ${what}: CPU ${report.cpu.toFixed(2)} s while its reader slept ${SLEEP_S} s\n`);
    assert.ok(report.cpu < SLEEP_S / 2, `${what}: ${report.cpu} s of CPU`);
  }
});
