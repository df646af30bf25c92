// The codec: pure functions from bytes to plain objects and back. No I/O, no other layer.
export * from './align.js';
export * from './attr.js';
export * from './bytes.js';
export * from './constants.js';
export type * from './diagnostics.js';
export * from './errno.js';
export * from './error.js';
export * from './header.js';
export * from './inet.js';
export * from './message.js';
