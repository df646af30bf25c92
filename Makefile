# nlctl — make run: build and run `nlctl dump link`; make test: lint and every test; make bench: benchmarks.
SHELL := /bin/bash
NODE_MODULES := node_modules/.package-lock.json
BUILD_STAMP := build/.stamp
SOURCES := $(shell find src test bench -name '*.ts' 2>/dev/null) $(wildcard src/schema/specs/*) tsconfig.json

.PHONY: all build run test deps test-deps lint bench clean specs

all: build

$(NODE_MODULES): package.json
	npm install --no-audit --no-fund
	@touch $@

deps: $(NODE_MODULES)

$(BUILD_STAMP): $(NODE_MODULES) $(SOURCES)
	npx tsc -p tsconfig.json
	rm -rf dist && node scripts/bundle.mjs && node scripts/man.mjs
	@touch $@

build: $(BUILD_STAMP)

run: build
	bin/nlctl dump link

# Debian packages the tests use (iproute2, tshark, strace, ethtool, qemu for the kernel-module VM);
# installed when running as root, otherwise the tests that need them say so.
test-deps:
	@scripts/install-test-deps.sh

# ESLint: the layers, import cycles, unused code (eslint.config.js).
lint: $(NODE_MODULES)
	npm run -s lint

test: test-deps build lint
	node --test --test-concurrency=1 build/test/

clean:
	rm -rf build dist

# Regenerate the built-in spec tables (src/schema/specs) from Debian's newest linux-source
# package (downloads it into .cache/kernel once); `make build` and `make run` never download.
specs: build
	scripts/kernel-source.sh .cache/kernel
	node scripts/specs/generate.mjs .cache/kernel

-include kmod/kmod.mk

# Benchmarks against the tools users would pick instead (root: makes a network namespace).
bench: test-deps build
	@command -v tshark >/dev/null && [ -e /usr/lib/python3/dist-packages/pyroute2 ] || \
	  { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tshark python3-pyroute2 >/dev/null; } || true
	node bench/startup.mjs
	node bench/dump-route.mjs
	node bench/dump-link.mjs
	node bench/dump-ynl.mjs
	node bench/decode-pcap.mjs
	node bench/listen-flood.mjs
	node bench/decode-memory.mjs

# A long seeded fuzz run of decode (1,000,000 cases, at most 20 minutes): crashes, hangs, exit codes.
.PHONY: fuzz
fuzz: build
	node scripts/fuzz.mjs

# nlctl as one executable file (Node and the ffi-rs addon inside): dist/nlctl-linux-<arch>.
.PHONY: sea
sea: build
	node scripts/build-sea.mjs
