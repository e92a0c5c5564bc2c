#!/bin/sh
# `tec --run` (compile in process, run on random inputs, compare with the reference evaluator:
# tests/lib/run_checked.sh) on several configs of FILE.te: each may be a number, `last`, `mid`,
# or `spread`: every config of a space of at most 16, else 0, a third, a half, two thirds and
# the last.
# usage: run_configs.sh TEC FILE.te CONFIG...
set -u
tec=$1 f=$2
shift 2
checked=$(cd "$(dirname "$0")/../lib" && pwd)/run_checked.sh
len=$("$tec" --space "$f" | sed -n 's/^ConfigSpace (len=\([0-9]*\),.*/\1/p')
[ -n "$len" ] || { echo "no space length for $f"; exit 1; }
configs=
for c in "$@"; do
    if [ "$c" = spread ]; then
        if [ "$len" -le 16 ]; then
            configs="$configs $(seq -s ' ' 0 $((len - 1)))"
        else
            configs="$configs 0 $((len / 3)) $((len / 2)) $((2 * len / 3)) $((len - 1))"
        fi
    else
        configs="$configs $c"
    fi
done
for config in $configs; do
    case $config in
    last) config=$((len - 1)) ;;
    mid) config=$((len / 2)) ;;
    esac
    sh "$checked" "$tec" --run "$f" --config "$config" --repeat 1 ||
        { echo "config $config of $f"; exit 1; }
done
