#!/bin/sh
# OpenMP wait policy, by hand (never CTest): a parallel loop inside a serial loop (one
# GOMP_parallel region per outer iteration), timed by `tec --run` alone and with the other core
# busy, under libgomp's default (active: tec itself runs kernels passive unless told otherwise,
# so the default is asked for with OMP_WAIT_POLICY=active), tec's default (passive) and
# GOMP_SPINCOUNT=1000; and the same kernel with the region hoisted (parallel on the outer loop).
# Results: docs/codegen.md.
# usage: bench/omp_wait.sh TEC
set -u
tec=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
for where in inner hoisted; do
    if [ $where = inner ]; then par='split j -> jo, ji by 1024
        parallel jo'; else par='parallel i'; fi
    cat > "$dir/$where.te" <<TE
template par_$where(N = 256, M = 2048) {
    A = placeholder((N, M), float32)
    B = compute((N, M), (i, j) => A[i, j] * 2.0 + 1.0)
    schedule B {
        $par
    }
}
TE
done
for where in inner hoisted; do
    for policy in OMP_WAIT_POLICY=active tec-default GOMP_SPINCOUNT=1000; do
        for load in alone busy; do
            busy=
            if [ $load = busy ]; then
                sh -c 'while :; do :; done' &
                busy=$!
            fi
            e=; [ $policy = tec-default ] || e=$policy
            # shellcheck disable=SC2086
            r=$(env $e timeout 120 "$tec" --run "$dir/$where.te" 2>&1 | sed -n 's/^time: //p')
            [ -n "$busy" ] && kill "$busy"
            printf '%-8s %-22s %-6s %s\n' $where $policy $load "$r"
        done
    done
done
