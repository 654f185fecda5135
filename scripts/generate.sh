#!/bin/sh
# Regenerates the man page and the shell completions from the command table
# (Sources/TokenCLI/CommandTable.swift). GoldenTests fail until they are committed.
#
#   scripts/generate.sh           build, then write man/tokenctl.1 and completions/*
#   scripts/generate.sh --check   build, then fail if a committed file differs
set -eu
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "--check" ]; then check=1; fi

swift build --product tokenctl >&2
bin="$(swift build --show-bin-path)/tokenctl"

status=0
emit() { # emit ARTEFACT OUTPUT [TEMPLATE]
    tmp="$2.tmp.$$"
    if ! "$bin" --generate "$1" ${3:+"$3"} > "$tmp"; then
        rm -f "$tmp"
        exit 2
    fi
    if [ "$check" = 1 ]; then
        if ! cmp -s "$tmp" "$2"; then
            echo "generate.sh: $2 is out of date; run scripts/generate.sh" >&2
            status=1
        fi
        rm -f "$tmp"
    else
        mv "$tmp" "$2"
        echo "wrote $2" >&2
    fi
}

mkdir -p man completions
emit man man/tokenctl.1 man/tokenctl.1.in
emit completion-bash completions/tokenctl.bash
emit completion-zsh completions/_tokenctl
emit completion-fish completions/tokenctl.fish
exit "$status"
