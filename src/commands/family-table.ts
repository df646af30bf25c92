// The generic netlink family table of nlctl's captures: the CTRL_CMD_NEWFAMILY replies that
// named the families of the traffic, written before it (PcapFile.familyTable) so that a
// capture decodes alone. Recognised by what the frame says of itself: generic netlink, sll_pkttype
// PACKET_USER (6; nlctl's own records are 0 or 4), and nothing but nlctrl's CTRL_CMD_NEWFAMILY.
// Misreading someone else's such frame costs nothing: its ids are learned either way, only
// the label differs.
import { PACKET_USER, type NetlinkFrameInfo } from '../capture/pcap.js';
import { NETLINK_GENERIC } from '../codec/constants.js';
import type { DecodedMessage } from '../schema/index.js';

/** Could this frame be a family table (to be told by its messages)? Cheap: the cooked header only. */
export function mayBeFamilyTable(frame: Pick<NetlinkFrameInfo, 'protocol' | 'pktType'>): boolean {
  return frame.protocol === NETLINK_GENERIC && frame.pktType === PACKET_USER;
}

export function isFamilyTable(frame: Pick<NetlinkFrameInfo, 'protocol' | 'pktType'>, msgs: DecodedMessage[]): boolean {
  return mayBeFamilyTable(frame) && msgs.length > 0 &&
    msgs.every((m) => m.family === 'nlctrl' && m.type_name === 'CTRL_CMD_NEWFAMILY');
}
