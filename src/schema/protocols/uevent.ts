// NETLINK_KOBJECT_UEVENT (15): raw text datagrams with no nlmsghdr (lib/kobject_uevent.c), and libudev's re-broadcasts.
//
//   kernel (group 1):  "ACTION@DEVPATH\0" "KEY=VALUE\0" …
//   libudev (group 2): struct udev_monitor_netlink_header (40 bytes, prefix "libudev\0", magic
//                      0xfeedcafe big-endian), then "KEY=VALUE\0" … at properties_off.
import { utf8Text, type Diagnostic } from '../../codec/index.js';
import { decodeStruct } from '../decode.js';
import { makeHeader, type DecodedMessage } from '../decoded.js';
import type { Schema, StructDef } from '../types.js';

export const NETLINK_KOBJECT_UEVENT = 15;
const LIBUDEV_PREFIX = 'libudev\0';
const UDEV_MAGIC = 0xfeedcafe;

const structs: Record<string, StructDef> = {
  udev_monitor_netlink_header: {
    name: 'udev_monitor_netlink_header',
    fields: [
      { name: 'prefix', type: 'string', size: 8 },
      { name: 'magic', type: 'u32', be: true, display: 'hex' },
      { name: 'header_size', type: 'u32' },
      { name: 'properties_off', type: 'u32' },
      { name: 'properties_len', type: 'u32' },
      { name: 'filter_subsystem_hash', type: 'u32', display: 'hex' },
      { name: 'filter_devtype_hash', type: 'u32', display: 'hex' },
      { name: 'filter_tag_bloom_hi', type: 'u32', display: 'hex' },
      { name: 'filter_tag_bloom_lo', type: 'u32', display: 'hex' },
    ],
  },
};

/** "KEY=VALUE\0" strings from `bytes`; anything else becomes a diagnostic. */
function properties(bytes: Uint8Array, base: number, diags: Diagnostic[]): Record<string, string> {
  const fields: Record<string, string> = {};
  let off = 0;
  while (off < bytes.length) {
    let end = bytes.indexOf(0, off);
    if (end < 0) {
      diags.push({ offset: base + off, message: 'last property is not NUL-terminated' });
      end = bytes.length;
    }
    const s = utf8Text(bytes.subarray(off, end));
    if (s.length) {
      const eq = s.indexOf('=');
      if (eq <= 0) diags.push({ offset: base + off, message: `not a KEY=VALUE property: ${JSON.stringify(s.slice(0, 40))}` });
      else fields[s.slice(0, eq)] = s.slice(eq + 1);
    }
    off = end + 1;
  }
  return fields;
}

function numberOr0(s: string | undefined): number {
  return s !== undefined && /^\d+$/.test(s) && Number(s) <= 0xffffffff ? Number(s) : 0;
}

/** Decode one uevent datagram (kernel or libudev). Never throws. */
export function decodeUevent(bytes: Uint8Array): DecodedMessage {
  const diagnostics: Diagnostic[] = [];
  const out: DecodedMessage = {
    protocol: 'uevent', protocol_number: NETLINK_KOBJECT_UEVENT, offset: 0, len: bytes.length,
    type: 0, flags: 0, flag_names: [], seq: 0, pid: 0, diagnostics,
  };
  if (bytes.length === 0) {
    diagnostics.push({ offset: 0, message: 'empty uevent datagram' });
    return out;
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (head === LIBUDEV_PREFIX) {
    out.type_name = 'libudev';
    const sdef = structs.udev_monitor_netlink_header;
    const fields = decodeStruct(bytes.subarray(0, 40), sdef, ueventSchema, 0, diagnostics);
    out.header = makeHeader(sdef.name, 0, fields);
    const get = (n: string) => fields.find((f) => f.name === n)?.value;
    if (get('magic') !== undefined && get('magic') !== '0x' + UDEV_MAGIC.toString(16)) {
      diagnostics.push({ offset: 8, message: `libudev magic is ${String(get('magic'))}, expected 0xfeedcafe` });
    }
    const poff = get('properties_off');
    const plen = get('properties_len');
    if (typeof poff === 'number' && typeof plen === 'number') {
      if (poff > bytes.length || poff + plen > bytes.length) {
        diagnostics.push({ offset: 16, message: `properties at ${poff}+${plen} lie beyond the ${bytes.length}-byte datagram` });
      }
      const start = Math.min(poff, bytes.length);
      const props = properties(bytes.subarray(start, Math.min(bytes.length, start + plen)), start, diagnostics);
      out.text = { header: 'libudev', fields: props };
      out.seq = numberOr0(props.SEQNUM);
    }
    return out;
  }
  // Kernel: "ACTION@DEVPATH\0" then properties.
  let nul = bytes.indexOf(0);
  if (nul < 0) {
    diagnostics.push({ offset: 0, message: 'uevent header is not NUL-terminated' });
    nul = bytes.length;
  }
  const header = utf8Text(bytes.subarray(0, nul));
  const at = header.indexOf('@');
  if (at <= 0) diagnostics.push({ offset: 0, message: `uevent header is not ACTION@DEVPATH: ${JSON.stringify(header.slice(0, 40))}` });
  const fields = properties(bytes.subarray(Math.min(nul + 1, bytes.length)), nul + 1, diagnostics);
  out.type_name = fields.ACTION ?? (at > 0 ? header.slice(0, at) : undefined);
  out.text = { header, fields };
  out.seq = numberOr0(fields.SEQNUM);
  return out;
}

export const ueventSchema: Schema = {
  protocol: NETLINK_KOBJECT_UEVENT,
  name: 'uevent',
  messages: {},
  structs,
  attrSets: {},
  enums: {},
  flagSets: {},
  // Group 1: the kernel's events; group 2: libudev's re-broadcasts after udev rules ran.
  groups: { kernel: 1, udev: 2 },
  framing: 'raw',
  decodeRaw: (data) => decodeUevent(data),
};
