// The shape of a decoded message: plain data, JSON-ready. The JSON output is exactly this
// (documented in the README), so names here are the stable interface for scripts.
import type { Diagnostic, ExtAck } from '../codec/index.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface DecodedField {
  name: string;
  offset: number;
  size: number;
  value: JsonValue;
  /** The number behind an enum or flag value shown by name. */
  raw?: number | string;
}

export interface DecodedAttr {
  type: number;
  name?: string;
  /** The YNL spec's name of the attribute (`dev-name`), when a spec described it. */
  spec_name?: string;
  offset: number;
  len: number;
  nested_flag?: boolean;
  net_byteorder?: boolean;
  value?: JsonValue;
  raw?: number | string;
  attrs?: DecodedAttr[];
  /** No table knows the attribute: the kernel's policy typed it (CTRL_CMD_GETPOLICY). */
  typed_by?: 'policy';
  /** Bytes nothing decoded (unknown attribute, or a value of the wrong size). */
  hex?: string;
  diagnostics?: Diagnostic[];
}

export interface DecodedHeader {
  name: string;
  offset: number;
  fields: { [name: string]: JsonValue };
  raw?: { [name: string]: number | string };
}

const LAYOUTS = new WeakMap<DecodedHeader, DecodedField[]>();

/**
 * A header for output. Each field's offset and size (for the hex layout) ride along where
 * JSON does not see them, which keeps the JSON small and easy to query (.header.fields.rtm_table).
 */
export function makeHeader(name: string, offset: number, layout: DecodedField[]): DecodedHeader {
  const fields: { [name: string]: JsonValue } = {};
  let raw: { [name: string]: number | string } | undefined;
  for (const f of layout) {
    fields[f.name] = f.value;
    if (f.raw !== undefined) (raw ??= {})[f.name] = f.raw;
  }
  const h: DecodedHeader = raw ? { name, offset, fields, raw } : { name, offset, fields };
  LAYOUTS.set(h, layout);
  return h;
}

/** Offsets and sizes of a decoded header's fields (empty for a header read back from JSON). */
export function headerLayout(h: DecodedHeader): DecodedField[] {
  return LAYOUTS.get(h) ?? [];
}

export interface DecodedError {
  errno: number;
  name?: string;
  text?: string;
  extack?: ExtAck;
  /** The echoed request, decoded as far as the kernel sent it back. */
  request?: DecodedMessage;
}

export interface DecodedMessage {
  protocol: string;
  protocol_number: number;
  offset: number;
  len: number;
  type: number;
  type_name?: string;
  /** The YNL spec's operation name (`linkinfo-get`), when a spec described it. */
  op?: string;
  flags: number;
  flag_names: string[];
  seq: number;
  pid: number;
  /** Generic netlink family name, when known. */
  family?: string;
  /** The fixed family header: field values by name; `raw` holds the numbers behind names. */
  header?: DecodedHeader;
  attrs?: DecodedAttr[];
  error?: DecodedError;
  /** Payload nothing decoded: hex, and text when printable. */
  payload?: { offset: number; hex: string; text?: string };
  /** Text payloads (uevent, audit): parsed form. */
  text?: { header?: string; fields?: Record<string, string>; lines?: string[] };
  truncated?: boolean;
  diagnostics: Diagnostic[];
  /** Where and when it was seen (live and capture input). */
  meta?: MessageMeta;
}

export interface MessageMeta {
  time?: string;
  direction?: 'in' | 'out';
  from_pid?: number;
  group?: number;
  nsid?: number;
  /** A frame of the generic netlink family table nlctl writes into its captures (nlctrl's CTRL_CMD_NEWFAMILY replies). */
  family_table?: true;
}
