#!/usr/bin/env bash
# tokenctl's speed beside a reference measured in the same run, so that a shared, noisy
# machine still gives comparable figures: `openssl speed` for batch throughput, and for
# one-shot processes `openssl dgst` and, when installed, golang-jwt's CLI (`jwt` or
# `golang-jwt`), latchset `jose` and PyJWT, each alternated with tokenctl run by run
# (`/bin/true` gives the process floor). Every figure is printed with its ratio.
#
#   make bench                 # builds the release binary, then runs everything
#   scripts/bench.sh           # the same
#
# Environment (all optional):
#   BIN=path        measure this binary instead of building the release one
#   N=100000        tokens per batch (200 distinct tokens repeated)
#   HS256_N=5*N     tokens for the HS256 batches (verify, decode, inspect-size): N of them take
#                   a fraction of a CPU-second, which the batch figures time to 10 ms
#   RUNS=40         processes per one-shot figure (the median is reported)
#   SPEED_SECONDS=3 seconds per `openssl speed` figure (SKIP_SPEED=1: none)
#   BATCH_RUNS=1    rounds of `openssl speed` and every batch figure (the medians are reported)
#   PIN_CPU=1       run every measured process on that one core (taskset; not the --jobs figures)
#   JOBS_RUNS=3     runs of each --jobs figure (--jobs 1 and --jobs 2 alternate; the median ratio is reported)
#   JOBS_N=HS256_N  HS256 tokens for the HS256 --jobs figures (a batch of N takes a fraction of a
#                   second, and thread start-up and the first reads would weigh in the ratio)
#   PEERS_BIN=dir   where extra peer binaries are (default: $BENCH_WORK/bin of ../shared/bench)
#
# Not a test: nothing here asserts a time. Needs bash 5, openssl and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-100000}
hs_n=${HS256_N:-$((5 * n))}
runs=${RUNS:-40}
distinct=$(( n < 200 ? n : 200 ))
speed_seconds=${SPEED_SECONDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${BIN:-}" ]; then
    scripts/build-release.sh --scratch-path .build-bench >&2
    BIN=.build-bench/release/tokenctl
fi
bin=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
pin=()
if [ -n "${PIN_CPU:-}" ] && command -v taskset >/dev/null; then pin=(taskset -c "$PIN_CPU"); fi
export TOKENCTL_KEYSET="$work/keyset"
peers=${PEERS_BIN:-${BENCH_WORK:-${TMPDIR:-/tmp}/tokenctl-bench}/bin}
PATH="$PATH:$peers"

# ---- inputs: an HS256 secret, a P-256 key pair, ~300-byte tokens ----
cd "$work"
head -c 32 /dev/urandom > hs256.secret
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256-private.pem 2>/dev/null
openssl pkey -in p256-private.pem -pubout -out p256-public.pem
printf '{"sub":"user-12345","iss":"https://issuer.example.com","aud":"tokenctl-bench","roles":["reader","writer"]}\n' > claims.json
for alg in HS256 ES256; do
    if [ "$alg" = HS256 ]; then key=(--secret-file hs256.secret); else key=(--key p256-private.pem); fi
    for i in $(seq "$distinct"); do
        "$bin" sign --alg "$alg" "${key[@]}" --claims @claims.json --exp 7d -c "jti=id-$i" 2>/dev/null
    done > "200-$alg.txt"
    count=$n
    if [ "$alg" = HS256 ]; then count=$hs_n; fi
    reps=$(( (count + distinct - 1) / distinct ))
    for _ in $(seq "$reps"); do cat "200-$alg.txt"; done | head -n "$count" > "tokens-$alg.txt"
done
head -n 1 200-HS256.txt > token.hs256
head -n 1 200-ES256.txt > token.es256
echo "inputs: $hs_n HS256 and $n ES256 tokens per batch, $(awk '{ s += length($0) } END { printf "%d", s / NR }' 200-HS256.txt) bytes (HS256)," \
    "$(awk '{ s += length($0) } END { printf "%d", s / NR }' 200-ES256.txt) bytes (ES256) on average"

# ---- references and batch throughput, in rounds ----
# Each round runs `openssl speed` and then every batch figure once (one process over all
# tokens: CPU time and peak RSS), so that a figure's ratio is taken against a reference
# measured minutes, not a whole run, apart; BATCH_RUNS rounds, the median rate and the
# median ratio are printed. (SKIP_SPEED=1 skips `openssl speed`: it stops on SIGALRM, which
# a parent may have blocked.)
speed() { "${pin[@]}" openssl speed -seconds "$speed_seconds" -mr "$@" 2>/dev/null; }
rounds=${BATCH_RUNS:-1}
figures=(verify-json-hs256 verify-text-hs256 verify-json-es256 verify-text-es256 decode inspect-size)
# run_figure FIGURE: one process of that figure; prints "CPU-SECONDS PEAK-KB RESULTS-OK TOKENS"
run_figure() {
    local input=tokens-HS256.txt pattern args stats
    case $1 in
        verify-json-hs256) pattern='"valid":true' args=(verify --json --alg HS256 --secret-file hs256.secret --aud tokenctl-bench -) ;;
        verify-text-hs256) pattern='^valid$' args=(verify --alg HS256 --secret-file hs256.secret --aud tokenctl-bench -) ;;
        verify-json-es256) pattern='"valid":true' args=(verify --json --key p256-public.pem --aud tokenctl-bench -) input=tokens-ES256.txt ;;
        verify-text-es256) pattern='^valid$' args=(verify --key p256-public.pem --aud tokenctl-bench -) input=tokens-ES256.txt ;;
        decode) pattern='"payload"' args=(decode --json -) ;;
        inspect-size) pattern='"total_bytes"' args=(inspect-size --format json -) ;;
    esac
    stats=$( { /usr/bin/time -f "%U %S %M" "${pin[@]}" "$bin" "${args[@]}" < "$input" > out.txt; } 2>&1 | tail -n 1) || true
    awk -v stats="$stats" -v ok="$(grep -cE "$pattern" out.txt || true)" -v tokens="$(wc -l < "$input")" \
        'BEGIN { split(stats, a, " "); printf "%.3f %d %d %d\n", a[1] + a[2], a[3], ok, tokens }'
}
for ((round = 1; round <= rounds; round++)); do
    if [ "${SKIP_SPEED:-0}" = 1 ]; then
        echo "$round hmac 0"
        echo "$round ecdsa 0"
    else
        echo "$round hmac $(speed -bytes 256 -hmac sha256 | awk -F: '/^\+F:/ { printf "%.0f", $4 / 256 }')"
        echo "$round ecdsa $(speed ecdsap256 | awk -F: '/^\+F4:/ { printf "%.0f", $5 }')"
    fi
    for figure in "${figures[@]}"; do echo "$round $figure $(run_figure "$figure")"; done
done > rounds.txt
# median: the median of the numbers on standard input
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
hmac=$(awk '$2 == "hmac" { print $3 }' rounds.txt | median)
ecdsa=$(awk '$2 == "ecdsa" { print $3 }' rounds.txt | median)
if [ "${SKIP_SPEED:-0}" = 1 ]; then
    echo "openssl speed: skipped (SKIP_SPEED=1), so no ratios to it"
else
    echo "openssl speed (median of $rounds): HMAC-SHA256 of 256 bytes $hmac/s; ECDSA P-256 verify $ecdsa/s"
fi
# report FIGURE NAME REFERENCE REFNAME: the median rate and the median of the rounds' ratios to
# REFERENCE (hmac, ecdsa, or another figure) in the same round, the largest peak RSS
report() {
    awk -v figure="$1" -v name="$2" -v ref="$3" -v refname="$4" -v rounds="$rounds" '
        $2 == figure { cpu = $3 > 0 ? $3 : 0.001; rate[$1] = $6 / cpu; if ($4 > rss) rss = $4; ok = $5; tokens = $6 }
        $2 == ref && NF == 3 { reference[$1] = $3 }
        $2 == ref && NF == 6 { reference[$1] = $6 / ($3 > 0 ? $3 : 0.001) }
        function med(v, k,   i, j, t, m) {  # median of v[1..k]
            for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            m = int((k + 1) / 2); return (k % 2) ? v[m] : (v[m] + v[m + 1]) / 2
        }
        END {
            k = 0; r = 0
            for (i = 1; i <= rounds; i++) {
                rates[++k] = rate[i]
                if (reference[i] > 0) ratios[++r] = rate[i] / reference[i]
            }
            ratio = r > 0 ? sprintf("%.3f of %s", med(ratios, r), refname) : "no ratio"
            printf "%-34s %9.0f tokens/s  %6.1f MB peak  %s (%d/%d results ok)\n", name, med(rates, k), rss / 1024, ratio, ok, tokens
        }' rounds.txt
}
echo
echo "batch (tokens per CPU-second, median of $rounds; ratio to openssl speed, decode and inspect-size to verify --json HS256, in the same round)"
report verify-json-hs256 "verify --json HS256 --aud" hmac "HMAC speed"
report verify-text-hs256 "verify (text) HS256 --aud" hmac "HMAC speed"
report verify-json-es256 "verify --json ES256 --aud" ecdsa "ECDSA verify speed"
report verify-text-es256 "verify (text) ES256 --aud" ecdsa "ECDSA verify speed"
# decode and inspect-size against verify --json HS256 over the same tokens: the issue's target is 1
report decode "decode --json" verify-json-hs256 "verify --json HS256"
report inspect-size "inspect-size --format json" verify-json-hs256 "verify --json HS256"

# ---- --jobs: wall time of --jobs 1 over --jobs 2 in the same run (a speed-up; 2.00x is ideal on 2 cores) ----
# jobs_figure NAME INPUT ARGS...: JOBS_RUNS pairs, alternating; the median ratio, and whether the outputs matched
jobs_runs=${JOBS_RUNS:-3}
wall() {  # wall OUT INPUT ARGS...: seconds
    local out=$1 input=$2 start end
    shift 2
    start=$EPOCHREALTIME
    "$bin" "$@" < "$input" > "$out" 2>&1 || true
    end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }'
}
# The timed runs write to /dev/null: a gigabyte of decode output written to a file timed the
# disk's write-back (seconds of spread between identical runs). One more pair, untimed,
# writes files whose outputs are compared.
jobs_figure() {
    local name=$1 input=$2 ratios=() one two i same="same output"
    shift 2
    for ((i = 0; i < jobs_runs; i++)); do
        one=$(wall /dev/null "$input" "$@" --jobs 1)
        two=$(wall /dev/null "$input" "$@" --jobs 2)
        ratios+=("$(awk -v a="$one" -v b="$two" 'BEGIN { if (b <= 0) b = 0.0001; printf "%.3f %.3f %.3f", a / b, a, b }')")
    done
    wall jobs1.txt "$input" "$@" --jobs 1 > /dev/null
    wall jobs2.txt "$input" "$@" --jobs 2 > /dev/null
    cmp -s jobs1.txt jobs2.txt || same="OUTPUTS DIFFER"
    rm -f jobs1.txt jobs2.txt
    printf '%s\n' "${ratios[@]}" | sort -n | awk -v name="$name" -v same="$same" -v runs="$jobs_runs" '
        { r[NR] = $1; a[NR] = $2; b[NR] = $3 }
        END { m = int((NR + 1) / 2)
              printf "jobs 2 / jobs 1: %-26s %5.2fx speed-up (median of %d; wall %.2f s -> %.2f s) %s\n",
                  name, r[m], runs, a[m], b[m], same }'
}
jobs_n=${JOBS_N:-$hs_n}
for _ in $(seq $(( (jobs_n + hs_n - 1) / hs_n ))); do cat tokens-HS256.txt; done | head -n "$jobs_n" > jobs-HS256.txt
echo
echo "--jobs 2 against --jobs 1 (wall time, $(nproc 2>/dev/null || echo '?') processors online; $n ES256 and $jobs_n HS256 tokens)"
jobs_figure "verify --json ES256" tokens-ES256.txt verify --json --key p256-public.pem --aud tokenctl-bench -
jobs_figure "verify --json HS256" jobs-HS256.txt verify --json --alg HS256 --secret-file hs256.secret --aud tokenctl-bench -
jobs_now=$(date +%s)  # decode and inspect-size print times relative to now: the same now for both runs
jobs_figure "decode --json" jobs-HS256.txt decode --json --now "$jobs_now" -
jobs_figure "inspect-size --format json" jobs-HS256.txt inspect-size --format json --now "$jobs_now" -

# ---- one-shot processes: median wall time of RUNS runs, alternated with the reference's ----
hs_token=$(cat token.hs256)
es_token=$(cat token.es256)
# tokenctl_run FIGURE: one tokenctl process of that figure
tokenctl_run() {
    case $1 in
        sign-HS256) "${pin[@]}" "$bin" sign --alg HS256 --secret-file hs256.secret --claims @claims.json ;;
        sign-ES256) "${pin[@]}" "$bin" sign --alg ES256 --key p256-private.pem --claims @claims.json ;;
        verify-HS256) "${pin[@]}" "$bin" verify --secret-file hs256.secret --aud tokenctl-bench "$hs_token" ;;
        verify-ES256) "${pin[@]}" "$bin" verify --key p256-public.pem --aud tokenctl-bench "$es_token" ;;
    esac
}
# elapsed_ms COMMAND...: the wall time of one run in ms (needs bash's EPOCHREALTIME)
elapsed_ms() {
    local start=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || true
    awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", (e - s) * 1000 }'
}
floor=$(for ((i = 0; i < runs; i++)); do elapsed_ms "${pin[@]}" /bin/true; done | median)
echo
echo "one-shot processes (median wall ms of $runs each, tokenctl and the reference alternated run by run;"
echo "ratio = tokenctl / reference, lower is better)"
printf '%-14s %8s   %s\n' figure tokenctl "reference: ms (ratio)"
reference() {  # reference FIGURE NAME COMMAND...
    local figure=$1 name=$2 i
    shift 2
    local ours=() theirs=()
    for ((i = 0; i < runs; i++)); do
        ours+=("$(elapsed_ms tokenctl_run "$figure")")
        theirs+=("$(elapsed_ms "${pin[@]}" "$@")")
    done
    local t ms
    t=$(printf '%s\n' "${ours[@]}" | median)
    ms=$(printf '%s\n' "${theirs[@]}" | median)
    awk -v f="$figure" -v t="$t" -v name="$name" -v ms="$ms" \
        'BEGIN { printf "%-14s %8.2f   %s %.2f (%.2fx)\n", f, t, name, ms, t / ms }'
}
reference sign-HS256 "openssl dgst -hmac" openssl dgst -sha256 -hmac "$(od -An -tx1 hs256.secret | tr -d ' \n')" claims.json
reference sign-ES256 "openssl dgst -sign" openssl dgst -sha256 -sign p256-private.pem claims.json
openssl dgst -sha256 -sign p256-private.pem -out claims.sig claims.json
reference verify-ES256 "openssl dgst -verify" openssl dgst -sha256 -verify p256-public.pem -signature claims.sig claims.json
# golang-jwt's cmd/jwt, as Debian's golang-github-golang-jwt-jwt-dev builds it (`jwt`) or as
# ../shared/bench/setup-peers.sh names it (`golang-jwt`)
gojwt=$(command -v golang-jwt || command -v jwt || true)
if [ -n "$gojwt" ]; then
    reference sign-HS256 "golang-jwt" "$gojwt" -alg HS256 -key hs256.secret -sign claims.json
    reference sign-ES256 "golang-jwt" "$gojwt" -alg ES256 -key p256-private.pem -sign claims.json
    printf '%s' "$es_token" > token-es256.nonl
    reference verify-ES256 "golang-jwt" "$gojwt" -alg ES256 -key p256-public.pem -verify token-es256.nonl
    printf '%s' "$hs_token" > token-hs256.nonl
    reference verify-HS256 "golang-jwt" "$gojwt" -alg HS256 -key hs256.secret -verify token-hs256.nonl
fi
if command -v jose >/dev/null; then    # latchset jose (C over OpenSSL)
    jose jwk gen -i '{"alg":"ES256"}' -o p256.jwk 2>/dev/null && jose jwk pub -i p256.jwk -o p256-pub.jwk 2>/dev/null
    reference sign-ES256 "jose" jose jws sig -I claims.json -k p256.jwk -c
fi
python=${PYTHON:-python3}
if [ -x "${BENCH_WORK:-${TMPDIR:-/tmp}/tokenctl-bench}/venv/bin/python" ]; then
    python=${BENCH_WORK:-${TMPDIR:-/tmp}/tokenctl-bench}/venv/bin/python
fi
if "$python" -c 'import jwt' 2>/dev/null; then
    cat > pyjwt_sign.py <<'EOF'
import sys, json, jwt
alg, keyfile = sys.argv[1], sys.argv[2]
key = open(keyfile, "rb").read()
print(jwt.encode(json.load(open("claims.json")), key, algorithm=alg))
EOF
    reference sign-HS256 "PyJWT" "$python" pyjwt_sign.py HS256 hs256.secret
    reference sign-ES256 "PyJWT" "$python" pyjwt_sign.py ES256 p256-private.pem
fi
awk -v t="$floor" 'BEGIN { printf "(process floor: /bin/true %.2f ms)\n", t }'
