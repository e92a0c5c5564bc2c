/* The passes of lowering, one per file, each `void pass(Arena *, IrFunc *)` rewriting f->body,
 * plus the expression simplifier the other steps share. The order is in lower.c. */
#ifndef TEC_PASSES_H
#define TEC_PASSES_H
#include "compiler/ir_util.h"

/* What a statement visitor of a pass needs: the arena and the function (for fresh variables). */
typedef struct PassCtx {
    Arena *a;
    IrFunc *f;
} PassCtx;

/* Simplify one expression: constant folding (in the expression's dtype), x*1, x+0, affine
 * flattening of int64 arithmetic into a sum of terms ordered by decreasing stride (so an index
 * reads `base + inner`), floor division / modulo by constants using the ranges r (may be NULL),
 * min/max and comparisons decided by ranges. Never changes the value. */
IrExpr *pass_simplify_expr(Arena *a, IrExpr *e, const IrRanges *r);

/* e (int64, simplified) == coef * v + terms without v: store coef and return true; false when v
 * occurs inside a non-linear term. */
bool pass_simplify_coeff(Arena *a, IrExpr *e, const IrVar *v, int64_t *coef);

/* require: nothing. Simplifies every expression, with loop ranges known; removes ifs whose
 * condition is provably constant, loops of extent <= 0, empty blocks; flattens blocks. */
void pass_simplify(Arena *a, IrFunc *f);
/* require: nothing. A loop of extent 1 becomes its body with the variable replaced by the
 * loop's min (TVM prints no such loop). */
void pass_unit_loops(Arena *a, IrFunc *f);
/* require: simplify. Replicates the body of small FOR_UNROLLED loops (constant extent, bounded
 * size) with fresh variables; larger ones stay FOR_UNROLLED for codegen to unroll. */
void pass_unroll(Arena *a, IrFunc *f);
/* require: simplify, unroll. A FOR_VECTORIZED loop whose body holds a guard depending on its
 * variable becomes `if (all lanes pass) vector loop without the guard else scalar loop`;
 * a vectorized loop that cannot be vectorized (nested loops or allocations, a store not
 * strided by the loop variable, a read of a buffer it writes at another index) becomes serial. */
void pass_vectorize(Arena *a, IrFunc *f);
/* require: nothing. A parallel loop nested in another parallel loop becomes serial (one level
 * of threads is what libgomp's GOMP_parallel gives without oversubscription). */
void pass_parallel(Arena *a, IrFunc *f);
/* require: vectorize. A loop whose body holds an `if` on a condition the loop cannot change
 * (variables bound outside it, no loads) becomes `if (c) loop, ifs on c taken, else loop, not
 * taken`, inner loops first so the test moves out as far as it stays invariant, within a budget
 * of copied statements and loops (pass_unswitch.c). Leaves the decided copies for simplify. */
void pass_unswitch(Arena *a, IrFunc *f);
#endif
