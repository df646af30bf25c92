// The transport layer: sockets, the receive loop, requests and their replies, and a fake for tests.
export * from './drops.js';
export * from './fake.js';
export * from './genl.js';
export * from './proc-netlink.js';
export * from './receive-loop.js';
export * from './replies.js';
export * from './request.js';
export * from './socket.js';
export type * from './types.js';
export * from './genl-policy.js';
