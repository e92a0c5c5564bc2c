#!/bin/sh
# Runs a libFuzzer target for a bounded time from a fresh corpus seeded with SEED files/dirs
# (every *.te, *.json and *.tasks found under them); a crash input is left in WORK and fails the test.
# usage: run_fuzz.sh FUZZER WORK SECONDS RUNS SEED...
set -u
fuzzer=$1 work=$2 secs=$3 runs=$4
shift 4
rm -rf "$work" && mkdir -p "$work/corpus" "$work/seeds" || exit 1
for s in "$@"; do
    find "$s" -type f \( -name '*.te' -o -name '*.json' -o -name '*.tasks' \) | while read -r f; do
        cp "$f" "$work/seeds/$(printf '%s' "$f" | cksum | cut -d' ' -f1).${f##*.}"
    done
done
cd "$work" && "$fuzzer" corpus seeds -max_total_time="$secs" -runs="$runs" -max_len=4096 \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -25
