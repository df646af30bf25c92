// A decoded uevent (NETLINK_KOBJECT_UEVENT) back to its datagram: the inverse of decodeUevent.
// Kernel events are "ACTION@DEVPATH\0" then "KEY=VALUE\0" …; libudev's re-broadcasts are
// struct udev_monitor_netlink_header, then the properties at properties_off.
import { concat } from '../codec/index.js';
import type { DecodedMessage, JsonValue } from './decoded.js';
import { structSize } from './decode.js';
import { encodeStruct, EncodeError } from './encode.js';
import type { Schema } from './types.js';

const text = (s: string) => new TextEncoder().encode(s);

function properties(fields: Record<string, string> | undefined): Uint8Array {
  return concat(Object.entries(fields ?? {}).map(([k, v]) => text(`${k}=${v}\0`)));
}

export function encodeUevent(m: DecodedMessage, schema: Schema): Uint8Array {
  if (!m.text) throw new EncodeError('a uevent needs its "text" (header and fields)');
  const props = properties(m.text.fields);
  if (!m.header) return concat([text(`${m.text.header ?? ''}\0`), props]);
  const sdef = schema.structs[m.header.name];
  if (!sdef) throw new EncodeError(`no table for the uevent header ${m.header.name}`);
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(m.header.fields) as [string, JsonValue][]) if (v !== null) values[name] = String(v);
  const head = encodeStruct(sdef, values, schema, (d) => structSize(d, schema));
  // The properties sit where the header says (properties_off), normally right after it.
  const at = Number(m.header.fields.properties_off);
  const gap = Number.isInteger(at) && at > head.length ? new Uint8Array(at - head.length) : new Uint8Array(0);
  return concat([head, gap, props]);
}
