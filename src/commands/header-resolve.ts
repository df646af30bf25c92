// Message types whose family header depends on the message itself (SOCK_DIAG_BY_FAMILY: the
// family byte picks inet_diag_req_v2, unix_diag_req or netlink_diag_req). The protocol's
// resolver decides, as it does when decoding, so --header fields and --attr names work there too.
import { NLMSG_HDRLEN } from '../codec/index.js';
import { newContext, structSize, type MessageDef, type Schema, type StructDef } from '../schema/index.js';
import { encodeStruct } from '../schema/encode.js';

export function resolveDef(schema: Schema, type: number, flags: number, payload: Uint8Array): MessageDef | undefined {
  return schema.resolve?.(type, payload, newContext(), { len: NLMSG_HDRLEN + payload.length, type, flags, seq: 0, pid: 0 });
}

/**
 * The header struct that has every named field and that the resolver picks for the bytes those
 * fields make. An error in the values of a struct that has the fields is thrown.
 */
export function headerByFields(schema: Schema, type: number, flags: number, values: Record<string, string>): { sdef: StructDef; bytes: Uint8Array; def: MessageDef } | undefined {
  if (!schema.resolve) return undefined;
  let firstError: unknown;
  for (const sdef of Object.values(schema.structs)) {
    const names = new Set(sdef.fields.flatMap((f) => (f.key ? [f.name, f.key] : [f.name])));
    if (!Object.keys(values).every((k) => names.has(k))) continue;
    let bytes: Uint8Array;
    try {
      bytes = encodeStruct(sdef, values, schema, (d) => structSize(d, schema));
    } catch (e) {
      firstError ??= e;
      continue;
    }
    const def = resolveDef(schema, type, flags, bytes);
    if (def?.header === sdef.name) return { sdef, bytes, def };
  }
  if (firstError) throw firstError;
  return undefined;
}
