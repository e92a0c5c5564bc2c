/* The operator table (lang/ops.h) as data: one OpInfo per Op, in enum order. */
#include "lang/ops.h"
#include <stddef.h>

static const OpInfo OPS[] = {
#define OP_ROW(name, spelling, arity, cls, prec, flags) {spelling, arity, cls, prec, flags},
    OP_TABLE(OP_ROW)
#undef OP_ROW
};

const OpInfo *op_info(Op op) {
    return (unsigned)op < sizeof OPS / sizeof *OPS ? &OPS[op] : NULL;
}

const char *op_name(Op op) {
    const OpInfo *i = op_info(op);
    return i ? i->name : "?";
}
