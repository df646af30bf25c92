#!/bin/sh
# Stage 2 of a test VM boot, PID 1 inside the host's root (read-only 9p with
# a tmpfs overlay). Runs the script named by nlvm.script= on the kernel
# command line from the project root and powers off. The host reads only
# the NLVM-* markers (and the script's own lines) from the serial log.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8 LC_ALL=C.UTF-8

arg() {
    for x in $(cat /proc/cmdline); do
        case "$x" in "$1="*) echo "${x#*=}" ;; esac
    done
}

poweroff_now() {
    sync
    echo o >/proc/sysrq-trigger
    sleep 5
    # Still here: qemu runs with -no-reboot, so a reboot ends it too.
    echo b >/proc/sysrq-trigger
}

ROOT=$(arg nlvm.root)
SCRIPT=$(arg nlvm.script)
NODE=$(arg nlvm.node)

# Fresh scratch space instead of the host's /tmp and /run, except where the
# project itself lives (a checkout in a mktemp -d directory): that one keeps
# the overlay's view, writable too (writes land in the overlay's tmpfs).
case "$ROOT/" in /tmp/*) ;; *) mount -t tmpfs -o mode=1777 tmpfs /tmp ;; esac
case "$ROOT/" in /run/*) ;; *) mount -t tmpfs -o mode=0755 tmpfs /run ;; esac
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname nlvm 2>/dev/null || true
# The host's node is the one the project runs with.
[ -n "$NODE" ] && [ -x "$NODE" ] && PATH=$(dirname "$NODE"):$PATH

echo "NLVM-BOOTED uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"
if [ -z "$ROOT" ] || [ -z "$SCRIPT" ] || ! cd "$ROOT"; then
    echo "NLVM-FAIL stage2: nlvm.root=$ROOT nlvm.script=$SCRIPT unusable"
    poweroff_now
fi
VERBOSE=$(arg nlvm.verbose)
export VM_ROOT="$ROOT" VM_OUT="$ROOT/.vm/out" VM_VERBOSE="$VERBOSE" NLVM=1

# stdin is the console: a test must never wait for it. An executable script
# runs with its own interpreter (#! line), any other with /bin/sh.
if [ -x "$SCRIPT" ]; then
    "$SCRIPT" </dev/null 2>&1
else
    /bin/sh "$SCRIPT" </dev/null 2>&1
fi
rc=$?
echo "NLVM-EXIT rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff_now
