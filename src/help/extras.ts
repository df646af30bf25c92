// Help text computed from the tables (group names for listen); loaded only when help is asked
// for, so that ordinary commands do not pay for the schema at start-up.
import { groupNames } from '../commands/monitor-groups.js';
import { protocolName, schemaFor } from '../schema/index.js';

function wrap(words: string[], width = 76, indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 2 > width) {
      lines.push(indent + line + ',');
      line = w;
    } else line = line ? `${line}, ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export async function helpExtras(): Promise<Record<string, string>> {
  const parts: string[] = [];
  for (const protocol of [0, 2, 4, 9, 12, 15, 25]) {
    const names = groupNames(schemaFor(protocol).groups);
    if (names.length) parts.push(`Groups of --proto ${protocolName(protocol)}${protocol === 0 ? ' (the default; all = what ip monitor all watches)' : ''}:\n${wrap(names)}`);
  }
  parts.push('Generic netlink (--proto generic): family:group, e.g. nlctrl:notify, or family:all;\n  nlctl dump family lists the families and their groups.');
  return { listen: parts.join('\n') + '\n' };
}
