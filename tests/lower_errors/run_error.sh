#!/bin/sh
# A config-dependent schedule error: lowers FILE.te with the config on its `# knobs:` line and
# expects lower() to fail with the message on its `# expect:` line (located, as FILE:LINE:COL).
# usage: run_error.sh TEST_LOWER FILE.te
exe=$1
f=$2
knobs=$(sed -n 's/^# knobs: //p' "$f")
expect=$(sed -n 's/^# expect: //p' "$f")
# shellcheck disable=SC2086
exec "$exe" --error "$expect" "$f" $knobs
