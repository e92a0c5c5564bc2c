#!/bin/sh
# A golden of the lowered loops (`--emit loops`; the schedule data when the arguments start
# with --sched): runs `test_lower --loops` with the arguments
# in NAME.args (paths relative to the source root) and compares stdout with NAME.loops.
# UPDATE_GOLDEN=1 rewrites the golden.
# usage: run_golden.sh TEST_LOWER SRCROOT NAME.args
exe=$1
root=$2
f=$3
golden=${f%.args}.loops
cd "$root" || exit 1
args=$(cat "$f")
# shellcheck disable=SC2086
out=$("$exe" --loops $args) || { echo "test_lower failed on $f"; exit 1; }
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$out" > "$golden"
    exit 0
fi
printf '%s\n' "$out" | diff -u "$golden" - || exit 1
