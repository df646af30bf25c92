// What a generic netlink family table holds: command names, attribute set, multicast groups.

export interface GenlFamilyDef {
  /** The family name nlctrl reports (CTRL_ATTR_FAMILY_NAME). */
  name: string;
  /** genlmsghdr.cmd → C name. */
  cmds: Record<number, string>;
  /** Replies and notifications, when the family numbers them apart from requests (ethtool). */
  replyCmds?: Record<number, string>;
  /** Attribute set of every command (undefined: a generic TLV walk). */
  attrs?: string;
  /** Per-command attribute sets, where they differ from `attrs`. */
  cmdAttrs?: Record<number, string>;
  /** Per-command attribute sets of replies, where they differ. */
  replyAttrs?: Record<number, string>;
  /** Multicast group names the family registers (their ids come from nlctrl). */
  mcastGroups?: string[];
  /** Fixed family id (GENL_ID_CTRL for nlctrl); other ids are assigned at registration. */
  id?: number;
}
