#!/bin/sh
# One case of the error corpus: runs the checker on FILE.te and verifies that it exits with 1 and
# that stderr holds the error named on line 1 (`# expect: L:C: MESSAGE`, or `# expect: MESSAGE`
# for errors without a location) followed by the source line and a caret line.
# Line 2 may give arguments: `# args: -D N=4 -t name`.
# usage: run_error.sh CHECKER FILE.te
exe=$1
f=$2
expect=$(sed -n '1s/^# expect: //p' "$f")
args=$(sed -n '2s/^# args: //p' "$f")
if [ -z "$expect" ]; then
    echo "$f: line 1 must be '# expect: ...'"
    exit 1
fi
loc=$(printf '%s\n' "$expect" | sed -n 's/^\([0-9][0-9]*:[0-9][0-9]*\): .*/\1/p')
if [ -n "$loc" ]; then
    want="$f:$loc: error: ${expect#"$loc: "}"
else
    want="$f: error: $expect"
fi
# shellcheck disable=SC2086
err=$("$exe" "$f" $args 2>&1 >/dev/null)
rc=$?
if [ "$rc" -ne 1 ]; then
    printf 'exit status %s, expected 1; stderr:\n%s\n' "$rc" "$err"
    exit 1
fi
printf '%s\n' "$err" | WANT="$want" LOCATED="$loc" awk '
    found == 0 && index($0, ENVIRON["WANT"]) == 1 { found = NR; next }
    found && NR == found + 1 { src = 1; next }
    found && NR == found + 2 { caret = ($0 ~ /^[ \t]*\^~*$/); exit }
    END {
        if (!found) { print "missing: " ENVIRON["WANT"]; exit 1 }
        if (ENVIRON["LOCATED"] != "" && !(src && caret)) { print "no source line and caret after the error"; exit 1 }
    }' || { printf 'stderr was:\n%s\n' "$err"; exit 1; }
exit 0
