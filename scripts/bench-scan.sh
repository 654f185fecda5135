#!/usr/bin/env bash
# Scanning speed of `tokenctl inspect-size --scan` on ordinary log text, beside
# `grep -c eyJ` on the same file, reported as MB/s and as a ratio (so a shared, noisy
# machine still gives a comparable figure). Also prints the peak memory (max RSS), which
# must not grow with the file's size.
# Run by hand: scripts/bench-scan.sh [MEGABYTES]   (default 256)
# Not a test: nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scripts/build-release.sh --scratch-path .build-bench >&2
bin=.build-bench/release/tokenctl

# 200 distinct tokens; one log line in 500 carries one (as a field, a header or JSON).
head -c 32 /dev/urandom > "$work/hs.secret"
for i in $(seq 200); do
    "$bin" sign --secret-file "$work/hs.secret" --iss https://auth.example.com --sub "user-$i" --exp 1h
done > "$work/tokens.txt"
python3 - "$work/tokens.txt" "$work/log.txt" "$mb" <<'PY'
import sys, random
tokens = open(sys.argv[1]).read().split()
target = int(sys.argv[3]) * 1_000_000
random.seed(11)
paths = ["/api/v1/orders", "/api/v1/users/me", "/healthz", "/static/app.js", "/api/v1/search?q=shoes"]
lines = []
for i in range(100000):
    if i % 500 == 0:
        t = tokens[(i // 500) % len(tokens)]
        kind = (i // 500) % 3
        lines.append([f"2026-11-30T10:00:{i%60:02d}.123Z DEBUG auth token={t} user=alice",
                      f"> Authorization: Bearer {t}",
                      f'{{"level":"info","msg":"token issued","access_token":"{t}"}}'][kind])
    else:
        lines.append(f"2026-11-30T10:00:{i%60:02d}.{i%1000:03d}Z INFO  [worker-{i%8}] GET {random.choice(paths)} "
                     f"{random.choice([200, 200, 200, 304, 404])} {random.randint(1, 900)}ms req={random.getrandbits(48):012x}"
                     + random.choice(["", "", ' ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"',
                                      ' msg="JSON body of Jan 30 parsed by Jackson"']))
block = ("\n".join(lines) + "\n").encode()
with open(sys.argv[2], "wb") as f:
    written = 0
    while written < target:
        f.write(block)
        written += len(block)
PY
bytes=$(stat -c %s "$work/log.txt")
cat "$work/log.txt" > /dev/null   # warm the page cache for both

run() { # run COMMAND... -> "seconds maxrss_kb": the best wall time of 3 runs, and the peak memory
    best=""
    for _ in 1 2 3; do
        start=$(date +%s%N)
        "$@" > "$work/out"
        end=$(date +%s%N)
        t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    rss=$( { /usr/bin/time -f "%M" "$@" > /dev/null; } 2>&1 | tail -1)
    echo "$best $rss"
}
grep_result=$(run grep -c eyJ "$work/log.txt")
grep_count=$(cat "$work/out")
scan_result=$(run "$bin" inspect-size --scan --format json --budget 1m "$work/log.txt")
scan_count=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["count"], r["occurrences"])' "$work/out")

awk -v bytes="$bytes" -v g="$grep_result" -v s="$scan_result" -v gc="$grep_count" -v sc="$scan_count" 'BEGIN {
    split(g, gg, " "); split(s, ss, " ")
    mb = bytes / 1e6
    gr = mb / (gg[1] > 0 ? gg[1] : 0.001); sr = mb / (ss[1] > 0 ? ss[1] : 0.001)
    printf "file: %.0f MB of log text, %s lines with eyJ (grep -c)\n", mb, gc
    printf "grep -c eyJ:                  %7.0f MB/s  (%.3f s, max RSS %d KiB)\n", gr, gg[1], gg[2]
    printf "tokenctl inspect-size --scan: %7.0f MB/s  (%.3f s, max RSS %d KiB; distinct, occurrences: %s)\n", sr, ss[1], ss[2], sc
    printf "ratio tokenctl / grep: %.2f\n", sr / gr
}'
