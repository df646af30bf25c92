#!/bin/sh
# Tests of the netlink_test module, run as root inside the test VM (see
# test/vm/run.sh). Raw sockets come from Python's socket module
# (test/vm/nltest.py); test/vm/guest-nlctl.sh drives the module with nlctl.
#
# Output (see test/vm/lib.sh): one "ok N - name" / "not ok N - name" line per
# scenario, then "vm: N passed, N failed". Exit status 1 if anything failed.

SELF=$(readlink -f "$0")
cd "${VM_ROOT:-$(dirname "$SELF")/../..}" || exit 1
KO=$PWD/kmod/netlink_test.ko
TAP=guest-module.tap
. "$(dirname "$SELF")/lib.sh"

show_params() {
    for f in /sys/module/netlink_test/parameters/*; do
        v=$(cat "$f" 2>/dev/null) || v="(write-only)"
        echo "# $(basename "$f") = $v"
    done
}

# rmmod while a process has sockets bound to groups and two streams run: refused, and the
# module goes on serving; once the process is gone, rmmod succeeds with a multicast stream
# (to a group nobody listens to any more) still running.
rmmod_busy() {
    rm -f "$TMP/holder.ready"
    $NLT holder "$TMP/holder.ready" &
    hp=$!
    if ! wait_file "$TMP/holder.ready"; then
        echo "holder did not get ready"
        kill $hp
        return 1
    fi
    refs=$(cat /sys/module/netlink_test/refcnt)
    echo "module use count with the holder running: $refs"
    if rmmod netlink_test 2>"$TMP/rmmod.err"; then
        echo "rmmod succeeded with the holder's sockets open"
        kill $hp
        return 1
    fi
    echo "refused: $(cat "$TMP/rmmod.err")"
    ok=1
    [ "$refs" -ge 1 ] || { echo "the open sockets do not hold the module"; ok=0; }
    grep -q "in use" "$TMP/rmmod.err" || { echo "rmmod did not say the module is in use"; ok=0; }
    [ -e /sys/module/netlink_test ] || { echo "the module is gone"; ok=0; }
    kill -0 $hp 2>/dev/null || { echo "the holder died during rmmod"; ok=0; }
    $NLT echo || { echo "ECHO fails after the refused rmmod"; ok=0; }
    kill $hp 2>/dev/null
    wait $hp 2>/dev/null
    [ $ok = 1 ] || return 1
    echo "module use count once the holder exited: $(cat /sys/module/netlink_test/refcnt)"
    rmmod netlink_test || { echo "rmmod failed once the holder exited"; return 1; }
    [ ! -e /sys/module/netlink_test ] || { echo "/sys/module/netlink_test still exists"; return 1; }
}

# insmod with parameters; the new group count is live.
reload_params() {
    rmmod netlink_test || return 1
    insmod "$KO" groups=8 stream_interval_ms=50 || return 1
    g=$(cat /sys/module/netlink_test/parameters/groups)
    i=$(cat /sys/module/netlink_test/parameters/stream_interval_ms)
    echo "groups=$g stream_interval_ms=$i"
    [ "$g" = 8 ] && [ "$i" = 50 ] || return 1
    $NLT mcast_group 8
}

# "--fn NAME ARGS": run one function of this script (used by check).
run_fn "$@"

[ -z "$RESULTS" ] || : >"$RESULTS"
echo "# kernel $(uname -r), $(nproc) CPUs, python $($PY -c 'import sys; print(sys.version.split()[0])'), node $(node --version 2>/dev/null || echo none)"

# ---- load -------------------------------------------------------------------
if ! check "insmod netlink_test.ko" insmod "$KO"; then
    echo "Bail out! the module does not load"
    finish
fi
show_params
check "protocol 25 is registered (socket() succeeds)" $PY -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 25)'
py header
py params

# ---- raw protocol ------------------------------------------------------------
py echo
py legacy_hello
if [ -x "$PWD/.vm/hello-you" ]; then
    check "the classic \"Hello you!\" C program works unchanged" hello_you
else
    skip "the classic \"Hello you!\" C program works unchanged" "not built (no C compiler on the host)"
fi
py ack
py batch
py not_request
py mcast
if command -v setpriv >/dev/null; then
    check "an unprivileged process can listen to groups" \
        setpriv --reuid=65534 --regid=65534 --clear-groups $NLT mcast
else
    skip "an unprivileged process can listen to groups" "no setpriv"
fi
py stream_timing
py stream_group
py stream_burst
py malformed_short
py malformed_len_small
py malformed_len_lies
py unknown_type
py bad_attrs
py stats_count
py dropped
py overrun

# ---- generic netlink ---------------------------------------------------------
py genl_family
py genl_echo
py genl_stats
py genl_event
py verbose_log

# ---- unload and reload -------------------------------------------------------
py stream_limit
check "rmmod is refused while a process has sockets bound and streams run; works once it exits" rmmod_busy
py gone
check "insmod again, ECHO works" sh -c "insmod '$KO' && $NLT echo"
check "5 rmmod/insmod cycles while processes open sockets and send: clean kernel log" reload_under_churn
check "insmod groups=8 stream_interval_ms=50; group 8 works" reload_params
check "insmod refuses groups=0" bad_params
check "kernel log has no warnings" kernel_log_clean
check "final rmmod" rmmod netlink_test

finish
