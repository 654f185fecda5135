#!/usr/bin/env bash
# Runs the whole test suite (or the tests named by extra `swift test` arguments, e.g.
# --filter TokenKitTests) under a sanitizer, in a scratch path of its own:
#   scripts/sanitize.sh address [swift test args...]   AddressSanitizer + LeakSanitizer (.build-asan)
#   scripts/sanitize.sh thread  [swift test args...]   ThreadSanitizer (.build-tsan)
# Every product is built sanitized, the tokenctl binary the end-to-end tests run included:
# the script checks the binary carries the sanitizer's runtime (nm: __asan_init or
# __tsan_init) and points the tests at it with TOKENCTL_BIN. The end-to-end harness gives
# the child a minimal environment, so the binary runs with the sanitizer's defaults (leak
# detection on, a report makes its exit status and stderr differ, failing the test).
# Suppressions, each entry with the reason, are only for the test framework and Foundation:
# scripts/lsan-suppressions.txt and scripts/tsan-suppressions.txt.
# SANITIZE_NICE=N runs the build and the tests at that niceness (default 0).
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-}"
case "$kind" in
    address) scratch=.build-asan; runtime=__asan_init ;;
    thread) scratch=.build-tsan; runtime=__tsan_init ;;
    *) echo "usage: scripts/sanitize.sh address|thread [swift test arguments...]" >&2; exit 2 ;;
esac
shift
NICE=(nice -n "${SANITIZE_NICE:-0}")
"${NICE[@]}" swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
binary="$PWD/$scratch/debug/tokenctl"
if ! nm "$binary" | grep -c " $runtime\$" >/dev/null; then
    echo "sanitize.sh: $binary has no $runtime: it is not built with --sanitize=$kind" >&2
    exit 2
fi
export TOKENCTL_BIN="$binary"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1"
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt:halt_on_error=0:second_deadlock_stack=1"
# Two tests measure the binary's peak memory (and time) against the product's bounds; a
# sanitized binary has its own (shadow memory, quarantine), so they are skipped here.
"${NICE[@]}" swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" \
    --skip 'randomStdin|inspectSizeInputCount' "$@"
