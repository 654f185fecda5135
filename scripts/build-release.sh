#!/usr/bin/env bash
# Builds the release binary (.build/release/tokenctl) the way it ships: the Swift standard
# library linked in (--static-swift-stdlib), OpenSSL's libcrypto and libssl linked in from
# their static archives when the system has them (Debian's libssl-dev does), a
# position-dependent executable (-no-pie), type metadata reached through accessors rather
# than mangled names (below), code laid out by a profile of its own batch work (PGO), and
# optimized across modules at link time (LTO, at the end).
#
# Why: a tokenctl run from a shell script is mostly process start-up. Measured on this
# machine kind (perf stat, CPU ms, same run): `tokenctl --version` 4.2 with libcrypto.so
# and PIE, 2.3 static and non-PIE; PIE alone means ~39,000 relocations and ~160 more page
# faults per run, loading libcrypto.so ~1.5 ms of symbol look-up and relocation.
# The cost: a fixed OpenSSL copy inside the binary (rebuild to take an OpenSSL security
# update); OPENSSL_LINK=dynamic builds against libcrypto.so/libssl.so instead, as
# `swift build` does.
#
# Usage: scripts/build-release.sh [extra swift build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-c release --static-swift-stdlib -Xlinker -no-pie)
# No $ORIGIN run path: SwiftPM adds one so that an executable finds Swift libraries beside it,
# which a binary with the runtime linked in has none of; with it, the dynamic loader looked for
# libc, libm and libgcc_s in about nine directories under the binary's own before the system's, 23
# failed system calls a run (one-shot `verify` HS256: 128 system calls -> 105, wall median
# 4.88 -> 4.80 ms over 101 alternated runs from a small directory, 5.47 -> 4.64 ms from one
# holding ~270 files).
args+=(--disable-local-rpath)
# Generic types instantiated with concrete arguments (`[OptionSpec]`, `Optional<CommandSpec>`,
# `Result<TokenVerifier, Error>`) get their metadata through the runtime's accessors instead of
# by demangling their mangled names at first use: each name cost ~11,000 instructions, and a
# one-shot run instantiates ~40 (callgrind: `verify` HS256 2.24M -> 1.98M instructions,
# `verify` ES256 3.71M -> 3.44M, `sign` ES256 3.62M -> 3.47M; batch throughput unchanged).
args+=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
libdir=$(pkg-config --variable=libdir libcrypto)
if [ "${OPENSSL_LINK:-static}" = static ] && [ -f "$libdir/libcrypto.a" ] && [ -f "$libdir/libssl.a" ]; then
    # pkg-config files of our own that name a directory holding only the static archives,
    # so the linker's -lcrypto and -lssl find libcrypto.a and libssl.a there.
    static=.build/static-openssl
    mkdir -p "$static/lib"
    ln -sf "$libdir/libcrypto.a" "$libdir/libssl.a" "$static/lib/"
    for name in libcrypto libssl; do
        sed -e "s|^Libs: -L\${libdir}|Libs: -L$PWD/$static/lib|" \
            "$(pkg-config --variable=pcfiledir "$name")/$name.pc" >"$static/$name.pc"
    done
    export PKG_CONFIG_PATH="$PWD/$static${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi
# libstdc++ (which the Swift runtime needs) linked in from its static archive as well, by the
# same trick: a directory holding only libstdc++.a, searched first. Loading libstdc++.so.6
# meant ~1,800 symbol relocations at every start (LD_DEBUG=statistics); CXX_LINK=dynamic
# keeps the shared library.
cxx=$("${CXX:-g++}" -print-file-name=libstdc++.a 2>/dev/null || true)
if [ "${CXX_LINK:-static}" = static ] && [ -f "$cxx" ]; then
    mkdir -p .build/static-cxx
    ln -sf "$(readlink -f "$cxx")" .build/static-cxx/libstdc++.a
    args+=(-Xswiftc -L -Xswiftc "$PWD/.build/static-cxx")
fi
# Profile-guided optimization (PGO=0 skips it): an instrumented build first (.build-pgo), run
# over tokenctl's usual work (scripts/pgo-train.sh), and the release binary then compiled with
# the counts it recorded, so that LLVM lays out hot code together and branches the way inputs
# go. Measured (callgrind over 20k HS256 tokens, then CPU time over 200k, medians of seven
# alternated runs): `verify --json` 366.3M -> 353.9M instructions and 178 -> 157 ms, its text
# form 357.6M -> 345.6M and 161 -> 148 ms, `decode --json` 697.6M -> 653.6M and 605 -> 559 ms,
# `inspect-size --format json` 659.9M -> 625.1M and 565 -> 538 ms; one-shot runs the same.
# Most of the time gained is not instructions: cachegrind counted 207 first-level
# instruction-cache misses a token for `verify --json` (144 for its text form), the batch
# path's code being larger than that cache, and 65 once the profile packs the hot code together.
# The cost: a second build (about a minute on two cores) and a few seconds of training.
# The driver does not pass -ir-profile-generate on (Swift 6.3), so it goes to the frontend,
# and the instrumented binary is linked with the toolchain's profile runtime by hand.
swift_bin=$(dirname "$(readlink -f "$(command -v "${SWIFT:-swift}")")")
profdata=$swift_bin/llvm-profdata
runtime=$(find "$swift_bin/../lib/clang" -name "libclang_rt.profile-$(uname -m).a" 2>/dev/null | head -n 1)
if [ "${PGO:-1}" = 1 ] && [ -x "$profdata" ] && [ -n "$runtime" ]; then
    echo "build-release: the instrumented build for profile-guided optimization (PGO=0 skips it)" >&2
    "${SWIFT:-swift}" build "${args[@]}" --scratch-path .build-pgo \
        -Xswiftc -Xfrontend -Xswiftc -ir-profile-generate \
        -Xlinker "$runtime" -Xlinker -u__llvm_profile_runtime >&2
    rm -rf .build-pgo/profiles
    if ! LLVM_PROFILE_FILE="$PWD/.build-pgo/profiles/tokenctl-%p.profraw" scripts/pgo-train.sh .build-pgo/release/tokenctl; then
        echo "build-release: the training run failed (above); PGO=0 builds without it" >&2
        exit 1
    fi
    "$profdata" merge -o .build-pgo/merged.profdata .build-pgo/profiles/*.profraw
    rm -rf .build-pgo/profiles
    # The profile is named by its contents: a new profile is a new compiler argument, so every
    # module is built again with it. Under one name, a rebuild after a source change kept the
    # modules that had not changed, built with the older profile, and LTO refused to link
    # objects of two profiles ("linking module flags 'ProfileSummary': IDs have conflicting
    # values").
    profile=.build-pgo/tokenctl-$(sha256sum .build-pgo/merged.profdata | cut -c1-16).profdata
    find .build-pgo -maxdepth 1 -name 'tokenctl*.profdata' ! -path "$profile" -delete
    mv .build-pgo/merged.profdata "$profile"
    # -disable-incremental-llvm-codegen: the frontend keeps an object whose unoptimized IR is
    # unchanged, and the profile is not part of that IR, so without it a binary built before
    # would be linked again as it was.
    args+=(-Xswiftc -Xfrontend -Xswiftc "-ir-profile-use=$PWD/$profile")
    args+=(-Xswiftc -Xfrontend -Xswiftc -disable-incremental-llvm-codegen)
elif [ "${PGO:-1}" = 1 ]; then
    echo "build-release: no llvm-profdata or profile runtime beside $swift_bin; building without profile-guided optimization" >&2
fi
# Link-time optimization across the modules (LTO=0 skips it): TokenKit's code is inlined into
# the command-line module's loops and whatever neither calls is dropped, after the profile
# has weighed it (the instrumented build above does without). Measured with the profile,
# seven alternated runs over 200k HS256 tokens, median CPU ms: `verify --json` 156 -> 137,
# text 148 -> 130, `decode --json` 530 -> 492, `inspect-size --format json` 503 -> 460; a
# one-shot `verify` 1.056M -> 1.029M instructions; the binary 1 MB smaller; the link ~15 s
# longer. SwiftPM still calls the option experimental (Swift 6.3).
if [ "${LTO:-1}" = 1 ]; then
    args+=(--experimental-lto-mode=full)
fi
exec "${SWIFT:-swift}" build "${args[@]}" "$@"
