// Options that mean nothing for the message being built are refused rather than ignored:
// `--cmd` without `--family`, `--type` next to `--family`, nlmsghdr fields for a protocol whose
// datagrams have no nlmsghdr (uevent).
import { UsageError } from '../errors.js';
import type { Schema } from '../schema/index.js';
import type { MessageOptions } from './message-options.js';

const HEADER_OPTIONS: [keyof MessageOptions, string][] = [
  ['type', '--type'], ['flags', '--flags'], ['seq', '--seq'], ['pid', '--pid'], ['family', '--family'],
  ['header', '--header'], ['headerHex', '--header-hex'], ['attr', '--attr'],
];

export function checkOptionCombinations(o: MessageOptions, schema: Schema): void {
  if (schema.framing === 'raw') {
    const given = HEADER_OPTIONS.filter(([key]) => o[key] !== undefined).map(([, flag]) => flag);
    if (given.length) {
      throw new UsageError(`${schema.name} datagrams have no nlmsghdr and no attributes: ${given.join(', ')} cannot apply (give the datagram as text, --hex or --file)`);
    }
  }
  if (o.family !== undefined) {
    if (o.type !== undefined) throw new UsageError('give --type or --family, not both: a generic netlink family id is the message type');
    if (o.header !== undefined) throw new UsageError('--header cannot fill genlmsghdr: it is made of --cmd and --genl-version (or give it whole with --header-hex)');
  } else {
    if (o.cmd !== undefined) throw new UsageError('--cmd is a generic netlink command: give the family too (--family NAME)');
    if (o.genlVersion !== undefined) throw new UsageError('--genl-version is for generic netlink: give the family too (--family NAME)');
  }
}
