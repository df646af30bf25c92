#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, when root and when missing.
set -euo pipefail
# The kernel-module tests (test/vm) boot a VM: kernel, qemu, busybox, … (root only; idempotent).
[ "$(id -u)" -ne 0 ] || "$(dirname "$0")/vm/setup.sh"
# The 7.3 uapi headers the spec tables are checked against (test/unit/spec-uapi.test.ts), from
# Debian's newest linux-source package (root: it writes apt lists into .cache/kernel/apt).
if [ "$(id -u)" -eq 0 ] && [ ! -e "$(dirname "$0")/../.cache/kernel/include/linux/netlink.h" ]; then
  "$(dirname "$0")/kernel-source.sh" "$(dirname "$0")/../.cache/kernel" >/dev/null || echo "install-test-deps: kernel-source.sh failed; the spec header test will say so" >&2
fi
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v tshark >/dev/null || need+=(tshark)
command -v strace >/dev/null || need+=(strace)
# ethtool talks generic netlink (test/integration/strace-live.test.ts traces it).
command -v ethtool >/dev/null || need+=(ethtool)
command -v xxd >/dev/null || need+=(xxd)
command -v gcc >/dev/null || need+=(gcc)
# Completion scripts are parsed by their shells; tables are tested under script(1)'s pseudo-terminal.
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
command -v script >/dev/null || need+=(bsdutils)
[ -e /usr/include/linux/netlink.h ] || need+=(linux-libc-dev)
# The kernel's own YNL CLI, run side by side with nlctl (test/ynl), needs these.
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
python3 -c 'import jsonschema' 2>/dev/null || need+=(python3-jsonschema)
# nftables rules make the conntrack table fill, for the netfilter side-by-side tests.
command -v nft >/dev/null || need+=(nftables)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: not root; missing ${need[*]} — the tests that need them will fail and say so" >&2
  else
    echo "install-test-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
# The YNL specs and CLI of the newest Debian kernel source, in .cache/kernel (instant when cached).
if [ "$(id -u)" -eq 0 ]; then
  cd "$(dirname "$0")/.."
  scripts/kernel-source.sh .cache/kernel >/dev/null ||
    echo "install-test-deps: scripts/kernel-source.sh failed — the YNL side-by-side tests will fail and say so" >&2
fi
