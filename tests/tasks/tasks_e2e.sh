#!/bin/sh
# Whole task-list runs of tec on tests/tasks/tiny.txt (three tiny tasks):
#   budget   --budget 18: exactly 18 records in the one log, none twice, every task tuned (its
#            warm-up round at least); the library links into lib_main.c, every kernel right
#   resume   then --resume --budget 24: 6 more records, the 18 resumed, still none twice
#   trials   --trials 2 per task, no budget: 2 records per task
# usage: tasks_e2e.sh TEC CC TESTS_DIR ROOT WORKDIR [MPIRUN...]  (MPIRUN: a prefix such as
#        "mpirun -n 3": the same scenarios run distributed)
set -eu
tec=$1 cc=$2 tests=$3 root=$4 work=$5
shift 5
launch="$*"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
tune() { $launch "$tec" --tune "$tests/tasks/tiny.txt" --seed 1 -j 2 --number 1 --repeat 1 "$@"; }
# a trial is keyed by its task (input) and config index; prints the duplicated keys
dups() { sed 's/"code_hash".*//' "$1" | sort | uniq -d; }
records() { grep -c '"input"' "$1" || true; }

tune --budget 18 --log t.log -o lib.o >out.txt 2>err.txt || { cat out.txt err.txt; fail "budget run"; }
[ "$(records t.log)" = 18 ] || fail "budget 18 wrote $(records t.log) records"
[ -z "$(dups t.log)" ] || fail "a config measured twice: $(dups t.log)"
for t in matmul conv2d_nchw batch_matmul; do
    grep -q "\"$t\"" t.log || fail "task $t never tuned"
done
grep -q 'weighted latency' out.txt || fail "no summary of every task"
[ -f lib.o ] && [ -f lib.h ] || fail "no library"
"$cc" -I. -I"$root" "$tests/tasks/lib_main.c" lib.o -fopenmp -lm -o lib_main || fail "link"
./lib_main || fail "a kernel of the library computes wrong"

tune --budget 24 --resume --log t.log -o lib.o >out2.txt 2>err2.txt || { cat out2.txt err2.txt; fail "resume run"; }
[ "$(records t.log)" = 24 ] || fail "resume to 24 left $(records t.log) records"
[ -z "$(dups t.log)" ] || fail "resume measured a config again: $(dups t.log)"
grep -q '18 resumed' out2.txt || fail "resume did not count the 18 records"

tune --trials 2 --log t2.log -o lib2.o >out3.txt 2>err3.txt || { cat out3.txt err3.txt; fail "trials run"; }
[ "$(records t2.log)" = 6 ] || fail "--trials 2 on 3 tasks wrote $(records t2.log) records"
for t in matmul conv2d_nchw batch_matmul; do
    [ "$(grep -c "\"$t\"" t2.log)" = 2 ] || fail "task $t: not 2 records"
done
echo ok
