import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHeader } from '../../src/codec/index.js';
import { decodeDatagram, newContext, schemaFor } from '../../src/schema/index.js';
import { describeLocation, locateMissing, locateOffset } from '../../src/schema/extack-locate.js';
import { tablesUsed } from '../../src/schema/decode.js';

/** RTM_GETLINK: nlmsghdr, ifinfomsg (16 bytes), IFLA_IFNAME "lo", IFLA_LINKINFO { IFLA_INFO_KIND "veth" }. */
function request(): Uint8Array {
  const body = Buffer.from('00000000' + '00000000' + '00000000' + '00000000' + '07000300' + '6c6f0000' + '10001280' + '09000100' + '7665746800000000', 'hex');
  const out = new Uint8Array(16 + body.length);
  encodeHeader({ len: out.length, type: 18, flags: 1, seq: 1, pid: 0 }, out);
  out.set(body, 16);
  return out;
}

test('an offset is named by the innermost attribute, the nest path, or the header field', () => {
  const m = decodeDatagram(request(), schemaFor(0), newContext())[0];
  assert.deepEqual(locateOffset(m, 32), { attr: 'IFLA_IFNAME', path: '.ifname' });
  assert.deepEqual(locateOffset(m, 44), { attr: 'IFLA_INFO_KIND', path: '.linkinfo.kind' });
  assert.equal(describeLocation(locateOffset(m, 44)!), 'IFLA_INFO_KIND, .linkinfo.kind');
  assert.deepEqual(locateOffset(m, 20), { field: 'ifinfomsg.ifi_index' });
  assert.equal(locateOffset(m, 400), undefined);
});

test('MISS_TYPE is named in the message\'s set, or, with MISS_NEST, in the set of the nest it points at', () => {
  const m = decodeDatagram(request(), schemaFor(0), newContext())[0];
  // Top level: RTM_NEWLINK's set (ifla), where type 3 is IFLA_IFNAME.
  assert.deepEqual(locateMissing(m, tablesUsed, 3), { attr: 'IFLA_IFNAME', path: '.ifname' });
  // In IFLA_LINKINFO (at 40): its set is linkinfo-attrs, where type 2 is IFLA_INFO_DATA.
  assert.deepEqual(locateMissing(m, tablesUsed, 2, 40), {
    attr: 'IFLA_INFO_DATA', path: '.linkinfo.data', nest: { attr: 'IFLA_LINKINFO', path: '.linkinfo' },
  });
  // A type no table knows keeps its number in the path.
  assert.deepEqual(locateMissing(m, tablesUsed, 999), { path: '.999' });
  // MISS_NEST points at a nest's start: a byte inside one, or past the request, is no nest.
  assert.equal(locateMissing(m, tablesUsed, 1, 46), undefined);
  assert.equal(locateMissing(m, tablesUsed, 1, 400), undefined);
});
