// nlctl send --family F --policy [--cmd OP]: the kernel's own attribute policy of a generic
// netlink family (CTRL_CMD_GETPOLICY), as YNL's --policy shows it: per op the do/dump policy,
// per policy each attribute's number, name (when a table knows it), type, bounds and nesting.
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatName, Output } from '../output.js';
import { genlCommand, genlTables } from '../schema/protocols/generic/index.js';
import { compilePolicy, policyRequestPayload } from '../schema/policy/compile.js';
import type { FamilyPolicy, PolicyAttr } from '../schema/types.js';
import { requestPolicy, type TransportFactory } from '../transport/index.js';

export interface PolicyOptions {
  family: string;
  cmd?: string;
  netns?: string;
  timeout?: number;
}

/** Policy index → the spec's attribute set it describes, found by walking ops and nests together. */
function specSets(family: string, policy: FamilyPolicy): Map<number, string> {
  const t = genlTables(family);
  const found = new Map<number, string>();
  if (!t) return found;
  const walk = (idx: number | undefined, set: string | undefined) => {
    if (idx === undefined || !set || found.has(idx)) return;
    found.set(idx, set);
    const defs = t.request.attrSets[set]?.attrs ?? {};
    for (const [n, p] of policy.policies.get(idx) ?? []) walk(p.policy, defs[n]?.nested);
  };
  for (const [cmd, o] of policy.ops) {
    const set = t.reqOps.get(cmd)?.attrSet;
    walk(o.do, set);
    walk(o.dump, set);
  }
  return found;
}

function bounds(p: PolicyAttr): string[] {
  const out: string[] = [];
  if (p.min !== undefined || p.max !== undefined) out.push(`range ${p.min ?? ''}..${p.max ?? ''}`);
  if (p.minLength !== undefined || p.maxLength !== undefined) {
    out.push(p.minLength === p.maxLength ? `len ${p.minLength}` : `len ${p.minLength ?? 0}..${p.maxLength ?? ''}`);
  }
  if (p.mask !== undefined) out.push(`mask 0x${BigInt(p.mask).toString(16)}`);
  if (p.bitfield32Mask !== undefined) out.push(`bitfield32 mask 0x${p.bitfield32Mask.toString(16)}`);
  if (p.policy !== undefined) out.push(`policy ${p.policy}${p.maxType !== undefined ? ` (maxtype ${p.maxType})` : ''}`);
  return out;
}

export function policyJson(policy: FamilyPolicy, names: (idx: number, attr: number) => { name?: string; spec?: string }, sets: Map<number, string>, cmdName: (cmd: number) => string | undefined) {
  return {
    family: policy.family,
    ops: [...policy.ops].sort((a, b) => a[0] - b[0]).map(([cmd, o]) => ({ cmd, ...(cmdName(cmd) ? { name: cmdName(cmd) } : {}), ...o })),
    policies: [...policy.policies].sort((a, b) => a[0] - b[0]).map(([index, attrs]) => ({
      index,
      ...(sets.has(index) ? { attribute_set: sets.get(index) } : {}),
      attrs: [...attrs].sort((a, b) => a[0] - b[0]).map(([value, p]) => {
        const n = names(index, value);
        return {
          value, ...(n.spec ? { name: n.spec } : {}), ...(n.name ? { c_name: n.name } : {}), type: p.type,
          ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}),
          ...(p.minLength !== undefined ? { min_length: p.minLength } : {}), ...(p.maxLength !== undefined ? { max_length: p.maxLength } : {}),
          ...(p.mask !== undefined ? { mask: p.mask } : {}), ...(p.bitfield32Mask !== undefined ? { bitfield32_mask: p.bitfield32Mask } : {}),
          ...(p.policy !== undefined ? { policy: p.policy } : {}), ...(p.maxType !== undefined ? { max_type: p.maxType } : {}),
        };
      }),
    })),
  };
}

export async function fetchFamilyPolicy(transport: TransportFactory, o: PolicyOptions): Promise<FamilyPolicy> {
  let op: number | undefined;
  if (o.cmd !== undefined) {
    op = genlCommand(o.family, o.cmd);
    if (op === undefined) throw new UsageError(`--cmd ${o.cmd}: no such operation in ${o.family} (a number works for any family)`);
  }
  const t = transport(16, { netns: o.netns });
  try {
    const replies = await requestPolicy(t, policyRequestPayload(/^\d+$/.test(o.family) ? Number(o.family) : o.family, op), o.family, (o.timeout ?? 5) * 1000);
    return compilePolicy(o.family, replies, op);
  } finally {
    t.close();
  }
}

export async function run(ctx: CommandContext, o: PolicyOptions): Promise<void> {
  const policy = await fetchFamilyPolicy(ctx.transport, o);
  const tables = genlTables(o.family);
  const sets = specSets(o.family, policy);
  const names = (idx: number, attr: number) => {
    const def = sets.has(idx) ? tables?.request.attrSets[sets.get(idx)!]?.attrs[attr] : undefined;
    return { name: def?.name, spec: def?.spec };
  };
  const cmdName = (cmd: number) => tables?.reqOps.get(cmd)?.name;
  const out = new Output(ctx.io.stdout);
  const format = formatName(ctx.global);
  if (format === 'json' || format === 'ndjson') {
    out.write(JSON.stringify(policyJson(policy, names, sets, cmdName)) + '\n');
  } else {
    const lines: string[] = [`${o.family}: policy from the kernel (CTRL_CMD_GETPOLICY)`];
    if (!policy.policies.size) lines.push('  no policy: the kernel reports none (ENODATA)');
    for (const [cmd, op] of [...policy.ops].sort((a, b) => a[0] - b[0])) {
      const parts = [op.do !== undefined ? `do: policy ${op.do}` : '', op.dump !== undefined ? `dump: policy ${op.dump}` : ''].filter(Boolean);
      // The kernel reports ops that have only a dumpit as command 0 (--cmd OP asks for one by name).
      const name = cmd === 0 && !cmdName(0) ? '(dump-only op: the kernel numbers these 0; --cmd OP names one)' : cmdName(cmd);
      lines.push(`  cmd ${cmd}${name ? ` ${name}` : ''}  ${parts.join(', ')}`);
    }
    for (const [idx, attrs] of [...policy.policies].sort((a, b) => a[0] - b[0])) {
      lines.push(`policy ${idx}${sets.has(idx) ? ` (${sets.get(idx)})` : ''}:`);
      for (const [n, p] of [...attrs].sort((a, b) => a[0] - b[0])) {
        const name = names(idx, n);
        lines.push(`  ${String(n).padStart(3)}  ${(name.spec ?? name.name ?? '-').padEnd(20)} ${p.type.padEnd(12)} ${bounds(p).join(', ')}`.trimEnd());
      }
    }
    out.write(lines.join('\n') + '\n');
  }
  await out.flush();
}
