#!/bin/sh
# Links one config of a template into its C checker, as a user would: `tec FILE.te --config I
# -o DIR/NAME.o`, then the link line the header gives (`cc prog.c NAME.o ...`) with the checker
# c/NAME.c as prog.c, then runs the program, which compares the kernel with plain C loops.
# Each CONFIG may be a number, `last` or `mid` (the index at the middle of the space).
# usage: run_c.sh TEC FILE.te WORKDIR CONFIG...
set -u
tec=$1 f=$2 work=$3
shift 3
name=$(basename "$f" .te)
here=$(cd "$(dirname "$0")" && pwd)
len=$("$tec" --space "$f" | sed -n 's/^ConfigSpace (len=\([0-9]*\),.*/\1/p')
[ -n "$len" ] || { echo "no space length for $f"; exit 1; }
for config in "$@"; do
case $config in
last) config=$((len - 1)) ;;
mid) config=$((len / 2)) ;;
esac
dir=$work/$name.$config
rm -rf "$dir" && mkdir -p "$dir" || exit 1
"$tec" "$f" --config "$config" -o "$dir/$name.o" || { echo "tec failed on config $config"; exit 1; }
[ -f "$dir/$name.o" ] && [ -f "$dir/$name.h" ] || { echo "no $name.o or $name.h"; exit 1; }
link=$(sed -n 's/^ \* Link with: *//p' "$dir/$name.h")
case $link in
"cc prog.c $name.o"*) ;;
*) echo "unexpected link line in $name.h: '$link'"; exit 1 ;;
esac
# shellcheck disable=SC2086
(cd "$dir" && cc -std=c17 -Wall -Werror -I. -I"$here/c" -o check "$here/c/$name.c" ${link#cc prog.c }) ||
    { echo "linking $name.o (config $config) failed"; exit 1; }
"$dir/check" || { echo "config $config of $f: wrong results"; exit 1; }
rm -rf "$dir"
done
