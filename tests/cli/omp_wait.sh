#!/bin/sh
# tec --run and --tune run kernels under OMP_WAIT_POLICY=passive unless the user chose a policy
# (docs/codegen.md, OpenMP wait policy): libgomp, asked to show its settings, reports a spin
# count of 0 in the process that runs the kernel; the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT
# is kept; other modes are not re-executed; the arguments survive (-D NAME=VALUE). The emitted
# header says so for a parallel kernel.
# usage: omp_wait.sh TEC WORKDIR
set -eu
tec=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cat > par.te <<'TE'
template par(N = 16, M = 256) {
    A = placeholder((N, M), float32)
    B = compute((N, M), (i, j) => A[i, j] * 2.0 + 1.0)
    schedule B {
        split j -> jo, ji by 64
        parallel jo
    }
}
TE
# the spin count libgomp shows last (the process that ran the kernel), and how many times
spin() { grep "GOMP_SPINCOUNT = " "$1" | tail -n 1 | sed "s/.*= '\([0-9]*\)'.*/\1/"; }
shown() { grep -c "GOMP_SPINCOUNT = " "$1" || true; }
unset OMP_WAIT_POLICY GOMP_SPINCOUNT
OMP_DISPLAY_ENV=verbose "$tec" --run par.te -D N=8 --repeat 1 > run.out 2> run.err # re-executed with -D intact
[ "$(spin run.err)" = 0 ] || { echo "--run: not passive"; cat run.err; exit 1; }
OMP_DISPLAY_ENV=verbose "$tec" --tune par.te --trials 2 --log t.log -o t.o > tune.out 2> tune.err
[ "$(spin tune.err)" = 0 ] || { echo "--tune: not passive"; cat tune.err; exit 1; }
OMP_WAIT_POLICY=active OMP_DISPLAY_ENV=verbose "$tec" --run par.te --repeat 1 > a.out 2> a.err
[ "$(spin a.err)" != 0 ] && [ "$(shown a.err)" = 1 ] ||
    { echo "--run: OMP_WAIT_POLICY=active not kept"; cat a.err; exit 1; }
GOMP_SPINCOUNT=1000 OMP_DISPLAY_ENV=verbose "$tec" --run par.te --repeat 1 > s.out 2> s.err
[ "$(spin s.err)" = 1000 ] && [ "$(shown s.err)" = 1 ] ||
    { echo "--run: GOMP_SPINCOUNT=1000 not kept"; cat s.err; exit 1; }
OMP_DISPLAY_ENV=verbose "$tec" --check par.te > c.out 2> c.err
[ "$(shown c.err)" = 1 ] || { echo "--check was re-executed"; cat c.err; exit 1; }
grep -q "OMP_WAIT_POLICY=passive" t.h || { echo "t.h does not mention the policy"; cat t.h; exit 1; }
echo ok
