#!/bin/sh
# End-to-end tests of nlctl against the netlink_test module, run as root inside
# the test VM (test/vm/run.sh): every scenario is driven by `node bin/nlctl`
# (built on the host; the guest sees the host's / read-only) and its output is
# checked by test/vm/nlcheck.py. Python raw sockets (test/vm/nltest.py) remain
# only for what nlctl cannot send: datagrams shorter than a netlink header,
# nlmsg_len that lies, several messages in one datagram, and sockets opened
# and closed nonstop across module reloads.
#
# Node starts slowly under an emulated CPU (seconds per nlctl run), so the
# independent nlctl runs start together (spawn) and the checks then read what
# each printed (await). Files for the host go to $VM_OUT: listen.pcap and
# listen.ndjson (test/vm/run.sh reads the capture with tshark).
#
# Output (see test/vm/lib.sh): one "ok N - name" / "not ok N - name" line per
# scenario, then "vm: N passed, N failed". Exit status 1 if anything failed.

SELF=$(readlink -f "$0")
TAP=guest-nlctl.tap
. "$(dirname "$SELF")/guest-env.sh"
CHK="$PY -S $PWD/test/vm/nlcheck.py"
# The devlink scenarios (devlink_checks), shared with test/vm/guest-devlink.sh.
. "$(dirname "$SELF")/devlink.sh"

# spawn NAME CMD...: start CMD in the background (killed after SPAWN_TIMEOUT, 150 s);
# its stdout, stderr, pid and exit status go to $W/NAME.{out,err,pid,rc}.
# (sh variables are global: the helpers' own names start with "_".)
spawn() {
    _s=$1
    shift
    rm -f "$W/$_s.rc" "$W/$_s.pid"
    (
        timeout "${SPAWN_TIMEOUT:-150}" "$@" >"$W/$_s.out" 2>"$W/$_s.err" </dev/null &
        echo $! >"$W/$_s.pid"
        wait $!
        echo $? >"$W/$_s.rc"
    ) &
}

# await NAME: wait for a spawned command to end (at most 120 s); prints its stderr.
await() {
    _a=0
    while [ ! -s "$W/$1.rc" ]; do
        _a=$((_a + 1))
        [ $_a -gt 1200 ] && { echo "$1 did not end within 120 s"; cat "$W/$1.err"; return 1; }
        sleep 0.1
    done
    sed 's/^/  /' "$W/$1.err"
}

# rc NAME: exit status of an ended command.
rc() { cat "$W/$1.rc"; }

# ready NAME: wait until a spawned listener says "listening on" (at most 90 s).
ready() {
    _r=0
    until grep -q "listening on" "$W/$1.err" 2>/dev/null; do
        _r=$((_r + 1))
        if [ -s "$W/$1.rc" ] || [ $_r -gt 900 ]; then
            echo "listener $1 is not listening (exit $(cat "$W/$1.rc" 2>/dev/null || echo '?')):"
            cat "$W/$1.err"
            return 1
        fi
        sleep 0.1
    done
}

# port NAME: the port id a ready listener printed ("listening on test port N ...").
port() { sed -n 's/.*listening on [a-z_]* port \([0-9]*\).*/\1/p' "$W/$1.err" | head -n1; }

# expect_exit NAME CODE STDERR-LINE [PREFIX]: exit status and the error line (exact,
# or only its start when PREFIX is given).
expect_exit() {
    await "$1" || return 1
    [ "$(rc "$1")" = "$2" ] || { echo "exit $(rc "$1"), expected $2"; return 1; }
    if [ -n "${4:-}" ]; then
        awk -v p="$3" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$W/$1.err"
    else
        grep -qxF "$3" "$W/$1.err"
    fi || { echo "stderr lacks the line: $3${4:+…}"; return 1; }
}

# ---- scenarios (each runs as `check NAME function`) -------------------------

echo_attr() {
    await echo_attr && [ "$(rc echo_attr)" = 0 ] && $CHK echo "$W/echo_attr.out"
}

hello() {
    await hello && [ "$(rc hello)" = 0 ] && $CHK hello "$W/hello.out"
}

echo_ack() {
    await echo_ack && [ "$(rc echo_ack)" = 0 ] && $CHK echo_ack "$W/echo_ack.out" 00112233445566778899
}

genl_echo() {
    await genl_echo && [ "$(rc genl_echo)" = 0 ] && $CHK genl_echo "$W/genl_echo.out" hi-from-nlctl
}

# bad NAME LABEL TEXT: exit 4, "nlctl: LABEL: Invalid argument (EINVAL): TEXT", and the
# same in the NLMSG_ERROR that was printed.
bad() {
    expect_exit "$1" 4 "nlctl: $2: Invalid argument (EINVAL): $3" && $CHK error "$W/$1.out" EINVAL "$3"
}

listeners_ready() {
    ready listen_test && ready listen_rmmod && echo "  ports $(port listen_test) and $(port listen_rmmod)"
}

# The listener of groups 1 got ready, and `sockets` (run meanwhile) shows both test listeners.
sockets() {
    await sockets && [ "$(rc sockets)" = 0 ] || return 1
    $CHK sockets "$W/sockets.out" "$(port listen_test):1:$(cat "$W/listen_test.pid")" \
        "$(port listen_rmmod):2,3:$(cat "$W/listen_rmmod.pid")"
}

mcast() {
    await mcast && [ "$(rc mcast)" = 0 ] || return 1
    # The listener is still running (the stream comes next): give its output a moment.
    n=0
    until grep -q NLTEST_MSG_MCAST "$W/listen_test.out" 2>/dev/null; do
        n=$((n + 1))
        [ $n -gt 300 ] && { echo "the listener printed no MCAST:"; cat "$W/listen_test.err"; return 1; }
        sleep 0.1
    done
    $CHK mcast "$W/listen_test.out" "$W/mcast" nlctl-mcast 1
}

stream() {
    await stream && [ "$(rc stream)" = 0 ] || return 1
    await listen_test && [ "$(rc listen_test)" = 0 ] || return 1
    cp "$W/listen_test.out" "$OUT/listen.ndjson"
    grep -q "11 message(s) received.*11 record(s) in" "$W/listen_test.err" || { echo "no pcap summary"; return 1; }
    if [ -s "$W/stream.strace" ]; then
        $CHK stream "$W/listen_test.out" "$W/stream" "$W/stream.strace"
    else
        echo "  (no strace: sendto not timed)"
        $CHK stream "$W/listen_test.out" "$W/stream"
    fi
}

genl_event() {
    ready listen_genl || return 1
    echo nlctl-event >/sys/module/netlink_test/parameters/trigger || return 1
    await listen_genl && [ "$(rc listen_genl)" = 0 ] && $CHK genl_event "$W/listen_genl.out" nlctl-event
}

stats_reset() {
    $NL -f ndjson send --proto test -t stats --attr NLTEST_ATTR_RESET >"$W/reset.out" && $CHK stats_idle "$W/reset.out"
}

flood4() {
    for i in 1 2 3 4; do
        spawn "flood$i" $NL -f ndjson send --proto test -t echo --repeat 1000 --wait 1000 --timeout 30 --hex "f1f2f3f4f5f6f7f8f9fa0$i"
    done
    for i in 1 2 3 4; do
        await "flood$i" && [ "$(rc "flood$i")" = 0 ] || { echo "flood$i: exit $(rc "flood$i")"; return 1; }
    done
    $CHK flood "$W/flood1" "$W/flood2" "$W/flood3" "$W/flood4"
}

stats_after() {
    $NL -f ndjson send --proto test -t stats >"$W/stats.out" &&
        $CHK stats "$W/stats.out" "$W/flood1" "$W/flood2" "$W/flood3" "$W/flood4"
}

# The listener of groups 2,3 holds the module: rmmod is refused, and `make rmmod` names the
# listener (port, groups, process, from nlctl sockets), says how to close it and fails.
rmmod_refused() {
    ready listen_rmmod || return 1
    lp=$(cat "$W/listen_rmmod.pid")
    if rmmod netlink_test 2>"$W/rmmod.err"; then
        echo "rmmod succeeded with a listener bound"
        return 1
    fi
    echo "  $(cat "$W/rmmod.err")"
    NLCTL="$NL" make -s rmmod >"$W/make-rmmod.out" 2>&1
    mrc=$?
    sed 's/^/  /' "$W/make-rmmod.out"
    [ $mrc -ne 0 ] || { echo "make rmmod exited 0"; return 1; }
    [ -e /sys/module/netlink_test ] || { echo "the module is gone"; return 1; }
    kill -0 "$lp" 2>/dev/null || { echo "the listener died"; return 1; }
    grep -qxF "rmmod: netlink_test is in use: 1 open protocol-25 socket(s) hold it" "$W/make-rmmod.out" ||
        { echo "no line saying the module is in use by 1 socket"; return 1; }
    grep -q "^rmmod:   port $(port listen_rmmod), groups \[2,3\]: process [^ ]*/[0-9]*\$" "$W/make-rmmod.out" ||
        { echo "the listener (port $(port listen_rmmod), groups 2,3) is not named"; return 1; }
    kp=$(sed -n 's/^rmmod: close them: end the processes (kill \([0-9]*\)) or close their sockets, then run make rmmod again$/\1/p' "$W/make-rmmod.out")
    [ -n "$kp" ] || { echo "no line saying how to close the socket"; return 1; }
    # The pid file holds the listener's launcher (timeout); the socket belongs to its child.
    ppid=$(sed 's/.*) [A-Z] \([0-9]*\) .*/\1/' "/proc/$kp/stat" 2>/dev/null)
    [ "$kp" = "$lp" ] || [ "$ppid" = "$lp" ] || { echo "kill $kp: not the listener (launcher $lp)"; return 1; }
}

listener_ends() {
    kill -TERM "$(cat "$W/listen_rmmod.pid")"
    await listen_rmmod && [ "$(rc listen_rmmod)" = 0 ] && grep -q "0 message(s) received, 0 overrun(s)" "$W/listen_rmmod.err"
}

# Nothing holds the module any more: make rmmod unloads it.
rmmod_after() {
    NLCTL="$NL" make -s rmmod >"$W/make-rmmod2.out" 2>&1
    mrc=$?
    sed 's/^/  /' "$W/make-rmmod2.out"
    [ $mrc -eq 0 ] || { echo "make rmmod exited $mrc"; return 1; }
    grep -qxF "rmmod: netlink_test unloaded" "$W/make-rmmod2.out" || return 1
    [ ! -e /sys/module/netlink_test ] || { echo "/sys/module/netlink_test still exists"; return 1; }
}

# With the module out: no protocol 25 and no nlctl_test family, said plainly.
module_gone() {
    spawn gone_proto $NL send --proto test -t echo gone
    spawn gone_genl $NL send --family nlctl_test --cmd echo
    expect_exit gone_proto 3 "nlctl: socket (protocol 25): Protocol not supported (EPROTONOSUPPORT)" prefix || return 1
    await gone_genl && [ "$(rc gone_genl)" = 2 ] && grep -q "no generic netlink family 'nlctl_test'" "$W/gone_genl.err"
}

reload_works() {
    insmod "$KO" || return 1
    $NL -f ndjson send --proto test -t echo --flags request,ack --hex 0a0b0c0d >"$W/again.out" &&
        $CHK echo_ack "$W/again.out" 0a0b0c0d
}

# "--fn NAME ARGS": run one function of this script (used by check).
run_fn "$@"

[ -z "$RESULTS" ] || : >"$RESULTS"
rm -f "$OUT/listen.pcap" "$OUT/listen.ndjson"
echo "# kernel $(uname -r), $(nproc) CPUs, node $(node --version 2>/dev/null || echo none), nlctl $($NL --version 2>/dev/null || echo none)"
CHECK_TIMEOUT=150

if ! check "insmod netlink_test.ko" insmod "$KO"; then
    echo "Bail out! the module does not load"
    finish
fi

# ---- everything that needs no quiet module, at once ---------------------------
# Listeners first: they have the longest way to go (their time limits only guard against a
# hung run; on a busy host the scenarios that feed them come minutes later).
SPAWN_TIMEOUT=880 spawn listen_test $NL -f ndjson listen --proto test --group 1 --count 11 --timeout 870 --pcap "$OUT/listen.pcap"
# This one holds the module until SIGTERM ends it (rmmod is refused meanwhile): its time limit
# only guards against a hung run (the guest has 900 s), so a slow host does not end it early.
SPAWN_TIMEOUT=880 spawn listen_rmmod $NL -f ndjson listen --proto test --group 2,3
SPAWN_TIMEOUT=880 spawn listen_genl $NL -f ndjson listen --proto generic --group nlctl_test:events --count 1 --timeout 870
spawn echo_attr $NL -f ndjson send --proto test -t echo --echo --attr NLTEST_ATTR_DATA=nlctl-echo --attr NLTEST_ATTR_GROUP=3
spawn hello $NL -f ndjson send --proto test "Hello you!" --wait 1
spawn echo_ack $NL -f ndjson send --proto test -t echo --flags request,ack --hex 00112233445566778899
spawn genl_echo $NL -f ndjson send --family nlctl_test --cmd echo --attr NLTEST_GENL_ATTR_MSG=hi-from-nlctl
# nlctl always writes a sound nlmsghdr (its length covers the payload), so a short
# datagram or a lying nlmsg_len is out of its reach (nltest.py sends those below);
# the closest it can send are attributes that lie, or are cut short, inside the payload.
spawn bad_type $NL -f ndjson send --proto test -t 0x7f --flags request,ack
spawn bad_attr_len $NL -f ndjson send --proto test -t mcast --flags request,ack --hex 4000010041424344
spawn bad_attr_short $NL -f ndjson send --proto test -t mcast --flags request,ack --hex 0800
spawn bad_range $NL -f ndjson send --proto test -t stream --flags request,ack --attr NLTEST_ATTR_COUNT=0

check "send -t echo --attr …: the ECHO reply carries the same payload and seq" echo_attr
check "send \"Hello you!\" --wait 1: the classic type-0 message comes back" hello
check "send --flags request,ack: the ECHO reply, then an ACK (errno 0), exit 0" echo_ack
check "send --family nlctl_test --cmd echo: the reply decoded with the family's names" genl_echo
check "unknown type (-t 0x7f): exit 4, EINVAL with the module's extack text" \
    bad bad_type "test type 127" "netlink_test: unknown message type"
check "attribute whose nla_len runs past the message (--hex): exit 4, EINVAL with extack" \
    bad bad_attr_len NLTEST_MSG_MCAST "bytes leftover after parsing attributes"
check "attribute area shorter than an attribute header (--hex): exit 4, EINVAL with extack" \
    bad bad_attr_short NLTEST_MSG_MCAST "bytes leftover after parsing attributes"
check "STREAM COUNT=0 out of range: exit 4, EINVAL with the module's extack text" \
    bad bad_range NLTEST_MSG_STREAM "netlink_test: COUNT out of range 1..100000"
py malformed_short
py malformed_len_small
py malformed_len_lies
py batch

if check "listen --proto test --group 1 and --group 2,3 are listening" listeners_ready; then
    spawn sockets $NL -j sockets --proto test
    spawn mcast $NL -f ndjson send --proto test -t mcast --flags request,ack --attr NLTEST_ATTR_GROUPS=1 --attr NLTEST_ATTR_DATA=nlctl-mcast
fi
check "sockets --proto test shows both listeners: port id, groups, process" sockets
check "listen --group 1 receives the MCAST another nlctl sent (ACKed, exit 0)" mcast
# The stream request once the CPU is quieter; strace times its sendto() (see nlcheck.py stream).
STRACE=
command -v strace >/dev/null && STRACE="strace -f -qq -T --seccomp-bpf -e trace=sendto -o $W/stream.strace"
spawn stream $STRACE $NL -f ndjson send --proto test -t stream --flags request,ack --attr NLTEST_ATTR_GROUP=1 \
    --attr NLTEST_ATTR_COUNT=10 --attr NLTEST_ATTR_INTERVAL_MS=100 --attr NLTEST_ATTR_DATA=tick
check "STREAM 10 x 100 ms reaches the listener; the send returned within 50 ms" stream
check "listen --proto generic --group nlctl_test:events gets the /sys trigger's event" genl_event
if [ -x "$PWD/.vm/hello-you" ]; then
    check "the classic \"Hello you!\" C program works unchanged" hello_you
else
    skip "the classic \"Hello you!\" C program works unchanged" "not built (no C compiler on the host)"
fi

# ---- counters: nothing else may talk to the module meanwhile ---------------------
check "send -t stats --attr NLTEST_ATTR_RESET: counters read and zeroed" stats_reset
check "4 concurrent senders x 1000 ECHO (--repeat 1000 --wait 1000): none lost" flood4
check "STATS counters equal what the senders counted" stats_after

# ---- unload and reload ------------------------------------------------------------
check "make rmmod with an nlctl listener bound is refused: names its process, says how to close it" rmmod_refused
check "the listener ends cleanly on SIGTERM" listener_ends
check "with the listener gone, make rmmod unloads the module" rmmod_after
check "with the module out, nlctl reports protocol 25 and nlctl_test as missing" module_gone
check "insmod again: send --flags request,ack works again" reload_works
check "5 rmmod/insmod cycles while processes open sockets and send: clean kernel log" reload_under_churn
check "insmod refuses groups=0" bad_params

# ---- devlink, with the module loaded again and nothing else running (nlmon records the whole
# system's netlink traffic); last, so the long-lived listeners above are not kept waiting ----
devlink_checks
check "kernel log has no warnings" kernel_log_clean
check "final rmmod" rmmod netlink_test

rm -rf "$W"
finish
