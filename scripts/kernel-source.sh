#!/usr/bin/env bash
# Fetches the kernel's YNL specs, the YNL CLI and the uapi headers from Debian's newest
# linux-source-* package, without touching the system's apt sources.
#
#   scripts/kernel-source.sh [DEST]     (default DEST: .cache/kernel)
#
# Leaves DEST/src (Documentation/netlink and tools/net/ynl of the kernel tree),
# DEST/include (the same suite's linux-libc-dev headers) and DEST/VERSION (the package
# version). A second run with the same newest version does nothing. Prints DEST/VERSION's text.
set -euo pipefail

DEST=${1:-.cache/kernel}
SUITE=${NLCTL_KERNEL_SUITE:-trixie-backports}
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
WORK="$DEST/apt"
mkdir -p "$WORK/lists/partial" "$WORK/debs"

# A private sources list for one suite, from the machine's own mirror.
uri=$(grep -hm1 '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true)
[ -n "$uri" ] || uri=$(grep -hm1 '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
cat >"$WORK/nlctl.sources" <<EOF
Types: deb
URIs: $uri
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
APT=(-o "Dir::Etc::sourcelist=$WORK/nlctl.sources" -o Dir::Etc::sourceparts=/nonexistent
     -o "Dir::State::Lists=$WORK/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
     -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt-get "${APT[@]}" -qq update

# The newest linux-source-X.Y the suite has (backports keep only recent ones).
pkg=$(apt-cache "${APT[@]}" pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -1)
[ -n "$pkg" ] || { echo "kernel-source: no linux-source-* package in $SUITE" >&2; exit 1; }
ver=$(apt-cache "${APT[@]}" policy "$pkg" | awk '/Candidate:/ {print $2}')
if [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$pkg $ver" ] && [ -d "$DEST/src" ] && [ -d "$DEST/include" ]; then
  cat "$DEST/VERSION"
  exit 0
fi

(cd "$WORK/debs" && rm -f ./*.deb && apt-get "${APT[@]}" -qq download "$pkg" "linux-libc-dev=$ver" 2>/dev/null \
  || apt-get "${APT[@]}" -qq download "$pkg" linux-libc-dev)
rm -rf "$DEST/src" "$DEST/include" "$WORK/unpack"
mkdir -p "$WORK/unpack" "$DEST/src"
dpkg-deb --fsys-tarfile "$WORK"/debs/linux-source-*.deb | tar -x -C "$WORK/unpack" --wildcards './usr/src/linux-source-*.tar.*'
tarball=$(ls "$WORK"/unpack/usr/src/linux-source-*.tar.*)
top=$(basename "$tarball" | sed 's/\.tar\..*//')
tar -xf "$tarball" -C "$DEST/src" --strip-components=1 --wildcards \
  "$top/Documentation/netlink/*" "$top/tools/net/ynl/*"
dpkg -x "$WORK"/debs/linux-libc-dev_*.deb "$WORK/unpack/libc"
mv "$WORK/unpack/libc/usr/include" "$DEST/include"
# Multiarch asm headers live under include/x86_64-linux-gnu; make <asm/…> resolve too.
[ -e "$DEST/include/asm" ] || ln -s "$(uname -m)-linux-gnu/asm" "$DEST/include/asm" 2>/dev/null || true
rm -rf "$WORK/unpack" "$WORK/debs"
echo "$pkg $ver" >"$DEST/VERSION"
cat "$DEST/VERSION"
