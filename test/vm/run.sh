#!/usr/bin/env bash
# Host side of the kernel-module tests: installs what is missing
# (scripts/vm/setup.sh), builds nlctl (make build) and the VM pieces
# (scripts/vm/build.sh), boots the VM with test/vm/guest-nlctl.sh (VM_GUEST
# picks another, e.g. test/vm/guest-module.sh) and judges by the lines in the
# serial log only (qemu exits 0 whatever happened inside). Then the host's own
# scenario: tshark reads the capture nlctl wrote in the guest (check-pcap.mjs).
#
# Exit 0 only if the VM booted, the guest printed its "vm: N passed, N failed"
# line and no "not ok" line, and the host scenario passed. The last line is
# the summary of both. Without qemu or a kernel image the run fails under
# CI=true (or VM_REQUIRED=1) and is reported as SKIPPED otherwise.
# VM_NO_SETUP=1 skips the install step; see scripts/vm/run.sh for the rest.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../scripts/vm/common.sh"
GUEST=${VM_GUEST:-test/vm/guest-nlctl.sh}
required() { [ "${CI:-}" = true ] || [ "${VM_REQUIRED:-0}" = 1 ]; }
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
    if required; then
        echo "vm-test: FAILED: missing $(missing); run scripts/vm/setup.sh as root" >&2
        echo "vm: 0 passed, 1 failed"
        exit 1
    fi
    echo "vm-test: SKIPPED: missing $(missing); run scripts/vm/setup.sh as root" >&2
    exit 0
fi

t_build=$(date +%s%N)
# The guest runs the host's bin/nlctl: build it first (a no-op when up to date).
if ! make -s -C "$VM_ROOT" build >&2; then
    echo "vm-test: FAILED: make build failed" >&2
    echo "vm: 0 passed, 1 failed"
    exit 1
fi
if ! KVER=$("$VM_ROOT/scripts/vm/build.sh"); then
    echo "vm-test: FAILED: the build failed" >&2
    echo "vm: 0 passed, 1 failed"
    exit 1
fi
build_s=$(secs "$t_build")

# The guest cannot follow .cache/kernel (a link into the host's /tmp, which the guest
# replaces): the devlink scenarios (test/vm/devlink.sh) get the kernel's YNL CLI and the
# devlink spec copied into the out share.
stage_ynl() {
    local src
    rm -rf "$VM_OUT/ynl"
    src=$(readlink -f "$VM_ROOT/.cache/kernel/src") || return 0
    [ -f "$src/tools/net/ynl/pyynl/cli.py" ] && [ -f "$src/Documentation/netlink/specs/devlink.yaml" ] || return 0
    mkdir -p "$VM_OUT/ynl" &&
        cp -r "$src/tools/net/ynl/pyynl" "$VM_OUT/ynl/" &&
        cp "$src/Documentation/netlink/specs/devlink.yaml" "$VM_OUT/ynl/"
}
stage_ynl || echo "vm-test: could not stage YNL into $VM_OUT/ynl" >&2

TAP=$VM_OUT/$(basename "$GUEST" .sh).tap
rm -f "$TAP"
# The whole guest run, kept under vm.test.ts's 20 minutes; on a busy host it takes several.
export VM_TIMEOUT=${VM_TIMEOUT:-900}
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

# ---- host scenarios, numbered after the guest's --------------------------------
n=$(log | grep -a -c -E '^(not )?ok [0-9]+ ')
host_ok=0
host_failed=
host_check() {
    local name=$1 out rc line
    shift
    n=$((n + 1))
    out=$("$@" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        line="ok $n - $name"
        host_ok=$((host_ok + 1))
    else
        line="not ok $n - $name (exit $rc)"
        host_failed+="$line"$'\n'
    fi
    echo "$line"
    [ $rc -ne 0 ] || [ "${VM_VERBOSE:-0}" = 1 ] && sed 's/^/#   /' <<<"$out"
    echo "$line" >>"$TAP"
}
if [ "$GUEST" = test/vm/guest-nlctl.sh ] && [ -n "$summary" ]; then
    name="tshark on the host reads the guest's listen --pcap capture as nlctl printed it"
    if command -v tshark >/dev/null; then
        host_check "$name" node "$HERE/check-pcap.mjs" "$VM_OUT/listen.pcap" "$VM_OUT/listen.ndjson"
    elif required; then
        host_check "$name" sh -c 'echo "tshark is missing: scripts/vm/setup.sh installs it"; exit 1'
    else
        n=$((n + 1))
        echo "ok $n - $name # SKIP no tshark on the host"
    fi
fi
failed+=${host_failed:+${failed:+$'\n'}${host_failed%$'\n'}}

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
# The closing line, guest and host together, for whoever reads the end of the output;
# the run itself counts as one failure when the guest gave no summary.
nfailed=$(grep -c . <<<"$failed")
[ -n "$summary" ] || nfailed=$((nfailed + 1))
echo "vm: $((passed + host_ok)) passed, $nfailed failed"
exit $status
