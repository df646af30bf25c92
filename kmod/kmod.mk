# Kernel-module and VM-test targets. The top-level Makefile includes this
# file; it also works alone: make -f kmod/kmod.mk TARGET
#
#   kmod        build kmod/netlink_test.ko against $(KDIR)
#               (default /lib/modules/$(uname -r)/build; for the Debian
#               kernel: KDIR=/lib/modules/6.1.0-xx-amd64/build)
#   insmod      build, load (parameters from KMOD_PARAMS, e.g. "groups=8")
#               and check that protocol 25 is registered
#   rmmod       unload; open protocol-25 sockets hold the module: then it
#               says which processes hold it (nlctl sockets --proto test)
#               and how to close them, and fails (kmod/unload.sh)
#   kmod-clean  remove the build products
#   vm-test     build nlctl, boot a Debian kernel under qemu and run
#               test/vm/guest-nlctl.sh (nlctl against the module; part of
#               make test); VM_GUEST=test/vm/guest-module.sh runs the
#               raw-socket scenarios instead
#   vm-run      boot and run VM_SCRIPT=path/to/guest-script.sh (no verdict)
#   vm-setup    install the packages the VM needs (apt-get, as root)
#   vm-clean    remove the VM cache (.vm/)
#
# Only KMOD_*, VM_* and KDIR variables are defined here.

KMOD_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KMOD_ROOT := $(abspath $(KMOD_DIR)/..)
KMOD_KO := $(KMOD_DIR)/netlink_test.ko
KMOD_PARAMS ?=
KDIR ?= /lib/modules/$(shell uname -r)/build
VM_SCRIPT ?= test/vm/guest-module.sh

.PHONY: kmod insmod rmmod kmod-clean vm-test vm-run vm-setup vm-clean

kmod:
	@if [ ! -d "$(KDIR)" ]; then \
		echo "kmod: no kernel headers at $(KDIR): install linux-headers-$$(uname -r) (or linux-headers-amd64 for the Debian kernel, then KDIR=/lib/modules/VERSION/build)"; \
		exit 1; \
	fi
	@# Header packages ship no vmlinux, so module BTF is skipped rather than noted.
	$(MAKE) --no-print-directory -C "$(KDIR)" M="$(KMOD_DIR)" CONFIG_DEBUG_INFO_BTF_MODULES= modules

insmod: kmod
	@if [ -e /sys/module/netlink_test ]; then \
		echo "insmod: netlink_test is loaded: reloading it"; \
		"$(KMOD_DIR)/unload.sh" || exit 1; \
	fi
	insmod "$(KMOD_KO)" $(KMOD_PARAMS)
	@# socket() fails with EPROTONOSUPPORT unless a kernel socket serves the protocol.
	@if python3 -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 25).close()'; then \
		echo "insmod: netlink_test loaded: protocol 25 (NETLINK_TEST) is registered, genl family nlctl_test"; \
	else \
		echo "insmod: netlink_test loaded but protocol 25 is not registered: see dmesg"; \
		exit 1; \
	fi

rmmod:
	@"$(KMOD_DIR)/unload.sh"

kmod-clean:
	rm -f "$(KMOD_DIR)"/*.o "$(KMOD_DIR)"/*.ko "$(KMOD_DIR)"/*.mod "$(KMOD_DIR)"/*.mod.c \
		"$(KMOD_DIR)"/.*.cmd "$(KMOD_DIR)"/Module.symvers "$(KMOD_DIR)"/modules.order

vm-test:
	"$(KMOD_ROOT)/test/vm/run.sh"

vm-run:
	"$(KMOD_ROOT)/scripts/vm/run.sh" "$(VM_SCRIPT)"

vm-setup:
	"$(KMOD_ROOT)/scripts/vm/setup.sh"

vm-clean:
	rm -rf "$(KMOD_ROOT)/.vm"
