// Each protocol's schema by its name in NETLINK_PROTOCOLS, behind a function. The bundle
// (scripts/bundle.mjs, lazyProtocols) turns each function into a require() of its module, run on
// the first call: a start-up builds only the tables of the protocol it decodes. ES modules cannot
// be required, so the compiled modules (build/src) import them all, as here.
import { auditSchema } from './audit.js';
import { genericSchema } from './generic/index.js';
import { netfilterSchema } from './netfilter/index.js';
import { routeSchema } from './route/index.js';
import { sockDiagSchema } from './sock_diag/index.js';
import { testSchema } from './test.js';
import { ueventSchema } from './uevent.js';
import type { Schema } from '../types.js';

export const PROTOCOL_LOADERS: Record<string, () => Schema> = {
  route: () => routeSchema,
  sock_diag: () => sockDiagSchema,
  audit: () => auditSchema,
  netfilter: () => netfilterSchema,
  uevent: () => ueventSchema,
  generic: () => genericSchema,
  // Compiled from the test module's spec on first call.
  test: () => testSchema(),
};
