// nlctl spec: what the YNL specs offer, the way YNL's --list-ops and --list-attrs show it:
// the families (and where each spec comes from), a family's operations with do/dump, its
// notifications, attribute sets and multicast groups, one operation's attributes.
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatName, Output } from '../output.js';
import type { AttrDef, AttrSet } from '../schema/types.js';
import { builtinVersion, listSpecFamilies, specFamily, type SpecFamily, type SpecOp } from '../schema/ynl/index.js';

interface SpecOptions {
  op?: string;
  set?: string;
}

function typeText(d: AttrDef): string {
  const extra = d.nested ? ` ${d.nested}` : d.subMessage ? ` ${d.subMessage} by ${d.selector}` : d.struct ? ` struct ${d.struct}` : d.enum ? ` enum ${d.enum}` : d.flags ? ` flags ${d.flags.replace(/:flags$/, '')}` : '';
  const t = d.type === 'nest-array' && d.typeValue ? 'nest-type-value' : d.type === 'struct' ? 'binary' : d.type;
  return `${t}${d.subType && d.type === 'indexed-array' ? ` of ${d.subType}` : ''}${extra}${d.multi ? ', multi-attr' : ''}`;
}

function setJson(set: AttrSet) {
  return Object.entries(set.attrs).map(([n, d]) => ({ name: d.spec ?? d.name, c_name: d.name, value: Number(n), type: typeText(d) }));
}

function opJson(op: SpecOp) {
  const mode = (m: SpecOp['do']) => m && { ...(m.request ? { request: m.request.attributes } : {}), ...(m.reply ? { reply: m.reply.attributes } : {}) };
  return {
    name: op.name, c_name: op.cName,
    ...(op.reqValue !== undefined ? { value: op.reqValue } : {}),
    ...(op.rspValue !== undefined && op.rspValue !== op.reqValue ? { reply_value: op.rspValue, reply_c_name: op.replyCName } : {}),
    ...(op.do ? { do: mode(op.do) } : {}),
    ...(op.dump ? { dump: mode(op.dump) } : {}),
    ...(op.notify ? { notify: op.notify } : {}),
    ...(op.event ? { event: op.event.attributes } : {}),
    ...(op.mcgrp ? { mcgrp: op.mcgrp } : {}),
    ...(op.attrSet ? { attribute_set: op.attrSet } : {}),
    ...(op.fixedHeader ? { fixed_header: op.fixedHeader } : {}),
  };
}

function familyJson(f: SpecFamily) {
  return {
    name: f.name, protocol: f.protocol, protonum: f.protonum, version: f.version, source: f.source,
    ...(f.fixedHeader ? { fixed_header: f.fixedHeader } : {}),
    operations: f.ops.map(opJson),
    attribute_sets: Object.keys(f.schema.attrSets),
    mcast_groups: f.groups.map((g) => ({ name: g.name, ...(g.value !== undefined ? { value: g.value } : {}) })),
  };
}

function findOp(f: SpecFamily, name: string): SpecOp {
  const want = name.toUpperCase().replace(/-/g, '_');
  const op = f.ops.find((o) => o.name === name || o.cName === want || o.replyCName === want);
  if (!op) throw new UsageError(`family ${f.name} has no operation '${name}' (it has: ${f.ops.map((o) => o.name).join(', ')})`);
  return op;
}

function attrLines(f: SpecFamily, setName: string | undefined, names: string[], indent: string): string[] {
  const set = setName ? f.schema.attrSets[setName] : undefined;
  return names.map((n) => {
    const d = set ? Object.values(set.attrs).find((x) => x.spec === n) : undefined;
    return `${indent}${n}${d ? `: ${typeText(d)}` : ''}`;
  });
}

export async function run(ctx: CommandContext, family: string | undefined, o: SpecOptions): Promise<void> {
  const json = formatName(ctx.global) === 'json' || formatName(ctx.global) === 'ndjson';
  const out = new Output(ctx.io.stdout);
  const print = (v: unknown) => out.write(JSON.stringify(v, null, ctx.io.stdout.isTTY ? 2 : 0) + '\n');
  if (!family) {
    const all = listSpecFamilies();
    if (json) print({ builtin_version: builtinVersion(), families: all });
    else {
      out.write(`built-in tables from ${builtinVersion()}\n`);
      for (const f of all) out.write(`${f.name.padEnd(18)} ${f.protocol.padEnd(17)} ${String(f.protonum).padEnd(3)} ${f.source}\n`);
    }
    await out.flush();
    return;
  }
  const f = specFamily(family);
  if (!f) throw new UsageError(`no spec for family '${family}' (nlctl spec lists them; give one with --spec FILE)`);
  if (o.set) {
    const set = f.schema.attrSets[o.set];
    if (!set) throw new UsageError(`family ${f.name} has no attribute set '${o.set}' (it has: ${Object.keys(f.schema.attrSets).join(', ')})`);
    if (json) print({ name: o.set, prefix: set.prefix, attributes: setJson(set) });
    else for (const a of setJson(set)) out.write(`${String(a.value).padStart(4)} ${a.name.padEnd(28)} ${a.c_name.padEnd(40)} ${a.type}\n`);
  } else if (o.op) {
    const op = findOp(f, o.op);
    if (json) print(opJson(op));
    else {
      out.write(`${op.name} (${op.cName}${op.reqValue !== undefined ? ` = ${op.reqValue}` : ''})${op.attrSet ? `, attribute set ${op.attrSet}` : ''}${op.fixedHeader ? `, header ${op.fixedHeader}` : ''}\n`);
      for (const mode of ['do', 'dump'] as const) {
        const m = op[mode];
        if (!m) continue;
        out.write(`${mode}:\n`);
        if (m.request) out.write(['  request:', ...attrLines(f, op.attrSet, m.request.attributes, '    ')].join('\n') + '\n');
        if (m.reply) out.write(['  reply:', ...attrLines(f, op.attrSet, m.reply.attributes, '    ')].join('\n') + '\n');
      }
      if (op.event) out.write(['event:', ...attrLines(f, op.attrSet, op.event.attributes, '  ')].join('\n') + '\n');
      if (op.notify) out.write(`notify: as the reply of ${op.notify}\n`);
    }
  } else if (json) print(familyJson(f));
  else {
    out.write(`${f.name}: ${f.protocol}${f.protocol === 'netlink-raw' ? ` protocol ${f.protonum}` : ''}, version ${f.version}, from ${f.source}\n`);
    out.write('operations:\n');
    for (const op of f.ops) {
      const modes = [op.do ? 'do' : '', op.dump ? 'dump' : '', op.notify ? `notify (${op.notify})` : '', op.event ? 'event' : ''].filter(Boolean).join(', ');
      out.write(`  ${op.name.padEnd(28)} ${modes}\n`);
    }
    out.write(`attribute sets: ${Object.keys(f.schema.attrSets).join(', ')}\n`);
    if (f.groups.length) out.write(`multicast groups: ${f.groups.map((g) => g.name + (g.value !== undefined ? `=${g.value}` : '')).join(', ')}\n`);
  }
  await out.flush();
}
