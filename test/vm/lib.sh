# shellcheck shell=sh
# Result helpers of the guest test scripts (test/vm/guest-*.sh); sourced, not run.
# The script sets SELF (its own path) and TAP (the name of its result file in
# $VM_OUT) before sourcing this file, and calls `run_fn "$@"` after its
# scenario functions (check runs each function in a fresh copy of the script).
#
# Output: one TAP-style line per scenario, "ok N - name" or "not ok N - name"
# followed by the scenario's output as "#" lines; last line
# "vm: N passed, N failed". VM_VERBOSE=1 shows the output of passing scenarios too.

TMP=$(mktemp -d)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# -S: no site-packages needed, and each start is cheaper under an emulated CPU.
NLT="$PY -S $(dirname "$SELF")/nlt.py"

# Result lines also go to the host through the writable share.
RESULTS=${VM_OUT:+$VM_OUT/$TAP}
say() {
    echo "$*"
    [ -z "$RESULTS" ] || echo "$*" >>"$RESULTS"
}

N=0
PASS=0
FAIL=0
SKIP=0

# check NAME CMD... : runs CMD (CHECK_TIMEOUT, 60 s, at most), one result line. CMD may be
# a function of the script: it then runs in a fresh copy of the script.
check() {
    name=$1
    shift
    N=$((N + 1))
    case "$(type "$1" 2>/dev/null)" in
        *function*) set -- /bin/sh "$SELF" --fn "$@" ;;
    esac
    t0=$(date +%s%N)
    timeout "${CHECK_TIMEOUT:-60}" "$@" >"$TMP/out" 2>&1
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    if [ $rc -eq 124 ]; then
        # Leave a trace of what the kernel was doing.
        { echo "timed out after ${CHECK_TIMEOUT:-60} s; kernel log:"; dmesg | tail -n 40; } >>"$TMP/out"
    fi
    if [ $rc -eq 0 ]; then
        PASS=$((PASS + 1))
        say "ok $N - $name"
        if [ "${VM_VERBOSE:-0}" = 1 ]; then
            sed 's/^/#   /' "$TMP/out"
            echo "#   ($ms ms)"
        fi
    else
        FAIL=$((FAIL + 1))
        say "not ok $N - $name (exit $rc)"
        sed 's/^/#   /' "$TMP/out"
    fi
    return $rc
}

# skip NAME REASON
skip() {
    N=$((N + 1))
    SKIP=$((SKIP + 1))
    say "ok $N - $1 # SKIP $2"
}

# py SCENARIO [ARGS]: a scenario of nltest.py, named by its description.
py() {
    [ -s "$TMP/list" ] || $NLT --list >"$TMP/list"
    check "$(awk -v s="$1" '$1 == s { $1 = ""; sub(/^ +/, ""); print }' "$TMP/list")" $NLT "$@"
}

# run_fn "$@": when called as "SCRIPT --fn NAME ARGS", run that one function and exit.
run_fn() {
    if [ "${1:-}" = --fn ]; then
        shift
        "$@"
        rc=$?
        rm -rf "$TMP"
        exit $rc
    fi
}

# Five unload/load cycles while two processes open protocol-25 sockets, send ECHO requests on
# them and close them, nonstop (nltest.py churn). An open socket holds the module, so rmmod is
# refused until, for a moment, none is open; after it, socket() fails (EPROTONOSUPPORT) until
# insmod has registered the protocol again, so no socket exists while the kernel socket is
# being created. The churners check that every request on an open socket is answered; the
# kernel log must stay clean. Needs KO (the module file) from the script.
reload_under_churn() {
    rm -f "$TMP/churn.stop"
    cpids=
    for c in 1 2; do
        rm -f "$TMP/churn$c.ready"
        $NLT churn "$TMP/churn.stop" "$TMP/churn$c.ready" >"$TMP/churn$c.log" 2>&1 &
        cpids="$cpids $!"
        wait_file "$TMP/churn$c.ready" || { echo "churner $c did not start"; touch "$TMP/churn.stop"; return 1; }
    done
    ok=1
    refused=0
    for i in 1 2 3 4 5; do
        sleep 0.3
        tries=0
        until rmmod netlink_test 2>/dev/null; do
            refused=$((refused + 1))
            tries=$((tries + 1))
            if [ $tries -ge 300 ]; then
                echo "rmmod $i: still refused after $tries tries"
                ok=0
                break 2
            fi
            sleep 0.01
        done
        [ ! -e /sys/module/netlink_test ] || { echo "rmmod $i: /sys/module/netlink_test still exists"; ok=0; break; }
        sleep 0.1
        insmod "$KO" || { echo "insmod $i failed"; ok=0; break; }
    done
    touch "$TMP/churn.stop"
    for p in $cpids; do
        wait "$p" || { echo "a churner failed"; ok=0; }
    done
    cat "$TMP/churn1.log" "$TMP/churn2.log"
    echo "  $i cycle(s); rmmod was refused $refused time(s) while sockets were open"
    [ $ok = 1 ] && [ -e /sys/module/netlink_test ] && kernel_log_clean
}

# The "Hello you!" C program (test/vm/hello-you.c) still works against the module.
hello_you() {
    out=$("$PWD/.vm/hello-you") || return 1
    echo "$out"
    echo "$out" | grep -q "Received message payload: Hello you!"
}

# The module refuses a bad parameter (groups=0) and loads again without it. Needs KO.
bad_params() {
    rmmod netlink_test || return 1
    if insmod "$KO" groups=0 2>&1; then
        echo "insmod accepted groups=0"
        return 1
    fi
    insmod "$KO"
}

# The kernel said nothing alarming while the module ran.
kernel_log_clean() {
    if dmesg | grep -qE "BUG:|WARNING:|Oops|Call Trace|general protection|refcount_t|corruption"; then
        dmesg | grep -B 5 -A 40 -m 1 -E "BUG:|WARNING:|Oops|Call Trace|general protection|refcount_t|corruption"
        return 1
    fi
    echo "kernel log: $(dmesg | grep -c netlink_test) netlink_test lines, no warnings"
}

finish() {
    rm -rf "$TMP"
    if [ $SKIP -gt 0 ]; then
        say "vm: $PASS passed, $FAIL failed, $SKIP skipped"
    else
        say "vm: $PASS passed, $FAIL failed"
    fi
    [ $FAIL -eq 0 ]
    exit $?
}

wait_file() {
    i=0
    while [ ! -e "$1" ]; do
        i=$((i + 1))
        [ $i -gt 200 ] && return 1
        sleep 0.05
    done
}
