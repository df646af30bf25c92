# shellcheck shell=sh
# The start the guest scripts that drive nlctl share (test/vm/guest-nlctl.sh,
# test/vm/guest-devlink.sh); sourced, not run. The script sets SELF (its own path) and TAP
# (see test/vm/lib.sh) first. Sets KO (the module), OUT (files for the host), W (a directory
# the script's copies share) and NL (the nlctl command), with the script's directory the tree.

cd "${VM_ROOT:-$(dirname "$SELF")/../..}" || exit 1
KO=$PWD/kmod/netlink_test.ko
. "$(dirname "$SELF")/lib.sh"
export NO_COLOR=1
OUT=${VM_OUT:-$TMP}
# Runs share their output files through W (the checks run in copies of the script).
# nlctl runs from a copy taken at the start: the host's / is live, and a rebuild
# there during the run would swap the bundle's chunks under running tests.
if [ -z "${NLVM_W:-}" ]; then
    NLVM_W=$(mktemp -d /tmp/nlctl-vm.XXXXXX)
    export NLVM_W
    mkdir "$NLVM_W/nlctl"
    cp -r bin package.json "$NLVM_W/nlctl/"
    if [ -e dist/main.cjs ]; then cp -r dist "$NLVM_W/nlctl/"; else mkdir "$NLVM_W/nlctl/build" && cp -r build/src "$NLVM_W/nlctl/build/"; fi
    ln -s "$PWD/node_modules" "$NLVM_W/nlctl/node_modules"
fi
W=$NLVM_W
NL="node $W/nlctl/bin/nlctl"
