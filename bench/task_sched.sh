#!/bin/sh
# The task scheduler against round-robin on a 3-task list (tutorial matmul 256^3, conv2d 32->64
# channels 14x14, batch matmul 8x128^3), a fixed total budget, several seeds. Per seed both
# schedulers tune the list (same seed, same tuner) and each writes its library; then bench_tasks
# times the two libraries' kernels against each other in one process (alternating, first place
# rotating) and gives each library's weighted sum of medians. Prints per seed those sums, the
# rounds each task got, whether the two libraries hold the same config per task, and tec's own
# re-measured sums (separate runs: noisy); then the medians over seeds. Run on a quiet machine:
#   bench/task_sched.sh build/tec [BUDGET] [SEEDS] [DOMINANT_WEIGHT] [ROUND] [WEIGHTS] [TUNER]
# BUDGET total trials (default 240), SEEDS (3), DOMINANT_WEIGHT the conv2d weight of the second
# pass (10), ROUND configs per round (16; every task first gets one: 240 leaves 12 rounds to
# place, fewer than the spaces hold: 81, 12288 and 64 configs), WEIGHTS the conv2d weights to run
# (default "1 DOMINANT_WEIGHT"), TUNER random or xgb (default random). bench_tasks is taken from
# BENCH_TASKS, else beside tec (build/bench/bench_tasks for build/tec); it times with the
# process's CPU time (one thread: the time the kernels ran, whatever else shares the machine),
# BENCH_CLOCK=wall for wall time. HEAVY="FILE.te -D ..." (FILE relative to the source tree) adds
# that task as a fourth, carrying the weight instead of conv2d (which keeps weight 1): a dominant
# task whose best still improves after the first rounds, e.g.
#   HEAVY="examples/gemm.te -D N=512 -D L=512 -D M=512" bench/task_sched.sh build/tec 128 3 100 16 "1 100" xgb
# KEEP=DIR keeps each run's library, header, log and output
# there (wWEIGHT.sSEED.SCHEDULER.*, with the list as wWEIGHT.txt), to time them again:
#   build/bench/bench_tasks DIR/w100.txt DIR/w100.s1.round-robin.o DIR/w100.s1.gradient.o
set -eu
tec=$(realpath "$1")
budget=${2:-240}
seeds=${3:-3}
heavy=${4:-10}
round=${5:-16}
weights=${6:-"1 $heavy"}
tuner=${7:-random}
bench=${BENCH_TASKS:-$(dirname "$tec")/bench/bench_tasks}
clock=${BENCH_CLOCK:-cpu}
[ -x "$bench" ] || { echo "task_sched.sh: no bench_tasks at $bench (build it, or set BENCH_TASKS)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
heavy_task=${HEAVY:-}
list() { # $1: the weight of conv2d, or of the HEAVY task
    cw=$1
    [ -z "$heavy_task" ] || cw=1
    cat <<LIST
$root/examples/matmul.te -D N=256 -D L=256 -D M=256
$root/examples/conv2d.te -D CI=32 -D H=14 -D W=14 -D CO=64 -D KH=3 -D KW=3 -D stride=1 -D pad=1 --weight $cw
$root/examples/batch_matmul.te -D batch=8 -D N=128 -D L=128 -D M=128
LIST
    [ -z "$heavy_task" ] || echo "$root/$heavy_task --weight $1"
}
ntasks=3
[ -z "$heavy_task" ] || ntasks=4
what=${heavy_task:+heavy task}
what=${what:-conv2d}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# OMP_NUM_THREADS=1: each kernel on one core, the niced builders on the other (a parallel kernel
# would share its cores with the builders and time mostly their noise); bench_tasks too.
export OMP_NUM_THREADS=1
scheds="round-robin gradient"
start=$(date +%s)
echo "$tuner tuner, budget $budget, rounds of $round, $seeds seeds; kernels timed by bench_tasks" \
    "in one process ($clock clock, 41 rounds)"
for weight in $weights; do
    list "$weight" >"$work/model.txt"
    for sched in $scheds; do : >"$work/sums.$sched" && : >"$work/tec.$sched"; done
    : >"$work/ratios"
    s=1
    while [ "$s" -le "$seeds" ]; do
        line="$what weight $weight, seed $s:"
        for sched in $scheds; do
            rm -f "$work/$sched.log"
            "$tec" --tune "$work/model.txt" --budget "$budget" --task-scheduler "$sched" \
                --round-size "$round" --seed "$s" --tuner "$tuner" --log "$work/$sched.log" \
                -o "$work/$sched.o" >"$work/$sched.out" 2>&1 || { cat "$work/$sched.out"; exit 1; }
            sed -n 's/.*weighted latency, re-measured (sum of weight x latency): \([0-9.]*\) ms.*/\1/p' \
                "$work/$sched.out" >>"$work/tec.$sched"
            # rounds per task (task 1/2/3[/4]), and the config of each task's kernel in the library
            rounds=$(for t in $(seq "$ntasks"); do grep -c "^\[[0-9]*/[0-9]*\] task $t " "$work/$sched.out" || true; done |
                paste -sd/ -)
            sed -n 's/.*Config: *config \([0-9]*\) of.*/\1/p' "$work/$sched.h" >"$work/$sched.configs"
            line="$line $sched rounds $rounds;"
        done
        if [ -n "${KEEP:-}" ]; then
            mkdir -p "$KEEP"
            cp "$work/model.txt" "$KEEP/w$weight.txt"
            for sched in $scheds; do
                for ext in o h log out; do cp "$work/$sched.$ext" "$KEEP/w$weight.s$s.$sched.$ext"; done
            done
        fi
        same=$(paste -d' ' "$work/round-robin.configs" "$work/gradient.configs" |
            awk '{printf "%s%s", (NR > 1 ? "/" : ""), ($1 == $2 ? "same" : "differ")}')
        "$bench" "$work/model.txt" "$work/round-robin.o" "$work/gradient.o" \
            --names round-robin,gradient --clock "$clock" --rounds 41 >"$work/cmp.out" || { cat "$work/cmp.out"; exit 1; }
        sums=$(awk '$1 == "sum" {print $4, $5, $6}' "$work/cmp.out")
        set -- $sums
        echo "$1" >>"$work/sums.round-robin"
        echo "$2" >>"$work/sums.gradient"
        echo "$3" >>"$work/ratios"
        echo "$line configs $same"
        awk '$1 == "task" {rows = 1; next} rows && $1 ~ /^[0-9]+$/ {printf "    task %s %s: round-robin %s us, gradient %s us (%s)\n", $1, $2, $4, $5, $6}' \
            "$work/cmp.out"
        echo "    weighted sum in one process: round-robin $1 us, gradient $2 us (gradient/round-robin $3);" \
            "tec's re-measured sums (separate runs): $(tail -n 1 "$work/tec.round-robin") ms," \
            "$(tail -n 1 "$work/tec.gradient") ms"
        s=$((s + 1))
    done
    echo "$what weight $weight, $tuner tuner, budget $budget, rounds of $round, $seeds seeds:" \
        "median weighted sum round-robin $(median <"$work/sums.round-robin") us," \
        "gradient $(median <"$work/sums.gradient") us; median gradient/round-robin" \
        "$(median <"$work/ratios") (in one process); tec's re-measured medians" \
        "$(median <"$work/tec.round-robin") ms, $(median <"$work/tec.gradient") ms"
done
echo "total $(($(date +%s) - start)) s"
