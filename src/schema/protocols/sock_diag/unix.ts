// unix_diag: struct unix_diag_req / unix_diag_msg + UNIX_DIAG_* attributes (<linux/unix_diag.h>).
import { attrSet, flagBits } from '../../define.js';
import type { AttrSet, StructDef } from '../../types.js';
import { keyed } from '../common.js';

export const unixStructs: Record<string, StructDef> = {
  unix_diag_req: {
    name: 'unix_diag_req',
    fields: [
      { name: 'sdiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'sdiag_protocol', type: 'u8', key: 'protocol' },
      { name: 'udiag_states', type: 'u32', pad: 2, flags: 'tcp-states', key: 'states' },
      { name: 'udiag_ino', type: 'u32', key: 'ino' },
      { name: 'udiag_show', type: 'u32', flags: 'udiag-show', key: 'show' },
      { name: 'udiag_cookie', type: 'u64', display: 'hex', key: 'cookie' },
    ],
  },
  unix_diag_msg: {
    name: 'unix_diag_msg',
    fields: [
      { name: 'udiag_family', type: 'u8', enum: 'af', key: 'family' },
      { name: 'udiag_type', type: 'u8', enum: 'sock-type', key: 'type' },
      { name: 'udiag_state', type: 'u8', enum: 'tcp-state', key: 'state' },
      { name: 'udiag_ino', type: 'u32', pad: 1, key: 'ino' },
      { name: 'udiag_cookie', type: 'u64', display: 'hex', key: 'cookie' },
    ],
  },
  unix_diag_vfs: {
    name: 'unix_diag_vfs',
    fields: [{ name: 'udiag_vfs_ino', type: 'u32' }, { name: 'udiag_vfs_dev', type: 'u32' }],
  },
  unix_diag_rqlen: {
    name: 'unix_diag_rqlen',
    fields: [{ name: 'udiag_rqueue', type: 'u32' }, { name: 'udiag_wqueue', type: 'u32' }],
  },
};

export const unixAttrSets: Record<string, AttrSet> = {
  // The first attribute is type 0 (there is no UNIX_DIAG_NONE).
  'unix-diag': keyed(attrSet('UNIX_DIAG_', 0, [
    ['UNIX_DIAG_NAME', 'binary', { display: 'unix-path' }],
    ['UNIX_DIAG_VFS', 'struct', { struct: 'unix_diag_vfs' }],
    ['UNIX_DIAG_PEER', 'u32'],
    // Inodes of the sockets waiting in accept(): an array of u32.
    ['UNIX_DIAG_ICONS', 'binary'],
    ['UNIX_DIAG_RQLEN', 'struct', { struct: 'unix_diag_rqlen' }],
    ['UNIX_DIAG_MEMINFO', 'struct', { struct: 'sk_meminfo' }],
    ['UNIX_DIAG_SHUTDOWN', 'u8'],
    ['UNIX_DIAG_UID', 'u32'],
  ])),
};

export const unixFlagSets: Record<string, Record<number, string>> = {
  'udiag-show': flagBits(['name', 'vfs', 'peer', 'icons', 'rqlen', 'meminfo', 'uid']),
};
