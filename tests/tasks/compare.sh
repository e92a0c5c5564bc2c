#!/bin/sh
# bench_tasks (bench/bench_tasks.c) on tests/tasks/tiny.txt: the libraries of two tuning runs
# (two seeds) loaded, checked and timed in one process: a row per task with each library's
# median, the weighted sums equal to the rows' weight x median, the CPU clock and the fastest
# repeat, a bad --clock refused, --check-only times nothing; a
# kernel that computes wrong, a missing library, a file that is not an object and the library of
# another list each fail (exit 1) with a message naming the library.
# usage: compare.sh TEC BENCH_TASKS TESTS_DIR ROOT WORKDIR
set -eu
tec=$1 bench=$2 tests=$3 root=$4 work=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
list=$tests/tasks/tiny.txt
tune_to() { # LIST NAME ARGS...: a library NAME.o
    l=$1 n=$2
    shift 2
    "$tec" --tune "$l" -j 2 --number 1 --repeat 1 --log "$n.log" -o "$n.o" "$@" >"$n.out" 2>&1 ||
        { cat "$n.out"; fail "tuning $l into $n.o"; }
}
tune_to "$list" a --budget 6 --seed 1
tune_to "$list" b --budget 6 --seed 2

"$bench" "$list" a.o b.o --rounds 1 --names first,second >out.txt 2>err.txt ||
    { cat out.txt err.txt; fail "two libraries of tiny.txt"; }
grep -q '^3 tasks, 2 libraries: every kernel checked' out.txt || { cat out.txt; fail "no check line"; }
grep -q 'first us *second us *second/first' out.txt || { cat out.txt; fail "no column per library"; }
for k in matmul_N16_L16_M16_float32 conv2d_nchw_N1_CI4_H8_W8_CO8_float32 batch_matmul_batch2_N8_L8_M8_float32; do
    grep -q "^[123] *$k " out.txt || { cat out.txt; fail "no row for $k"; }
done
# every median positive; each sum is the rows' weight x median (matmul weighs 2)
awk '$1 ~ /^[123]$/ { for (c = 4; c <= 5; c++) { if (!($c > 0)) bad = 1; s[c] += $3 * $c } }
     $1 == "sum" { got4 = $4; got5 = $5 }
     END { if (bad || got4 == "" ) exit 1
           for (c = 4; c <= 5; c++) { g = (c == 4 ? got4 : got5); d = g - s[c]; if (d < 0) d = -d
                                      if (d > 0.01 + 1e-4 * s[c]) exit 1 } }' out.txt ||
    { cat out.txt; fail "a median is not positive or a sum is not the weighted rows"; }

# the CPU clock, the fastest repeat, short repeats: the same table
"$bench" "$list" a.o b.o --rounds 2 --clock cpu --stat min --repeat-ms 1 >cpu.txt 2>&1 ||
    { cat cpu.txt; fail "--clock cpu --stat min"; }
grep -q '^fastest CPU time per call over 2 rounds (each library one repeat of >= 1 ms' cpu.txt || { cat cpu.txt; fail "--clock cpu line"; }
grep -q '^sum  *weighted' cpu.txt || { cat cpu.txt; fail "--clock cpu: no sums"; }
rc=0
"$bench" "$list" a.o --clock cycles >f.out 2>f.err || rc=$?
[ "$rc" = 2 ] && grep -q "^bench_tasks: error: --clock expects wall or cpu, got 'cycles'" f.err ||
    { cat f.err; fail "--clock cycles: status $rc"; }

"$bench" "$list" a.o --check-only >chk.txt 2>&1 || { cat chk.txt; fail "--check-only"; }
grep -q '^3 tasks, 1 library: every kernel checked' chk.txt || { cat chk.txt; fail "--check-only line"; }
! grep -q '^sum' chk.txt || fail "--check-only timed the kernels"

# a library whose matmul_N16_L16_M16_float32 computes A + B summed, not A x B
sed 's/A\[i, k\] \* B\[k, j\]/A[i, k] + B[k, j]/' "$root/examples/matmul.te" >wrong.te
grep -q 'A\[i, k\] + B\[k, j\]' wrong.te || fail "could not make wrong.te"
echo "wrong.te -D N=16 -D L=16 -D M=16" >wrong.txt
echo "$root/examples/matmul.te -D N=16 -D L=16 -D M=16" >mm.txt
tune_to wrong.txt w --budget 1
expect_fail() { # WHAT PATTERN ARGS...: exit status 1 and PATTERN on stderr
    what=$1 pat=$2
    shift 2
    rc=0
    "$bench" "$@" >f.out 2>f.err || rc=$?
    [ "$rc" = 1 ] || { cat f.err; fail "$what: exit status $rc, expected 1"; }
    grep -q "$pat" f.err || { cat f.err; fail "$what: no message '$pat'"; }
}
expect_fail "a wrong kernel" "^bench_tasks: error: 'w.o', task 1 (matmul_N16_L16_M16_float32): output C differs from the reference" \
    mm.txt a.o w.o
expect_fail "a missing library" "^bench_tasks: error: cannot open the library 'nope.o'" "$list" a.o nope.o
expect_fail "not an object" "^bench_tasks: error: 'a.log' has no kernel matmul_N16_L16_M16_float32 for task 1" \
    "$list" a.log
expect_fail "another list's library" "^bench_tasks: error: 'w.o' has no kernel conv2d_nchw_N1_CI4_H8_W8_CO8_float32 for task 2" \
    "$list" w.o
rc=0
"$bench" "$list" >f.out 2>f.err || rc=$?
[ "$rc" = 2 ] && grep -q 'no library given' f.err || { cat f.err; fail "no library: status $rc"; }
echo ok
