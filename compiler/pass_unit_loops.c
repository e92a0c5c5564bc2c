/* Unit loops: a loop of extent 1 becomes its body with the loop variable replaced by the loop's
 * min, as TVM's lowering never emits such loops. Takes any IR; gives IR without extent-1 loops. */
#include "compiler/passes.h"

static IrStmt *visit(void *ud, IrStmt *s) {
    PassCtx *u = ud;
    int64_t e;
    if (s && s->kind == IS_FOR && ir_const_int(s->extent, &e) && e == 1) {
        IrSubst sub = ir_subst_new(u->a, u->f, false);
        ir_subst_set(u->a, &sub, s->var, s->min);
        return visit(u, ir_subst_stmt(u->a, &sub, s->body));
    }
    return ir_map_children(u->a, s, visit, u);
}

void pass_unit_loops(Arena *a, IrFunc *f) {
    PassCtx u = {a, f};
    f->body = visit(&u, f->body);
}
