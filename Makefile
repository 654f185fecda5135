# Small entry points; the real work is SwiftPM's.
SWIFT ?= swift
RELEASE_BIN := .build/release/tokenctl
# The binary `demo` runs and `install` copies. Name one already built (BIN=path) and
# `make install` copies it as it is instead of building the release binary first.
BIN ?= $(RELEASE_BIN)
# static: libcrypto.a and libssl.a linked into the release binary; dynamic: the system's .so files.
OPENSSL_LINK ?= static
# 1: the release binary is compiled with a profile of its own batch work, which takes a second
# build (scripts/build-release.sh); 0: one build. `make demo` builds with 0, to start sooner.
PGO ?= 1

# Where `make install` puts things: $(DESTDIR)$(PREFIX)/... (DESTDIR for packagers).
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL ?= install
BINDIR := $(DESTDIR)$(PREFIX)/bin
MAN1DIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: deps build demo test fuzz generate clean install uninstall bench

deps:
	@scripts/install-deps.sh

build: deps
	OPENSSL_LINK=$(OPENSSL_LINK) PGO=$(PGO) SWIFT=$(SWIFT) scripts/build-release.sh

# Mint a token with the default keyset (created on first use) and decode it.
demo: PGO = 0
demo: build
	$(BIN) sign --sub alice --aud api | $(BIN) decode

# With CI=true (as .ci/run sets it), compiler warnings fail the build; elsewhere they do not,
# so `make test` keeps working with another Swift release on a fresh machine.
WARNINGS_AS_ERRORS := $(if $(filter true,$(CI)),-Xswiftc -warnings-as-errors)

test: deps
	$(SWIFT) test $(WARNINGS_AS_ERRORS)

# Every libFuzzer target for FUZZ_SECONDS each (default 20); see scripts/fuzz.sh.
FUZZ_SECONDS ?= 20
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# The binary, the man page and the bash, zsh and fish completions.
install: $(if $(filter $(RELEASE_BIN),$(BIN)),build)
	$(INSTALL) -d "$(BINDIR)" "$(MAN1DIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	$(INSTALL) -m 0755 "$(BIN)" "$(BINDIR)/tokenctl"
	$(INSTALL) -m 0644 man/tokenctl.1 "$(MAN1DIR)/tokenctl.1"
	$(INSTALL) -m 0644 completions/tokenctl.bash "$(BASHDIR)/tokenctl"
	$(INSTALL) -m 0644 completions/_tokenctl "$(ZSHDIR)/_tokenctl"
	$(INSTALL) -m 0644 completions/tokenctl.fish "$(FISHDIR)/tokenctl.fish"

# Removes exactly the files `install` put there (directories are left alone).
uninstall:
	rm -f "$(BINDIR)/tokenctl" "$(MAN1DIR)/tokenctl.1" "$(BASHDIR)/tokenctl" \
		"$(ZSHDIR)/_tokenctl" "$(FISHDIR)/tokenctl.fish"

# Throughput and start-up beside openssl speed and installed peers, as ratios (scripts/bench.sh).
bench:
	scripts/bench.sh

# Regenerate man/tokenctl.1 and completions/ from the command table.
generate:
	scripts/generate.sh

clean:
	rm -rf .build
