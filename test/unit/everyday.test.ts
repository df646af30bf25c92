// Suggestions, table fitting, ip-shaped records and monitor lines, on plain data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, didYouMean, editDistance } from '../../src/suggest.js';
import { fitCell, fitTable, tableWidth, wrapText } from '../../src/format/fit.js';
import { ipFamily, ipRecord, moveUnknown, routeDst } from '../../src/commands/ip-records.js';
import { InterfaceNames, ipTimestamp, monitorLine } from '../../src/format/monitor.js';
import { enumNumber } from '../../src/commands/ip-names.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { buildRequest } from '../../src/transport/index.js';
import { encodeAttrs } from '../../src/codec/index.js';

test('edit distance counts a transposition as one edit', () => {
  assert.equal(editDistance('ethtool', 'ethtol'), 1);
  assert.equal(editDistance('genric', 'generic'), 1);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('', 'abc'), 3);
});

test('closest: near names first, far names never', () => {
  assert.deepEqual(closest('RTM_GETLNK', ['RTM_GETLINK', 'RTM_NEWROUTE', 'RTM_GETADDR']), ['RTM_GETLINK']);
  assert.deepEqual(closest('getlnk', ['RTM_GETLINK', 'RTM_SETLINK', 'RTM_GETRULE']).slice(0, 1), ['RTM_GETLINK']);
  assert.deepEqual(closest('zzzz', ['link', 'route']), []);
  assert.equal(didYouMean('zzzz', ['link']), '');
  assert.equal(didYouMean('lnk', ['link', 'neigh']), '; did you mean link?');
});

test('a table that fits is left alone; a wide one wraps its widest column to the width', () => {
  const cols = [{ title: 'ifindex' }, { title: 'ifname' }, { title: 'flags' }, { title: 'address', drop: 1 }];
  const rows = [['1', 'lo', 'LOOPBACK,UP,LOWER_UP', '00:00:00:00:00:00'], ['2', 'eth0', 'UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP', '52:54:00:12:34:56']];
  assert.deepEqual(fitTable(cols, rows, 200).widths, [7, 6, 39, 17]);
  assert.deepEqual(fitTable(cols, rows).widths, [7, 6, 39, 17]);
  const fit = fitTable(cols, rows, 62);
  assert.ok(tableWidth(fit.widths) <= 62, String(fit.widths));
  assert.deepEqual(fit.keep, [0, 1, 2], 'the droppable column goes first');
  assert.deepEqual(fit.widths, [7, 6, 39], 'then nothing needs wrapping');
  const narrow = fitTable(cols, rows, 40);
  assert.ok(tableWidth(narrow.widths) <= 40);
  assert.deepEqual(narrow.keep, [0, 1, 2]);
  assert.ok(narrow.widths[2] < 39, 'the widest column is narrowed');
  const tiny = fitTable([{ title: 'a' }, { title: 'b' }], [['x'.repeat(50), 'y'.repeat(50)]], 20);
  assert.ok(tableWidth(tiny.widths) <= 20, 'never wider than the terminal, even with nothing to drop');
  const many = fitTable(Array.from({ length: 9 }, (_, i) => ({ title: `c${i}` })), [Array.from({ length: 9 }, () => 'x'.repeat(10))], 30);
  assert.ok(tableWidth(many.widths) <= 30 && many.keep.length >= 1, String(many.widths));
  const wrapped = fitCell(rows[1][2], 12, 'wrap');
  assert.ok(wrapped.split('\n').every((l) => l.length <= 12), wrapped);
  assert.equal(wrapped.replace(/\n/g, ''), rows[1][2], 'wrapping loses nothing');
  assert.equal(fitCell('0123456789', 5, 'truncate'), '0123…');
  assert.equal(wrapText('UP,BROADCAST', 8), 'UP,\nBROADCAS\nT');
});

test('ip-shaped records: families, route destinations, dev names, unknown attributes', () => {
  assert.equal(ipFamily('AF_INET6'), 'inet6');
  assert.equal(routeDst(undefined, 0, 'AF_INET'), 'default');
  assert.equal(routeDst('10.3.0.0', 24, 'AF_INET'), '10.3.0.0/24');
  assert.equal(routeDst('10.3.0.1', 32, 'AF_INET'), '10.3.0.1');
  assert.equal(routeDst('fe80::', 64, 'inet6'), 'fe80::/64');
  const rec = ipRecord('route', { family: 'AF_INET', dst_len: 24, dst: '10.3.0.0', oif: 3, priority: 5, attr_30: 'ab' }, new Map([[3, 'va']]));
  assert.deepEqual(rec, { family: 'inet', dst_len: 24, dst: '10.3.0.0/24', oif: 3, priority: 5, metric: 5, dev: 'va', unknown: { 30: 'ab' } });
  assert.deepEqual(moveUnknown({ a: { attr_7: 1, b: 2 } }), { a: { b: 2, unknown: { 7: 1 } } });
  const addr = ipRecord('addr', { family: 'AF_INET', ifindex: 9 }, new Map());
  assert.equal(addr.dev, undefined, 'no name invented for an index nobody knows');
});

test('enum values in any of ip spellings', () => {
  const scope = { 0: 'global', 200: 'site', 253: 'link', 254: 'host' };
  assert.equal(enumNumber(scope, 'universe'), 0);
  assert.equal(enumNumber(scope, 'RT_SCOPE_HOST'), 254);
  assert.equal(enumNumber({ 2: 'AF_INET', 10: 'AF_INET6' }, 'inet6'), 10);
  assert.equal(enumNumber(scope, 'galaxy'), undefined);
});

function decoded(type: number, header: Uint8Array, attrs: { type: number; value: Uint8Array }[]) {
  const bytes = buildRequest(type, 0, Uint8Array.from([...header, ...encodeAttrs(attrs)]));
  return decodeDatagram(bytes, schemaFor(0), newContext())[0];
}
const u32 = (n: number) => Uint8Array.from([n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24]);
const str = (s: string) => new TextEncoder().encode(s + '\0');

test('monitor lines: a link, then an address on it by name, then the link deleted', () => {
  const names = new InterfaceNames();
  // ifinfomsg: family 0, type 1 (ether), index 7, flags IFF_UP (1)
  const ifi = Uint8Array.from([0, 0, 1, 0, ...u32(7), ...u32(1), ...u32(0)]);
  const link = decoded(16, ifi, [{ type: 3, value: str('dv0') }, { type: 4, value: u32(1500) }]);
  assert.equal(monitorLine(link, names), '[LINK] dv0 UP mtu 1500');
  names.set(7, 'dv0');
  // ifaddrmsg: AF_INET, /24, flags 0, scope 0, index 7; IFA_LOCAL 10.88.0.1
  const ifa = Uint8Array.from([2, 24, 0, 0, ...u32(7)]);
  const addr = decoded(20, ifa, [{ type: 2, value: Uint8Array.from([10, 88, 0, 1]) }]);
  assert.equal(monitorLine(addr, names), '[ADDR] 10.88.0.1/24 dev dv0 inet scope global');
  const del = decoded(21, ifa, [{ type: 2, value: Uint8Array.from([10, 88, 0, 1]) }]);
  assert.match(monitorLine(del, names), /^\[ADDR\] Deleted 10\.88\.0\.1\/24 dev dv0/);
  assert.match(monitorLine(del, new InterfaceNames()), /dev if7/);
});

test('ip -ts timestamps: local time with microseconds in brackets', () => {
  const iso = '2026-12-01T09:23:39.673678Z';
  const d = new Date(Date.parse(iso));
  const p = (n: number) => String(n).padStart(2, '0');
  assert.equal(ipTimestamp(iso), `[${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.673678]`);
});

test('monitor lines: a generic netlink event is family:cmd with its scalar attributes, interfaces named', () => {
  // nlctrl CTRL_CMD_NEWFAMILY (1), version 2: CTRL_ATTR_FAMILY_ID (1) u16 33, CTRL_ATTR_FAMILY_NAME (2) "demo"
  const attrs = encodeAttrs([{ type: 2, value: str('demo') }, { type: 1, value: Uint8Array.from([33, 0]) }]);
  const bytes = buildRequest(0x10, 0, Uint8Array.from([1, 2, 0, 0, ...attrs]));
  const [m] = decodeDatagram(bytes, schemaFor(16), newContext());
  assert.equal(monitorLine(m, new InterfaceNames()), '[nlctrl:newfamily] family_name demo family_id 33');
});

test('--group all for rtnetlink is the 18 groups ip monitor all joins, every one in the table', async () => {
  const { IP_MONITOR_ALL, allGroups } = await import('../../src/commands/monitor-groups.js');
  const groups = schemaFor(0).groups ?? {};
  for (const name of IP_MONITOR_ALL) assert.ok(name in groups, `${name} in the rtnetlink group table`);
  // What `ip monitor all` (iproute2 6.1) had joined, read from its socket with nlctl sockets.
  assert.deepEqual(allGroups(0, groups).sort((a, b) => a - b), [1, 3, 5, 6, 7, 8, 9, 10, 11, 18, 19, 24, 25, 27, 28, 29, 32, 36]);
});

test('-ts (ip\'s spelling) becomes --timestamps after the command word', async () => {
  const { rewriteArgs } = await import('../../src/main.js');
  assert.deepEqual(rewriteArgs(['-ts', 'listen', '-g', 'all']), ['listen', '--timestamps', '-g', 'all']);
  assert.deepEqual(rewriteArgs(['listen', '-g', 'all', '-ts']), ['listen', '--timestamps', '-g', 'all']);
  assert.deepEqual(rewriteArgs(['-j', 'listen', '-t', 's']), ['-j', 'listen', '-t', 's']);
});

test('an index nobody has named starts one fresh lookup; later events are named', async () => {
  let lookups = 0;
  const names = new InterfaceNames([[1, 'lo']], async () => {
    lookups++;
    return [[1, 'lo'], [5, 'dv5']];
  });
  assert.equal(names.name(5), 'if5');
  assert.equal(names.name(5), 'if5', 'still unknown while the lookup runs');
  await new Promise((r) => setImmediate(r));
  assert.equal(names.name(5), 'dv5');
  assert.equal(names.name(1), 'lo');
  assert.equal(lookups, 1);
});

test('monitor lines: netconf as ip prints it (on/off, rp_filter modes, all/default)', () => {
  const s32 = (n: number) => u32(n >>> 0);
  // RTM_NEWNETCONF (80), netconfmsg AF_INET; NETCONFA_IFINDEX 1, FORWARDING 2, RP_FILTER 3
  const msg = (index: number) => decoded(80, Uint8Array.from([2, 0, 0, 0]), [{ type: 1, value: s32(index) }, { type: 2, value: s32(1) }, { type: 3, value: s32(2) }]);
  const names = new InterfaceNames([[4, 'dv0']]);
  assert.equal(monitorLine(msg(4), names), '[NETCONF] inet dv0 forwarding on rp_filter loose');
  assert.equal(monitorLine(msg(-1), names), '[NETCONF] inet all forwarding on rp_filter loose');
  assert.equal(monitorLine(msg(-2), names), '[NETCONF] inet default forwarding on rp_filter loose');
});
