/* Parallel: only the outermost parallel loop of a nest runs on threads; a parallel loop inside
 * another (nested attachments, init loops) becomes serial, since one GOMP_parallel region
 * already occupies the cores. Takes any IR; gives IR with no nested parallel loops. */
#include "compiler/passes.h"

typedef struct P {
    Arena *a;
    bool inside;
} P;

static IrStmt *visit(void *ud, IrStmt *s) {
    P *p = ud;
    if (!s) return NULL;
    if (s->kind != IS_FOR || s->for_kind != FOR_PARALLEL) return ir_map_children(p->a, s, visit, p);
    bool was = p->inside;
    IrStmt *n = ir_map_children(p->a, s, visit, (p->inside = true, p));
    p->inside = was;
    if (was) n->for_kind = FOR_SERIAL;
    return n;
}

void pass_parallel(Arena *a, IrFunc *f) {
    P p = {a, false};
    f->body = visit(&p, f->body);
}
