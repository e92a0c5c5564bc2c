#!/bin/sh
# One malformed template through the driver, as a user runs it: tests/errors/run_error.sh with
# tec as the checker (its `# expect:` and `# args:` lines), run in an empty directory that must
# stay empty (no partial object or header), within 5 seconds (the sanitizer build included).
# usage: run_malformed.sh TEC RUN_ERROR_SH FILE.te WORKDIR
set -u
tec=$1 runner=$2 f=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
start=$(date +%s%N)
(cd "$work" && sh "$runner" "$tec" "$f") || exit 1
ms=$((($(date +%s%N) - start) / 1000000))
left=$(ls -A "$work")
[ -z "$left" ] || { echo "left files behind: $left"; exit 1; }
[ "$ms" -le 5000 ] || { echo "took $ms ms"; exit 1; }
rm -rf "$work"
