#!/bin/sh
# Space goldens of FILE.te, made with AutoTVM's space algorithms in Python (define_split,
# define_reorder, define_annotate, define_knob; ConfigSpace.get): `tec --space` prints
# NAME.space, and `tec --space --config I` prints the entity on each `I ENTITY` line of
# NAME.entities.
# usage: run_space.sh TEC FILE.te
tec=$1 f=$2
base=${f%.te}
status=0
got=$("$tec" --space "$f") || exit 1
if [ "$got" != "$(cat "$base.space")" ]; then
    printf -- '--- got\n%s\n--- want\n%s\n' "$got" "$(cat "$base.space")"
    status=1
fi
while read -r index want; do
    got=$("$tec" --space "$f" --config "$index") || exit 1
    if [ "$got" != "$want" ]; then
        printf 'config %s:\n  got  %s\n  want %s\n' "$index" "$got" "$want"
        status=1
    fi
done < "$base.entities"
exit $status
