/* Unroll: a FOR_UNROLLED loop of constant bounds whose unrolled size stays within a budget
 * becomes a block of copies of its body, the variable replaced by each value and every
 * variable bound inside renamed per copy. Inner loops first, so nests unroll completely
 * (a cache_write tile then has constant indices). Larger loops stay FOR_UNROLLED for codegen.
 * The budget counts the statements and the loops copied: LLVM's loop passes slow down
 * quadratically with them (2048 stores took 7 s to compile, 64 copies of a nest 5 s).
 * Requires simplify (constant extents). */
#include "compiler/passes.h"

enum { MAX_EXTENT = 64, MAX_NODES = 512, MAX_LOOP_COPIES = 16 };

static IrStmt *visit(void *ud, IrStmt *s) {
    PassCtx *u = ud;
    s = ir_map_children(u->a, s, visit, u);
    int64_t mn, e;
    if (!s || s->kind != IS_FOR || s->for_kind != FOR_UNROLLED || !ir_const_int(s->min, &mn) ||
        !ir_const_int(s->extent, &e) || e > MAX_EXTENT || e < 1)
        return s;
    if ((int64_t)ir_stmt_size(s->body) * e > MAX_NODES ||
        (int64_t)ir_stmt_loops(s->body) * e > MAX_LOOP_COPIES)
        return s;
    IrStmt **copies = ARENA_ARRAY(u->a, IrStmt *, e);
    for (int64_t i = 0; i < e; i++) {
        IrSubst sub = ir_subst_new(u->a, u->f, true);
        ir_subst_set(u->a, &sub, s->var, ir_int(u->a, mn + i));
        copies[i] = ir_subst_stmt(u->a, &sub, s->body);
    }
    return ir_block(u->a, copies, (int)e);
}

void pass_unroll(Arena *a, IrFunc *f) {
    PassCtx u = {a, f};
    f->body = visit(&u, f->body);
}
