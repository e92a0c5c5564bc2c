#!/bin/sh
# Runs `tec --run ...` (compile in process, run on random inputs, compare with the reference
# evaluator) and passes only if it exits with 0 and reports the comparison as ok.
# usage: run_checked.sh TEC --run FILE.te [OPTION]...
out=$("$@" 2>&1)
rc=$?
if [ "$rc" -ne 0 ]; then
    printf 'exit status %s, expected 0:\n%s\n' "$rc" "$out"
    exit 1
fi
case $out in
*"checked against the reference evaluator: ok"*) ;;
*) printf 'not checked ok against the reference evaluator:\n%s\n' "$out"; exit 1 ;;
esac
