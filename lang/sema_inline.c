/* The size limit of inlined expressions: a stage's body with every compute_inline producer
 * substituted (as lowering does) may hold at most INLINE_MAX_NODES nodes; else a located error at
 * the compute_inline statement, before any pass copies an exponentially large tree. */
#include "lang/sema_impl.h"

typedef struct ICtx {
    const Inst *in;
    const bool *inlined;
} ICtx;

/* Nodes of e after substitution, where an axis occurrence weighs w[axis] (the size of the index
 * it stands for). Stops counting past INLINE_MAX_NODES, so the work is linear in the limit. */
static int64_t tree_size(const ICtx *c, const Expr *e, const int64_t *w) {
    if (!e) return 0;
    switch (e->kind) {
    case EX_CONST:
        return 1;
    case EX_VAR:
        return w ? w[e->axis] : 1;
    case EX_LOAD: {
        int64_t s[e->nargs > 0 ? e->nargs : 1], n = 0;
        for (int d = 0; d < e->nargs && n <= INLINE_MAX_NODES; d++)
            n += s[d] = tree_size(c, e->args[d], w);
        if (!c->inlined[e->stage] || n > INLINE_MAX_NODES) return n + 1;
        return n + tree_size(c, c->in->stages[e->stage].body, s);
    }
    default: {
        int64_t n = 1 + tree_size(c, e->a, w);
        if (n <= INLINE_MAX_NODES) n += tree_size(c, e->b, w);
        if (n <= INLINE_MAX_NODES) n += tree_size(c, e->c, w);
        return n;
    }
    }
}

/* The inlined producer that e reads with the largest substituted size, or -1. */
static int largest_inlined_read(const ICtx *c, const Expr *e, int best, int64_t *best_size) {
    if (!e) return best;
    if (e->kind == EX_LOAD) {
        for (int d = 0; d < e->nargs; d++)
            best = largest_inlined_read(c, e->args[d], best, best_size);
        if (c->inlined[e->stage]) {
            int64_t n = tree_size(c, c->in->stages[e->stage].body, NULL);
            if (best < 0 || n > *best_size) best = e->stage, *best_size = n;
        }
        return best;
    }
    best = largest_inlined_read(c, e->a, best, best_size);
    best = largest_inlined_read(c, e->b, best, best_size);
    return largest_inlined_read(c, e->c, best, best_size);
}

void sema_inline_sizes(Sema *S, const bool *inlined, const Loc *inline_at) {
    const Inst *in = S->in;
    ICtx c = {in, inlined};
    bool *over = ARENA_ARRAY(S->a, bool, in->nstages + 1);
    for (int i = 0; i < in->nstages; i++) {
        const Stage *s = &in->stages[i];
        if (s->kind != STAGE_COMPUTE || tree_size(&c, s->body, NULL) <= INLINE_MAX_NODES) continue;
        over[i] = true;
        int64_t size = 0;
        int q = largest_inlined_read(&c, s->body, -1, &size);
        /* a producer already over the limit was reported; a large body of its own is legal */
        if (q >= 0 && over[q]) continue;
        if (inlined[i])
            diag_error(S->d, inline_at[i],
                       "inlining %s makes an expression of more than %d nodes (the limit of an "
                       "inlined expression): compute a stage of the chain at root or compute_at",
                       s->name, INLINE_MAX_NODES);
        else if (q >= 0)
            diag_error(S->d, inline_at[q],
                       "inlining %s into %s makes an expression of more than %d nodes (the limit "
                       "of an inlined expression): compute a stage of the chain at root or "
                       "compute_at",
                       in->stages[q].name, s->name, INLINE_MAX_NODES);
    }
}
