#!/bin/sh
# Whole task-list runs of tec on tests/tasks/tiny.txt (three tiny tasks):
#   budget   --budget 18: exactly 18 records in the one log, none twice, every task tuned (its
#            warm-up round at least); the library links into lib_main.c, every kernel right
#   resume   then --resume --budget 24: 6 more records, the 18 resumed, still none twice
#   trials   --trials 2 per task, no budget, --round-size 1: 2 records per task, 6 rounds
#   (with MPIRUN also kill: TEC_TEST_RANK_DIE kills worker rank 1 mid-run: a message naming it,
#   every finished trial in the log; --resume on one rank fewer completes the budget, measuring
#   nothing twice and losing no record)
# usage: tasks_e2e.sh TEC CC TESTS_DIR ROOT WORKDIR [MPIRUN...]  (MPIRUN: mpirun and its flags
#        without -n: the same scenarios run with -n 3, two worker ranks)
set -eu
tec=$1 cc=$2 tests=$3 root=$4 work=$5
shift 5
launch="$*"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# under mpirun the list goes without --tune (mpirun takes `--tune FILE` for itself); a list
# implies --tune
if [ -n "$launch" ]; then mode= launch3="$launch -n 3"; else mode=--tune launch3=; fi
tune() { $launch3 "$tec" $mode "$tests/tasks/tiny.txt" --seed 1 -j 2 --number 1 --repeat 1 "$@"; }
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
# each best measured again at the end, not logged (the 18 records above)
grep -q 'weighted latency, re-measured' out.txt || fail "the bests were not measured again"
[ -f lib.o ] && [ -f lib.h ] || fail "no library"
"$cc" -I. -I"$root" "$tests/tasks/lib_main.c" lib.o -fopenmp -lm -o lib_main || fail "link"
./lib_main || fail "a kernel of the library computes wrong"

tune --budget 24 --resume --log t.log -o lib.o >out2.txt 2>err2.txt || { cat out2.txt err2.txt; fail "resume run"; }
[ "$(records t.log)" = 24 ] || fail "resume to 24 left $(records t.log) records"
[ -z "$(dups t.log)" ] || fail "resume measured a config again: $(dups t.log)"
grep -q '18 resumed' out2.txt || fail "resume did not count the 18 records"

if [ -z "$launch" ]; then # (the same code path under mpirun: not run twice)
    tune --trials 2 --round-size 1 --log t2.log -o lib2.o >out3.txt 2>err3.txt || { cat out3.txt err3.txt; fail "trials run"; }
    grep -q 'rounds of up to 1)' out3.txt || fail "--round-size 1 not applied"
    [ "$(grep -c '^\[' out3.txt)" = 6 ] || fail "--round-size 1: not one round per trial"
    [ "$(records t2.log)" = 6 ] || fail "--trials 2 on 3 tasks wrote $(records t2.log) records"
    for t in matmul conv2d_nchw batch_matmul; do
        [ "$(grep -c "\"$t\"" t2.log)" = 2 ] || fail "task $t: not 2 records"
    done
fi
[ -n "$launch" ] || { echo ok; exit 0; }

# ranks that disagree on the target (here by --mcpu, through mpirun's MPMD form): refused,
# naming the odd rank and host, nothing written
if $launch -n 2 "$tec" "$tests/tasks/tiny.txt" --log odd.log -o odd.o : \
    -n 1 "$tec" "$tests/tasks/tiny.txt" --log odd.log -o odd.o --mcpu x86-64 >oout.txt 2>oerr.txt; then
    fail "ranks with different targets were not refused"
fi
grep -q "rank 2 on host .* reports target 'llvm -mcpu=x86-64'" oerr.txt || { cat oerr.txt; fail "the odd rank not named"; }
[ ! -e odd.log ] && [ ! -e odd.o ] || fail "a refused run wrote files"

export TEC_TEST_RANK_DIE=1:4
mkdir kill
if $launch -n 3 -x TEC_TEST_RANK_DIE "$tec" "$tests/tasks/tiny.txt" --seed 2 -j 1 --number 1 --repeat 1 \
    --budget 18 --log k.log -o kill/lib.o >kout.txt 2>kerr.txt; then
    fail "a run whose rank died exited 0"
fi
unset TEC_TEST_RANK_DIE
grep -q 'worker rank 1 on host .* died' kerr.txt || { cat kerr.txt; fail "no message naming the dead rank"; }
n=$(records k.log)
[ "$n" -ge 4 ] && [ "$n" -lt 18 ] || fail "the killed run logged $n records"
[ -z "$(dups k.log)" ] || fail "a config measured twice before the kill"
[ ! -e kill/lib.o ] || fail "a library written by a failed run"
cp k.log before.log
# one rank fewer
$launch -n 2 "$tec" "$tests/tasks/tiny.txt" --seed 2 -j 1 --number 1 --repeat 1 --budget 18 --resume \
    --log k.log -o kill/lib.o >rout.txt 2>rerr.txt || { cat rout.txt rerr.txt; fail "resume after the kill"; }
[ "$(records k.log)" = 18 ] || fail "resume after the kill left $(records k.log) records"
[ -z "$(dups k.log)" ] || fail "resume measured a config again: $(dups k.log)"
head -n "$(wc -l <before.log)" k.log | cmp -s - before.log || fail "records of the killed run lost"
"$cc" -Ikill -I"$root" "$tests/tasks/lib_main.c" kill/lib.o -fopenmp -lm -o k_main ||
    fail "link after resume"
./k_main || fail "a kernel of the resumed library computes wrong"
echo ok
