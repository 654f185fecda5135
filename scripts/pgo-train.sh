#!/usr/bin/env bash
# The training run of the profile-guided build (scripts/build-release.sh): tokenctl's usual
# work, done by an instrumented binary so that the compiler learns which code is hot. One-shot
# `sign`, `verify` and `decode` (the demo), then batches from standard input: `verify` of HS256
# and ES256 tokens in text and JSON, with one job and two, `decode`, `inspect-size`, `--scan`
# over log lines, and keyset-bound API keys. Each batch mixes in what real input holds: expired
# tokens, a wrong audience, a signature that does not match, `Bearer` lines and lines with no
# token.
#
# Usage: scripts/pgo-train.sh BIN      (TRAIN_N=20000 HS256 lines a batch, a tenth as many ES256)
#
# Every command's exit status is checked: a run that stops early, or a command that fails to
# parse, would teach the compiler the wrong paths, so the script exits non-zero instead.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${TRAIN_N:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export TOKENCTL_KEYSET="$work/keyset"

# expect STATUS COMMAND...: run COMMAND (output discarded) and fail unless it exits STATUS.
expect() {
    local want=$1 status=0
    shift
    "$@" >/dev/null 2>"$work/stderr" || status=$?
    if [ "$status" != "$want" ]; then
        echo "pgo-train: 'tokenctl${*#"$bin"}' exited $status, expected $want:" >&2
        head -n 5 "$work/stderr" >&2
        exit 1
    fi
}
# repeat FILE COUNT: the lines of FILE, over and over, COUNT lines in all.
repeat() { awk -v count="$2" '{ line[NR] = $0 } END { for (i = 0; i < count; i++) print line[i % NR + 1] }' "$1"; }

# One-shot: the default keyset (ES256) is created by the first `sign`.
"$bin" sign --sub alice --aud api 2>/dev/null >demo.jwt
expect 0 "$bin" decode "$(cat demo.jwt)"
expect 0 "$bin" verify --aud api "$(cat demo.jwt)"
expect 0 "$bin" inspect-size "$(cat demo.jwt)"

# Tokens: ~300 bytes each, 50 HS256 and 20 ES256, plus one of each kind of reject.
head -c 32 /dev/urandom >hs256.secret
printf '{"sub":"user-12345","iss":"https://issuer.example.com","aud":"tokenctl-bench","roles":["reader","writer"]}\n' >claims.json
hs=(--alg HS256 --secret-file hs256.secret)
for i in $(seq 50); do "$bin" sign "${hs[@]}" --claims @claims.json --exp 12h -c "jti=id-$i"; done >hs256.txt
for i in $(seq 20); do "$bin" sign --claims @claims.json --exp 12h -c "jti=id-$i"; done >es256.txt
# (First the line every command rejects, so that a batch of the first few lines fails too.)
{
    echo 'not a token'
    "$bin" sign "${hs[@]}" --claims @claims.json --iat 2020-01-01T00:00:00Z --exp 15m --allow-invalid-times
    "$bin" sign "${hs[@]}" --claims @claims.json --aud another-api --exp 12h
    awk -F. 'NR == 1 { first = $1 "." $2 } NR == 2 { print first "." $3 }' hs256.txt  # another token's signature
    sed -n '2s/^/Bearer /p' hs256.txt
} >rejects.txt
cat rejects.txt hs256.txt >hs256-mixed.txt
cat rejects.txt es256.txt >es256-mixed.txt
repeat hs256-mixed.txt "$n" >hs256-batch.txt
repeat es256-mixed.txt $((n / 10)) >es256-batch.txt
repeat hs256-mixed.txt $((n / 10)) | sed 's/^/GET \/api HTTP\/1.1 Authorization: Bearer /' >log.txt

audience=(--aud tokenctl-bench)
for form in --json --quiet -n; do
    expect 1 "$bin" verify "$form" "${hs[@]}" "${audience[@]}" <hs256-batch.txt
    expect 1 "$bin" verify "$form" "${audience[@]}" <es256-batch.txt
done
expect 1 "$bin" verify "${hs[@]}" "${audience[@]}" <hs256-batch.txt
expect 1 "$bin" verify --json --jobs 2 "${hs[@]}" "${audience[@]}" <hs256-batch.txt
expect 1 "$bin" verify --scan --json "${hs[@]}" "${audience[@]}" <log.txt
expect 1 "$bin" decode --json <hs256-batch.txt
expect 1 "$bin" decode --jobs 2 --json <hs256-batch.txt
expect 1 "$bin" decode <es256-batch.txt
expect 0 "$bin" decode --scan --json <log.txt
expect 1 "$bin" inspect-size --format json <hs256-batch.txt
expect 1 "$bin" inspect-size <hs256-batch.txt
expect 1 "$bin" inspect-size --jobs 2 <hs256-batch.txt

# Keyset-bound API keys, verified against the default keyset.
"$bin" sign --api-key --bound --prefix acme --count 200 2>/dev/null >api-keys.txt
repeat api-keys.txt $((n / 10)) >api-key-batch.txt
expect 0 "$bin" verify --json <api-key-batch.txt
