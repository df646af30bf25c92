#!/usr/bin/env bash
# Installs the Debian packages the test suite uses, when root and when missing.
set -euo pipefail
# The kernel-module tests (test/vm) boot a VM: kernel, qemu, busybox, … (root only; idempotent).
[ "$(id -u)" -ne 0 ] || "$(dirname "$0")/vm/setup.sh"
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v tshark >/dev/null || need+=(tshark)
command -v strace >/dev/null || need+=(strace)
command -v xxd >/dev/null || need+=(xxd)
command -v gcc >/dev/null || need+=(gcc)
# Completion scripts are parsed by their shells; tables are tested under script(1)'s pseudo-terminal.
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
command -v script >/dev/null || need+=(bsdutils)
[ -e /usr/include/linux/netlink.h ] || need+=(linux-libc-dev)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: not root; missing ${need[*]} — the tests that need them will fail and say so" >&2
  exit 0
fi
echo "install-test-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
