// A problem found while decoding, pinned to the byte where it was found.
// Decoders collect these instead of throwing, so a malformed message still decodes as far as it can.
export interface Diagnostic {
  offset: number;
  message: string;
}
