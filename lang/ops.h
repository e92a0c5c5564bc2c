/* The operator table: one X-macro row per operator gives its enum name, spelling, arity, class,
 * printing precedence and flags. The Op enum, op_name() and every fold (lang/scalar.c, by class)
 * are driven by it; codegen's emission switch (compiler/cg_expr.c) dispatches on the same enum. */
#ifndef TEC_OPS_H
#define TEC_OPS_H
#include <stdbool.h>

/* How an operator folds: OPC_ARITH by scalar_iarith / scalar_farith (result in the operands'
 * dtype), OPC_CMP by scalar_icmp / scalar_fcmp and OPC_LOGIC on 0/1 (both give bool). */
typedef enum OpClass { OPC_ARITH, OPC_CMP, OPC_LOGIC } OpClass;

/* Flags. OPF_CALL: written as a call, min(a, b). OPF_INT: integer operands only in the source
 * ('%'). OPF_FLOAT: float operands only in the source (pow). OPF_ORDER: an ordering comparison
 * (no bools). OPF_FEXACT: on floats, one IEEE operation, so it folds at compile time (the others'
 * NaN and libm details are codegen's). */
enum { OPF_CALL = 1, OPF_INT = 2, OPF_FLOAT = 4, OPF_ORDER = 8, OPF_FEXACT = 16 };

/* X(NAME, spelling, arity, class, precedence, flags). Precedence is the printer's (lang/
 * inst_print.c): higher binds tighter, 9 for calls. The order is the enum's. */
#define OP_TABLE(X)                                                                                \
    X(ADD, "+", 2, OPC_ARITH, 5, OPF_FEXACT)                                                       \
    X(SUB, "-", 2, OPC_ARITH, 5, OPF_FEXACT)                                                       \
    X(MUL, "*", 2, OPC_ARITH, 6, OPF_FEXACT)                                                       \
    X(DIV, "/", 2, OPC_ARITH, 6, OPF_FEXACT) /* integer / and % are floor division and modulo */   \
    X(MOD, "%", 2, OPC_ARITH, 6, OPF_INT)                                                          \
    X(LT, "<", 2, OPC_CMP, 4, OPF_ORDER)                                                           \
    X(LE, "<=", 2, OPC_CMP, 4, OPF_ORDER)                                                          \
    X(GT, ">", 2, OPC_CMP, 4, OPF_ORDER)                                                           \
    X(GE, ">=", 2, OPC_CMP, 4, OPF_ORDER)                                                          \
    X(EQ, "==", 2, OPC_CMP, 3, 0)                                                                  \
    X(NE, "!=", 2, OPC_CMP, 3, 0)                                                                  \
    X(AND, "&&", 2, OPC_LOGIC, 2, 0)                                                               \
    X(OR, "||", 2, OPC_LOGIC, 1, 0)                                                                \
    X(NEG, "-", 1, OPC_ARITH, 7, 0)                                                                \
    X(NOT, "!", 1, OPC_LOGIC, 7, 0)                                                                \
    X(MIN, "min", 2, OPC_ARITH, 9, OPF_CALL)                                                       \
    X(MAX, "max", 2, OPC_ARITH, 9, OPF_CALL)                                                       \
    X(POW, "pow", 2, OPC_ARITH, 9, OPF_CALL | OPF_FLOAT)

/* Operators of expressions, shared with the bound expressions of lang/inst.h. */
typedef enum Op {
#define OP_ENUM(name, spelling, arity, cls, prec, flags) OP_##name,
    OP_TABLE(OP_ENUM)
#undef OP_ENUM
        OP_COUNT
} Op;

typedef struct OpInfo {
    const char *name; /* "+", "<=", "&&", "min", ... */
    int arity;
    OpClass cls;
    int prec;
    unsigned flags;
} OpInfo;

/* The row of op (lang/names.c); NULL for a value outside the enum. */
const OpInfo *op_info(Op op);
const char *op_name(Op op); /* "?" outside the enum */
/* A binary operator whose result is bool: a comparison or && / ||. */
static inline bool op_gives_bool(Op op) {
    const OpInfo *i = op_info(op);
    return i && i->arity == 2 && i->cls != OPC_ARITH;
}
static inline bool op_has(Op op, unsigned flag) {
    const OpInfo *i = op_info(op);
    return i && (i->flags & flag);
}
static inline bool op_is(Op op, OpClass cls) {
    const OpInfo *i = op_info(op);
    return i && i->cls == cls;
}
#endif
