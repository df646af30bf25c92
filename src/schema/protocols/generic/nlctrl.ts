// The generic netlink controller "nlctrl" (GENL_ID_CTRL). Its attributes and operations come
// from its YNL spec; what the spec leaves out is the CTRL_CMD_* enum of <linux/genetlink.h> for
// the notifications (NEWFAMILY, DELFAMILY, …), which the decoder names here.
import { enumSeq } from '../../define.js';

export { GENL_ID_CTRL } from '../../../codec/constants.js';

export const CTRL_CMDS: Record<number, string> = enumSeq(0, [
  null, 'CTRL_CMD_NEWFAMILY', 'CTRL_CMD_DELFAMILY', 'CTRL_CMD_GETFAMILY', 'CTRL_CMD_NEWOPS', 'CTRL_CMD_DELOPS',
  'CTRL_CMD_GETOPS', 'CTRL_CMD_NEWMCAST_GRP', 'CTRL_CMD_DELMCAST_GRP', 'CTRL_CMD_GETMCAST_GRP', 'CTRL_CMD_GETPOLICY',
]);
