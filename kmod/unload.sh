#!/bin/sh
# Unloads netlink_test (make rmmod, and make insmod before a reload).
#
# Every open protocol-25 socket holds the module, so rmmod refuses while one
# is open. Then this script says which processes hold it, from
# `nlctl sockets --proto test`, and how to close them, and exits 1.
# Exit 0: unloaded, or not loaded. NLCTL: the command that runs nlctl
# (default: bin/nlctl of this checkout, else nlctl on PATH).
MOD=netlink_test
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${NLCTL:-}" ]; then
    NLCTL=$ROOT/bin/nlctl
    [ -e "$ROOT/dist/main.js" ] || [ -e "$ROOT/build/src/main.js" ] || NLCTL=nlctl
fi

if [ ! -e /sys/module/$MOD ]; then
    echo "rmmod: $MOD is not loaded"
    exit 0
fi
if err=$(rmmod $MOD 2>&1); then
    echo "rmmod: $MOD unloaded"
    exit 0
fi
refs=$(cat /sys/module/$MOD/refcnt 2>/dev/null || echo 0)
if [ "$refs" = 0 ]; then
    echo "rmmod: $MOD was not unloaded: $err" >&2
    exit 1
fi

echo "rmmod: $MOD is in use: $refs open protocol-25 socket(s) hold it" >&2
# ndjson, one socket a line; "process" is "comm/pid[,comm/pid…]" when an owner was found.
# Port 0 is the module's own kernel socket.
if list=$($NLCTL --format ndjson sockets --proto test 2>&1); then
    printf '%s\n' "$list" | grep -v '"portid":0,' | sed -n \
        -e 's/.*"portid":\([0-9]*\),"groups":\[\([^]]*\)\].*"process":"\([^"]*\)".*/rmmod:   port \1, groups [\2]: process \3/p' \
        -e 't' -e 's/.*"portid":\([0-9]*\),"groups":\[\([^]]*\)\].*/rmmod:   port \1, groups [\2]: no process found/p' >&2
    pids=$(printf '%s\n' "$list" | sed -n 's/.*"process":"\([^"]*\)".*/\1/p' | tr ',' '\n' |
        sed 's|.*/||' | sort -nu | tr '\n' ' ')
    pids=${pids% }
    if [ -n "$pids" ]; then
        echo "rmmod: close them: end the processes (kill $pids) or close their sockets, then run make rmmod again" >&2
    else
        echo "rmmod: no owning process found in this network namespace: the sockets may live in another one" \
            "(nlctl sockets --proto test --netns NAME); close them, then run make rmmod again" >&2
    fi
else
    echo "rmmod: nlctl sockets --proto test failed: $list" >&2
    echo "rmmod: close the processes that have protocol-25 sockets open, then run make rmmod again" >&2
fi
exit 1
