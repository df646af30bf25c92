#!/usr/bin/env node
// Captures real kernel replies into test/fixtures/codec/*.hex (run as root inside a fresh
// network namespace: `unshare -n node scripts/capture-codec-fixtures.mjs`). The codec tests
// decode these bytes; re-run this to refresh them on a new kernel.
import { writeFileSync } from 'node:fs';
import { NetlinkSocket } from '../build/src/transport/index.js';
import { buildRequest } from '../build/src/transport/request.js';
import { toHex } from '../build/src/codec/index.js';

const dir = new URL('../test/fixtures/codec/', import.meta.url);
const sock = new NetlinkSocket(0);
let seq = 1000;

async function exchange(name, type, flags, payload) {
  const req = buildRequest(type, flags, payload, ++seq, 0);
  sock.send(req);
  const out = [`# request ${name}`, toHex(req)];
  for (;;) {
    const ev = await sock.recv(2000);
    if (ev.kind !== 'datagram') break;
    out.push(`# reply datagram from port ${ev.datagram.fromPid}`, toHex(ev.datagram.data));
    const t = ev.datagram.data.readUInt16LE(4);
    if (t === 2 || t === 3) break;
  }
  writeFileSync(new URL(`${name}.hex`, dir), out.join('\n') + '\n');
}

const ifinfomsg = new Uint8Array(16);
// RTM_GETLINK dump of a fresh namespace: just "lo".
await exchange('getlink-dump-lo', 18, 0x301, ifinfomsg);
// RTM_NEWROUTE 10.0.0.0/8 via 1.2.3.4 with ACK: fails with ENETUNREACH and an extended ACK.
const rtmsg = Uint8Array.from([2, 8, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);
const dst = Uint8Array.from([8, 0, 1, 0, 10, 0, 0, 0]);
const gw = Uint8Array.from([8, 0, 5, 0, 1, 2, 3, 4]);
await exchange('newroute-enetunreach', 24, 0x605, Uint8Array.from([...rtmsg, ...dst, ...gw]));
// RTM_GETLINK for a name that does not exist: ENODEV.
const name = Uint8Array.from([12, 0, 3, 0, ...Buffer.from('nosuch0\0')]);
await exchange('getlink-enodev', 18, 0x005, Uint8Array.from([...ifinfomsg, ...name]));
sock.close();
