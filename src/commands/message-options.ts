// The options every message-building command (send, encode) takes, as commander hands them over.
import type { Schema } from '../schema/index.js';

export interface MessageOptions {
  proto?: string;
  type?: string;
  flags?: string;
  seq?: number;
  pid?: number;
  family?: string;
  cmd?: string;
  genlVersion?: number;
  header?: string;
  headerHex?: string;
  hex?: string;
  file?: string;
  attr?: string[];
  /** Request attributes as JSON in YNL's shape (spec names). */
  request?: string;
  /** A netlink-raw spec family's tables, used instead of the protocol's (dump --family rt-link). */
  specSchema?: Schema;
  nul?: boolean;
}
