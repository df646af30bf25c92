// nlctl __complete KIND [PROTO] [TYPE] [FAMILY]: the names a completion script offers, one per
// line. Live lists (genl families, interfaces) fall back to nlctl's own tables when the kernel
// cannot be asked. Never fails loudly: a completion must not print errors into the prompt.
import type { CommandContext } from '../context.js';
import { genlFamilyNames, genlTables } from '../schema/protocols/generic/index.js';
import { messageType, protocolNumber, schemaFor } from '../schema/index.js';
import type { TransportFactory } from '../transport/index.js';
import { DUMP_TARGETS } from './dump-targets.js';
import { listFamilies } from './genl-families.js';
import { interfaceTable } from './ifnames.js';
import { groupNames } from './monitor-groups.js';
import { attrNames, protocolNames, typeNames } from './names.js';

async function liveFamilies(transport: TransportFactory) {
  const sock = transport(16, {});
  try {
    return await listFamilies(sock, 1000);
  } finally {
    sock.close();
  }
}

async function words(transport: TransportFactory, kind: string, protoSpec: string, typeSpec: string, family: string): Promise<string[]> {
  const protocol = protocolNumber(protoSpec || (family ? 'generic' : 'route')) ?? 0;
  const schema = schemaFor(protocol);
  switch (kind) {
    case 'protocols': return protocolNames();
    case 'types': return typeNames(schema);
    case 'targets': return Object.keys(DUMP_TARGETS);
    case 'tables': return ['main', 'local', 'default', 'all'];
    case 'devs': return [...(await interfaceTable(transport)).values()];
    case 'families': {
      try {
        return (await liveFamilies(transport)).map((f) => f.name);
      } catch {
        return genlFamilyNames();
      }
    }
    case 'commands': {
      const ops = genlTables(family)?.family.ops.filter((op) => op.do || op.dump) ?? [];
      return [...ops.map((op) => op.name), ...ops.map((op) => op.cName)];
    }
    case 'groups': {
      if (protocol !== 16) return groupNames(schema.groups);
      try {
        return ['all', ...(await liveFamilies(transport)).flatMap((f) => (f.groups.size ? [...[...f.groups.keys()].map((g) => `${f.name}:${g}`), `${f.name}:all`] : []))];
      } catch {
        return ['all', 'nlctrl:notify'];
      }
    }
    case 'attrs': {
      const t = typeSpec ? messageType(schema, typeSpec) : undefined;
      const tables = family ? genlTables(family) : undefined;
      if (tables) return attrNames(tables.request, tables.mainSet).map((n) => `${n}=`);
      const set = t !== undefined ? schema.messages[t]?.attrs : undefined;
      return attrNames(schema, set).map((n) => `${n}=`);
    }
    case 'fields': {
      const t = typeSpec ? messageType(schema, typeSpec) : undefined;
      const header = t !== undefined ? schema.messages[t]?.header : undefined;
      const structs = header && schema.structs[header] ? [schema.structs[header]] : Object.values(schema.structs);
      return [...new Set(structs.flatMap((s) => s.fields.filter((f) => !f.name.startsWith('_') && !/^(pad|reserved)/.test(f.name)).map((f) => `${f.name}=`)))];
    }
    default: return [];
  }
}

export async function run(ctx: CommandContext, kind: string, rest: string[] = []): Promise<void> {
  const [proto = '', type = '', family = ''] = rest;
  let list: string[];
  try {
    list = await words(ctx.transport, kind, proto, type, family);
  } catch {
    list = [];
  }
  ctx.io.stdout.write([...new Set(list)].join('\n') + (list.length ? '\n' : ''));
}
