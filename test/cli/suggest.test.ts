// Every place a name is taken offers the closest names when it matches none: one nlctl: line, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNlctl } from '../helpers.js';

const CASES: [string, string[], RegExp][] = [
  ['protocol', ['send', '-p', 'genric', '--dry-run', 'x'], /^nlctl: unknown protocol 'genric'; did you mean generic\?/],
  ['protocol of dump', ['dump', '--proto', 'rout', '--type', '18'], /^nlctl: unknown protocol 'rout'; did you mean route\?/],
  ['protocol of decode', ['decode', '-p', 'audti', '00'], /^nlctl: unknown protocol 'audti'; did you mean audit\?/],
  ['protocol of sockets', ['sockets', '--proto', 'usersok'], /^nlctl: unknown protocol 'usersok'; did you mean usersock\?/],
  ['type', ['send', '-t', 'RTM_GETLNK', '--dry-run'], /^nlctl: unknown message type 'RTM_GETLNK' for protocol route; did you mean RTM_GETLINK\b/],
  ['short type', ['encode', '-t', 'getadr'], /did you mean RTM_GETADDR\b/],
  ['family', ['send', '--family', 'ethtol', '--cmd', '1', '--dry-run'], /^nlctl: no generic netlink family 'ethtol'; did you mean ethtool\?/],
  ['command', ['send', '--family', 'nlctrl', '--cmd', 'getfamly', '--dry-run'], /^nlctl: unknown command 'getfamly' for family nlctrl; did you mean (CTRL_CMD_GETFAMILY|getfamily)\b/],
  ['group', ['listen', '-g', 'ipv4-routes', '--timeout', '0'], /^nlctl: --group: unknown group 'ipv4-routes'; did you mean ipv4-route\b.*\(groups: all, link, notify/],
  ['genl group', ['listen', '-p', 'generic', '-g', 'nlctrl:notfy', '--timeout', '0'], /^nlctl: --group: family nlctrl has no multicast group 'notfy'; did you mean notify\?/],
  ['attribute', ['encode', '-t', 'RTM_GETLINK', '--attr', 'IFLA_IFNAM=lo'], /^nlctl: --attr: unknown attribute 'IFLA_IFNAM'.*; did you mean IFLA_IFNAME\?/],
  ['header field', ['encode', '-t', 'RTM_GETLINK', '--header', 'ifi_indx=1'], /^nlctl: --header: ifinfomsg has no field 'ifi_indx'.*; did you mean ifi_index\?/],
  ['enum value', ['encode', '-t', 'RTM_NEWROUTE', '--header', 'rtm_scope=lnk'], /^nlctl: --header: 'lnk' is neither a number nor a name in \S+ .*; did you mean link\?/],
  ['dump target', ['dump', 'rout'], /^nlctl: cannot dump 'rout'; did you mean route\?/],
  ['routing table', ['dump', 'route', '--table', 'mian'], /^nlctl: --table: unknown table 'mian'; did you mean main\?/],
  ['shell', ['completion', 'bsh'], /^nlctl: completion: unknown shell 'bsh'; did you mean (zsh or )?bash\?/],
];

for (const [what, args, pattern] of CASES) {
  test(`a wrong ${what} name: the closest names, one line, exit 2`, () => {
    const r = runNlctl(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  });
}

test("ss's and ip's protocol names are accepted", () => {
  for (const alias of ['rtnl', 'inet_diag', 'tcpdiag', 'genl', 'nft']) {
    const r = runNlctl(['encode', '-p', alias, '-t', '16', '--hex', '00']);
    assert.equal(r.code, 0, `${alias}: ${r.stderr}`);
  }
  const rtnl = runNlctl(['encode', '-p', 'rtnl', '-t', 'RTM_GETLINK']);
  const route = runNlctl(['encode', '-p', 'route', '-t', 'RTM_GETLINK', '--seq', '1']);
  assert.equal(rtnl.code, 0);
  assert.equal(runNlctl(['encode', '-p', 'rtnl', '-t', 'RTM_GETLINK', '--seq', '1']).stdout, route.stdout);
});

test('enum values as ip spells them encode to the numbers', () => {
  const byName = runNlctl(['encode', '-t', 'RTM_NEWROUTE', '--seq', '1', '--header', 'rtm_family=inet,rtm_scope=universe,rtm_table=main,rtm_type=unicast']);
  const byNumber = runNlctl(['encode', '-t', 'RTM_NEWROUTE', '--seq', '1', '--header', 'rtm_family=2,rtm_scope=0,rtm_table=254,rtm_type=1']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(byName.stdout, byNumber.stdout);
  const cName = runNlctl(['encode', '-t', 'RTM_NEWROUTE', '--seq', '1', '--header', 'rtm_scope=RT_SCOPE_LINK']);
  const short = runNlctl(['encode', '-t', 'RTM_NEWROUTE', '--seq', '1', '--header', 'rtm_scope=link']);
  assert.equal(cName.code, 0, cName.stderr);
  assert.equal(cName.stdout, short.stdout);
  assert.match(runNlctl(['decode', short.stdout.trim()]).stdout, /rtm_scope="link"/);
});
