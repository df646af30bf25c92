// decode --pcap F: every datagram decode read (from hex, strace text or another capture) written
// as a LINKTYPE_NETLINK record with its protocol in the cooked header, so that Wireshark opens
// what was pasted and `nlctl decode F` reads back the same messages. Families named only by
// --genl-family go in first as a family table, so that F decodes alone.
import { realpathSync } from 'node:fs';
import {
  align4, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_NEWFAMILY, encodeAttrs, encodeMessage, genlPayload, GENL_ID_CTRL, NETLINK_GENERIC, NLMSG_HDRLEN,
} from '../codec/index.js';
import { UsageError } from '../errors.js';
import { PcapFile } from './pcap-file.js';

/** sll_pkttype for a datagram whose direction the input did not say: none of Linux's PACKET_* values, so it reads back as unknown. */
export const PKTTYPE_UNKNOWN = 0xffff;

const CTRL_VERSION = 2;

/** A CTRL_CMD_NEWFAMILY that says only what --genl-family said: id and name (nlctl's, not the kernel's). */
export function familyMessage(id: number, name: string): Uint8Array {
  const idValue = new Uint8Array(2);
  new DataView(idValue.buffer).setUint16(0, id, true);
  const attrs = encodeAttrs([
    { type: CTRL_ATTR_FAMILY_NAME, value: new TextEncoder().encode(name + '\0') },
    { type: CTRL_ATTR_FAMILY_ID, value: idValue },
  ]);
  return encodeMessage({ type: GENL_ID_CTRL, flags: 0, seq: 0, pid: 0 }, genlPayload(CTRL_CMD_NEWFAMILY, attrs, CTRL_VERSION));
}

export class DecodePcap {
  private readonly file: PcapFile;
  private pendingFamilies: Map<number, string>;

  constructor(path: string, input: string | undefined, families: Map<number, string>) {
    if (input !== undefined && sameFile(path, input)) throw new UsageError(`--pcap ${path}: that is the input being decoded`);
    this.file = new PcapFile(path);
    this.pendingFamilies = families;
  }

  get records(): number {
    return this.file.records;
  }

  /** One datagram as decode read it; `pktType` keeps a capture's own cooked header value. */
  datagram(protocol: number, bytes: Uint8Array, direction: 'in' | 'out' | undefined, timeNs = 0n, pktType?: number): void {
    if (protocol === NETLINK_GENERIC && this.pendingFamilies.size) {
      for (const [id, name] of this.pendingFamilies) this.file.familyTable(id, familyMessage(id, name), timeNs);
      this.pendingFamilies = new Map();
    }
    this.file.write(protocol, bytes, direction ?? 'in', timeNs, pktType ?? (direction ? undefined : PKTTYPE_UNKNOWN), claimedLength(bytes));
  }

  close(): void {
    this.file.close();
  }
}

/**
 * How long the datagram was, by its messages' nlmsg_len, when its last message goes on past the
 * bytes known (strace cut a value short, a dump ended early): the record then says it holds only
 * the start. Undefined when the bytes are whole, or their lengths are not to be believed.
 */
export function claimedLength(bytes: Uint8Array): number | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (bytes.length - off >= NLMSG_HDRLEN) {
    const len = dv.getUint32(off, true);
    if (len < NLMSG_HDRLEN) return undefined;
    if (off + len > bytes.length) return off + len <= MAX_CLAIM ? off + len : undefined;
    off += align4(len);
  }
  return undefined;
}

/** A claim past this is a damaged length, not a datagram strace cut short. */
const MAX_CLAIM = 1 << 24;

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
