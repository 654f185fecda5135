#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, scratch path .build-fuzz, -sanitize=fuzzer,address)
# and runs each from its committed seed corpus (Fuzz/Corpus/<target>), with new inputs kept
# in .build-fuzz/corpus/<target>. Prints executions, executions/s, wall time, corpus and
# coverage per target and stops at the first crash, leaving the reproducer (crash-*,
# timeout-*, oom-*) in .build-fuzz/artifacts.
# Usage: scripts/fuzz.sh [target...]   (default: every target)
# Environment:
#   FUZZ_CONFIG=debug|release  the build (default debug). release is -O with the same
#                              sanitizers: preconditions, fatalError, bounds and overflow
#                              checks still trap (the properties use fatalError, not assert).
#   FUZZ_SECONDS=N             time per target (default 20; 0 = no time limit)
#   FUZZ_RUNS=N                stop a target after N executions (default: no limit); with
#                              FUZZ_SECONDS too, whichever comes first
#   FUZZ_RESULTS=FILE          also append one Markdown table row per target to FILE
#   FUZZ_NICE=N                run the build and the fuzzers at this niceness (default 0)
#   FUZZ_SANITIZER=address|none  address (default): -sanitize=fuzzer,address. none:
#                              -sanitize=fuzzer only (scratch path .build-fuzz-plain), several
#                              times faster for long runs; Swift's own checks (bounds,
#                              overflow, preconditions) and the properties still trap, but
#                              out-of-bounds reads through unsafe pointers go unseen.
set -euo pipefail
cd "$(dirname "$0")/.."
# SwiftPM names a path dependency after its directory: a checkout named "fuzz" would have the
# same identity as the Fuzz/ package itself, and the build fails with "product 'TokenKit'
# ... not found". Clone it under another name.
if [ "$(basename "$PWD" | tr '[:upper:]' '[:lower:]')" = fuzz ]; then
    echo "fuzz.sh: the checkout's directory is named '$(basename "$PWD")', which SwiftPM confuses with Fuzz/; clone it under another name" >&2
    exit 2
fi
CONFIG="${FUZZ_CONFIG:-debug}"
case "$CONFIG" in
    debug | release) ;;
    *) echo "fuzz.sh: FUZZ_CONFIG must be debug or release, not '$CONFIG'" >&2; exit 2 ;;
esac
SANITIZER="${FUZZ_SANITIZER:-address}"
case "$SANITIZER" in
    address) SCRATCH=.build-fuzz; SWIFT_SANITIZE=fuzzer,address; CC_SANITIZE=fuzzer-no-link,address ;;
    none) SCRATCH=.build-fuzz-plain; SWIFT_SANITIZE=fuzzer; CC_SANITIZE=fuzzer-no-link ;;
    *) echo "fuzz.sh: FUZZ_SANITIZER must be address or none, not '$SANITIZER'" >&2; exit 2 ;;
esac
RUNS="${FUZZ_RUNS:--1}"
if [ -n "${FUZZ_RUNS:-}" ]; then SECONDS_PER_TARGET="${FUZZ_SECONDS:-0}"; else SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"; fi
NICE=(nice -n "${FUZZ_NICE:-0}")
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
    TARGETS=(token json base64url keys scan har time apikey keyset http policy)
fi
(cd Fuzz && "${NICE[@]}" swift build -c "$CONFIG" --scratch-path "../$SCRATCH" \
    -Xswiftc -sanitize="$SWIFT_SANITIZE" -Xswiftc -enable-testing -Xcc -fsanitize="$CC_SANITIZE")
BIN=$SCRATCH/$CONFIG/tokenctl-fuzz
mkdir -p .build-fuzz/artifacts
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
status=0
for target in "${TARGETS[@]}"; do
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    log=.build-fuzz/fuzz-$target.log
    started=$(date +%s)
    if FUZZ_TARGET=$target "${NICE[@]}" "$BIN" -max_total_time="$SECONDS_PER_TARGET" -runs="$RUNS" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -use_value_profile=1 -print_final_stats=1 \
        -artifact_prefix=.build-fuzz/artifacts/"$target"- "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1; then
        wall=$(($(date +%s) - started))
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        # The last status line: "#N DONE cov: C ft: F corp: K/SIZE ..." (or the last pulse).
        last=$(grep -E '^#[0-9]+' "$log" | tail -1)
        cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
        ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
        corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
        echo "fuzz $target: $runs executions in ${wall} s, $rate/s, cov $cov ft $ft, corpus $corp, no crash"
        if [ -n "${FUZZ_RESULTS:-}" ]; then
            echo "| $target | $runs | $rate | $wall | $cov | $ft | $corp | none |" >>"$FUZZ_RESULTS"
        fi
    else
        echo "fuzz $target: FAILED (see $log):"
        grep -E "ERROR|Fatal error|property broken|Test unit written" "$log" | head -5
        if [ -n "${FUZZ_RESULTS:-}" ]; then
            echo "| $target | - | - | $(($(date +%s) - started)) | - | - | - | FAILED, see $log |" >>"$FUZZ_RESULTS"
        fi
        status=1
    fi
done
exit $status
