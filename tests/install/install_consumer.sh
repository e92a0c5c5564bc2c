#!/bin/sh
# install.consumer: `cmake --install` of the build tree to a fresh prefix, then the example
# consumer project (examples/consumer) configured against that prefix only: its build runs the
# installed tec through tec_add_kernel, its program prints checked results; touching the log
# rebuilds that kernel and relinks, touching nothing rebuilds nothing, touching main.c runs no tec.
# Usage: install_consumer.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR
set -u
CMAKE=$1 BUILD=$2 SRC=$3 W=$4
fail() { echo "install.consumer: $*" >&2; exit 1; }
rm -rf "$W" && mkdir -p "$W" || fail "cannot make $W"
P=$W/prefix

"$CMAKE" --install "$BUILD" --prefix "$P" >"$W/install.out" 2>&1 || { cat "$W/install.out"; fail "cmake --install failed"; }
for f in bin/tec share/man/man1/tec.1 lib/cmake/tec/tecConfig.cmake lib/cmake/tec/tecConfigVersion.cmake \
         lib/cmake/tec/tecAddKernel.cmake share/bash-completion/completions/tec; do
    [ -f "$P/$f" ] || fail "the install has no $f"
done
"$P/bin/tec" --version | grep -q '^tec ' || fail "the installed tec does not run"

# The man page holds every flag tec --help lists, as roff writes it (\- for -).
grep -q '^\.TH TEC 1 ' "$P/share/man/man1/tec.1" || fail "tec.1 has no .TH line"
"$P/bin/tec" --help | sed -n 's/^  \(-[^ ,]*\).*/\\fB\1\\fR/p' | sed 's/-/\\-/g' >"$W/flags"
[ "$(wc -l <"$W/flags")" -gt 20 ] || fail "tec --help lists too few flags"
missing=$(grep -oF -f "$W/flags" "$P/share/man/man1/tec.1" | sort -u | sort - "$W/flags" | uniq -u)
[ -z "$missing" ] || fail "tec.1 does not describe: $missing"

# Completion of flags comes from tec --help.
if command -v bash >/dev/null; then
    got=$(bash -c ". '$P/share/bash-completion/completions/tec'; COMP_WORDS=('$P/bin/tec' --log-); COMP_CWORD=1; _tec; echo \"\${COMPREPLY[*]}\"")
    [ "$got" = "--log-best --log-stats" ] || fail "completing --log- gave '$got'"
fi

# The consumer, in a copy of its folder beside the templates it names (../matmul.te).
mkdir -p "$W/src/examples" && cp -R "$SRC/examples/consumer" "$W/src/examples/" &&
    cp "$SRC/examples/matmul.te" "$SRC/examples/softmax.te" "$W/src/examples/" || fail "cannot copy the example"
C=$W/src/examples/consumer
"$CMAKE" -S "$C" -B "$W/cb" -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$P" >"$W/configure.out" 2>&1 ||
    { cat "$W/configure.out"; fail "configuring the consumer failed"; }
grep -qx "tec_DIR:PATH=$P/lib/cmake/tec" "$W/cb/CMakeCache.txt" || fail "find_package(tec) did not find the install"

build() { # build STEP: the build's output in $W/STEP.out
    "$CMAKE" --build "$W/cb" >"$W/$1.out" 2>&1 || { cat "$W/$1.out"; fail "$1: the build failed"; }
}
has() { grep -q "$2" "$W/$1.out" || { cat "$W/$1.out"; fail "$1: no '$2' in the build's output"; }; }
hasnt() { ! grep -q "$2" "$W/$1.out" || { cat "$W/$1.out"; fail "$1: '$2' in the build's output"; }; }
run() { # (passive OpenMP threads: no spinning on a loaded machine)
    OMP_WAIT_POLICY=passive "$W/cb/consumer" >"$W/run.out" 2>&1 || { cat "$W/run.out"; fail "the consumer failed"; }
    [ "$(grep -c ': ok$' "$W/run.out")" = 2 ] || { cat "$W/run.out"; fail "the consumer's results are not ok"; }
}

build first
has first "tec: compiling kernel mm" && has first "tec: compiling kernel sm"
# sm runs its rows in parallel: its header asks for -fopenmp, and the link got it
grep -q -- -fopenmp "$W/cb/tec_kernels/sm/sm.link" || fail "sm's link flags lack -fopenmp"
! grep -q -- -fopenmp "$W/cb/tec_kernels/mm/mm.link" || fail "mm's link flags have -fopenmp"
run

build again
hasnt again "tec: compiling" && hasnt again "Building" && hasnt again "Linking"

touch "$C/matmul.log"
build log
has log "tec: compiling kernel mm" && hasnt log "compiling kernel sm" && has log "Linking C executable consumer"
hasnt log "Building C object" # same header text: main.c is not recompiled
run

build after_log
hasnt after_log "tec: compiling" && hasnt after_log "Linking"

touch "$C/main.c"
build main
has main "Building C object" && hasnt main "tec: compiling"
exit 0
