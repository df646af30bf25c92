#!/usr/bin/env bash
# Builds everything a VM test boot needs, cached under .vm/:
#   kmod/netlink_test.ko            built against the Debian kernel's headers
#   .vm/VER/vmlinux                 uncompressed kernel (fast PVH boot), or
#   .vm/VER/bzImage                 a copy of /boot/vmlinuz-VER if extraction fails
#   .vm/VER/initramfs.cpio          busybox + virtio/9p/overlay modules + /init
#   .vm/hello-you                   the classic netlink "Hello you!" program
# Prints "vm: ..." progress lines on stderr; a second run only rebuilds what changed.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KVER=$(vm_find_kver)
[ -n "$KVER" ] || vm_die "no Debian kernel found (need /boot/vmlinuz-VER and /lib/modules/VER/build): run scripts/vm/setup.sh"
KDIR=/lib/modules/$KVER/build
OUT=$VM_CACHE/$KVER
mkdir -p "$OUT" "$VM_OUT"

# ---- module ----------------------------------------------------------------
t0=$(date +%s%N)
# Header packages ship no vmlinux, so module BTF is skipped instead of noted.
make -s -C "$KDIR" M="$VM_ROOT/kmod" CONFIG_DEBUG_INFO_BTF_MODULES= modules >&2
vm_log "module: kmod/netlink_test.ko for $KVER ($((($(date +%s%N) - t0) / 1000000)) ms)"

# ---- kernel ----------------------------------------------------------------
# The xz payload of the bzImage is an ELF vmlinux with a PVH entry note:
# qemu boots it directly, skipping the real-mode setup and self-decompression.
extract_vmlinux() {
    local img=$1 dst=$2 off
    for off in $(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$img" | cut -d: -f1); do
        # xz stops after the first stream; only its status matters.
        if xz -dc --single-stream <(tail -c +$((off + 1)) "$img") >"$dst.tmp" 2>/dev/null &&
            [ "$(head -c 4 "$dst.tmp" | od -An -tx1 | tr -d ' ')" = "7f454c46" ]; then
            mv "$dst.tmp" "$dst"
            return 0
        fi
    done
    rm -f "$dst.tmp"
    return 1
}

if [ ! -s "$OUT/vmlinux" ] && [ ! -s "$OUT/bzImage" ] || [ "/boot/vmlinuz-$KVER" -nt "$OUT/kernel.stamp" ]; then
    rm -f "$OUT/vmlinux" "$OUT/bzImage"
    if command -v xz >/dev/null && extract_vmlinux "/boot/vmlinuz-$KVER" "$OUT/vmlinux"; then
        vm_log "kernel: extracted $OUT/vmlinux from /boot/vmlinuz-$KVER"
    else
        cp "/boot/vmlinuz-$KVER" "$OUT/bzImage"
        vm_log "kernel: could not extract vmlinux, using the bzImage (slower boot)"
    fi
    touch "$OUT/kernel.stamp"
else
    vm_log "kernel: cached $(ls "$OUT"/vmlinux "$OUT"/bzImage 2>/dev/null | head -n1)"
fi

# ---- initramfs -------------------------------------------------------------
# The initramfs has no libc: busybox must be the static build.
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && { ldd "$BUSYBOX" 2>&1 || true; } | grep -q "not a dynamic" ||
    vm_die "$BUSYBOX missing or not static: install busybox-static"

MODULES="virtio_pci 9pnet_virtio 9p overlay"
# The key covers everything the initramfs is made from.
key="$KVER $(cat "$0" "$(dirname "$0")/common.sh" "$BUSYBOX" | md5sum | cut -c1-16) $MODULES"
if [ -s "$OUT/initramfs.cpio" ] && [ "$(cat "$OUT/initramfs.key" 2>/dev/null)" = "$key" ]; then
    vm_log "initramfs: cached $OUT/initramfs.cpio"
else
    stage=$(mktemp -d "$OUT/initramfs.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    mkdir -p "$stage"/{bin,dev,proc,sys,host,rw,newroot,modules}
    cp "$BUSYBOX" "$stage/bin/busybox"
    # Load order from modprobe, dependencies first, each module once.
    for m in $MODULES; do
        modprobe -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
    done | awk '!seen[$0]++' | while read -r ko; do
        case "$ko" in
            *.ko) cp "$ko" "$stage/modules/" ;;
            *.ko.xz) xz -dc "$ko" >"$stage/modules/$(basename "$ko" .xz)" ;;
            *.ko.zst) zstd -qdc "$ko" >"$stage/modules/$(basename "$ko" .zst)" ;;
            *.ko.gz) gzip -dc "$ko" >"$stage/modules/$(basename "$ko" .gz)" ;;
            *) vm_die "unexpected module file $ko" ;;
        esac
        basename "${ko%.xz}" | sed 's/\.zst$//; s/\.gz$//' >>"$stage/modules/order"
    done
    [ -s "$stage/modules/order" ] || vm_die "no modules found for $MODULES in /lib/modules/$KVER"

    cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
# PID 1 of the test VM: mount the host's / read-only over 9p under a tmpfs
# overlay, switch into it and run scripts/vm/guest-init.sh from the project.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
    echo "NLVM-FAIL stage1: $*"
    echo o >/proc/sysrq-trigger
    sleep 10
}
arg() {
    for x in $(cat /proc/cmdline); do
        case "$x" in "$1="*) echo "${x#*=}" ;; esac
    done
}

while read -r m; do
    insmod "/modules/$m" || fail "insmod $m"
done </modules/order

ROOT=$(arg nlvm.root)
# A large msize makes reads of node and its libraries much faster.
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000,ro host /host ||
    fail "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work /newroot ||
    fail "cannot mount the overlay"
# The writable share for results lands on the project's .vm/out.
mkdir -p "/newroot$ROOT/.vm/out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out "/newroot$ROOT/.vm/out" ||
    fail "cannot mount the out share"
for d in proc sys dev; do
    mount --move "/$d" "/newroot/$d"
done
exec switch_root /newroot /bin/sh "$ROOT/scripts/vm/guest-init.sh"
INIT
    chmod 755 "$stage/init"
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) >"$OUT/initramfs.cpio"
    echo "$key" >"$OUT/initramfs.key"
    vm_log "initramfs: built $OUT/initramfs.cpio ($(wc -l <"$stage/modules/order") modules)"
fi

# ---- the classic example program -------------------------------------------
hello_src=$VM_ROOT/test/vm/hello-you.c
if [ -f "$hello_src" ]; then
    if command -v cc >/dev/null; then
        if [ ! -x "$VM_CACHE/hello-you" ] || [ "$hello_src" -nt "$VM_CACHE/hello-you" ]; then
            cc -O2 -Wall -o "$VM_CACHE/hello-you" "$hello_src"
            vm_log "built $VM_CACHE/hello-you"
        fi
    else
        vm_log "no C compiler: the hello-you scenario will be skipped"
    fi
fi

echo "$KVER"
