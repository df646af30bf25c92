// /proc/net/netlink, the kernel's text table of netlink sockets in the reader's namespace:
//   sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
// Groups shows the first 32 groups only (one hex word).
import { bitmapList, view } from '../codec/index.js';

const ETH = 1, PID = 2, GROUPS = 3, RMEM = 4, WMEM = 5, DROPS = 8, INODE = 9;
const COLUMNS = 10;
const GROUP_BYTES = 4;

export interface ProcNetlinkRow {
  protocol: number;
  portid: number;
  groups: number[];
  rmem: number;
  wmem: number;
  drops: number;
  inode: number;
}

export function parseProcNetlink(text: string): ProcNetlinkRow[] {
  const rows: ProcNetlinkRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < COLUMNS) continue;
    const word = new Uint8Array(GROUP_BYTES);
    view(word).setUint32(0, parseInt(f[GROUPS], 16) >>> 0, true);
    const groups = bitmapList(word);
    rows.push({
      protocol: Number(f[ETH]), portid: Number(f[PID]), groups,
      rmem: Number(f[RMEM]), wmem: Number(f[WMEM]), drops: Number(f[DROPS]), inode: Number(f[INODE]),
    });
  }
  return rows;
}
