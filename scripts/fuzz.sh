#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, scratch path .build-fuzz) and runs each for
# FUZZ_SECONDS (default 20) from its committed seed corpus (Fuzz/Corpus/<target>), with new
# inputs kept in .build-fuzz/corpus/<target>. Prints executions and executions/s per target
# and stops at the first crash, leaving the reproducer (crash-*) in .build-fuzz/artifacts.
# Usage: scripts/fuzz.sh [target...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
    TARGETS=(token json base64url keys scan har time apikey keyset http policy)
fi
(cd Fuzz && swift build --scratch-path ../.build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xcc -fsanitize=fuzzer-no-link,address)
BIN=.build-fuzz/debug/tokenctl-fuzz
mkdir -p .build-fuzz/artifacts
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
status=0
for target in "${TARGETS[@]}"; do
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    log=.build-fuzz/fuzz-$target.log
    if FUZZ_TARGET=$target "$BIN" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -use_value_profile=1 -print_final_stats=1 -artifact_prefix=.build-fuzz/artifacts/"$target"- \
        "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "fuzz $target: $runs executions, $rate/s, no crash"
    else
        echo "fuzz $target: FAILED (see $log):"
        grep -E "ERROR|Fatal error|property broken|Test unit written" "$log" | head -5
        status=1
    fi
done
exit $status
