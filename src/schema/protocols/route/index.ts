// NETLINK_ROUTE (rtnetlink): links, addresses, routes, neighbours, rules, tc — from the kernel's
// rt-link, rt-addr, rt-route, rt-neigh, rt-rule and tc specs, with hand tables for what no spec
// covers (netconf, nsid, some link kinds) and for record values shown the way `ip -j` shows them.
// The tables come from the build-time cache; composed (build.ts) only where it cannot serve.
import type { Schema } from '../../types.js';
import { lazySchema } from '../lazy.js';
import { ROUTE_SPECS, RTNL_GROUPS } from './constants.js';
import { ROUTE_LOADERS } from './loaders.js';

export { AF, ROUTE_SPECS, RTNL_GROUPS } from './constants.js';

/** NLMSG_ALIGN(sizeof(struct rtgenmsg)): the most a dump request's short family header takes. */
const RTGENMSG_SPACE = 4;

export const routeSchema: Schema = lazySchema(0, 'route', () => ROUTE_LOADERS.compose(), { groups: RTNL_GROUPS, shortHeader: { struct: 'rtgenmsg', space: RTGENMSG_SPACE } }, ROUTE_SPECS);
