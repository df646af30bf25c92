// listen's --group words → group numbers: numbers, names of the protocol's table, `all`, and
// for generic netlink `family:group`, `family:all` or plain `all` (every family's groups).
import { NETLINK_GENERIC } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { schemaFor } from '../schema/index.js';
import { didYouMean } from '../suggest.js';
import type { GenlFamily, Transport } from '../transport/index.js';
import { listFamilies, resolveFamilyOrSuggest } from './genl-families.js';
import { allGroups, groupNames } from './monitor-groups.js';

function groupByName(groups: Record<string, number>, word: string): number | undefined {
  const w = word.toLowerCase();
  return groups[w] ?? groups[w.replace(/^rtnlgrp_/, '').replace(/_/g, '-')];
}

export async function resolveGroups(sock: Transport, protocol: number, specs: string[]): Promise<{ groups: number[]; families: GenlFamily[] }> {
  const table = schemaFor(protocol).groups ?? {};
  const families: GenlFamily[] = [];
  const groups: number[] = [];
  const family = async (name: string) => {
    let fam = families.find((f) => f.name === name);
    if (!fam) families.push((fam = await resolveFamilyOrSuggest(sock, name)));
    return fam;
  };
  for (const word of specs.flatMap((s) => s.split(/[,\s]+/)).filter(Boolean)) {
    const colon = word.indexOf(':');
    if (colon >= 0) {
      if (protocol !== NETLINK_GENERIC) throw new UsageError(`--group ${word}: family:group names are for generic netlink (--proto generic)`);
      const fam = await family(word.slice(0, colon));
      const grp = word.slice(colon + 1);
      if (grp === 'all') {
        groups.push(...fam.groups.values());
        continue;
      }
      const id = fam.groups.get(grp);
      if (id === undefined) {
        const names = [...fam.groups.keys()];
        throw new UsageError(`--group: family ${fam.name} has no multicast group '${grp}'${didYouMean(grp, names)} (it has: ${names.length ? [...names, 'all'].join(', ') : 'none'})`);
      }
      groups.push(id);
      continue;
    }
    if (/^\d+$/.test(word)) {
      const n = Number(word);
      if (n < 1 || n > 0xffffffff) throw new UsageError(`--group: group ${word} out of range (groups start at 1)`);
      groups.push(n);
      continue;
    }
    if (word.toLowerCase() === 'all') {
      if (protocol === NETLINK_GENERIC) {
        for (const f of await listFamilies(sock)) {
          if (!f.groups.size) continue;
          families.push(f);
          groups.push(...f.groups.values());
        }
      } else {
        const all = allGroups(protocol, table);
        if (!all.length) throw new UsageError(`--group all: protocol ${schemaFor(protocol).name} has no named groups; give numbers`);
        groups.push(...all);
      }
      continue;
    }
    const n = groupByName(table, word);
    if (n === undefined) {
      const names = groupNames(table);
      const extra = protocol === NETLINK_GENERIC ? '; generic netlink groups are family:group (nlctl dump family lists them)' : '';
      throw new UsageError(`--group: unknown group '${word}'${didYouMean(word, names)}${names.length ? ` (groups: ${names.join(', ')})` : ' (this protocol has no named groups: give numbers)'}${extra}`);
    }
    groups.push(n);
  }
  return { groups: [...new Set(groups)], families };
}
