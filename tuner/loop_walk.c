/* The walk over a lowered loop nest behind the loop features and the cost prior
 * (tuner/loop_walk.h): loops in first-occurrence order, accesses with their enclosing loops,
 * store statements with their arithmetic; strides from the affine part of an index, through lets.
 */
#include "tuner/loop_walk.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the walk: loops and accesses ---- */

static void count_op(LoopWalk *w, int cat) {
    double prod = 1;
    for (int k = w->depth - 1; k >= 0; k--) {
        WalkLoop *l = &w->loops[w->stack[k]];
        prod *= (double)l->extent;
        l->ops[cat] += prod;
    }
    if (w->cur_stmt >= 0) w->stmts[w->cur_stmt].ops[cat]++;
}

static void add_access(LoopWalk *w, const IrBuf *b, const IrExpr *index) {
    if (w->nacc == w->cap_acc) {
        w->cap_acc = w->cap_acc ? 2 * w->cap_acc : 16;
        w->acc = xrealloc(w->acc, sizeof *w->acc * (size_t)w->cap_acc);
    }
    int occ = 0;
    for (int i = 0; i < w->nacc; i++) occ += w->acc[i].buf == b;
    WalkAccess *a = &w->acc[w->nacc++];
    *a = (WalkAccess){.buf = b,
                      .occ = occ,
                      .index = index,
                      .nenc = w->depth,
                      .stmt = w->cur_stmt,
                      .guarded = w->if_depth};
    a->enc = ARENA_ARRAY(w->a, int, w->depth ? w->depth : 1);
    memcpy(a->enc, w->stack, sizeof *a->enc * (size_t)w->depth);
}

static void walk_expr(LoopWalk *w, const IrExpr *e) {
    for (; e; e = e->a) {
        switch (e->kind) {
        case IE_LOAD:
            add_access(w, e->buf, e->a);
            break;
        case IE_BINARY:
            /* value arithmetic only: index arithmetic is the compiler's business */
            if (e->dtype != DT_INT64 && e->dtype != DT_BOOL)
                count_op(w, e->op == OP_ADD || e->op == OP_SUB ? 0 : e->op == OP_MUL ? 1 : 2);
            break;
        case IE_CALL:
            count_op(w, 2);
            break;
        default:
            break;
        }
        walk_expr(w, e->b);
        walk_expr(w, e->c);
    }
}

static int64_t extent_of(LoopWalk *w, const IrExpr *e) {
    int64_t v;
    if (ir_const_int(e, &v)) return v > 0 ? v : 0;
    IrRange r = ir_range_of(e, &w->rg);
    return r.ok && r.hi > 0 ? r.hi : 1; /* unknown: one trip, never a failure */
}

static void walk_stmt(LoopWalk *w, const IrStmt *s) {
    if (!s) return;
    switch (s->kind) {
    case IS_FOR: {
        walk_expr(w, s->min);
        walk_expr(w, s->extent);
        if (w->nloops == w->cap_loops) {
            w->cap_loops = w->cap_loops ? 2 * w->cap_loops : 32;
            w->loops = xrealloc(w->loops, sizeof *w->loops * (size_t)w->cap_loops);
            w->loop_var = xrealloc(w->loop_var, sizeof *w->loop_var * (size_t)w->cap_loops);
        }
        if (w->depth == w->cap_stack) {
            w->cap_stack = w->cap_stack ? 2 * w->cap_stack : 32;
            w->stack = xrealloc(w->stack, sizeof *w->stack * (size_t)w->cap_stack);
        }
        int id = w->nloops++;
        int64_t ext = extent_of(w, s->extent);
        double top = w->depth ? w->loops[w->stack[w->depth - 1]].topdown : 1;
        w->loops[id] = (WalkLoop){.extent = ext, .depth = w->depth + 1, .kind = s->for_kind};
        w->loops[id].topdown = top * (double)ext;
        w->loop_var[id] = s->var;
        IrRange mr = ir_range_of(s->min, &w->rg);
        if (mr.ok && ext > 0) ir_ranges_set(w->a, &w->rg, s->var, mr.lo, mr.hi + ext - 1);
        w->stack[w->depth++] = id;
        walk_stmt(w, s->body);
        w->depth--;
        break;
    }
    case IS_LET:
        walk_expr(w, s->value);
        if (s->var->id >= 0 && s->var->id < w->nvars) w->lets[s->var->id] = s->value;
        {
            IrRange r = ir_range_of(s->value, &w->rg);
            if (r.ok) ir_ranges_set(w->a, &w->rg, s->var, r.lo, r.hi);
        }
        walk_stmt(w, s->body);
        break;
    case IS_STORE:
        if (w->nstmts == w->cap_stmts) {
            w->cap_stmts = w->cap_stmts ? 2 * w->cap_stmts : 16;
            w->stmts = xrealloc(w->stmts, sizeof *w->stmts * (size_t)w->cap_stmts);
        }
        w->stmts[w->nstmts] = (WalkStmt){{0}};
        w->cur_stmt = w->nstmts++;
        walk_expr(w, s->index);
        walk_expr(w, s->value);
        add_access(w, s->buf, s->index);
        w->acc[w->nacc - 1].store = true;
        w->cur_stmt = -1;
        break;
    case IS_IF: {
        walk_expr(w, s->cond);
        int outer = w->if_depth;
        w->if_depth = w->depth;
        walk_stmt(w, s->body);
        walk_stmt(w, s->orelse);
        w->if_depth = outer;
        break;
    }
    case IS_ALLOC:
        walk_stmt(w, s->body);
        break;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) walk_stmt(w, s->stmts[i]);
        break;
    }
}

/* ---- strides ---- */

/* v occurs in e, through lets. */
static bool uses(const LoopWalk *w, const IrExpr *e, const IrVar *v, int fuel) {
    if (!e) return false;
    if (fuel <= 0) return true; /* deep let chains: assume it does (a stride of 1) */
    if (e->kind == IE_VAR) {
        if (e->var == v || e->var->id == v->id) return true;
        return e->var->id >= 0 && e->var->id < w->nvars && w->lets[e->var->id] &&
               uses(w, w->lets[e->var->id], v, fuel - 1);
    }
    return uses(w, e->a, v, fuel - 1) || uses(w, e->b, v, fuel - 1) || uses(w, e->c, v, fuel - 1);
}

/* The coefficient of v in e when e is affine in v (true), through lets; false otherwise. */
static bool coef(const LoopWalk *w, const IrExpr *e, const IrVar *v, int64_t *c, int fuel) {
    *c = 0;
    if (fuel <= 0) return false;
    switch (e->kind) {
    case IE_CONST:
        return true;
    case IE_VAR:
        if (e->var == v || e->var->id == v->id) {
            *c = 1;
            return true;
        }
        if (e->var->id >= 0 && e->var->id < w->nvars && w->lets[e->var->id])
            return coef(w, w->lets[e->var->id], v, c, fuel - 1);
        return true;
    case IE_BINARY: {
        int64_t ca, cb, k;
        if (e->op == OP_ADD || e->op == OP_SUB) {
            if (!coef(w, e->a, v, &ca, fuel - 1) || !coef(w, e->b, v, &cb, fuel - 1)) return false;
            *c = e->op == OP_ADD ? ca + cb : ca - cb;
            return true;
        }
        if (e->op == OP_MUL) {
            if (ir_const_int(e->b, &k) && coef(w, e->a, v, &ca, fuel - 1)) {
                *c = ca * k;
                return true;
            }
            if (ir_const_int(e->a, &k) && coef(w, e->b, v, &cb, fuel - 1)) {
                *c = cb * k;
                return true;
            }
        }
        break;
    }
    default:
        break;
    }
    /* not affine: 0 only if v does not occur */
    if (!uses(w, e, v, fuel)) return true;
    return false;
}

/* ---- per access, per enclosing loop ---- */

void loop_walk_touches(const LoopWalk *w, const WalkAccess *a, Touch *t) {
    double count = 1, reuse = 1, span = 1;
    bool affine = true;
    double elem = (double)dtype_size(a->buf->dtype);
    for (int q = a->nenc - 1; q >= 0; q--) {
        const WalkLoop *l = &w->loops[a->enc[q]];
        int64_t c = 0;
        bool lin = coef(w, a->index, w->loop_var[a->enc[q]], &c, 64);
        double ext = (double)l->extent;
        if (!lin) {
            affine = false;
            c = 1; /* AutoTVM's default stride */
        }
        if (c != 0)
            count *= ext;
        else
            reuse *= ext;
        span += fabs((double)c) * (ext > 0 ? ext - 1 : 0);
        double distinct = affine && span < count ? span : count;
        t[q] = (Touch){.stride = fabs((double)c),
                       .count = count,
                       .bytes = distinct * elem,
                       .reuse = reuse,
                       .ratio = distinct > 0 ? count * reuse / distinct : 0};
    }
}

void loop_walk(LoopWalk *w, const IrFunc *f) {
    *w = (LoopWalk){.a = arena_new(), .nvars = f->nvars, .cur_stmt = -1, .if_depth = -1};
    w->lets = xcalloc((size_t)(f->nvars > 0 ? f->nvars : 1), sizeof *w->lets);
    walk_stmt(w, f->body);
}

void loop_walk_free(LoopWalk *w) {
    arena_free(w->a);
    free(w->lets);
    free(w->loops);
    free(w->loop_var);
    free(w->acc);
    free(w->stmts);
    free(w->stack);
    *w = (LoopWalk){0};
}
