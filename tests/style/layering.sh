#!/bin/sh
# The layering lang <- compiler <- tuner <- driver holds at build time: with the include path a
# library compiles with, a header of a module above it does not compile, and its own and those
# below it do. Usage: layering.sh CC "lang's include dirs" "compiler's" "tuner's"
set -u
cc=$1
fail=0
probe() { # probe WANT(ok|fails) DIRS HEADER
    flags=$(printf '%s\n' "$2" | tr ';' '\n' | sed -n 's/^./-I&/p' | tr '\n' ' ')
    if printf '#include "%s"\n' "$3" | $cc -fsyntax-only $flags -x c - 2>/dev/null; then got=ok; else got=fails; fi
    if [ "$got" != "$1" ]; then
        echo "layering: including $3 with the path [$2] $got, want $1"
        fail=1
    fi
}
probe ok "$2" lang/inst.h
probe fails "$2" compiler/config.h
probe fails "$2" tuner/space.h
probe fails "$2" driver/options.h
probe ok "$3" compiler/config.h
probe fails "$3" tuner/space.h
probe ok "$4" tuner/space.h
probe fails "$4" driver/options.h
[ $fail = 0 ] && echo "layering: ok"
exit $fail
