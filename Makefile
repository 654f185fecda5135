# Small entry points; the real work is SwiftPM's.
SWIFT ?= swift
BIN := .build/release/tokenctl

.PHONY: deps build demo test generate clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Mint a token with the default keyset (created on first use) and decode it.
demo: build
	$(BIN) sign --sub alice --aud api | $(BIN) decode

test: deps
	$(SWIFT) test

# Regenerate man/tokenctl.1 and completions/ from the command table.
generate:
	scripts/generate.sh

clean:
	rm -rf .build
