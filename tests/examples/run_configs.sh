#!/bin/sh
# `tec --run` (compile in process, run on random inputs, compare with the reference evaluator:
# tests/lib/run_checked.sh) on several configs of FILE.te: each may be a number, `last`, `mid`,
# or `spread`: every config of a space of at most 16, else 0, a third, a half, two thirds and
# the last. `-D NAME=VALUE` pairs among them bind the template's parameters for every run.
# usage: run_configs.sh TEC FILE.te [-D NAME=VALUE]... CONFIG...
set -u
tec=$1 f=$2
shift 2
defs=
for a in "$@"; do
    case $a in -D) ;; *=*) defs="$defs -D $a" ;; esac
done
checked=$(cd "$(dirname "$0")/../lib" && pwd)/run_checked.sh
# shellcheck disable=SC2086 # $defs is a list of words without blanks
len=$("$tec" --space "$f" $defs | sed -n 's/^ConfigSpace (len=\([0-9]*\),.*/\1/p')
[ -n "$len" ] || { echo "no space length for $f"; exit 1; }
configs=
for c in "$@"; do
    case $c in -D | *=*) continue ;; esac
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
    # shellcheck disable=SC2086
    sh "$checked" "$tec" --run "$f" $defs --config "$config" --repeat 1 ||
        { echo "config $config of $f$defs"; exit 1; }
done
