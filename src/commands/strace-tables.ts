// The protocol tables as the strace-text reader needs them: the byte layout of each message's
// family header, flattened, and interface indexes of this machine.
import { readFileSync } from 'node:fs';
import { NLMSG_HDRLEN } from '../codec/index.js';
import type { HeaderLayout, StraceTables } from '../input/strace/index.js';
import { INT_SIZES } from '../schema/values.js';
import { newContext, schemaFor, structSize, type Schema, type StructDef } from '../schema/index.js';

function layoutOf(def: StructDef, schema: Schema, base: number, out: HeaderLayout['fields']): number {
  let at = base;
  for (const f of def.fields) {
    at += f.pad ?? 0;
    if (f.type === 'struct' && f.struct && schema.structs[f.struct]) {
      at = layoutOf(schema.structs[f.struct], schema, at, out);
      continue;
    }
    const size = INT_SIZES[f.type as keyof typeof INT_SIZES] ?? f.size ?? 0;
    out.push({ name: f.name, offset: at - base, size, ...(f.be ? { be: true } : {}) });
    at += size;
  }
  return at;
}

// Every struct of a protocol, laid out once: a trace asks for one per struct-valued attribute.
const LAYOUTS = new WeakMap<Schema, HeaderLayout[]>();
function structLayouts(schema: Schema): HeaderLayout[] {
  let all = LAYOUTS.get(schema);
  if (!all) {
    all = Object.values(schema.structs).map((struct) => {
      const fields: HeaderLayout['fields'] = [];
      layoutOf(struct, schema, 0, fields);
      return { size: structSize(struct, schema), fields };
    });
    LAYOUTS.set(schema, all);
  }
  return all;
}

export const straceTables: StraceTables = {
  header(protocol, type, flags, firstByte) {
    if (protocol === undefined) return undefined;
    const schema = schemaFor(protocol);
    const probe = new Uint8Array(64);
    probe[0] = firstByte;
    const resolved = schema.resolve?.(type, probe, newContext(), { len: NLMSG_HDRLEN + probe.length, type, flags, seq: 0, pid: 0 });
    const def = resolved ?? schema.messages[type];
    const s = resolved?.schema ?? schema;
    const struct = def?.header ? s.structs[def.header] : undefined;
    if (!struct) return undefined;
    const fields: HeaderLayout['fields'] = [];
    layoutOf(struct, s, 0, fields);
    return { size: structSize(struct, s), fields };
  },
  structByMembers(protocol, names, size) {
    if (protocol === undefined || names.length === 0) return undefined;
    // rtnl_link_stats and rtnl_link_stats64 share their names: the size tells them apart.
    return structLayouts(schemaFor(protocol)).find((l) => l.size === size && names.every((n, i) => l.fields[i]?.name === n));
  },
  ifindex(name) {
    try {
      return Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8'));
    } catch {
      return undefined;
    }
  },
};
