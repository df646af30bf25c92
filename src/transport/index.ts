// The transport layer: sockets, requests, and a fake for tests.
export * from './fake.js';
export * from './genl.js';
export * from './request.js';
export * from './socket.js';
export type * from './types.js';
