// The vocabulary of protocol tables, shaped after the kernel's YNL specs: wire types kept apart
// from display hints, enums and flag sets named and shared. A protocol is data of these types;
// decode.ts and encode.ts are the one generic decoder and encoder.
import type { NlMsgHeader } from '../codec/index.js';
import type { DecodedMessage } from './decoded.js';

/** How the bytes are laid out on the wire. */
export type WireType =
  | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64'
  | 'string' // NUL-terminated or not
  | 'binary'
  | 'flag' // zero-length: present means true
  | 'nest' // attributes of the set named by `nested`
  | 'nest-array' // nested attributes whose types are indexes, each holding a `nested` set
  | 'struct' // a fixed C struct named by `struct`
  | 'struct-list' // back-to-back `struct`s, each sized by its `lengthField`, the rest of each being attributes of `nested` (rtnexthop)
  | 'uint' | 'sint' // variable width: 4 or 8 bytes (YNL's uint/sint, the kernel's NLA_UINT/NLA_SINT)
  | 'bitfield32' // struct nla_bitfield32 { value, selector }
  | 'pad' // padding: skipped in records and YNL output
  | 'indexed-array' // children whose types are indexes, each holding one `subType` value (or a `nested` set)
  | 'sub-message'; // a value whose layout (`subMessage`) is picked by a sibling's value (`selector`)

/** How a value is shown: addresses as addresses, numbers in hex, bytes as text. */
export type Display =
  | 'ipv4' | 'ipv6' | 'addr' | 'mac' | 'hex' | 'text'
  // A 16-byte address field whose family is in another field (`familyField`): AF_INET uses the first 4 bytes.
  | 'inet-addr16'
  // A bitmap of 1-based numbers (bit 0 of byte 0 is 1), e.g. netlink multicast groups.
  | 'bitmap'
  // A sockaddr_un path: an abstract name (leading NUL) is shown as "@name", as ss does.
  | 'unix-path'
  // A 16-byte UUID (YNL display-hint uuid).
  | 'uuid';

export interface ValueDef {
  type: WireType;
  display?: Display;
  /** Name of an enum table: the value is shown by name. */
  enum?: string;
  /** Name of a flag table: the value is a bitmask shown as a list of names. */
  flags?: string;
  /** Big-endian integer (network byte order), e.g. ports and some netfilter values. */
  be?: boolean;
  /** Attribute set for 'nest' and 'nest-array'. */
  nested?: string;
  /** Struct name for 'struct'. */
  struct?: string;
  /** Key in flattened records (default: the name, lower-cased, without the set's prefix). */
  key?: string;
  /** For 'nest-array': levels of index nesting (CTRL_ATTR_POLICY is policy index → attribute type → set); default 1. */
  depth?: number;
  /**
   * For 'nest-array': the indexes mean something (an attribute type, a command), so records keep
   * them as object keys; otherwise they are mere counters and records get a list.
   */
  indexed?: boolean;
  /** For 'struct-list': the struct field that holds each element's length (header included). */
  lengthField?: string;
  /** For display 'inet-addr16': the field (in this struct or an enclosing one) holding the address family. */
  familyField?: string;
  /** The YNL spec's name (`dev-name`), beside the C name. */
  spec?: string;
  /** For 'indexed-array' and for 'binary' arrays of integers: the element type. */
  subType?: WireType;
  /** For 'sub-message': the name in Schema.subMessages, and the spec name of the attribute that picks a format. */
  subMessage?: string;
  selector?: string;
  /** YNL multi-attr: the attribute may repeat; YNL output gives a list. */
  multi?: boolean;
  /** An enum table read as a bitmask of 1 << value (YNL enum-as-flags). */
  enumAsFlags?: boolean;
  /** For a YNL nest-type-value: the names of the index levels (their types are values). */
  typeValue?: string[];
  /** Not from the tables: typed by the kernel's policy (CTRL_CMD_GETPOLICY); `policyType` is its NL_ATTR_TYPE_* name. */
  typedBy?: 'policy';
  policyType?: string;
}

/** One format of a sub-message: an optional fixed header struct, then attributes of a set. */
export interface SubMessageFormat {
  header?: string;
  attrs?: string;
}

export interface AttrDef extends ValueDef {
  /** The C name, e.g. IFLA_IFNAME. */
  name: string;
}

export interface AttrSet {
  /** Common prefix stripped to make record keys, e.g. "IFLA_". */
  prefix: string;
  /** The YNL spec's name of the set, when it came from a spec. */
  spec?: string;
  attrs: Record<number, AttrDef>;
}

export interface FieldDef extends ValueDef {
  name: string;
  /** Bytes to skip before this field (padding). */
  pad?: number;
  /** For 'binary' / 'string' fields: their size. Left out on the last field: a flexible array taking the rest. */
  size?: number;
}

export interface StructDef {
  /** C name, e.g. "ifinfomsg". */
  name: string;
  /** The YNL spec's name, when it came from a spec. */
  spec?: string;
  fields: FieldDef[];
}

/** The kind of a request decides how flag bits 0x100–0x800 read. */
export type MessageKind = 'get' | 'new' | 'del' | 'other';

export interface MessageDef {
  name: string;
  kind: MessageKind;
  /** Fixed family header struct after nlmsghdr (ifinfomsg, rtmsg, genlmsghdr, …). */
  header?: string;
  /** Attribute set after the fixed header. */
  attrs?: string;
  /** Payload that is text (e.g. audit) or key=value (uevent), not attributes. */
  payload?: 'text' | 'uevent' | 'binary';
  /** The YNL spec's operation name (`linkinfo-get`), when it came from a spec. */
  spec?: string;
}

export interface Schema {
  protocol: number;
  name: string;
  messages: Record<number, MessageDef>;
  structs: Record<string, StructDef>;
  attrSets: Record<string, AttrSet>;
  enums: Record<string, Record<number, string>>;
  /** Flag tables: bit value → name. */
  flagSets: Record<string, Record<number, string>>;
  /** Multicast group names → numbers, for `listen --group NAME`. */
  groups?: Record<string, number>;
  /** YNL sub-messages: name → selector value → format. */
  subMessages?: Record<string, Record<string, SubMessageFormat>>;
  /**
   * A fixed header a dump request may carry in place of its message's own, when its payload is
   * shorter than that and at most `space` bytes: rtnetlink takes struct rtgenmsg (one family
   * byte, padded) in RTM_GETLINK/GETADDR dumps, as pyroute2 and older iproute2 send them.
   */
  shortHeader?: { struct: string; space: number };
  /**
   * When a message's layout depends on more than its type (genl family by id, netfilter
   * subsystem in the type's high byte), this picks the MessageDef from the raw message.
   * `header` is the message's nlmsghdr: requests and replies of one type may differ (sock_diag).
   */
  resolve?: (type: number, payload: Uint8Array, ctx: DecodeContext, header: NlMsgHeader) => (MessageDef & { family?: string; schema?: Schema }) | undefined;
  /**
   * Called with each decoded data message, to remember what later messages need (genl family ids
   * from nlctrl). It may read only family, type_name and the top-level attributes' type and value,
   * and keep none of the objects: the fast JSON path shows it no more, in objects it reuses
   * (src/format/fast/lesson.ts).
   */
  learn?: (m: DecodedMessage, ctx: DecodeContext) => void;
  /**
   * 'raw': datagrams carry no nlmsghdr (NETLINK_KOBJECT_UEVENT); `decodeRaw` decodes one whole datagram.
   * Absent or 'nlmsg': the usual back-to-back netlink messages.
   */
  framing?: 'nlmsg' | 'raw';
  /** The tables of one generic netlink family (from its spec), for records of its messages. */
  forFamily?: (family: string, reply: boolean) => Schema | undefined;
  decodeRaw?: (data: Uint8Array, ctx: DecodeContext) => DecodedMessage;
}

/** Facts about all of a schema's attribute sets at once (src/schema/overview.ts). */
export interface TablesOverview {
  /** The first attribute of each C name, in table order, as its set's name and its type. */
  firstByName: Map<string, [string, number]>;
  /** The spec names of every sub-message selector. */
  selectors: Set<string>;
}

// A generic netlink family's attribute policy as the kernel reports it (nlctrl CTRL_CMD_GETPOLICY,
// <linux/netlink.h> enum netlink_policy_type_attr), compiled into attribute sets.
/** One attribute of one policy: NL_POLICY_TYPE_ATTR_* by nlctrl's spec names. */
export interface PolicyAttr {
  /** enum netlink_attribute_type by nlctrl's spec name: u16, nul-string, nested, … */
  type: string;
  /** Value bounds (MIN/MAX_VALUE_S or _U); 64-bit values beyond 2^53 as decimal strings. */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  /** For nested and nested-array: the policy of the inner attributes, and its highest type. */
  policy?: number;
  maxType?: number;
  mask?: number | string;
  bitfield32Mask?: number;
}

export interface FamilyPolicy {
  family: string;
  /** Command → policy index for doit and dumpit (CTRL_ATTR_OP_POLICY). */
  ops: Map<number, { do?: number; dump?: number }>;
  /** Policy index → attribute type → its policy. */
  policies: Map<number, Map<number, PolicyAttr>>;
  /** The same as attribute sets: `policy-N`, and `policy-any` for messages no op's policy covers. */
  sets: Record<string, AttrSet>;
}

/** What a decoder knows beyond the bytes: generic netlink families learned so far. */
export interface DecodeContext {
  genlFamilies: Map<number, string>;
  /** Policies the kernel gave for generic netlink families, by family name: they type what no table knows. */
  genlPolicies?: Map<string, FamilyPolicy>;
}
