/* Loop-nest construction: applies each stage's schedule once. Root stages in order; per stage,
 * loops in leaf order with a guard where a split does not divide (placed right inside the
 * deepest loop it depends on), producers attached at a loop computed at the start of its body
 * inside their allocation, reductions as init (before the outermost reduce loop, with its own
 * `x.init` loops over the data axes inside that point) then update.
 * Requires bound inference (extents, loop variables, buffers). */
#include "compiler/lower_int.h"
#include <math.h>

typedef struct Guard {
    IrExpr *cond;
    int pos; /* leaf position of the deepest loop it depends on */
} Guard;

typedef struct N {
    LowerCtx *c;
    int si;
    const SchedStage *st;
    int r; /* position of the outermost reduce loop (reductions) */
    Guard *g;
    int ng;
} N;

static IrStmt *stage_nest(LowerCtx *c, int si);

static IrStmt *pair(Arena *a, IrStmt *x, IrStmt *y) {
    if (!x) return y;
    if (!y) return x;
    IrStmt **v = ARENA_ARRAY(a, IrStmt *, 2);
    v[0] = x;
    v[1] = y;
    return ir_block(a, v, 2);
}

/* Keeps guard cond if it depends on one of vars[0..n), positioned at the deepest such one. */
static void add_guard(Guard *g, int *ng, IrExpr *cond, IrVar **vars, int nvars) {
    int deep = -1;
    for (int v = 0; v < nvars; v++)
        if (vars[v] && ir_expr_uses(cond, vars[v])) deep = v;
    if (deep >= 0) g[(*ng)++] = (Guard){cond, deep};
}

/* Guards of the non-dividing splits, with axis values val, and of an attached region that may
 * pass the tensor's end (root indices root); only those depending on one of vars[0..n) are
 * kept, positioned at the deepest such variable. */
static int make_guards(N *n, IrExpr **val, IrExpr **root, IrVar **vars, int nvars, bool data_only,
                       Guard **out) {
    const SchedStage *st = n->st;
    Arena *a = n->c->a;
    const StageLow *lw = &n->c->low[n->si];
    Guard *g = ARENA_ARRAY(a, Guard, st->nrels + st->ndata + 1);
    int ng = 0;
    for (int d = 0; lw->rguard && d < st->ndata; d++)
        if (lw->rguard[d])
            add_guard(g, &ng,
                      lower_simp(n->c, ir_binary(a, OP_LT, root[d], ir_int(a, st->st->shape[d]))),
                      vars, nvars);
    for (int k = 0; k < st->nrels; k++) {
        const SchedRel *r = &st->rels[k];
        if (r->kind != REL_SPLIT) continue;
        const SchedAxis *p = &st->axes[r->parent];
        int64_t cover;
        if (!__builtin_mul_overflow(st->axes[r->outer].extent, st->axes[r->inner].extent, &cover) &&
            cover <= p->extent)
            continue; /* dividing: no guard */
        if (data_only && p->reduce) continue;
        IrExpr *cond = lower_simp(n->c, ir_binary(a, OP_LT, val[r->parent], ir_int(a, p->extent)));
        add_guard(g, &ng, cond, vars, nvars);
    }
    *out = g;
    return ng;
}

static IrStmt *with_guards(Arena *a, Guard *g, int ng, int pos, IrStmt *body) {
    IrExpr *cond = NULL;
    for (int k = 0; k < ng; k++)
        if (g[k].pos == pos) cond = cond ? ir_binary(a, OP_AND, cond, g[k].cond) : g[k].cond;
    return cond ? ir_if(a, cond, body, NULL) : body;
}

/* Producers attached at axis ax of stage si: computed first, their buffers live around. */
static IrStmt *with_producers(LowerCtx *c, int si, int ax, IrStmt *inner) {
    Arena *a = c->a;
    int np = 0;
    for (int sj = 0; sj < si; sj++) {
        const SchedStage *p = &c->s->stages[sj];
        if (p->attach == ATTACH_AT && p->at_stage == si && p->at_axis == ax) np++;
    }
    if (!np) return inner;
    IrStmt **v = ARENA_ARRAY(a, IrStmt *, np + 1);
    int n = 0;
    for (int sj = 0; sj < si; sj++) {
        const SchedStage *p = &c->s->stages[sj];
        if (p->attach == ATTACH_AT && p->at_stage == si && p->at_axis == ax)
            v[n++] = stage_nest(c, sj);
    }
    v[n++] = inner;
    IrStmt *s = ir_block(a, v, n);
    for (int sj = si - 1; sj >= 0; sj--) {
        const SchedStage *p = &c->s->stages[sj];
        if (p->attach == ATTACH_AT && p->at_stage == si && p->at_axis == ax)
            s = ir_alloc(a, c->low[sj].buf, s);
    }
    return s;
}

static IrExpr *identity(Arena *a, ReduceOp op, DType t) {
    if (op == RED_SUM) return ir_const(a, t, 0, 0.0);
    bool lowest = op == RED_MAX;
    switch (t) {
    /* floats: the infinities, as the reference evaluator starts from */
    case DT_FLOAT32:
    case DT_FLOAT64:
        return ir_const(a, t, 0, lowest ? -INFINITY : INFINITY);
    case DT_INT8:
        return ir_const(a, t, lowest ? INT8_MIN : INT8_MAX, 0);
    case DT_INT16:
        return ir_const(a, t, lowest ? INT16_MIN : INT16_MAX, 0);
    case DT_INT32:
        return ir_const(a, t, lowest ? INT32_MIN : INT32_MAX, 0);
    case DT_INT64:
        return ir_const(a, t, lowest ? INT64_MIN : INT64_MAX, 0);
    case DT_UINT8:
        return ir_const(a, t, lowest ? 0 : UINT8_MAX, 0);
    case DT_BOOL:
        return ir_const(a, t, lowest ? 0 : 1, 0);
    default:
        TEC_BUG("no identity for dtype %s", dtype_name(t));
    }
}

static IrExpr *combine(Arena *a, ReduceOp op, IrExpr *acc, IrExpr *v) {
    switch (op) {
    case RED_SUM: /* a sum of bools is their or, as the evaluator wraps to 0/1 */
        return ir_binary(a, acc->dtype == DT_BOOL ? OP_OR : OP_ADD, acc, v);
    case RED_MAX:
        return ir_binary(a, OP_MAX, acc, v);
    case RED_MIN:
        return ir_binary(a, OP_MIN, acc, v);
    }
    TEC_BUG("unknown reduction %d", op);
}

/* The reduction's init: identity stored over the data axes inside the outermost reduce loop. */
static IrStmt *init_nest(N *n) {
    LowerCtx *c = n->c;
    Arena *a = c->a;
    const SchedStage *st = n->st;
    int nl = st->nleaves;
    IrExpr **leafval = ARENA_ARRAY(a, IrExpr *, nl);
    IrVar **ivars = ARENA_ARRAY(a, IrVar *, nl);
    for (int k = 0; k < nl; k++) {
        const SchedAxis *x = &st->axes[st->leaves[k]];
        if (k < n->r) {
            leafval[k] = ir_var(a, x->var);
        } else if (!x->reduce) {
            ivars[k] = ir_new_var(a, c->f, arena_printf(a, "%s.init", x->dname));
            ir_ranges_set(a, &c->ranges, ivars[k], 0, x->extent - 1);
            leafval[k] = ir_var(a, ivars[k]);
        } else {
            leafval[k] = ir_int(a, 0); /* reduce axes do not index the result */
        }
    }
    IrExpr **val = lower_axis_values(c, n->si, leafval);
    IrExpr **root = lower_root_values(c, n->si, val);
    Guard *g;
    int ng = make_guards(n, val, root, ivars, nl, true, &g);
    IrStmt *s = ir_store(a, c->low[n->si].buf, lower_flat_index(c, n->si, root),
                         identity(a, st->st->body->rop, st->st->dtype));
    for (int k = nl - 1; k >= n->r; k--) {
        if (!ivars[k]) continue;
        const SchedAxis *x = &st->axes[st->leaves[k]];
        s = with_guards(a, g, ng, k, s);
        s = ir_for(a, ivars[k], ir_int(a, 0), ir_int(a, x->extent), x->kind, s);
    }
    return s;
}

static IrStmt *main_body(N *n) {
    LowerCtx *c = n->c;
    Arena *a = c->a;
    const StageLow *lw = &c->low[n->si];
    IrExpr *idx = lower_flat_index(c, n->si, lw->root);
    IrExpr *v = lower_stage_body(c, n->si, lw->root);
    if (n->st->reduction) v = combine(a, n->st->st->body->rop, ir_load(a, lw->buf, idx), v);
    return ir_store(a, lw->buf, idx, v);
}

static IrStmt *level(N *n, int pos) {
    LowerCtx *c = n->c;
    Arena *a = c->a;
    const SchedStage *st = n->st;
    IrStmt *init = st->reduction && pos == n->r ? init_nest(n) : NULL;
    if (pos == st->nleaves) return pair(a, init, main_body(n));
    const SchedAxis *x = &st->axes[st->leaves[pos]];
    IrStmt *inner = level(n, pos + 1);
    inner = with_producers(c, n->si, st->leaves[pos], inner);
    inner = with_guards(a, n->g, n->ng, pos, inner);
    return pair(a, init, ir_for(a, x->var, ir_int(a, 0), ir_int(a, x->extent), x->kind, inner));
}

static IrStmt *stage_nest(LowerCtx *c, int si) {
    const SchedStage *st = &c->s->stages[si];
    N n = {c, si, st, st->nleaves, NULL, 0};
    if (st->reduction)
        for (int k = 0; k < st->nleaves; k++)
            if (st->axes[st->leaves[k]].reduce) {
                n.r = k;
                break;
            }
    IrVar **vars = ARENA_ARRAY(c->a, IrVar *, st->nleaves ? st->nleaves : 1);
    for (int k = 0; k < st->nleaves; k++) vars[k] = st->axes[st->leaves[k]].var;
    n.ng = make_guards(&n, c->low[si].val, c->low[si].root, vars, st->nleaves, false, &n.g);
    return level(&n, 0);
}

IrStmt *lower_build_nest(LowerCtx *c) {
    Arena *a = c->a;
    int n = 0;
    IrStmt **v = ARENA_ARRAY(a, IrStmt *, c->s->nstages ? c->s->nstages : 1);
    for (int si = 0; si < c->s->nstages; si++)
        if (c->s->stages[si].attach == ATTACH_ROOT) v[n++] = stage_nest(c, si);
    IrStmt *body = ir_block(a, v, n);
    /* intermediates computed at the root live for the whole kernel call */
    for (int si = c->s->nstages - 1; si >= 0; si--) {
        const SchedStage *st = &c->s->stages[si];
        if (st->attach == ATTACH_ROOT && c->low[si].buf->kind == BUF_GLOBAL)
            body = ir_alloc(a, c->low[si].buf, body);
    }
    return body;
}
