#!/usr/bin/env bash
# Boots the Debian kernel under qemu (TCG) with the host's / as a read-only
# root (writes go to a tmpfs overlay) and runs GUEST_SCRIPT (relative to the
# project root, or absolute) inside, as root, from the project root. The
# guest writes to $VM_OUT (.vm/out on the host). The console goes to stdout
# and to .vm/serial.log. Exit status: the guest script's, read from the
# NLVM-EXIT marker in the log (qemu itself exits 0 either way); 125 if the VM
# did not get that far (boot failure or timeout).
#
# Environment: VM_TIMEOUT (s, default 300), VM_MEM (MiB, default 1536),
# VM_CPUS (default 2), VM_LOG (default .vm/serial.log), VM_KVER,
# VM_NO_BUILD=1 to skip scripts/vm/build.sh, VM_APPEND (extra kernel args),
# VM_VERBOSE=1 (passed on to the guest script).
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 1 ] || { echo "usage: $0 GUEST_SCRIPT" >&2; exit 2; }
SCRIPT=$1
case "$SCRIPT" in /*) ;; *) SCRIPT=$VM_ROOT/$SCRIPT ;; esac
[ -f "$SCRIPT" ] || vm_die "no such guest script: $SCRIPT"
# Paths travel on the kernel command line, which splits at whitespace.
case "$SCRIPT$VM_ROOT" in *[[:space:]]*) vm_die "paths with whitespace cannot be passed to the guest" ;; esac

command -v qemu-system-x86_64 >/dev/null || vm_die "qemu-system-x86_64 not found: run scripts/vm/setup.sh"
if [ "${VM_NO_BUILD:-0}" = 1 ]; then
    KVER=$(vm_find_kver)
else
    KVER=$("$(dirname "$0")/build.sh")
fi
[ -n "$KVER" ] || vm_die "no Debian kernel found: run scripts/vm/setup.sh"
IMG=$VM_CACHE/$KVER
KERNEL=$IMG/vmlinux
[ -s "$KERNEL" ] || KERNEL=$IMG/bzImage
[ -s "$KERNEL" ] && [ -s "$IMG/initramfs.cpio" ] || vm_die "no kernel/initramfs in $IMG: run scripts/vm/build.sh"

LOG=${VM_LOG:-$VM_CACHE/serial.log}
mkdir -p "$VM_OUT"
: >"$LOG"
NODE=$(command -v node || true)

APPEND="console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init"
APPEND+=" nlvm.root=$VM_ROOT nlvm.script=$SCRIPT nlvm.node=$NODE"
APPEND+=" nlvm.verbose=${VM_VERBOSE:-0} ${VM_APPEND:-}"

# shellcheck disable=SC2054 # the commas belong to qemu's option syntax
QEMU=(qemu-system-x86_64
    -accel tcg -cpu max -smp "${VM_CPUS:-2}" -m "${VM_MEM:-1536}"
    -machine pc -nodefaults -no-user-config -no-reboot
    -display none -monitor none -serial "file:$LOG"
    -kernel "$KERNEL" -initrd "$IMG/initramfs.cpio" -append "$APPEND"
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
    -virtfs "local,path=$VM_OUT,mount_tag=out,security_model=none,multidevs=remap")

vm_log "booting $KVER ($(basename "$KERNEL")) with ${SCRIPT#"$VM_ROOT"/}, timeout ${VM_TIMEOUT:-300}s"
t0=$(date +%s%N)
timeout -k 5 "${VM_TIMEOUT:-300}" "${QEMU[@]}" &
qpid=$!
# Follow the console while qemu runs; serial lines end in CRLF.
tail -n +1 -f --pid="$qpid" "$LOG" | tr -d '\r' &
tpid=$!
qrc=0
wait "$qpid" || qrc=$?
wait "$tpid" 2>/dev/null || true
ms=$((($(date +%s%N) - t0) / 1000000))

booted=$(tr -d '\r' <"$LOG" | grep -a -m1 '^NLVM-BOOTED' || true)
exitline=$(tr -d '\r' <"$LOG" | grep -a -m1 '^NLVM-EXIT' || true)
boot_s=$(sed -n 's/.*uptime=\([0-9.]*\).*/\1/p' <<<"$booted")
vm_log "qemu finished in $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s (exit $qrc), guest booted in ${boot_s:-?}s"
[ "$qrc" -eq 124 ] && vm_log "qemu was killed by the ${VM_TIMEOUT:-300}s timeout"
if [ -z "$booted" ]; then
    vm_log "the VM did not boot: see $LOG"
    exit 125
fi
if [ -z "$exitline" ]; then
    vm_log "the guest script did not finish: see $LOG"
    exit 125
fi
rc=$(sed -n 's/.*rc=\([0-9]*\).*/\1/p' <<<"$exitline")
exit "${rc:-125}"
