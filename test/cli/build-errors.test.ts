// Building a message refuses what would be malformed with one `nlctl:` line and exit 2, or says
// a warning and sends what was asked where the user may mean it (a family header of another size).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { ndjson, runNlctl } from '../helpers.js';

const TYPES = 'u8, u16, u32, u64, s8, s16, s32, s64, be16, be32, be64, str, string, strz, bytes, text, hex, bin, binary, flag, ipv4, ipv6, ip, mac';
const GETLINK = ['encode', '-t', 'RTM_GETLINK'];

// [what, arguments after `encode -t RTM_GETLINK` (or whole, when they start with encode or send), stderr]
const REFUSED: [string, string[], string][] = [
  ['attribute type above 14 bits', ['--attr', '99999=u8:1'], "--attr: attribute type 99999 does not fit in nla_type's 14 bits (0-16383)"],
  ['attribute type 16384', ['--attr', '16384=u8:1'], "--attr: attribute type 16384 does not fit in nla_type's 14 bits (0-16383)"],
  ['a bare name for a valued attribute', ['--attr', 'IFLA_MTU'], '--attr: IFLA_MTU needs a value: IFLA_MTU=<u32> (a bare name is only for flag attributes)'],
  ['a bare name for a nest', ['--attr', 'IFLA_LINKINFO'], '--attr: IFLA_LINKINFO is nested: write IFLA_LINKINFO={ATTR=value,…} ({} for an empty nest)'],
  ['a value for a flag', ['--attr', '999=flag:1'], "--attr: 999: a flag takes no value (got '1'): present means set"],
  ['a value for an explicit flag on a known attribute', ['--attr', '5=flag:1'], "--attr: 5: a flag takes no value (got '1'): present means set"],
  ['empty --flags', ['--flags', ''], "--flags: no flags in '' (names like request,ack,dump, or a number; 0 for none)"],
  ['--flags with only separators', ['--flags', ','], "--flags: no flags in ',' (names like request,ack,dump, or a number; 0 for none)"],
  ['u8 above 255', ['--attr', 'IFLA_MTU=u8:300'], '--attr: IFLA_MTU: 300 is out of range for u8 (0 to 255)'],
  ['negative for unsigned', ['--attr', 'IFLA_MTU=-1'], '--attr: IFLA_MTU: -1 is out of range for u32 (0 to 4294967295)'],
  ['be16 above 65535', ['--attr', 'IFLA_MTU=be16:70000'], '--attr: IFLA_MTU: 70000 is out of range for u16 (0 to 65535)'],
  ['a header field out of range', ['--header', 'ifi_family=300'], '--header: 300 is out of range for u8 (0 to 255)'],
  ['an unknown type prefix', ['--attr', 'IFLA_MTU=bogustype:5'], `--attr: IFLA_MTU: unknown type 'bogustype' (types: ${TYPES})`],
  ['an unknown type prefix on a numbered attribute', ['--attr', '999=bogustype:5'], `--attr: 999: unknown type 'bogustype' (types: ${TYPES})`],
  ['a type with no value', ['--attr', 'IFLA_MTU=u32'], "--attr: IFLA_MTU: 'u32' is not a whole number (a type goes before a colon: IFLA_MTU=u32:VALUE)"],
  ['an unclosed brace', ['--attr', 'IFLA_LINKINFO={IFLA_INFO_KIND=veth'], "--attr: unbalanced braces in 'IFLA_LINKINFO={IFLA_INFO_KIND=veth'"],
  ['a stray closing brace', ['--attr', 'IFLA_LINKINFO=veth}'], "--attr: unbalanced braces in 'IFLA_LINKINFO=veth}'"],
  ['braces on a plain value', ['--attr', 'IFLA_MTU={IFLA_INFO_KIND=veth}'], '--attr: IFLA_MTU holds a u32, not attributes: write IFLA_MTU=value'],
  ['an empty --attr', ['--attr', ''], "--attr: '' holds no attribute (write NAME=value)"],
  ['an address that is not one', ['-t', 'RTM_NEWADDR', '--attr', 'IFA_ADDRESS=999.1.1.1'], "--attr: IFA_ADDRESS: '999.1.1.1' is not an IPv4 or IPv6 address (or hex bytes)"],
  ['an IPv6 address with two ::', ['-t', 'RTM_NEWADDR', '--attr', 'IFA_ADDRESS=12::34::56'], "--attr: IFA_ADDRESS: '12::34::56' is not an IPv4 or IPv6 address (or hex bytes)"],
  ['a MAC address with a 3-digit group', ['--attr', 'IFLA_ADDRESS=1:2:3:4:5:1ff'], "--attr: IFLA_ADDRESS: '1:2:3:4:5:1ff' is not a MAC address (or hex bytes)"],
  ['a --header part without =', ['--header', 'ifi_index'], "--header: expected field=value, got 'ifi_index'"],
  ['an unknown flag name in --header', ['--header', 'ifi_flags=up,bogus'], "--header: 'bogus' is not a flag of iff (flags: UP, BROADCAST, DEBUG, LOOPBACK, POINTOPOINT, NOTRAILERS, RUNNING, NOARP, PROMISC, ALLMULTI, MASTER, SLAVE, MULTICAST, PORTSEL, AUTOMEDIA, DYNAMIC, LOWER_UP, DORMANT, ECHO)"],
  ['an unknown enum name in --header', ['--header', 'ifi_family=AF_BOGUS'], "--header: 'AF_BOGUS' is neither a number nor a name in af (AF_UNSPEC, AF_UNIX, AF_INET, AF_AX25, AF_IPX, AF_APPLETALK, AF_BRIDGE, AF_INET6, AF_NETLINK, AF_PACKET, AF_MPLS, AF_CAN, …)"],
  ['--hex that is not hex', ['--hex', 'xyz'], "--hex: 'xyz' is not hex bytes (pairs of digits 0-9, a-f)"],
  ['--header-hex that is not hex', ['--header-hex', 'zz'], "--header-hex: 'zz' is not hex bytes (pairs of digits 0-9, a-f)"],
  ['a message type above 16 bits', ['encode', '-t', '70000'], '--type 70000: nlmsg_type is 16 bits (0-65535)'],
  ['an unknown message type', ['encode', '-t', 'bogus'], "unknown message type 'bogus' for protocol route (a name like RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, or a number)"],
  ['an unknown message type of a protocol without names', ['encode', '-p', '30', '-t', 'bogus'], "unknown message type 'bogus' for protocol 30 (it has no names: give a number)"],
  ['an attribute with no name', ['--attr', '=5'], "--attr: '=5' has no attribute name before '='"],
  ['nlmsghdr options for uevent, which has none', ['encode', '-p', 'uevent', '-t', '5', '--attr', '1=u8:1'], 'uevent datagrams have no nlmsghdr and no attributes: --type, --attr cannot apply (give the datagram as text, --hex or --file)'],
  ['--header with --family', ['encode', '--family', 'nlctrl', '--cmd', 'getfamily', '--header', 'cmd=1'], '--header cannot fill genlmsghdr: it is made of --cmd and --genl-version (or give it whole with --header-hex)'],
  ['--type with --family', ['encode', '--family', 'nlctrl', '-t', '5', '--cmd', '3'], 'give --type or --family, not both: a generic netlink family id is the message type'],
  ['--cmd without --family', ['--cmd', '3'], '--cmd is a generic netlink command: give the family too (--family NAME)'],
  ['--genl-version without --family', ['--genl-version', '3'], '--genl-version is for generic netlink: give the family too (--family NAME)'],
  ['--nul without text', ['--nul'], '--nul NUL-terminates a text payload: give the text as an argument'],
  ['an empty number', ['--seq', ''], "--seq: '' is not a whole number from 0 to 4294967295"],
  ['a number in exponent form', ['--seq', '1e3'], "--seq: '1e3' is not a whole number from 0 to 4294967295"],
  ['a number in binary form', ['--seq', '0b11'], "--seq: '0b11' is not a whole number from 0 to 4294967295"],
  ['empty seconds', ['send', '--dry-run', '-t', 'RTM_GETLINK', '--timeout', ''], "--timeout: '' is not a number of seconds"],
  ['--header fields no header of the type has', ['encode', '-p', 'sock_diag', '-t', 'SOCK_DIAG_BY_FAMILY', '--header', 'sdiag_family=AF_INET,udiag_show=name'], 'SOCK_DIAG_BY_FAMILY has no family header with the fields sdiag_family, udiag_show; use --header-hex'],
  ['link data of a kind no table describes', ['-t', 'RTM_NEWLINK', '--attr', 'IFLA_LINKINFO={IFLA_INFO_KIND=nosuch,IFLA_INFO_DATA={IFLA_VLAN_ID=5}}'], "--attr: IFLA_INFO_DATA: no format for kind 'nosuch' (known: veth, vxlan, macvlan, bond, bridge, erspan, gre, gretap, ip6gre, geneve, hsr, ipip, ip6tnl, sit, tun, vlan, vrf, vti, vti6, netkit, ovpn)"],
  ['an address with a prefix length', ['-t', 'RTM_NEWROUTE', '--attr', 'RTA_DST=10.0.0.0/8'], "--attr: RTA_DST: '10.0.0.0/8' is not an IPv4 or IPv6 address: a prefix length goes in the family header (e.g. --header rtm_dst_len=8)"],
  ['a struct attribute written as a number', ['-t', 'RTM_NEWADDR', '--attr', 'IFA_CACHEINFO=1'], '--attr: IFA_CACHEINFO holds a struct ifa_cacheinfo (ifa_prefered, ifa_valid, cstamp, tstamp): give its bytes, IFA_CACHEINFO=hex:…'],
  ['an odd number of hex digits', ['--attr', '999=hex:abc'], "--attr: 999: 'abc' is not hex bytes (pairs of digits 0-9, a-f)"],
  ['an unknown flag in a comma list', ['-t', 'RTM_NEWADDR', '--attr', 'IFA_FLAGS=permanent,bogus'], "--attr: IFA_FLAGS: 'bogus' is not a flag of ifa-flags (flags: secondary, nodad, optimistic, dadfailed, homeaddress, deprecated, tentative, permanent, managetempaddr, noprefixroute, mcautojoin, stable_privacy)"],
  ['a genl command above 255', ['encode', '--family', 'nlctrl', '--cmd', '300'], '--cmd 300: a command is one byte of genlmsghdr (0-255)'],
  ['a genl family id above 65535', ['encode', '--family', '70000', '--cmd', '1'], '--family 70000: a family id is the 16-bit message type (0-65535)'],
];

for (const [what, args, message] of REFUSED) {
  test(`refused: ${what}`, () => {
    const r = runNlctl(['encode', 'send'].includes(args[0]) ? args : [...GETLINK, ...args]);
    assert.equal(r.stderr, `nlctl: ${message}\n`);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
  });
}

/** Decode encode's hex output. */
function decoded(hex: string) {
  return ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', hex.trim()]).stdout)[0];
}

test('the largest attribute type, 16383, is sent as given', () => {
  const r = runNlctl([...GETLINK, '--seq', '1', '--attr', '16383=u8:1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().slice(64), '0500ff3f01000000');
});

test('NAME=flag and a bare number are empty flag attributes; {} is an empty nest', () => {
  for (const spec of ['999=flag', '999', '999=flag:']) {
    const r = runNlctl([...GETLINK, '--seq', '1', '--attr', spec]);
    assert.equal(r.code, 0, `${spec}: ${r.stderr}`);
    assert.equal(r.stdout.trim().slice(64), '0400e703', spec);
  }
  const nest = runNlctl([...GETLINK, '--seq', '1', '--attr', 'IFLA_LINKINFO={}']);
  assert.equal(nest.stdout.trim().slice(64), '04001280');
});

test('--header takes flag lists with commas', () => {
  const r = runNlctl([...GETLINK, '--header', 'ifi_flags=up,loopback,ifi_index=2']);
  assert.equal(r.code, 0, r.stderr);
  const m = decoded(r.stdout);
  assert.deepEqual(m.header.fields.ifi_flags, ['UP', 'LOOPBACK']);
  assert.equal(m.header.fields.ifi_index, 2);
});

test('a --header-hex shorter or longer than the family header is sent as given, with a warning', () => {
  const short = runNlctl([...GETLINK, '--header-hex', '00']);
  assert.equal(short.code, 0);
  assert.equal(short.stderr, "nlctl: warning: --header-hex is 1 byte(s), but RTM_GETLINK's ifinfomsg is 16: sending it as given\n");
  assert.equal(decoded(short.stdout).len, 17);
  const long = runNlctl([...GETLINK, '--header-hex', '00'.repeat(20)]);
  assert.equal(long.code, 0);
  assert.match(long.stderr, /^nlctl: warning: --header-hex is 20 byte\(s\), but RTM_GETLINK's ifinfomsg is 16: sending it as given\n$/);
  const genl = runNlctl(['encode', '--family', 'nlctrl', '--cmd', 'getfamily', '--header-hex', '0302']);
  assert.match(genl.stderr, /^nlctl: warning: --header-hex is 2 byte\(s\), but nlctrl getfamily's genlmsghdr is 4: sending it as given\n$/);
  const exact = runNlctl([...GETLINK, '--header-hex', '00'.repeat(16)]);
  assert.equal(exact.code, 0);
  assert.equal(exact.stderr, '');
});

test('send --dry-run says the --header-hex warning too', () => {
  const r = runNlctl(['send', '--dry-run', '-t', 'RTM_GETLINK', '--header-hex', '00']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^nlctl: warning: --header-hex is 1 byte\(s\)/);
});

test('decode of a directory says it is a directory', () => {
  const r = runNlctl(['decode', tmpdir()]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `nlctl: ${tmpdir()}: is a directory, not a file to decode\n`);
});

test('decode of two files says it reads one, rather than "not hex"', () => {
  const r = runNlctl(['decode', tmpdir(), tmpdir()]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `nlctl: decode reads one file (or hex words): '${tmpdir()}' is one of 2 arguments\n`);
});

test('--file that cannot be read names the file', () => {
  const r = runNlctl(['encode', '--proto', 'test', '--file', '/no/such/payload']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'nlctl: --file /no/such/payload: no such file\n');
});

// What commander reports comes out as one line, with its suggestion when it has one.
const COMMANDER: [string, string[], string][] = [
  ['unknown option', ['encode', '--bogus'], "nlctl: unknown option '--bogus' (see nlctl encode --help)\n"],
  ['unknown option with a suggestion', ['encode', '--sq', '1'], "nlctl: unknown option '--sq' (did you mean --seq?)\n"],
  ['missing value', ['encode', '--seq'], "nlctl: option '--seq <n>' argument missing (see nlctl encode --help)\n"],
  ['invalid choice', ['encode', '--out', 'xml'], "nlctl: option '--out <form>' argument 'xml' is invalid: choose one of hex, raw, c (see nlctl encode --help)\n"],
  ['too many arguments', ['encode', 'a', 'b'], "nlctl: too many arguments for 'encode': expected 1 argument but got 2 (see nlctl encode --help)\n"],
  ['unknown command with a suggestion', ['dum'], "nlctl: unknown command 'dum' (did you mean dump?)\n"],
  ['unknown global option', ['--bogus'], "nlctl: unknown option '--bogus' (see nlctl --help)\n"],
];

for (const [what, args, stderr] of COMMANDER) {
  test(`commander: ${what} is one nlctl: line, exit 2`, () => {
    const r = runNlctl(args);
    assert.equal(r.stderr, stderr);
    assert.equal(r.code, 2);
  });
}

test('encode -p uevent writes the bare datagram, which decodes as a uevent', () => {
  const r = runNlctl(['encode', '-p', 'uevent', '--hex', '616464402f7800414354494f4e3d61646400']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '616464402f7800414354494f4e3d61646400');
  const [m] = ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'uevent', r.stdout.trim()]).stdout);
  assert.equal(m.type_name, 'add');
  assert.deepEqual(m.diagnostics, []);
  const dry = runNlctl(['send', '--dry-run', '-p', 'uevent', '--hex', '616464402f7800414354494f4e3d61646400']);
  assert.match(dry.stdout, /^add uevent len 18/);
});

test('SOCK_DIAG_BY_FAMILY takes --header fields and --attr names of the header its family byte picks', () => {
  const cases: [string, string, string][] = [
    ['sdiag_family=AF_INET,sdiag_protocol=tcp,idiag_states=LISTEN', 'inet_diag_req_v2', 'LISTEN'],
    ['sdiag_family=AF_UNIX,udiag_states=LISTEN,udiag_show=name', 'unix_diag_req', 'LISTEN'],
    ['sdiag_family=AF_NETLINK,sdiag_protocol=route', 'netlink_diag_req', ''],
  ];
  for (const [fields, struct, states] of cases) {
    const r = runNlctl(['encode', '-p', 'sock_diag', '-t', 'SOCK_DIAG_BY_FAMILY', '--flags', 'request,dump', '--header', fields]);
    assert.equal(r.code, 0, r.stderr);
    const [m] = ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'sock_diag', r.stdout.trim()]).stdout);
    assert.equal(m.header.name, struct, fields);
    assert.deepEqual(m.diagnostics, [], fields);
    if (states) assert.deepEqual(m.header.fields.idiag_states ?? m.header.fields.udiag_states, [states]);
  }
  const withAttr = runNlctl(['encode', '-p', 'sock_diag', '-t', 'SOCK_DIAG_BY_FAMILY', '--flags', 'request,dump',
    '--header', 'sdiag_family=AF_INET,sdiag_protocol=tcp', '--attr', 'INET_DIAG_REQ_PROTOCOL=6']);
  assert.equal(withAttr.code, 0, withAttr.stderr);
  const [m] = ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'sock_diag', withAttr.stdout.trim()]).stdout);
  assert.equal(m.attrs[0].name, 'INET_DIAG_REQ_PROTOCOL');
  const hex = runNlctl(['encode', '-p', 'sock_diag', '-t', 'SOCK_DIAG_BY_FAMILY', '--header-hex', '0206']);
  assert.equal(hex.stderr, "nlctl: warning: --header-hex is 2 byte(s), but SOCK_DIAG_BY_FAMILY's inet_diag_req_v2 is 56: sending it as given\n");
});

test('IFLA_INFO_KIND picks the table of IFLA_INFO_DATA on the command line, as in the decoder', () => {
  for (const spec of ['IFLA_LINKINFO={IFLA_INFO_KIND=vxlan,IFLA_INFO_DATA={IFLA_VXLAN_ID=5}}', 'IFLA_LINKINFO={IFLA_INFO_DATA={IFLA_VXLAN_ID=5},IFLA_INFO_KIND=vxlan}']) {
    const r = runNlctl(['encode', '-t', 'RTM_NEWLINK', '--attr', spec]);
    assert.equal(r.code, 0, r.stderr);
    const info = decoded(r.stdout).attrs[0].attrs;
    const data = info.find((a: any) => a.name === 'IFLA_INFO_DATA');
    assert.deepEqual(data.attrs.map((a: any) => [a.name, a.value]), [['IFLA_VXLAN_ID', 5]], spec);
  }
});

test('flag lists take commas inside --attr too, and commas still separate attributes', () => {
  const flags = runNlctl(['encode', '-t', 'RTM_NEWADDR', '--attr', 'IFA_FLAGS=permanent,noprefixroute,IFA_LABEL=x']);
  assert.equal(flags.code, 0, flags.stderr);
  const m = ndjson(runNlctl(['-f', 'ndjson', 'decode', '--proto', 'route', flags.stdout.trim()]).stdout)[0];
  assert.deepEqual(m.attrs.map((a: any) => [a.name, a.value]), [['IFA_FLAGS', ['permanent', 'noprefixroute']], ['IFA_LABEL', 'x']]);
});

test('an enum name may leave out its prefix when that names one value: inet for AF_INET', () => {
  for (const [word, want] of [['inet', 'AF_INET'], ['inet6', 'AF_INET6'], ['AF_INET', 'AF_INET']]) {
    const r = runNlctl([...GETLINK, '--header', `ifi_family=${word}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(decoded(r.stdout).header.fields.ifi_family, want, word);
  }
});
