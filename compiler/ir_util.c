/* IR helpers: structural equality, substitution (optionally renaming bound variables), use
 * queries, and numeric interval analysis of integer expressions. */
#include "compiler/ir_util.h"
#include <string.h>

bool ir_const_int(const IrExpr *e, int64_t *out) {
    if (!e || e->kind != IE_CONST || dtype_is_float(e->dtype)) return false;
    *out = e->ival;
    return true;
}

bool ir_expr_equal(const IrExpr *x, const IrExpr *y) {
    if (x == y) return true;
    if (!x || !y || x->kind != y->kind || x->dtype != y->dtype) return false;
    switch (x->kind) {
    case IE_CONST:
        return dtype_is_float(x->dtype) ? memcmp(&x->fval, &y->fval, sizeof x->fval) == 0
                                        : x->ival == y->ival;
    case IE_VAR:
        return x->var == y->var;
    case IE_LOAD:
        return x->buf == y->buf && ir_expr_equal(x->a, y->a);
    case IE_UNARY:
        return x->op == y->op && ir_expr_equal(x->a, y->a);
    case IE_BINARY:
        return x->op == y->op && ir_expr_equal(x->a, y->a) && ir_expr_equal(x->b, y->b);
    case IE_SELECT:
        return ir_expr_equal(x->a, y->a) && ir_expr_equal(x->b, y->b) && ir_expr_equal(x->c, y->c);
    case IE_CALL:
        return x->fn == y->fn && ir_expr_equal(x->a, y->a);
    case IE_CAST:
        return ir_expr_equal(x->a, y->a);
    }
    return false;
}

bool ir_expr_uses(const IrExpr *e, const IrVar *v) {
    if (!e) return false;
    if (e->kind == IE_VAR) return e->var == v;
    return ir_expr_uses(e->a, v) || ir_expr_uses(e->b, v) || ir_expr_uses(e->c, v);
}

bool ir_stmt_uses(const IrStmt *s, const IrVar *v) {
    if (!s) return false;
    switch (s->kind) {
    case IS_FOR:
        return ir_expr_uses(s->min, v) || ir_expr_uses(s->extent, v) || ir_stmt_uses(s->body, v);
    case IS_LET:
        return ir_expr_uses(s->value, v) || ir_stmt_uses(s->body, v);
    case IS_STORE:
        return ir_expr_uses(s->index, v) || ir_expr_uses(s->value, v);
    case IS_IF:
        return ir_expr_uses(s->cond, v) || ir_stmt_uses(s->body, v) || ir_stmt_uses(s->orelse, v);
    case IS_ALLOC:
        return ir_stmt_uses(s->body, v);
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++)
            if (ir_stmt_uses(s->stmts[i], v)) return true;
        return false;
    }
    return false;
}

IrSubst ir_subst_new(Arena *a, IrFunc *f, bool fresh) {
    IrSubst s = {0};
    s.f = f;
    s.fresh = fresh;
    s.n = f->nvars + 16;
    s.map = ARENA_ARRAY(a, IrExpr *, s.n);
    return s;
}

void ir_subst_set(Arena *a, IrSubst *s, const IrVar *v, IrExpr *val) {
    if (v->id >= s->n) {
        int n = v->id * 2 + 16;
        s->map = arena_grow(a, s->map, (size_t)s->n, (size_t)n, sizeof *s->map);
        s->n = n;
    }
    s->map[v->id] = val;
}

IrExpr *ir_subst_expr(Arena *a, IrSubst *s, IrExpr *e) {
    if (!e) return NULL;
    if (e->kind == IE_VAR) return e->var->id < s->n && s->map[e->var->id] ? s->map[e->var->id] : e;
    if (e->kind == IE_CONST) return e;
    IrExpr *na = ir_subst_expr(a, s, e->a), *nb = ir_subst_expr(a, s, e->b),
           *nc = ir_subst_expr(a, s, e->c);
    if (na == e->a && nb == e->b && nc == e->c) return e;
    IrExpr *n = ARENA_NEW(a, IrExpr);
    *n = *e;
    n->a = na;
    n->b = nb;
    n->c = nc;
    return n;
}

/* A binding site: in fresh mode, give the copy its own variable. */
static IrVar *rebind(Arena *a, IrSubst *s, IrVar *v) {
    if (!s->fresh) return v;
    IrVar *nv = ir_new_var(a, s->f, v->name);
    ir_subst_set(a, s, v, ir_var(a, nv));
    return nv;
}

IrStmt *ir_subst_stmt(Arena *a, IrSubst *s, IrStmt *st) {
    if (!st) return NULL;
    IrStmt *n = ARENA_NEW(a, IrStmt);
    *n = *st;
    switch (st->kind) {
    case IS_FOR:
        n->min = ir_subst_expr(a, s, st->min);
        n->extent = ir_subst_expr(a, s, st->extent);
        n->var = rebind(a, s, st->var);
        n->body = ir_subst_stmt(a, s, st->body);
        break;
    case IS_LET:
        n->value = ir_subst_expr(a, s, st->value);
        n->var = rebind(a, s, st->var);
        n->body = ir_subst_stmt(a, s, st->body);
        break;
    case IS_STORE:
        n->index = ir_subst_expr(a, s, st->index);
        n->value = ir_subst_expr(a, s, st->value);
        break;
    case IS_IF:
        n->cond = ir_subst_expr(a, s, st->cond);
        n->body = ir_subst_stmt(a, s, st->body);
        n->orelse = ir_subst_stmt(a, s, st->orelse);
        break;
    case IS_ALLOC:
        n->body = ir_subst_stmt(a, s, st->body);
        break;
    case IS_BLOCK:
        n->stmts = ARENA_ARRAY(a, IrStmt *, st->n);
        for (int i = 0; i < st->n; i++) n->stmts[i] = ir_subst_stmt(a, s, st->stmts[i]);
        break;
    }
    return n;
}

IrExpr *ir_replace_var(Arena *a, IrExpr *e, const IrVar *v, IrExpr *val) {
    if (!e) return NULL;
    if (e->kind == IE_VAR) return e->var == v ? val : e;
    if (e->kind == IE_CONST) return e;
    IrExpr *na = ir_replace_var(a, e->a, v, val), *nb = ir_replace_var(a, e->b, v, val),
           *nc = ir_replace_var(a, e->c, v, val);
    if (na == e->a && nb == e->b && nc == e->c) return e;
    IrExpr *n = ARENA_NEW(a, IrExpr);
    *n = *e;
    n->a = na;
    n->b = nb;
    n->c = nc;
    return n;
}

/* ---- numeric ranges ---- */

void ir_ranges_set(Arena *a, IrRanges *r, const IrVar *v, int64_t lo, int64_t hi) {
    if (v->id >= r->n) {
        int n = v->id * 2 + 16;
        r->v = arena_grow(a, r->v, (size_t)r->n, (size_t)n, sizeof *r->v);
        r->n = n;
    }
    r->v[v->id] = (IrRange){true, lo, hi};
}

static const IrRange UNKNOWN = {false, 0, 0};

static IrRange rng(int64_t lo, int64_t hi) {
    return (IrRange){true, lo, hi};
}

static IrRange r_add(IrRange x, IrRange y) {
    int64_t lo, hi;
    if (!x.ok || !y.ok || __builtin_add_overflow(x.lo, y.lo, &lo) ||
        __builtin_add_overflow(x.hi, y.hi, &hi))
        return UNKNOWN;
    return rng(lo, hi);
}

static IrRange r_neg(IrRange x) {
    if (!x.ok || x.lo == INT64_MIN) return UNKNOWN;
    return rng(-x.hi, -x.lo);
}

static IrRange r_mul(IrRange x, IrRange y) {
    if (!x.ok || !y.ok) return UNKNOWN;
    int64_t c[4];
    if (__builtin_mul_overflow(x.lo, y.lo, &c[0]) || __builtin_mul_overflow(x.lo, y.hi, &c[1]) ||
        __builtin_mul_overflow(x.hi, y.lo, &c[2]) || __builtin_mul_overflow(x.hi, y.hi, &c[3]))
        return UNKNOWN;
    IrRange r = rng(c[0], c[0]);
    for (int i = 1; i < 4; i++) {
        if (c[i] < r.lo) r.lo = c[i];
        if (c[i] > r.hi) r.hi = c[i];
    }
    return r;
}

/* x when every value of it is a value of integer dtype t (no wrap-around: the range computed in
   int64 is then the exact one), else unknown. */
static IrRange r_fit(IrRange x, DType t) {
    if (!x.ok || scalar_wrap(t, x.lo) != x.lo || scalar_wrap(t, x.hi) != x.hi) return UNKNOWN;
    return x;
}

static IrRange range_of(const IrExpr *e, const IrRanges *r);

IrRange ir_range_of(const IrExpr *e, const IrRanges *r) {
    IrRange x = range_of(e, r);
    /* narrower integers wrap: a range is theirs only when it fits (the guard of a packed
       panel, `int32(jc * 16 + pj) * 16 + int32(pv) < M`, is int32 arithmetic) */
    return e && e->dtype != DT_INT64 && dtype_is_int(e->dtype) ? r_fit(x, e->dtype) : x;
}

static IrRange range_of(const IrExpr *e, const IrRanges *r) {
    if (!e || !dtype_is_int(e->dtype)) {
        if (e && e->dtype == DT_BOOL) return rng(0, 1);
        return UNKNOWN;
    }
    switch (e->kind) {
    case IE_CONST:
        return rng(e->ival, e->ival);
    case IE_VAR:
        if (r && e->var->id < r->n && r->v[e->var->id].ok) return r->v[e->var->id];
        return UNKNOWN;
    case IE_CAST:
        /* an integer cast keeps the values that fit its dtype (ir_range_of checks) */
        if (e->a && dtype_is_int(e->a->dtype)) return ir_range_of(e->a, r);
        return UNKNOWN;
    case IE_UNARY:
        if (e->op == OP_NEG) return r_neg(ir_range_of(e->a, r));
        return UNKNOWN;
    case IE_SELECT: {
        IrRange x = ir_range_of(e->b, r), y = ir_range_of(e->c, r);
        if (!x.ok || !y.ok) return UNKNOWN;
        return rng(x.lo < y.lo ? x.lo : y.lo, x.hi > y.hi ? x.hi : y.hi);
    }
    case IE_BINARY:
        break;
    default:
        return UNKNOWN;
    }
    /* int64 arithmetic is known not to wrap within the computed bounds (checked below);
       narrower integer arithmetic is computed in int64 and kept when it fits (ir_range_of) */
    IrRange x = ir_range_of(e->a, r), y = ir_range_of(e->b, r);
    switch (e->op) {
    case OP_ADD:
        return r_add(x, y);
    case OP_SUB:
        return r_add(x, r_neg(y));
    case OP_MUL:
        return r_mul(x, y);
    case OP_DIV:
        if (!x.ok || !y.ok || y.lo != y.hi || y.lo == 0 || y.lo == -1) return UNKNOWN;
        if (y.lo > 0) return rng(scalar_floordiv(x.lo, y.lo), scalar_floordiv(x.hi, y.lo));
        return rng(scalar_floordiv(x.hi, y.lo), scalar_floordiv(x.lo, y.lo));
    case OP_MOD:
        if (!y.ok || y.lo != y.hi || y.lo <= 0) return UNKNOWN;
        if (x.ok && scalar_floordiv(x.lo, y.lo) == scalar_floordiv(x.hi, y.lo))
            return rng(scalar_floormod(x.lo, y.lo), scalar_floormod(x.hi, y.lo));
        return rng(0, y.lo - 1);
    case OP_MIN:
        if (!x.ok || !y.ok) return UNKNOWN;
        return rng(x.lo < y.lo ? x.lo : y.lo, x.hi < y.hi ? x.hi : y.hi);
    case OP_MAX:
        if (!x.ok || !y.ok) return UNKNOWN;
        return rng(x.lo > y.lo ? x.lo : y.lo, x.hi > y.hi ? x.hi : y.hi);
    default:
        return UNKNOWN;
    }
}

IrStmt *ir_map_children(Arena *a, IrStmt *s, IrStmt *(*fn)(void *ud, IrStmt *child), void *ud) {
    if (!s) return NULL;
    IrStmt *n = ARENA_NEW(a, IrStmt);
    *n = *s;
    switch (s->kind) {
    case IS_FOR:
    case IS_LET:
    case IS_ALLOC:
        n->body = fn(ud, s->body);
        break;
    case IS_IF:
        n->body = fn(ud, s->body);
        n->orelse = s->orelse ? fn(ud, s->orelse) : NULL;
        break;
    case IS_BLOCK:
        n->stmts = ARENA_ARRAY(a, IrStmt *, s->n ? s->n : 1);
        for (int i = 0; i < s->n; i++) n->stmts[i] = fn(ud, s->stmts[i]);
        break;
    case IS_STORE:
        break;
    }
    return n;
}

int ir_stmt_loops(const IrStmt *s) {
    if (!s) return 0;
    switch (s->kind) {
    case IS_FOR:
        return (s->for_kind != FOR_VECTORIZED) + ir_stmt_loops(s->body);
    case IS_LET:
    case IS_ALLOC:
        return ir_stmt_loops(s->body);
    case IS_IF:
        return ir_stmt_loops(s->body) + ir_stmt_loops(s->orelse);
    case IS_BLOCK: {
        int n = 0;
        for (int i = 0; i < s->n; i++) n += ir_stmt_loops(s->stmts[i]);
        return n;
    }
    case IS_STORE:
        return 0;
    }
    return 0;
}

int ir_stmt_size(const IrStmt *s) {
    if (!s) return 0;
    switch (s->kind) {
    case IS_FOR:
    case IS_LET:
    case IS_ALLOC:
        return 1 + ir_stmt_size(s->body);
    case IS_IF:
        return 1 + ir_stmt_size(s->body) + ir_stmt_size(s->orelse);
    case IS_BLOCK: {
        int n = 1;
        for (int i = 0; i < s->n; i++) n += ir_stmt_size(s->stmts[i]);
        return n;
    }
    case IS_STORE:
        return 1;
    }
    return 1;
}

static bool has_parallel(const IrStmt *s) {
    if (!s) return false;
    switch (s->kind) {
    case IS_FOR:
        return s->for_kind == FOR_PARALLEL || has_parallel(s->body);
    case IS_LET:
    case IS_ALLOC:
        return has_parallel(s->body);
    case IS_IF:
        return has_parallel(s->body) || has_parallel(s->orelse);
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++)
            if (has_parallel(s->stmts[i])) return true;
        return false;
    case IS_STORE:
        return false;
    }
    return false;
}

bool ir_has_parallel(const IrFunc *f) {
    return has_parallel(f->body);
}
