// Examples for each command: the one source for `--help` and the man page.
export const EXAMPLES: Record<string, string[]> = {
  nlctl: [
    'nlctl dump link -j',
    'nlctl send -t RTM_GETLINK --attr IFLA_IFNAME=lo',
    'nlctl listen --group all',
    'nlctl decode capture.pcapng',
    'nlctl sockets --proto test',
  ],
  dump: [
    'nlctl dump link                       # interfaces as a table',
    'nlctl dump addr --dev eth0 -4         # the IPv4 addresses of eth0',
    'nlctl dump route --table all -j       # every routing table, as ip -j route show table all',
    'nlctl dump neigh --dev eth0',
    'nlctl dump family                     # generic netlink families, their ops and groups',
    'nlctl dump --proto route --type RTM_GETADDR --family-header 0200000000000000',
  ],
  send: [
    'nlctl send -t RTM_GETLINK --attr IFLA_IFNAME=lo',
    'nlctl send -t RTM_GETADDR --flags request,dump --header ifa_family=inet',
    'nlctl send --family nlctrl --cmd getfamily --attr CTRL_ATTR_FAMILY_NAME=nlctrl',
    'nlctl send --proto usersock --to 4242 --hex 01020304',
    'nlctl send --family IOAM6 --cmd 3 --flags request,dump   # no spec: typed by the kernel\'s policy',
    'nlctl send --family IOAM6 --policy                       # that policy itself',
    'nlctl send -t RTM_NEWLINK --flags request,ack,create,excl --attr IFLA_IFNAME=v0 --attr \'IFLA_LINKINFO={IFLA_INFO_KIND=veth}\' --dry-run',
  ],
  listen: [
    'nlctl listen --group all              # what ip monitor all shows, one line per event',
    'nlctl listen -ts --group link,ipv4-ifaddr',
    'nlctl listen --group link --verbose   # every attribute of every message',
    'nlctl listen --proto generic --group nlctrl:notify',
    'nlctl listen --group all -f ndjson | jq -c .type_name',
  ],
  encode: [
    'nlctl encode -t RTM_GETLINK --flags request,dump',
    'nlctl encode --proto test "Hello you!" --out c',
    'nlctl decode -j capture.pcap | nlctl encode --from-json',
  ],
  decode: [
    'nlctl decode 1400000012000103000000000000000000000000',
    'xxd dump.bin | nlctl decode',
    'nlctl decode capture.pcapng -f table',
    'nlctl decode --proto generic dump.txt --strict',
    'nlctl decode trace.txt --pcap trace.pcap      # what was decoded, as a capture Wireshark opens',
    'nlctl decode other.pcap --genl-family 21=ethtool',
  ],
  sockets: [
    'nlctl sockets',
    'nlctl sockets --proto rtnl            # ss -A netlink names work too',
    'nlctl sockets --pid 0 -j',
  ],
  completion: [
    'source <(nlctl completion bash)',
    'nlctl completion zsh > "${fpath[1]}/_nlctl"',
    'nlctl completion fish > ~/.config/fish/completions/nlctl.fish',
  ],
};

export const EXIT_CODES = 'Exit codes: 0 ok, 1 internal error, 2 usage, 3 system call failed, 4 kernel error,\n5 undecodable input, 6 timed out, 7 dump still interrupted, 130 stopped by a signal.';

export function examplesText(command: string): string {
  const ex = EXAMPLES[command];
  return ex ? `\nExamples:\n${ex.map((e) => `  ${e}`).join('\n')}\n` : '';
}
