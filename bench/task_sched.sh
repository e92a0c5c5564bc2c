#!/bin/sh
# The task scheduler against round-robin on a 3-task list (tutorial matmul, conv2d, batch
# matmul), a fixed total budget, several seeds: prints each run's weighted sum of best latencies
# (tec's summary line) and the medians. Run on a quiet machine:
#   bench/task_sched.sh build/tec [BUDGET] [SEEDS] [DOMINANT_WEIGHT]
# With DOMINANT_WEIGHT (default 10) a second pass weights the conv2d task so that it dominates.
# Rounds hold min(64, BUDGET / 3) configs and every task first gets one, so only a budget well
# above 3 x 64 leaves the scheduler rounds to place (the default: 3 warm-up rounds, 3 placed).
set -eu
tec=$(realpath "$1")
budget=${2:-384}
seeds=${3:-3}
heavy=${4:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list() { # $1: the conv2d task's weight
    cat <<LIST
$root/examples/matmul.te -D N=256 -D L=256 -D M=256
$root/examples/conv2d.te -D CI=32 -D H=14 -D W=14 -D CO=64 -D KH=3 -D KW=3 -D stride=1 -D pad=1 --weight $1
$root/examples/batch_matmul.te -D batch=8 -D N=128 -D L=128 -D M=128
LIST
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for weight in 1 "$heavy"; do
    list "$weight" >"$work/model.txt"
    for sched in round-robin gradient; do
        : >"$work/sums"
        s=1
        while [ "$s" -le "$seeds" ]; do
            rm -f "$work/model.log"
            sum=$("$tec" --tune "$work/model.txt" --budget "$budget" --task-scheduler "$sched" \
                --seed "$s" --log "$work/model.log" -o "$work/model.o" |
                sed -n 's/.*weighted latency (sum of weight x latency): \([0-9.]*\) ms.*/\1/p' | tail -1)
            echo "conv2d weight $weight, $sched, seed $s: $sum ms"
            echo "$sum" >>"$work/sums"
            s=$((s + 1))
        done
        echo "conv2d weight $weight, $sched: median $(median <"$work/sums") ms over $seeds seeds"
    done
done
