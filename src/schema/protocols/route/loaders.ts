// The composition of the rtnetlink tables behind a function. The bundle (scripts/bundle.mjs,
// lazyProtocols) turns it into a require() of build.ts, run on the first call: with the table
// cache, a start-up never loads the hand tables, the spec compiler or the composer. The compiled
// modules (build/src) import it as here.
import { composeRouteTables } from './build.js';
import type { Schema } from '../../types.js';

export const ROUTE_LOADERS: { compose: () => Schema } = {
  compose: () => composeRouteTables(),
};
