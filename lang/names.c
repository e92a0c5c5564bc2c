/* Printable names of math functions, reductions and knob policies (operators: lang/ops.c). */
#include "lang/inst.h"

const char *mathfn_name(MathFn f) {
    static const char *names[] = {"exp", "log", "sqrt", "tanh", "abs", "floor", "ceil"};
    return (unsigned)f < sizeof names / sizeof *names ? names[f] : "?";
}

const char *reduceop_name(ReduceOp r) {
    static const char *names[] = {"sum", "reduce_max", "reduce_min"};
    return (unsigned)r < sizeof names / sizeof *names ? names[r] : "?";
}

const char *policy_name(KnobPolicy p) {
    static const char *names[] = {
        [POL_NONE] = "none",
        [POL_FACTORS] = "factors",
        [POL_POWER2] = "power2",
        [POL_VERBOSE] = "verbose",
        [POL_CANDIDATE] = "candidate",
        [POL_IDENTITY] = "identity",
        [POL_ALL] = "all",
        [POL_INTERVAL_ALL] = "interval_all",
        [POL_TRY_UNROLL] = "try_unroll",
        [POL_TRY_VEC] = "try_vec",
        [POL_TRY_UNROLL_VEC] = "try_unroll_vec",
    };
    return (unsigned)p < sizeof names / sizeof *names ? names[p] : "?";
}
