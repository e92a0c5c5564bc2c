#!/bin/sh
# The error-case runner (tests/lib/runners.cmake: tec_error_case), for every corpus of templates
# with their expected errors inline (tests/sema/errors, tests/lower/errors, tests/cli/errors).
# Runs CHECKER on FILE.te in WORKDIR, a fresh empty directory, and verifies that it exits with 1,
# that stderr holds each error named at the top of the file, the first on line 1:
#   # expect: L:C: MESSAGE      (FILE:L:C: error: MESSAGE, then the source line and a caret line)
#   # expect: MESSAGE           (an error without a location: FILE: error: MESSAGE)
# that no other error is reported (a follow-on error is a bug), and that WORKDIR stays empty (no
# partial object or header). A line `# args: -D N=4 -t name` gives the checker's arguments.
# usage: error_case.sh CHECKER FILE.te WORKDIR
exe=$1
f=$2
work=$3
if ! head -n 1 "$f" | grep -q '^# expect: '; then
    echo "$f: line 1 must be '# expect: ...'"
    exit 1
fi
rm -rf "$work" && mkdir -p "$work" || exit 1
args=$(sed -n 's/^# args: //p' "$f" | head -n 1)
# shellcheck disable=SC2086
err=$(cd "$work" && "$exe" "$f" $args 2>&1 >/dev/null)
rc=$?
if [ "$rc" -ne 1 ]; then
    printf 'exit status %s, expected 1; stderr:\n%s\n' "$rc" "$err"
    exit 1
fi
status=0
sed -n 's/^# expect: //p' "$f" > "$work.expect"
while IFS= read -r expect; do
    loc=$(printf '%s\n' "$expect" | sed -n 's/^\([0-9][0-9]*:[0-9][0-9]*\): .*/\1/p')
    if [ -n "$loc" ]; then
        want="$f:$loc: error: ${expect#"$loc: "}"
    else
        want="$f: error: $expect"
    fi
    printf '%s\n' "$err" | WANT="$want" LOCATED="$loc" awk '
        found == 0 && index($0, ENVIRON["WANT"]) == 1 { found = NR; next }
        found && NR == found + 1 { src = 1; next }
        found && NR == found + 2 { caret = ($0 ~ /^[ \t]*\^~*$/); exit }
        END {
            if (!found) { print "missing: " ENVIRON["WANT"]; exit 1 }
            if (ENVIRON["LOCATED"] != "" && !(src && caret)) {
                print "no source line and caret after: " ENVIRON["WANT"]; exit 1
            }
        }' || status=1
done < "$work.expect"
rm -f "$work.expect"
nwant=$(grep -c '^# expect: ' "$f")
ngot=$(printf '%s\n' "$err" | awk -v f="$f" 'index($0, f ":") == 1 && / error: / { n++ } END { print n + 0 }')
if [ "$ngot" -ne "$nwant" ]; then
    echo "$ngot errors reported, expected $nwant"
    status=1
fi
left=$(ls -A "$work")
if [ -n "$left" ]; then
    echo "left files behind: $left"
    status=1
fi
[ "$status" -eq 0 ] || printf 'stderr was:\n%s\n' "$err"
[ "$status" -eq 0 ] && rm -rf "$work"
exit "$status"
