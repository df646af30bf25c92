// errno numbers to names and texts, for decoded errors (pure: no libc needed offline).
import { ERRNO_TABLE } from './errno-table.js';

// Kernel-internal codes (include/linux/errno.h) that leak to user space through netlink errors.
const KERNEL_INTERNAL: Record<number, [string, string]> = {
  512: ['ERESTARTSYS', 'Restart system call'],
  513: ['ERESTARTNOINTR', 'Restart system call (no interrupt)'],
  515: ['ENOIOCTLCMD', 'No ioctl command'],
  521: ['EBADHANDLE', 'Illegal NFS file handle'],
  524: ['ENOTSUPP', 'Operation is not supported'],
  526: ['ETOOSMALL', 'Buffer or request is too small'],
};

export interface ErrnoInfo {
  errno: number;
  name: string;
  text: string;
}

/** Describe a positive errno number. Unknown numbers get a name like "E1234". */
export function errnoInfo(errno: number): ErrnoInfo {
  const e = Math.abs(errno);
  const row = ERRNO_TABLE[e] ?? KERNEL_INTERNAL[e];
  return row ? { errno: e, name: row[0], text: row[1] } : { errno: e, name: `E${e}`, text: `Unknown error ${e}` };
}

let byName: Map<string, number> | undefined;

export function errnoByName(name: string): number | undefined {
  // Made when first asked for: most runs never read an errno by name.
  if (!byName) {
    byName = new Map();
    for (const [n, [errName]] of Object.entries({ ...ERRNO_TABLE, ...KERNEL_INTERNAL })) byName.set(errName, Number(n));
  }
  return byName.get(name.toUpperCase());
}
