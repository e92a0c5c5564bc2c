#!/bin/sh
# --build-timeout S is the limit a build must meet: at 1 ms no config can be lowered and compiled,
# so every trial is a build timeout (error_no 6) whose message names that limit, and the run
# ends with "no config ran without error". Then a generous limit builds and measures them.
# usage: build_timeout.sh TEC TEMPLATE WORKDIR
set -u
tec=$1 f=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; cat out 2>/dev/null; exit 1; }
"$tec" --tune "$f" -D N=16 -D L=16 -D M=16 --trials 2 --build-timeout 0.001 --log t.log \
    -o t.o >out 2>&1 && fail "tuning with a 1 ms build limit succeeded"
[ "$(grep -c '"result":\[\[1000000000\],6,' t.log)" = 2 ] || fail "not 2 build timeouts in t.log"
grep -q 'build took longer than 0.001 s' t.log || fail "the limit is not in the error message"
grep -q 'errors: 2 (build timeout 2)' out || fail "summary"
"$tec" --tune "$f" -D N=16 -D L=16 -D M=16 --trials 2 --build-timeout 60 --log u.log \
    -o u.o >out 2>&1 || fail "tuning with a 60 s build limit failed"
grep -q 'errors: 0' out || fail "errors with a 60 s build limit"
echo ok
