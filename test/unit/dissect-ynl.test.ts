// Real traffic of the kernel's YNL CLI (netdev, ethtool, nlctrl; captured by
// test/fixtures/dissect/capture-ynl.mjs): family ids learned from its nlctrl lookups, every
// attribute named by its spec (C name and spec name), no diagnostics, YNL-shaped replies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedAttr } from '../../src/schema/index.js';
import { ynlMessage } from '../../src/schema/ynl-json.js';
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/codec/index.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { decodeFixture } from './dissect-util.js';

function unnamed(attrs: DecodedAttr[] | undefined, path: string): string[] {
  const out: string[] = [];
  for (const a of attrs ?? []) {
    const here = `${path}/${a.name ?? a.type}`;
    const indexChild = a.name !== undefined && /^\[\d+\]$/.test(a.name);
    if (a.type >= 0 && !indexChild && (!a.name || !a.spec_name)) out.push(here);
    out.push(...unnamed(a.attrs, here));
  }
  return out;
}

test('YNL CLI traffic: every attribute of netdev, ethtool, nlctrl, tcp_metrics named, C and spec names', () => {
  const all = decodeFixture('genl-ynl', 16);
  const data = all.filter((d) => d.message.type >= 0x10);
  assert.ok(data.length >= 20, `${data.length} data messages`);
  const families = new Set(data.map((d) => d.message.family));
  for (const f of ['nlctrl', 'netdev', 'ethtool', 'tcp_metrics']) assert.ok(families.has(f), `${f} messages`);
  const problems: string[] = [];
  for (const d of all) {
    problems.push(...d.message.diagnostics.map((x) => `${d.message.type_name}: ${x.message}`));
    if (d.message.type >= 0x10) {
      if (!d.message.type_name || !d.message.op) problems.push(`type ${d.message.type} cmd ${d.message.header?.raw?.cmd}: no operation`);
      problems.push(...unnamed(d.message.attrs, d.message.type_name ?? '?'));
    }
  }
  assert.deepEqual(problems, []);
  const features = data.find((d) => d.message.op === 'features-get' && d.dir === 'recv');
  assert.ok(features);
  const hw = features.message.attrs!.find((a) => a.spec_name === 'hw')!;
  assert.equal(hw.name, 'ETHTOOL_A_FEATURES_HW');
});

/** The fixture by YNL run: what YNL printed, and the datagrams it received. */
function runs(): { command: string; printed: unknown; recv: Uint8Array[] }[] {
  const text = readFileSync(new URL('../../../test/fixtures/dissect/genl-ynl.hex', import.meta.url), 'utf8');
  const out: { command: string; printed: unknown; recv: Uint8Array[] }[] = [];
  let dir = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('# command: ')) out.push({ command: line.slice(11), printed: undefined, recv: [] });
    else if (line.startsWith('# ynl-output: ')) out.at(-1)!.printed = JSON.parse(line.slice(14));
    else if (line.startsWith('# ')) dir = line.slice(2);
    else if (line.trim() && dir === 'recv') out.at(-1)!.recv.push(fromHex(line));
  }
  return out;
}

test('YNL CLI traffic: nlctl\'s -j shape of the replies is exactly what YNL printed', () => {
  const schema = schemaFor(16);
  const ctx = newContext();
  const all = runs();
  assert.equal(all.length, 8);
  for (const run of all) {
    // YNL first looks its family up through nlctrl; those replies are not what it prints.
    const family = /--spec (\S+)\.yaml/.exec(run.command)![1];
    const replies = run.recv.flatMap((b) => decodeDatagram(b, schema, ctx)).filter((m) => m.family === family).map((m) => ynlMessage(m)).filter((y) => y !== undefined);
    // YNL's start-up dump of every family comes before a do's own reply: that is the last one.
    const mine = run.command.includes('--dump') ? replies : replies.at(-1);
    assert.deepEqual(mine, run.printed, run.command);
  }
});
