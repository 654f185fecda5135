#!/usr/bin/env bash
# Batch-verification throughput of tokenctl beside OpenSSL's own speed on this machine,
# reported as a ratio so that a shared, noisy machine still gives comparable figures.
# Run by hand: scripts/bench.sh [N_TOKENS]   (default 20000; needs the openssl CLI)
# Not a test: nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --static-swift-stdlib --scratch-path .build-bench >&2
bin=.build-bench/release/tokenctl
export TOKENCTL_KEYSET="$work/keyset"

head -c 32 /dev/urandom > "$work/hs.secret"
"$bin" sign --sub bench >/dev/null 2>&1                   # creates the ES256 keyset
for alg in HS256 ES256; do
    if [ "$alg" = HS256 ]; then key=(--secret-file "$work/hs.secret"); else key=(--keyset "$TOKENCTL_KEYSET"); fi
    for _ in $(seq 100); do "$bin" sign "${key[@]}" --sub bench --exp 1h; done > "$work/100.txt"
    for _ in $(seq $((n / 100))); do cat "$work/100.txt"; done > "$work/$alg.txt"
    cpu=$( { /usr/bin/time -f "%U %S" "$bin" verify "${key[@]}" --json - < "$work/$alg.txt" > "$work/out"; } 2>&1 | tail -1)
    valid=$(grep -c '"valid":true' "$work/out")
    rate=$(awk -v n="$n" -v t="$cpu" 'BEGIN { split(t, a, " "); printf "%.0f", n / (a[1] + a[2]) }')
    echo "$alg $rate" >> "$work/rates"
    echo "tokenctl verify --json, $alg: $valid/$n valid, $rate tokens per CPU-second"
done

speed() { openssl speed -seconds 2 -mr "$@" 2>/dev/null; }
hmac=$(speed -bytes 256 -hmac sha256 | awk -F: '/^\+F:/ { printf "%.0f", $4 / 256 }')
ecdsa=$(speed ecdsap256 | awk -F: '/^\+F4:/ { printf "%.0f", $5 }')
echo "openssl speed: HMAC-SHA256 (256 bytes) $hmac/s, ECDSA P-256 verify $ecdsa/s"
awk -v h="$hmac" -v e="$ecdsa" '$1 == "HS256" { printf "HS256: %.3f of OpenSSL HMAC speed\n", $2 / h }
                                $1 == "ES256" { printf "ES256: %.2f of OpenSSL ECDSA verify speed\n", $2 / e }' "$work/rates"
