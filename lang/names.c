/* Printable names of operators, math functions, reductions and knob policies. */
#include "lang/inst.h"

const char *op_name(Op op) {
    static const char *names[] = {
        [OP_ADD] = "+",   [OP_SUB] = "-",   [OP_MUL] = "*",   [OP_DIV] = "/", [OP_MOD] = "%",
        [OP_LT] = "<",    [OP_LE] = "<=",   [OP_GT] = ">",    [OP_GE] = ">=", [OP_EQ] = "==",
        [OP_NE] = "!=",   [OP_AND] = "&&",  [OP_OR] = "||",   [OP_NEG] = "-", [OP_NOT] = "!",
        [OP_MIN] = "min", [OP_MAX] = "max", [OP_POW] = "pow",
    };
    return (unsigned)op < sizeof names / sizeof *names ? names[op] : "?";
}

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
