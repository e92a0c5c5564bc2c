#!/bin/sh
# Build mode and tune mode name the header alike: the object's name with its extension
# replaced by .h (k.obj -> k.h, out/mm.o -> out/mm.h), so the user finds it in either mode.
# usage: header_names.sh TEC TEMPLATE WORKDIR
set -eu
tec=$1 te=$2 work=$3
rm -rf "$work" && mkdir -p "$work/out" && cd "$work"
"$tec" "$te" -o b.obj
"$tec" --tune "$te" --trials 2 --log t.log -o t.obj >/dev/null
"$tec" --tune "$te" --trials 2 --log t2.log -o out/mm.o >/dev/null
for f in b.obj b.h t.obj t.h out/mm.o out/mm.h; do
    [ -f "$f" ] || { echo "missing $f"; ls -R; exit 1; }
done
for f in b.obj.h t.obj.h; do
    [ ! -e "$f" ] || { echo "unexpected $f"; exit 1; }
done
grep -q "Link with:  cc prog.c t.obj" t.h || { echo "t.h does not name t.obj"; cat t.h; exit 1; }
echo ok
