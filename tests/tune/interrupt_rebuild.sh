#!/bin/sh
# Ctrl-C of a resumed run whose best record comes from the log, while a build is in flight (a
# hung build, by fault injection): the best config must still be rebuilt and written, and the
# hung build is not waited for (its trial is not logged).
# It used to find no idle builder, print garbage and crash (SIGSEGV) instead of writing it.
# usage: interrupt_rebuild.sh TEC TEMPLATE WORKDIR
set -u
tec=$1 f=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; cat out err 2>/dev/null; exit 1; }
# Configs 0..2 in the log; the resumed grid run builds 3 next, which hangs.
"$tec" --tune "$f" --tuner grid --trials 3 --log t.log -o first.o >/dev/null 2>&1 || fail "first run"
best=$(sed -n 's/^Best: index \([0-9]*\) .*/\1/p' <<EOT
$("$tec" --tune "$f" --tuner grid --trials 3 --log t.log -o again.o --resume 2>/dev/null)
EOT
)
[ -n "$best" ] || fail "no best in the log"
# Ctrl-C after 1 s; a run still going 60 s later is killed as hung (a hang guard only).
TEC_TEST_FAULT=buildhang:3 timeout --preserve-status -k 60 -s INT 1 \
    "$tec" --tune "$f" --tuner grid -j 1 --resume --log t.log -o best.o >out 2>err
rc=$?
[ "$rc" = 130 ] || fail "exit status $rc, expected 130 (137: hung after Ctrl-C)"
grep -q "^Wrote best.o and best.h" out || fail "best kernel not written"
grep -q "config $best of " best.h || fail "header does not name config $best"
# The object is the best config's: the same bytes as building that config directly.
"$tec" "$f" --config "$best" -o direct.o || fail "direct build"
cmp -s best.o direct.o || fail "best.o differs from config $best built directly"
[ "$(wc -l <t.log)" = 3 ] || fail "log has $(wc -l <t.log) lines, expected 3"
echo ok
