// C names strace prints for numbers (RTM_NEWLINK, IFF_UP, AF_INET, IFLA_IFNAME, …), resolved to
// their values. The table is generated from the kernel's uapi headers by scripts/gen-cnames.mjs
// (gcc computes every value) and loaded on first use only: most decodes never need it.
import type { ExprTerm } from './syntax.js';

let table: Record<string, number> | undefined;

/** Loads the table (a dynamic import: bundled, yet parsed only when strace text is decoded). */
export async function loadCNames(): Promise<void> {
  table ??= (await import('./cnames.json', { with: { type: 'json' } })).default.values as Record<string, number>;
}

function values(): Record<string, number> {
  if (!table) throw new Error('C names used before loadCNames()');
  return table;
}

/**
 * Names strace prints that no uapi header defines: the IFLA_INET6_FLAGS bits, which live in the
 * kernel's include/net/if_inet6.h.
 */
const KERNEL_ONLY: Record<string, number> = { IF_RS_SENT: 0x10, IF_RA_RCVD: 0x20, IF_RA_MANAGED: 0x40, IF_RA_OTHERCONF: 0x80, IF_READY: 0x80000000 };

/** The value of a C constant, or undefined when the headers define no such name. */
export function cValue(name: string): bigint | undefined {
  const v = values()[name] ?? KERNEL_ONLY[name];
  return v === undefined ? undefined : BigInt(v);
}

/**
 * The value of `A|B|1<<C|0x8`; `unknown` lists the names no header defines. strace writes
 * NLM_F_DUMP and friends as names of their own, and a few names whose value differs by message
 * kind (NLM_F_CREATE vs NLM_F_CAPPED share 0x100): the headers' value is the right one for both.
 */
export function exprValue(terms: ExprTerm[], extra?: (name: string) => bigint | undefined): { value: bigint; unknown: string[] } {
  let value = 0n;
  const unknown: string[] = [];
  const one = (t: { name?: string; value?: bigint; negate?: boolean }): bigint => {
    if (t.value !== undefined) return t.value;
    const v = extra?.(t.name!) ?? cValue(t.name!);
    if (v === undefined) unknown.push(t.name!);
    return t.negate ? -(v ?? 0n) : v ?? 0n;
  };
  for (const t of terms) {
    let v = one(t);
    if (t.shift) v <<= one(t.shift);
    value |= v;
  }
  return { value, unknown };
}
