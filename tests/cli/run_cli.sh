#!/bin/sh
# Malformed command lines and input files, as a new user types them. For each case of CASES
# (`NAME | ARGS | STDERR`), runs `tec ARGS` in a directory holding only the fixtures below and
# expects: exit status 1, nothing on stdout, STDERR as the first line of stderr and exactly one
# error (lines ` error: `; a case may end with `| N errors`), no raw bytes echoed to stderr, and
# no file left behind (no partial output). A case still running after 120 s is killed as hung
# (a hang guard only: the 10 MB inputs take a second or two; speed belongs in bench/).
# Fixtures: mm.te (a valid template, N, L and M defaulted), nodef.te (a parameter without
# default), empty.te, adir/ (a directory), zeros.te (10 MB of NUL bytes), binary.te (every
# byte value, repeated), big.te (10 MB: 200000 valid stages, then a syntax error), deep.te
# (100000 open brackets), zero.log and neg.log (a real record of mm.te on this machine whose
# cost is made 0 or -5.0).
# usage: run_cli.sh TEC CASES WORKDIR
set -u
tec=$1 cases=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat > mm.te <<'TE'
template mm(N = 16, L = 8, M = 12) {
    A = placeholder((N, L), float32)
    B = placeholder((L, M), float32)
    k = reduce_axis(0, L)
    C = compute((N, M), (i, j) => sum(A[i, k] * B[k, j], k))
    schedule C {
        knob ty = split(i, 2)
        split i -> yo, yi by ty
    }
}
TE
cat > nodef.te <<'TE'
template nodef(N, dtype = float32) {
    A = placeholder((N,), dtype)
    B = compute((N,), i => A[i] + 1.0)
}
TE
: > empty.te
mkdir adir
head -c 10000000 /dev/zero > zeros.te
awk 'BEGIN { for (r = 0; r < 64; r++) for (i = 0; i < 256; i++) printf "%c", i }' > binary.te
awk 'BEGIN { print "template big(N = 8) {"; print "    A = placeholder((N,), float32)"
             for (i = 0; i < 200000; i++) printf "    S%d = compute((N,), i => A[i] * %d.0)\n", i, i
             print "    Z = compute((N,), i => A[i] +)"; print "}" }' > big.te
awk 'BEGIN { printf "template deep(N = 4) {\n    A = placeholder((N,), float32)\n    B = compute((N,), i => "
             for (i = 0; i < 100000; i++) printf "("; print "A[i]"; print "}" }' > deep.te
# A record that only its cost makes unusable: measured here, so the target is this machine's.
"$tec" mm.te --tune --trials 1 --log real.log -o real.o > /dev/null 2>&1 || { echo "cannot tune mm.te"; exit 1; }
sed 's/"result":\[\[[^]]*\]/"result":[[0]/' real.log > zero.log
sed 's/"result":\[\[[^]]*\]/"result":[[-5.0]/' real.log > neg.log
rm -f real.log real.o real.h
before=$(ls -A | sort)

status=0
while IFS= read -r line; do
    case $line in '#'* | '') continue ;; esac
    name=$(printf '%s\n' "$line" | awk -F' [|] ' '{ print $1 }')
    args=$(printf '%s\n' "$line" | awk -F' [|] ' '{ print $2 }')
    want=$(printf '%s\n' "$line" | awk -F' [|] ' '{ print $3 }')
    nwant=$(printf '%s\n' "$line" | awk -F' [|] ' '{ n = $4; sub(/ errors?$/, "", n); print n == "" ? 1 : n }')
    # shellcheck disable=SC2086
    timeout -s KILL 120 "$tec" $args > stdout.txt 2> stderr.txt
    rc=$?
    got=$(head -n 1 stderr.txt)
    nerr=$(grep -c ' error: ' stderr.txt)
    fail=
    [ "$rc" -eq 137 ] && fail="hung: killed after 120 s"
    [ "$rc" -eq 1 ] || fail="$fail; exit status $rc"
    [ -s stdout.txt ] && fail="$fail; output on stdout"
    [ "$got" = "$want" ] || fail="$fail; first line of stderr: '$got', expected '$want'"
    [ "$nerr" -eq "$nwant" ] || fail="$fail; $nerr errors, expected $nwant"
    # the source excerpt of a binary file must not echo raw bytes to the terminal
    LC_ALL=C grep -q '[^[:print:][:space:]]' stderr.txt && fail="$fail; raw bytes on stderr"
    rm -f stdout.txt stderr.txt
    new=$(ls -A | grep -vxF "$before")
    [ -z "$new" ] || fail="$fail; left files behind: $(echo $new)"
    if [ -n "$fail" ]; then
        echo "$name (tec $args): ${fail#; }"
        status=1
        # shellcheck disable=SC2086
        [ -z "$new" ] || rm -rf $new
    fi
done < "$cases"
exit $status
