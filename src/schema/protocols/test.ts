// NETLINK_TEST (25), the raw protocol of the kernel test module: its tables come from the
// module's own YNL spec (kmod/netlink_test.yaml, built in as "netlink-test").
import { NETLINK_TEST } from '../../codec/constants.js';
import { emptySchema } from '../decode.js';
import type { Schema } from '../types.js';
import { specFamily } from '../ynl/index.js';

export { NETLINK_TEST };

let cached: Schema | undefined;

/**
 * The module's data attribute is bytes on the wire (YNL binary), but what the tests and people
 * send is text: show it as text when it is (a presentation choice YNL specs have no hint for).
 */
function withTextData(schema: Schema): Schema {
  const set = schema.attrSets.attrs;
  const data = set ? Object.entries(set.attrs).find(([, d]) => d.spec === 'data') : undefined;
  if (!set || !data) return schema;
  const attrs = { ...set.attrs, [data[0]]: { ...data[1], display: 'text' as const } };
  return { ...schema, attrSets: { ...schema.attrSets, attrs: { ...set, attrs } } };
}

/** The protocol's schema, compiled from the spec when first asked for. */
export function testSchema(): Schema {
  if (!cached) {
    const fam = specFamily('netlink-test');
    cached = fam ? withTextData({ ...fam.schema, protocol: NETLINK_TEST, name: 'test' }) : emptySchema(NETLINK_TEST);
  }
  return cached;
}
