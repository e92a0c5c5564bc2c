#!/bin/sh
# Bad task lists: each case writes a list, runs `tec --tune LIST`, and wants exit 1, the located
# error (LIST:LINE:COL: error: ...) with the line and a caret under the fault, nothing on
# stdout and no output file (library, header or log).
# usage: errors.sh TEC EXAMPLES_DIR WORKDIR
set -u
tec=$1 ex=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
bad=0
# case NAME 'LIST TEXT' 'EXPECTED STDERR LINE'... : every expected line must appear in stderr
case_() {
    name=$1 text=$2
    shift 2
    rm -rf "$name" && mkdir "$name" && cp "$ex/matmul.te" "$name/mm.te"
    printf '%s' "$text" >"$name/list.txt"
    (cd "$name" && "$tec" --tune list.txt --trials 1 >out.txt 2>err.txt)
    rc=$?
    [ $rc = 1 ] || { echo "$name: exit $rc, want 1"; bad=1; }
    [ -s "$name/out.txt" ] && { echo "$name: stdout not empty"; bad=1; }
    for f in list.o list.h list.log; do
        [ -e "$name/$f" ] && { echo "$name: wrote $f"; bad=1; }
    done
    for want in "$@"; do
        grep -qF -- "$want" "$name/err.txt" || { echo "$name: stderr lacks '$want':"; cat "$name/err.txt"; bad=1; }
    done
}
case_ unknown_option '# ok
mm.te --bogus 1
' 'list.txt:2:7: error: unknown option '"'"'--bogus'"'"'' 'mm.te --bogus 1' '      ^~~~~~~'
case_ missing_file 'gone.te -D N=4
' "list.txt:1:1: error: cannot open 'gone.te'" '^~~~~~~'
case_ bad_weight 'mm.te --weight -2
' "list.txt:1:16: error: --weight expects a number > 0"
case_ bad_define 'mm.te -D N
' "list.txt:1:10: error: -D expects NAME=VALUE, got 'N'"
case_ define_twice 'mm.te -DN=4 -D N=8
' "list.txt:1:16: error: -D N is given twice"
case_ two_files 'mm.te mm.te
' "list.txt:1:7: error: a second template file 'mm.te'"
case_ no_file '-D N=4
' "list.txt:1:1: error: the task names no template file"
case_ dangling 'mm.te -t
' "list.txt:1:7: error: -t needs a template name after it"
case_ template_error 'mm.te -D N=4 -D Q=1
' "mm.te" "list.txt:1:1: note: in this task"
case_ duplicate 'mm.te -D N=4 -D L=4 -D M=4
mm.te -D N=4 -D L=4 -D M=4 --weight 3
' "list.txt:2:1: error: this task's kernel matmul_N4_L4_M4_float32 is also the kernel of the task on line 1"
case_ empty '# nothing

' "list.txt: error: the task list holds no task"
case_ several_errors 'mm.te --x
mm.te -D
' "list.txt:1:7: error: unknown option" "list.txt:2:7: error: -D needs NAME=VALUE"
# --budget, --task-scheduler and --round-size belong to task lists
mkdir tmpl && cp "$ex/matmul.te" tmpl/mm.te
(cd tmpl && "$tec" --tune mm.te --budget 4 >out.txt 2>err.txt)
[ $? = 1 ] && grep -qF -- "--budget applies to a task list" tmpl/err.txt || { echo "--budget with a template accepted"; bad=1; }
(cd tmpl && cp mm.te l.txt && "$tec" --check l.txt >out.txt 2>err.txt)
[ $? = 1 ] && grep -qF "'l.txt' is a task list (its name ends in .txt or .tasks): it can only be tuned" tmpl/err.txt ||
    { echo "--check of a task list accepted"; bad=1; }
(cd tmpl && printf 'mm.te\n' >l.txt && "$tec" l.txt --task-scheduler fast >out.txt 2>err.txt)
[ $? = 1 ] && grep -qF -- "--task-scheduler expects gradient or round-robin, got 'fast'" tmpl/err.txt ||
    { echo "a bad --task-scheduler accepted"; cat tmpl/err.txt; bad=1; }
(cd tmpl && "$tec" --tune mm.te --round-size 4 >out.txt 2>err.txt)
[ $? = 1 ] && grep -qF -- "--round-size applies to a task list" tmpl/err.txt ||
    { echo "--round-size with a template accepted"; bad=1; }
(cd tmpl && "$tec" l.txt --round-size 65 >out.txt 2>err.txt)
[ $? = 1 ] && grep -qF -- "--round-size 65: a round holds at most 64 configs" tmpl/err.txt ||
    { echo "--round-size 65 accepted"; cat tmpl/err.txt; bad=1; }
[ $bad = 0 ] && echo ok
exit $bad
