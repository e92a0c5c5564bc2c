/* IR helpers shared by lowering and its passes: structural equality, variable substitution,
 * cloning with fresh variables, use queries, and numeric interval analysis of int64 indices. */
#ifndef TEC_IR_UTIL_H
#define TEC_IR_UTIL_H
#include "compiler/ir.h"
#include "lang/scalar.h" /* floor division and modulo as the language defines them */

bool ir_expr_equal(const IrExpr *x, const IrExpr *y);
/* v is a constant of an integer or bool dtype: store it in *out. */
bool ir_const_int(const IrExpr *e, int64_t *out);
bool ir_expr_uses(const IrExpr *e, const IrVar *v);
bool ir_stmt_uses(const IrStmt *s, const IrVar *v);
/* True if the function has a parallel loop (the object then needs -fopenmp). */
bool ir_has_parallel(const IrFunc *f);

/* A substitution: map[id] (id < n) replaces variable id, NULL keeps it. With fresh set, every
 * variable bound inside the rewritten statement (loops, lets) is replaced by a new variable of
 * f, so a statement can be copied (unrolling) without binding a variable twice. */
typedef struct IrSubst {
    IrExpr **map;
    int n;
    bool fresh;
    IrFunc *f;
} IrSubst;
IrSubst ir_subst_new(Arena *a, IrFunc *f, bool fresh);
void ir_subst_set(Arena *a, IrSubst *s, const IrVar *v, IrExpr *val);
IrExpr *ir_subst_expr(Arena *a, IrSubst *s, IrExpr *e);
IrStmt *ir_subst_stmt(Arena *a, IrSubst *s, IrStmt *st);
/* Shorthand: replace one variable in an expression. */
IrExpr *ir_replace_var(Arena *a, IrExpr *e, const IrVar *v, IrExpr *val);

/* A copy of s with each child statement replaced by fn(ud, child). */
IrStmt *ir_map_children(Arena *a, IrStmt *s, IrStmt *(*fn)(void *ud, IrStmt *child), void *ud);
/* Number of statement nodes (a size measure for unrolling limits). */
int ir_stmt_size(const IrStmt *s);
/* Number of loops in s that stay loops in the machine code (all but vectorized ones): unrolling
 * limits bound the loops a replicated body copies, as LLVM's compile time grows faster than
 * linearly with the number of loops in a function. */
int ir_stmt_loops(const IrStmt *s);

/* Numeric ranges of int64 variables, by variable id: the domain a variable takes where it is
 * bound (a loop's [min, min + extent - 1]). */
typedef struct IrRange {
    bool ok; /* false: unknown */
    int64_t lo, hi;
} IrRange;
typedef struct IrRanges {
    IrRange *v;
    int n;
} IrRanges;
void ir_ranges_set(Arena *a, IrRanges *r, const IrVar *v, int64_t lo, int64_t hi);
/* An interval containing every value e takes (integer dtypes; ok false when unknown). */
IrRange ir_range_of(const IrExpr *e, const IrRanges *r);

#endif
