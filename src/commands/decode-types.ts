// The shapes decode's input paths share (decode.ts, decode-capture.ts).

export interface DecodeOptions {
  proto?: string;
  strict?: boolean;
  jobs?: number;
  genlFamily?: string[];
  pcap?: string;
}

export interface Tally {
  messages: number;
  diagnostics: number;
}
