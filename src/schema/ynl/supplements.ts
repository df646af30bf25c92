// What nlctl knows beyond a kernel spec, added to the family as it is compiled: the rt-link spec of
// Linux 7.3 has no IFLA_INFO_DATA format for veth, vxlan or macvlan links. A spec that has one
// (a newer kernel's, given with --spec) keeps its own.
import { linkAttrSets, linkSubMessages } from '../protocols/route/link.js';
import type { AttrSet, SubMessageFormat } from '../types.js';
import type { SpecFamily } from './compile.js';

const SUPPLEMENTS: Record<string, { attrSets: Record<string, AttrSet>; subMessages: Record<string, Record<string, SubMessageFormat>> }> = {
  'rt-link': { attrSets: linkAttrSets, subMessages: linkSubMessages },
};

export function supplement(fam: SpecFamily): SpecFamily {
  const extra = SUPPLEMENTS[fam.name];
  if (!extra) return fam;
  const s = fam.schema;
  for (const [name, formats] of Object.entries(extra.subMessages)) {
    const have = (s.subMessages ??= {})[name];
    if (!have) continue;
    for (const [value, format] of Object.entries(formats)) {
      if (have[value] || !format.attrs) continue;
      have[value] = format;
      s.attrSets[format.attrs] ??= extra.attrSets[format.attrs];
    }
  }
  return fam;
}
