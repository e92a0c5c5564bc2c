/* Expression conversion: a stage's bound body (lang/inst.h Expr) at given axis values becomes
 * an IR expression. Index arithmetic is done in int64; inlined stages are substituted with
 * their index variables bound to the reader's indices; other reads become buffer loads. */
#include "compiler/lower_int.h"

static IrExpr *to64(LowerCtx *c, IrExpr *x) {
    return x->dtype == DT_INT64 ? x : ir_cast(c->a, DT_INT64, x);
}

/* index: the expression is (part of) a tensor index, so integer arithmetic is done in int64
 * (an index that overflows int32 would be out of bounds anyway). */
static IrExpr *cv(LowerCtx *c, const Expr *e, IrExpr **ax, bool index) {
    Arena *a = c->a;
    bool ix = index && dtype_is_int(e->dtype);
    switch (e->kind) {
    case EX_CONST:
        if (ix) return ir_int(a, e->ival);
        return ir_const(a, e->dtype, e->ival, e->fval);
    case EX_VAR: {
        IrExpr *v = ax[e->axis];
        if (ix || e->dtype == DT_INT64) return v;
        return ir_cast(a, e->dtype, v);
    }
    case EX_LOAD: {
        IrExpr **idx = ARENA_ARRAY(a, IrExpr *, e->nargs ? e->nargs : 1);
        for (int d = 0; d < e->nargs; d++) idx[d] = to64(c, cv(c, e->args[d], ax, true));
        const Stage *t = &c->in->stages[e->stage];
        IrExpr *v;
        if (t->kind == STAGE_PLACEHOLDER) {
            IrExpr *flat = NULL;
            for (int d = 0; d < e->nargs; d++)
                flat = flat ? ir_binary(a, OP_ADD,
                                        ir_binary(a, OP_MUL, flat, ir_int(a, t->shape[d])), idx[d])
                            : idx[d];
            if (!flat) flat = ir_int(a, 0);
            v = ir_load(a, c->inst_buf[e->stage], flat);
        } else {
            v = lower_stage_value(c, c->s->of_inst[e->stage], idx);
        }
        return ix ? to64(c, v) : v;
    }
    case EX_UNARY: {
        bool keep = ix || (index && e->dtype == DT_BOOL);
        return ir_unary(a, e->op, cv(c, e->a, ax, keep));
    }
    case EX_BINARY: {
        /* comparisons and logic of an index keep index mode for their integer operands */
        bool keep = ix || (index && e->dtype == DT_BOOL);
        IrExpr *x = cv(c, e->a, ax, keep), *y = cv(c, e->b, ax, keep);
        if (x->dtype != y->dtype) { /* one side widened, the other not (a load, a cast) */
            x = to64(c, x);
            y = to64(c, y);
        }
        return ir_binary(a, e->op, x, y);
    }
    case EX_SELECT: {
        bool keep = ix;
        IrExpr *cond = cv(c, e->a, ax, index);
        IrExpr *x = cv(c, e->b, ax, keep), *y = cv(c, e->c, ax, keep);
        if (x->dtype != y->dtype) {
            x = to64(c, x);
            y = to64(c, y);
        }
        return ir_select(a, cond, x, y);
    }
    case EX_CALL:
        return ir_call(a, e->fn, cv(c, e->a, ax, ix));
    case EX_CAST: {
        if (ix && dtype_is_int(e->a->dtype)) return to64(c, cv(c, e->a, ax, true));
        IrExpr *x = ir_cast(a, e->dtype, cv(c, e->a, ax, false));
        return ix ? to64(c, x) : x;
    }
    case EX_REDUCE:
        TEC_BUG("reduction below the root of stage body");
    }
    TEC_BUG("unknown expression kind %d", e->kind);
}

IrExpr *lower_expr(LowerCtx *c, const Expr *e, IrExpr **axis_vals) {
    return cv(c, e, axis_vals, false);
}

IrExpr *lower_flat_index(LowerCtx *c, int si, IrExpr **idx) {
    Arena *a = c->a;
    const SchedStage *st = &c->s->stages[si];
    const StageLow *lw = &c->low[si];
    IrExpr *flat = NULL;
    for (int d = 0; d < st->ndata; d++) {
        IrExpr *x = idx[d];
        if (lw->rmin) x = ir_binary(a, OP_SUB, x, lw->rmin[d]);
        flat = flat ? ir_binary(a, OP_ADD, ir_binary(a, OP_MUL, flat, ir_int(a, lw->bshape[d])), x)
                    : x;
    }
    return flat ? flat : ir_int(a, 0);
}

IrExpr *lower_stage_body(LowerCtx *c, int si, IrExpr **root) {
    const SchedStage *st = &c->s->stages[si];
    if (st->cache >= 0) return lower_stage_value(c, st->cache, root);
    const Expr *b = st->st->body;
    if (b->kind == EX_REDUCE) b = b->a;
    return lower_expr(c, b, root);
}

IrExpr *lower_stage_value(LowerCtx *c, int si, IrExpr **idx) {
    const SchedStage *st = &c->s->stages[si];
    if (st->attach == ATTACH_INLINE) return lower_stage_body(c, si, idx);
    if (c->watch == si && c->hook) c->hook(c, idx, st->ndata);
    if (!c->low[si].buf) {
        /* Bound inference reads consumers before their producers have buffers: only the
         * watched indices matter then, not the value. */
        if (c->watch >= 0) return ir_const(c->a, st->st->dtype, 0, 0);
        TEC_BUG("stage %s read before its buffer exists", st->name);
    }
    return ir_load(c->a, c->low[si].buf, lower_flat_index(c, si, idx));
}
