// --genl-family ID=NAME: generic netlink ids named for input that does not name them itself,
// refused (exit 2, one line) when the syntax is wrong or nlctl has no tables for the family;
// with decode --pcap the names go into the capture, so that it then decodes alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PcapWriter } from '../../src/capture/pcap.js';
import { familyMessage } from '../../src/commands/decode-pcap.js';
import { requireTool, runNlctl } from '../helpers.js';

type Msg = Record<string, any>;

// ETHTOOL_MSG_LINKINFO_GET (cmd 2) to family id 21 with the header nest { dev-name "lo" }, built
// from numbers only, so that no table named anything: nlmsghdr, genlmsghdr, 1 = { 2 = "lo" }.
const REQUEST = '2000000015000100000000000000000002010000' + '0c000180' + '070002006c6f0000';

test('--genl-family names the family, its command and attributes in hex input', () => {
  const plain: Msg[] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'generic', REQUEST]).stdout);
  assert.equal(plain[0].family, undefined);
  const named: Msg[] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'generic', '--genl-family', '21=ethtool', REQUEST]).stdout);
  assert.equal(named[0].family, 'ethtool');
  assert.equal(named[0].type_name, 'ETHTOOL_MSG_LINKINFO_GET');
  assert.equal(named[0].attrs[0].name, 'ETHTOOL_A_LINKINFO_HEADER');
  assert.equal(named[0].attrs[0].attrs[0].spec_name, 'dev-name');
  // Hex ids and several families at once.
  const two: Msg[] = JSON.parse(runNlctl(['-j', 'decode', '--proto', 'generic', '--genl-family', '0x15=ethtool', '--genl-family', '22=netdev', REQUEST]).stdout);
  assert.equal(two[0].family, 'ethtool');
});

test('--genl-family refuses what it cannot use, in one line, exit 2', () => {
  for (const [arg, why] of [
    ['21=nosuch', /^nlctl: --genl-family 21=nosuch: nlctl has no tables for family 'nosuch'/],
    ['21=ethtol', /did you mean ethtool\?/],
    ['21', /^nlctl: --genl-family '21': expected ID=NAME, e\.g\. 21=ethtool\n$/],
    ['ethtool=21', /expected ID=NAME/],
    ['5=ethtool', /a family id is a message type in 16-65535/],
    ['70000=ethtool', /a family id is a message type in 16-65535/],
  ] as const) {
    const r = runNlctl(['decode', '--proto', 'generic', '--genl-family', arg, REQUEST]);
    assert.equal(r.code, 2, `${arg}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const twice = runNlctl(['decode', '--proto', 'generic', '--genl-family', '21=ethtool', '--genl-family', '21=netdev', REQUEST]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /id 21 given twice \(ethtool, netdev\)/);
});

test('decode --genl-family … --pcap F: F carries the names, for nlctl and for tshark', (t) => {
  if (!requireTool(t, 'tshark')) return;
  const dir = mkdtempSync(`${tmpdir()}/nlctl-genlfam-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = `${dir}/f.pcap`;
  const r = runNlctl(['decode', '--proto', 'generic', '--genl-family', '21=ethtool', REQUEST, '--pcap', f]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /2 record\(s\) in /);
  const back: Msg[] = JSON.parse(runNlctl(['-j', 'decode', f]).stdout);
  assert.deepEqual(back.map((m) => [m.type_name, m.meta.family_table ?? false]), [['CTRL_CMD_NEWFAMILY', true], ['ETHTOOL_MSG_LINKINFO_GET', false]]);
  assert.equal(back[1].family, 'ethtool');
  const verbose = execFileSync('tshark', ['-r', f, '-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(verbose, /Family ID: 0x15 \(ethtool\)/);
  assert.doesNotMatch(verbose, /Malformed|Expert Info \((Error|Warning)/);
});

test('a frame is labelled the family table only when generic, pkttype PACKET_USER and all CTRL_CMD_NEWFAMILY', (t) => {
  const dir = mkdtempSync(`${tmpdir()}/nlctl-famtable-`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = new PcapWriter({ resolution: 'ns' });
  const fam = familyMessage(21, 'ethtool');
  const done = Buffer.from('1400000003000200010000000000000000000000', 'hex');
  const rec = (protocol: number, payload: Uint8Array, pktType?: number) => w.record({ protocol, payload, tsSec: 1796128336, tsNsec: 0, direction: 'in', pktType });
  writeFileSync(`${dir}/f.pcap`, Buffer.concat([
    w.header(),
    rec(16, fam), // an nlctrl reply as received: pkttype 0
    rec(16, fam, 6), // the family table
    rec(16, Buffer.concat([fam, done]), 6), // PACKET_USER, but not only NEWFAMILY
    rec(0, done, 6), // PACKET_USER, another protocol
    rec(16, Buffer.from(REQUEST, 'hex')),
  ]));
  const msgs: Msg[] = JSON.parse(runNlctl(['-j', 'decode', `${dir}/f.pcap`]).stdout);
  assert.deepEqual(msgs.map((m) => m.meta.family_table ?? false), [false, true, false, false, false, false]);
  // Every NEWFAMILY taught the id, labelled or not.
  assert.equal(msgs[5].family, 'ethtool');
});
