// The schema layer: declarative protocol tables and the generic decoder over them.
export type * from './decoded.js';
export { headerLayout, makeHeader } from './decoded.js';
export * from './decode.js';
export * from './registry.js';
export * from './record.js';
export { decodeRecord } from './record-decode.js';
export type * from './types.js';
export { tableNames } from './protocols/table-cache.js';
