# shellcheck shell=bash
# Shared settings of the VM scripts; sourced, not run.
#   VM_ROOT   project root (the directory holding kmod/)
#   VM_KVER   Debian kernel version to boot (default: newest *-amd64 that has
#             both /boot/vmlinuz-VER and /lib/modules/VER/build)
#   VM_CACHE  where build outputs go (default: $VM_ROOT/.vm)

VM_ROOT=${VM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VM_CACHE=${VM_CACHE:-$VM_ROOT/.vm}
VM_OUT=${VM_OUT:-$VM_CACHE/out}

vm_log() { echo "vm: $*" >&2; }
vm_die() { echo "vm: ERROR: $*" >&2; exit 1; }

# Picks the kernel from /lib/modules, not from uname: the host may run a
# kernel without headers or modules.
vm_find_kver() {
    if [ -n "${VM_KVER:-}" ]; then
        [ -e "/boot/vmlinuz-$VM_KVER" ] && [ -d "/lib/modules/$VM_KVER/build" ] && echo "$VM_KVER"
        return 0
    fi
    local d v best=
    for d in /lib/modules/*-amd64; do
        v=${d##*/}
        [ -e "/boot/vmlinuz-$v" ] && [ -d "$d/build" ] || continue
        best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n1)
    done
    echo "$best"
}
