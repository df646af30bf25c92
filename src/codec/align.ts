// Netlink aligns every header, payload and attribute to 4 bytes (NLMSG_ALIGNTO, NLA_ALIGNTO).
export const NLMSG_ALIGNTO = 4;
export const NLMSG_HDRLEN = 16;
export const NLA_HDRLEN = 4;

export function align4(len: number): number {
  return (len + 3) & ~3;
}
