// The streaming decode prints, for every fixture and every format, exactly what decoding the
// whole input at once prints: the whole file parsed, each datagram decoded with decodeDatagram,
// the messages handed to the same writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { isCapture, readCapture, stripCookedHeader } from '../../src/capture/pcap.js';
import { bytesOf } from '../../src/commands/datagram-decoder.js';
import { isoTime } from '../../src/commands/stream.js';
import { parseHexDump } from '../../src/input/hex/index.js';
import { looksLikeStrace } from '../../src/input/strace-line.js';
import { makeWriter, Output } from '../../src/output.js';
import { decodeDatagram, newContext, schemaFor, type DecodedMessage } from '../../src/schema/index.js';
import type { FormatName } from '../../src/format/index.js';
import { fixturePath, runNlctl } from '../helpers.js';

class Text extends Writable {
  text = '';
  override _write(c: Buffer, _e: string, done: () => void): void {
    this.text += c.toString();
    done();
  }
}

async function wholeDecode(bytes: Uint8Array, format: FormatName): Promise<string> {
  const sink = new Text();
  const out = new Output(sink);
  const writer = await makeWriter(out, { format }, { NO_COLOR: '1' }, format);
  const ctx = newContext();
  const emit = (data: Uint8Array, protocol: number, meta?: DecodedMessage['meta']) => {
    for (const m of decodeDatagram(data, schemaFor(protocol), ctx)) {
      if (meta) m.meta = meta;
      writer.write({ message: m, bytes: bytesOf(m, data) });
    }
  };
  if (isCapture(bytes)) {
    for (const p of readCapture(bytes).packets) {
      if (!p.netlink || !p.netlink.payload.some((b) => b !== 0)) continue;
      const direction = p.netlink.direction === 'unknown' ? undefined : p.netlink.direction;
      emit(p.netlink.payload, p.netlink.protocol, { time: isoTime(BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec)), ...(direction ? { direction } : {}) });
    }
  } else {
    for (const c of parseHexDump(Buffer.from(bytes).toString('utf8'))) {
      const cooked = stripCookedHeader(c.bytes);
      if (cooked) emit(cooked.payload, cooked.protocol, cooked.direction !== 'unknown' ? { direction: cooked.direction } : undefined);
      else emit(c.bytes, 0);
    }
  }
  writer.end();
  await out.flush();
  await new Promise((r) => setImmediate(r));
  return sink.text;
}

const FILES = [
  // strace's own text goes through the strace reader, call by call (test/unit/strace-text.test.ts).
  ...readdirSync(fixturePath('hex')).filter((n) => n.endsWith('.txt') && !looksLikeStrace(readFileSync(fixturePath(`hex/${n}`), 'latin1'))).map((n) => `hex/${n}`),
  ...readdirSync(fixturePath('pcap')).filter((n) => /\.pcap(ng)?$/.test(n)).map((n) => `pcap/${n}`),
].sort();

for (const format of ['ndjson', 'json', 'pretty'] as const) {
  test(`decode -f ${format} prints what a whole-input decode prints, for every fixture`, async () => {
    let compared = 0;
    for (const f of FILES) {
      const bytes = new Uint8Array(readFileSync(fixturePath(f)));
      const r = runNlctl(['-f', format, 'decode', fixturePath(f)]);
      if (r.code !== 0) continue; // inputs nlctl refuses have their own tests
      assert.equal(r.stdout, await wholeDecode(bytes, format), f);
      compared++;
    }
    assert.ok(compared >= FILES.length - 3, `compared ${compared} of ${FILES.length}`);
  });
}
