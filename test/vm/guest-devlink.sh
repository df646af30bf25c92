#!/bin/sh
# The devlink scenarios alone (test/vm/devlink.sh; the full run, test/vm/guest-nlctl.sh, has
# them too), run as root inside the test VM:
#   VM_GUEST=test/vm/guest-devlink.sh test/vm/run.sh
# Writes .vm/out/devlink-nlmon.pcap, the source of test/fixtures/pcap/devlink-nlmon.pcap.
# Output (see test/vm/lib.sh): "ok N - name" / "not ok N - name" lines, then "vm: N passed, N failed".

SELF=$(readlink -f "$0")
TAP=guest-devlink.tap
. "$(dirname "$SELF")/guest-env.sh"
. "$(dirname "$SELF")/devlink.sh"

run_fn "$@"

[ -z "$RESULTS" ] || : >"$RESULTS"
echo "# kernel $(uname -r), $(nproc) CPUs, node $(node --version 2>/dev/null || echo none), nlctl $($NL --version 2>/dev/null || echo none)"
CHECK_TIMEOUT=150
if ! check "insmod netlink_test.ko" insmod "$KO"; then
    echo "Bail out! the module does not load"
    finish
fi
devlink_checks
check "rmmod netlink_test" rmmod netlink_test
check "kernel log has no warnings" kernel_log_clean
rm -rf "$W"
finish
