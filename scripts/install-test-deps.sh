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
command -v xxd >/dev/null || need+=(xxd)
command -v gcc >/dev/null || need+=(gcc)
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
