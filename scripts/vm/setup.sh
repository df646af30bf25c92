#!/usr/bin/env bash
# Install what the VM test needs: a Debian kernel + headers, qemu, and the
# pieces of a busybox initramfs; strace (the guest uses the host's) and tshark
# (reads the guest's capture on the host). Idempotent: only missing packages
# are installed.
set -euo pipefail

PKGS=(linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static cpio kmod
      xz-utils zstd gcc make python3 strace tshark)

missing=()
for p in "${PKGS[@]}"; do
    # dpkg-query prints "install ok installed" only for a fully installed package.
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "vm-setup: all packages present (${PKGS[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "vm-setup: missing packages: ${missing[*]} (run as root or: sudo apt-get install --no-install-recommends ${missing[*]})" >&2
    exit 1
fi

echo "vm-setup: installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another apt run may hold the lock; wait for it instead of failing.
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
# The package lists may be empty on a fresh machine.
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
    "${APT[@]}" update
fi
"${APT[@]}" install --no-install-recommends "${missing[@]}"
echo "vm-setup: installed: ${missing[*]}"
