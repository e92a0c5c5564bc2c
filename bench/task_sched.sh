#!/bin/sh
# The task scheduler against round-robin on a 3-task list (tutorial matmul, conv2d, batch
# matmul), a fixed total budget, several seeds: prints each run's weighted sum of best latencies
# with each task's best measured again at the end (tec's re-measured summary line: the best of
# many noisy measurements is biased low) and the medians. Run on a quiet machine:
#   bench/task_sched.sh build/tec [BUDGET] [SEEDS] [DOMINANT_WEIGHT] [ROUND] [WEIGHTS]
# With DOMINANT_WEIGHT (default 10) a second pass weights the conv2d task so that it dominates;
# WEIGHTS (default "1 DOMINANT_WEIGHT") lists the conv2d weights to run.
# Rounds hold ROUND configs (default 16) and every task first gets one: the default budget 240
# leaves 12 rounds to place, fewer than the spaces hold (81, 12288 and 64 configs).
set -eu
tec=$(realpath "$1")
budget=${2:-240}
seeds=${3:-3}
heavy=${4:-10}
round=${5:-16}
weights=${6:-"1 $heavy"}
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
# The two schedulers alternate seed by seed, so a change of the machine's load hits both alike.
# OMP_NUM_THREADS=1: each kernel on one core, the niced builders on the other (a parallel kernel
# would share its cores with the builders and time mostly their noise).
export OMP_NUM_THREADS=1
for weight in $weights; do
    list "$weight" >"$work/model.txt"
    : >"$work/sums.round-robin"
    : >"$work/sums.gradient"
    s=1
    while [ "$s" -le "$seeds" ]; do
        for sched in round-robin gradient; do
            rm -f "$work/model.log"
            sum=$("$tec" --tune "$work/model.txt" --budget "$budget" --task-scheduler "$sched" \
                --round-size "$round" --seed "$s" --log "$work/model.log" -o "$work/model.o" |
                tee "$work/out" |
                sed -n 's/.*weighted latency, re-measured (sum of weight x latency): \([0-9.]*\) ms.*/\1/p')
            rounds=$(sed -n 's/^\[[0-9]*\/[0-9]*\] task \([0-9]*\) .*/\1/p' "$work/out" | sort | uniq -c |
                awk '{printf "%s task %s: %s rounds", (NR > 1 ? "," : ""), $2, $1}')
            echo "conv2d weight $weight, $sched, seed $s: $sum ms ($rounds)"
            echo "$sum" >>"$work/sums.$sched"
        done
        s=$((s + 1))
    done
    for sched in round-robin gradient; do
        echo "conv2d weight $weight, $sched: median $(median <"$work/sums.$sched") ms over $seeds seeds"
    done
done
