// The options every message-building command (send, encode) takes, as commander hands them over.
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
  nul?: boolean;
}
