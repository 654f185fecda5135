#!/usr/bin/env bash
# Installs what building tokenctl needs beyond the Swift toolchain: OpenSSL 3's libcrypto
# headers (Debian libssl-dev) and pkg-config. Does nothing when they are already there.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libcrypto; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: need OpenSSL 3 development files (libcrypto) and pkg-config; install them with your package manager" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libssl-dev pkg-config openssl >/dev/null
pkg-config --exists libcrypto
