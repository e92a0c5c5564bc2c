#!/bin/sh
# A golden of `inst_print`: runs the checker on FILE.te with the arguments on its first line
# (`# args: -D N=512 ...`) and compares stdout with FILE.golden. UPDATE_GOLDEN=1 rewrites it.
# usage: run_golden.sh CHECKER FILE.te
exe=$1
f=$2
golden=${f%.te}.golden
args=$(sed -n '1s/^# args: //p' "$f")
# shellcheck disable=SC2086
out=$("$exe" "$f" $args) || { echo "checker failed on $f"; exit 1; }
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$out" > "$golden"
    exit 0
fi
printf '%s\n' "$out" | diff -u "$golden" - || exit 1
