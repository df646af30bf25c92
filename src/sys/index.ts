// The libc layer: socket calls and constants. Nothing above this imports ffi-rs.
export * from './constants.js';
export * from './socket.js';
export * from './receive.js';
