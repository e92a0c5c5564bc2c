/* Vectorize: prepares FOR_VECTORIZED loops for codegen, or gives them up (serial) when lanes
 * could interfere. A guard on the loop variable inside (a non-dividing split) is hoisted as
 * `if (every lane passes) vector loop without it else the scalar loop`, so no lane stores past
 * a bound. A loop stays vectorized only if its body is straight-line (stores, uniform ifs), each
 * store's index is affine in the variable with a non-zero stride, and the body reads a buffer it
 * writes only at the index it writes it. Requires simplify and unroll. */
#include "compiler/passes.h"

typedef struct V {
    Arena *a;
    IrFunc *f;
} V;

/* A worst lane for conjunct c (a comparison affine in v): where c is false if any lane is. */
static IrExpr *worst_lane(V *u, IrExpr *c, IrVar *v, int64_t mn, int64_t ext) {
    if (c->kind != IE_BINARY || c->a->dtype != DT_INT64) return NULL;
    bool upper;
    switch (c->op) {
    case OP_LT:
    case OP_LE:
        upper = true;
        break;
    case OP_GT:
    case OP_GE:
        upper = false;
        break;
    default:
        return NULL;
    }
    int64_t k;
    if (!pass_simplify_coeff(u->a, ir_binary(u->a, OP_SUB, c->a, c->b), v, &k)) return NULL;
    /* `lhs < rhs` fails first where lhs - rhs is largest */
    bool at_last = upper ? k >= 0 : k <= 0;
    return ir_replace_var(u->a, c, v, ir_int(u->a, at_last ? mn + ext - 1 : mn));
}

typedef struct Strip {
    IrExpr *all; /* conjunction of the hoisted conditions at their worst lanes */
    bool ok;
} Strip;

static IrExpr *and_(Arena *a, IrExpr *x, IrExpr *y) {
    return x ? ir_binary(a, OP_AND, x, y) : y;
}

/* Split the conjuncts of cond into those on v (hoisted) and the rest (returned, or NULL). */
static IrExpr *hoist(V *u, IrExpr *cond, IrVar *v, int64_t mn, int64_t ext, Strip *st) {
    if (cond->kind == IE_BINARY && cond->op == OP_AND) {
        IrExpr *x = hoist(u, cond->a, v, mn, ext, st), *y = hoist(u, cond->b, v, mn, ext, st);
        return x && y ? ir_binary(u->a, OP_AND, x, y) : x ? x : y;
    }
    if (!ir_expr_uses(cond, v)) return cond;
    IrExpr *w = worst_lane(u, cond, v, mn, ext);
    if (!w)
        st->ok = false;
    else
        st->all = and_(u->a, st->all, w);
    return NULL;
}

static IrStmt *strip(V *u, IrStmt *s, IrVar *v, int64_t mn, int64_t ext, Strip *st) {
    if (!s || !st->ok) return s;
    switch (s->kind) {
    case IS_BLOCK: {
        IrStmt **k = ARENA_ARRAY(u->a, IrStmt *, s->n ? s->n : 1);
        for (int i = 0; i < s->n; i++) k[i] = strip(u, s->stmts[i], v, mn, ext, st);
        return ir_block(u->a, k, s->n);
    }
    case IS_IF: {
        if (!ir_expr_uses(s->cond, v))
            return ir_if(u->a, s->cond, strip(u, s->body, v, mn, ext, st),
                         strip(u, s->orelse, v, mn, ext, st));
        if (s->orelse) {
            st->ok = false;
            return s;
        }
        IrExpr *rest = hoist(u, s->cond, v, mn, ext, st);
        IrStmt *body = strip(u, s->body, v, mn, ext, st);
        return rest ? ir_if(u->a, rest, body, NULL) : body;
    }
    default:
        return s;
    }
}

typedef struct Acc {
    IrBuf *buf;
    IrExpr *index;
} Acc;

typedef struct L {
    V *u;
    IrVar *v;
    Acc *st;
    int nst;
    bool ok;
} L;

static void collect_stores(L *l, const IrStmt *s) {
    if (!s || !l->ok) return;
    switch (s->kind) {
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) collect_stores(l, s->stmts[i]);
        return;
    case IS_IF:
        if (ir_expr_uses(s->cond, l->v)) l->ok = false;
        collect_stores(l, s->body);
        collect_stores(l, s->orelse);
        return;
    case IS_STORE: {
        int64_t k;
        if (!pass_simplify_coeff(l->u->a, s->index, l->v, &k) || k == 0) {
            l->ok = false;
            return;
        }
        for (int i = 0; i < l->nst; i++)
            if (l->st[i].buf == s->buf && !ir_expr_equal(l->st[i].index, s->index)) {
                l->ok = false;
                return;
            }
        l->st = arena_grow(l->u->a, l->st, (size_t)l->nst, (size_t)l->nst + 1, sizeof *l->st);
        l->st[l->nst++] = (Acc){s->buf, s->index};
        return;
    }
    default:
        l->ok = false; /* loops, lets, allocations: not straight-line */
    }
}

static void check_loads(L *l, const IrExpr *e) {
    if (!e || !l->ok) return;
    if (e->kind == IE_LOAD)
        for (int i = 0; i < l->nst; i++)
            if (l->st[i].buf == e->buf && !ir_expr_equal(l->st[i].index, e->a)) l->ok = false;
    check_loads(l, e->a);
    check_loads(l, e->b);
    check_loads(l, e->c);
}

static void check_stmt_loads(L *l, const IrStmt *s) {
    if (!s || !l->ok) return;
    switch (s->kind) {
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) check_stmt_loads(l, s->stmts[i]);
        return;
    case IS_IF:
        check_loads(l, s->cond);
        check_stmt_loads(l, s->body);
        check_stmt_loads(l, s->orelse);
        return;
    case IS_STORE:
        check_loads(l, s->index);
        check_loads(l, s->value);
        return;
    default:
        return;
    }
}

static bool legal(V *u, const IrStmt *body, IrVar *v) {
    L l = {u, v, NULL, 0, true};
    collect_stores(&l, body);
    check_stmt_loads(&l, body);
    return l.ok;
}

static IrStmt *serial(V *u, IrStmt *loop) {
    return ir_for(u->a, loop->var, loop->min, loop->extent, FOR_SERIAL, loop->body);
}

static IrStmt *vectorize(V *u, IrStmt *loop) {
    int64_t mn, ext;
    if (!ir_const_int(loop->min, &mn) || !ir_const_int(loop->extent, &ext)) return serial(u, loop);
    Strip st = {NULL, true};
    IrStmt *body = strip(u, loop->body, loop->var, mn, ext, &st);
    if (!st.ok || !legal(u, body, loop->var)) return serial(u, loop);
    IrStmt *vec = ir_for(u->a, loop->var, loop->min, loop->extent, FOR_VECTORIZED, body);
    if (!st.all) return vec;
    IrExpr *all = pass_simplify_expr(u->a, st.all, NULL);
    int64_t t;
    if (ir_const_int(all, &t)) return t ? vec : serial(u, loop);
    IrSubst sub = ir_subst_new(u->a, u->f, true);
    IrStmt *scalar = serial(u, ir_subst_stmt(u->a, &sub, loop));
    return ir_if(u->a, all, vec, scalar);
}

static IrStmt *visit(void *ud, IrStmt *s) {
    V *u = ud;
    s = ir_map_children(u->a, s, visit, u);
    if (s && s->kind == IS_FOR && s->for_kind == FOR_VECTORIZED) return vectorize(u, s);
    return s;
}

void pass_vectorize(Arena *a, IrFunc *f) {
    V u = {a, f};
    f->body = visit(&u, f->body);
}
