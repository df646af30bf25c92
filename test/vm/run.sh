#!/usr/bin/env bash
# Host side of the kernel-module tests: installs what is missing
# (scripts/vm/setup.sh), builds (scripts/vm/build.sh), boots the VM with
# test/vm/guest-module.sh and judges by the lines in the serial log only
# (qemu exits 0 whatever happened inside).
#
# Exit 0 only if the VM booted, the guest printed its "vm: N passed, N failed"
# line and no "not ok" line. Without qemu or a kernel image the run fails
# under CI=true (or VM_REQUIRED=1) and is reported as SKIPPED otherwise.
# VM_NO_SETUP=1 skips the install step; see scripts/vm/run.sh for the rest.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../scripts/vm/common.sh"
GUEST=test/vm/guest-module.sh
export VM_LOG=${VM_LOG:-$VM_CACHE/vm-test.log}
t_start=$(date +%s%N)

secs() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100)); }

missing() {
    local m=()
    command -v qemu-system-x86_64 >/dev/null || m+=("qemu-system-x86_64")
    [ -n "$(vm_find_kver)" ] || m+=("a Debian kernel image with headers (/boot/vmlinuz-*-amd64)")
    command -v busybox >/dev/null || [ -x /bin/busybox ] || m+=("busybox")
    echo "${m[*]}"
}

if [ -n "$(missing)" ] && [ "${VM_NO_SETUP:-0}" != 1 ]; then
    "$VM_ROOT/scripts/vm/setup.sh" || echo "vm-test: setup failed" >&2
fi
if [ -n "$(missing)" ]; then
    if [ "${CI:-}" = true ] || [ "${VM_REQUIRED:-0}" = 1 ]; then
        echo "vm-test: FAILED: missing $(missing); run scripts/vm/setup.sh as root" >&2
        echo "vm: 0 passed, 1 failed"
        exit 1
    fi
    echo "vm-test: SKIPPED: missing $(missing); run scripts/vm/setup.sh as root" >&2
    exit 0
fi

t_build=$(date +%s%N)
if ! KVER=$("$VM_ROOT/scripts/vm/build.sh"); then
    echo "vm-test: FAILED: the build failed" >&2
    echo "vm: 0 passed, 1 failed"
    exit 1
fi
build_s=$(secs "$t_build")

TAP=$VM_OUT/guest-module.tap
rm -f "$TAP"
VM_NO_BUILD=1 "$VM_ROOT/scripts/vm/run.sh" "$GUEST"
vm_rc=$?

log() { tr -d '\r' <"$VM_LOG"; }
booted=$(log | grep -a -m1 '^NLVM-BOOTED')
exited=$(log | grep -a -m1 '^NLVM-EXIT')
summary=$(log | grep -a -E '^vm: [0-9]+ passed, [0-9]+ failed' | tail -n1)
failed=$(log | grep -a '^not ok ')
passed=$(log | grep -a -c '^ok ')
uptime_of() { sed -n 's/.*uptime=\([0-9.]*\).*/\1/p' <<<"$1"; }
boot_s=$(uptime_of "$booted")
end_s=$(uptime_of "$exited")

echo
tests_s="?"
[ -n "$boot_s" ] && [ -n "$end_s" ] && tests_s=$(awk -v a="$boot_s" -v b="$end_s" 'BEGIN { printf "%.1f", b - a }')
echo "vm-test: kernel $KVER; build ${build_s}s, boot ${boot_s:-?}s (guest clock)," \
    "tests ${tests_s}s, total $(secs "$t_start")s"

[ -s "$TAP" ] && echo "vm-test: result lines also in ${TAP#"$VM_ROOT"/} (written by the guest)"

status=0
if [ -z "$booted" ]; then
    echo "vm-test: FAILED: the VM did not boot (log: $VM_LOG)"
    status=1
elif [ -z "$summary" ]; then
    echo "vm-test: FAILED: no \"vm: N passed\" line: the guest script did not finish (rc $vm_rc, log: $VM_LOG)"
    status=1
fi
if [ -n "$failed" ]; then
    echo "vm-test: failed scenarios:"
    echo "$failed" | sed 's/^/  /'
    status=1
fi
[ "$vm_rc" -eq 0 ] || status=1
# The closing line, for whoever reads the end of the output.
if [ -n "$summary" ]; then
    echo "$summary"
else
    # The run itself counts as one failure when the guest gave no summary.
    echo "vm: $passed passed, $(($(grep -c . <<<"$failed") + 1)) failed"
fi
exit $status
