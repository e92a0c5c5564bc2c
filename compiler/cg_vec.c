/* Vectorized loops: a FOR_VECTORIZED loop of constant extent becomes straight vector code
 * (TVM's vectorizer idea): the body is emitted once with the loop variable as the ramp
 * <base, base+1, ...>, so unit-stride accesses become vector loads/stores, uniform ones a scalar
 * load and a splat, others gathers/scatters, and ifs/selects masks. Extents above CG_MAX_LANES
 * are strip-mined. A loop whose lanes could interfere (see legal()) stays scalar. */
#include "compiler/cg_internal.h"
#include <stdlib.h>
#include <string.h>

/* How an int64 expression depends on the vector variable v (coefficient coef) and on loop
 * variables of loops nested inside the vector loop (at most one, nest, with coefficient ncoef). */
typedef struct Lin {
    bool varying; /* differs across lanes */
    bool affine;  /* ... as coef * v + (uniform); meaningful when varying */
    int64_t coef;
    int nest; /* -1: none; >= 0: the nested var id; -2: several, or not affine in them */
    int64_t ncoef;
    bool isconst;
    int64_t k;
} Lin;

typedef struct Access {
    const IrBuf *buf;
    const IrExpr *index;
    Lin lin;
    bool store;
} Access;

typedef struct VecCheck {
    const IrVar *v;
    int width;
    Lin *lets;         /* by var id: the Lin of a let-bound var inside the loop */
    signed char *role; /* by var id: 0 outside, 1 let inside, 2 nested loop var */
    Access *acc;
    int nacc, capacc;
    bool ok;
} VecCheck;

static Lin lin_uniform(void) {
    return (Lin){.nest = -1};
}

static Lin lin_opaque(Lin a, Lin b) {
    Lin r = lin_uniform();
    r.varying = a.varying || b.varying;
    r.affine = false;
    if (a.nest != -1 || b.nest != -1) r.nest = -2;
    return r;
}

static int join_nest(Lin a, Lin b, int64_t *ncoef) {
    if (a.nest == -1) {
        *ncoef = b.ncoef;
        return b.nest;
    }
    if (b.nest == -1) {
        *ncoef = a.ncoef;
        return a.nest;
    }
    if (a.nest >= 0 && a.nest == b.nest) {
        *ncoef = a.ncoef + b.ncoef;
        return a.nest;
    }
    return -2;
}

static Lin lin_scale(Lin a, int64_t k) {
    a.coef *= k;
    a.ncoef *= k;
    a.k *= k;
    if (k == 0) return (Lin){.nest = -1, .isconst = true};
    return a;
}

static void add_access(VecCheck *vc, const IrBuf *b, const IrExpr *ix, Lin l, bool store) {
    if (vc->nacc == vc->capacc) {
        vc->capacc = vc->capacc ? 2 * vc->capacc : 32;
        vc->acc = realloc(vc->acc, sizeof *vc->acc * (size_t)vc->capacc);
        if (!vc->acc) TEC_BUG("codegen: out of memory");
    }
    vc->acc[vc->nacc++] = (Access){b, ix, l, store};
}

static Lin lin(VecCheck *vc, const IrExpr *e) {
    if (!e) return lin_uniform();
    switch (e->kind) {
    case IE_CONST: {
        Lin r = lin_uniform();
        r.isconst = !dtype_is_float(e->dtype);
        r.k = e->ival;
        return r;
    }
    case IE_VAR: {
        Lin r = lin_uniform();
        int id = e->var->id;
        if (e->var == vc->v || id == vc->v->id) {
            r.varying = r.affine = true;
            r.coef = 1;
        } else if (vc->role[id] == 1) {
            r = vc->lets[id];
        } else if (vc->role[id] == 2) {
            r.nest = id;
            r.ncoef = 1;
        }
        return r;
    }
    case IE_LOAD: {
        Lin ix = lin(vc, e->a);
        add_access(vc, e->buf, e->a, ix, false);
        Lin r = lin_opaque(ix, lin_uniform());
        return r;
    }
    case IE_UNARY: {
        Lin a = lin(vc, e->a);
        if (e->op == OP_NEG && e->dtype == DT_INT64) return lin_scale(a, -1);
        return lin_opaque(a, lin_uniform());
    }
    case IE_BINARY: {
        Lin a = lin(vc, e->a), b = lin(vc, e->b);
        if (e->dtype == DT_INT64 && (e->op == OP_ADD || e->op == OP_SUB)) {
            if (e->op == OP_SUB) b = lin_scale(b, -1);
            Lin r = lin_uniform();
            r.varying = a.varying || b.varying;
            r.affine = (!a.varying || a.affine) && (!b.varying || b.affine);
            r.coef = a.coef + b.coef;
            r.nest = join_nest(a, b, &r.ncoef);
            r.isconst = a.isconst && b.isconst;
            r.k = a.k + b.k;
            if (r.affine && r.coef == 0 && r.varying) r.varying = false; /* v - v */
            return r;
        }
        if (e->dtype == DT_INT64 && e->op == OP_MUL) {
            if (a.isconst) return lin_scale(b, a.k);
            if (b.isconst) return lin_scale(a, b.k);
        }
        return lin_opaque(a, b);
    }
    case IE_SELECT: {
        Lin r = lin_opaque(lin(vc, e->a), lin(vc, e->b));
        return lin_opaque(r, lin(vc, e->c));
    }
    case IE_CALL:
    case IE_CAST:
        return lin_opaque(lin(vc, e->a), lin_uniform());
    }
    return lin_opaque(lin_uniform(), lin_uniform());
}

static bool has_load(const IrExpr *e) {
    return e && (e->kind == IE_LOAD || has_load(e->a) || has_load(e->b) || has_load(e->c));
}

static void check(VecCheck *vc, const IrStmt *s) {
    if (!s || !vc->ok) return;
    switch (s->kind) {
    case IS_FOR: {
        Lin mn = lin(vc, s->min), ex = lin(vc, s->extent);
        /* nested loops run once for all lanes: their bounds must agree across lanes (and
           not be loads, which a mask would turn into gathers) */
        if (mn.varying || ex.varying || has_load(s->min) || has_load(s->extent) ||
            s->for_kind == FOR_PARALLEL) {
            vc->ok = false;
            return;
        }
        vc->role[s->var->id] = 2;
        check(vc, s->body);
        return;
    }
    case IS_LET:
        vc->lets[s->var->id] = lin(vc, s->value);
        vc->role[s->var->id] = 1;
        check(vc, s->body);
        return;
    case IS_STORE: {
        Lin ix = lin(vc, s->index);
        add_access(vc, s->buf, s->index, ix, true);
        lin(vc, s->value);
        return;
    }
    case IS_IF:
        lin(vc, s->cond);
        check(vc, s->body);
        check(vc, s->orelse);
        return;
    case IS_ALLOC: /* one buffer per iteration cannot be shared by the lanes */
        vc->ok = false;
        return;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) check(vc, s->stmts[i]);
        return;
    }
}

static bool same_expr(const IrExpr *a, const IrExpr *b) {
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind || a->dtype != b->dtype) return false;
    switch (a->kind) {
    case IE_CONST:
        return dtype_is_float(a->dtype) ? memcmp(&a->fval, &b->fval, sizeof a->fval) == 0
                                        : a->ival == b->ival;
    case IE_VAR:
        return a->var == b->var || a->var->id == b->var->id;
    case IE_LOAD:
        return a->buf == b->buf && same_expr(a->a, b->a);
    case IE_UNARY:
    case IE_BINARY:
        return a->op == b->op && same_expr(a->a, b->a) && same_expr(a->b, b->b);
    case IE_CALL:
        return a->fn == b->fn && same_expr(a->a, b->a);
    case IE_SELECT:
    case IE_CAST:
        return same_expr(a->a, b->a) && same_expr(a->b, b->b) && same_expr(a->c, b->c);
    }
    return false;
}

static int64_t iabs(int64_t x) {
    return x < 0 ? -x : x;
}

/* Lanes must not interfere: every buffer written in the loop is accessed through one index
 * expression, affine in v with a non-zero coefficient, so each lane owns its elements (and
 * a nested loop variable in it must step past all lanes). Read-only buffers are free. */
static bool legal(const IrStmt *s, int width, int nvars) {
    VecCheck vc = {.v = s->var, .width = width, .ok = true};
    vc.lets = calloc((size_t)nvars + 1, sizeof *vc.lets);
    vc.role = calloc((size_t)nvars + 1, 1);
    if (!vc.lets || !vc.role) TEC_BUG("codegen: out of memory");
    check(&vc, s->body);
    for (int i = 0; vc.ok && i < vc.nacc; i++) {
        Access *st = &vc.acc[i];
        if (!st->store) continue;
        Lin l = st->lin;
        if (!l.varying || !l.affine || l.coef == 0 || l.nest == -2 ||
            (l.nest >= 0 && iabs(l.ncoef) < iabs(l.coef) * width)) {
            vc.ok = false;
            break;
        }
        for (int j = 0; j < vc.nacc; j++)
            if (vc.acc[j].buf == st->buf && !same_expr(vc.acc[j].index, st->index)) {
                vc.ok = false;
                break;
            }
    }
    bool ok = vc.ok;
    free(vc.lets);
    free(vc.role);
    free(vc.acc);
    return ok;
}

typedef struct VecBody {
    const IrStmt *s;
    LLVMValueRef min;
    int width;
} VecBody;

static void emit_lanes(CgFn *c, const IrStmt *s, LLVMValueRef base, int width) {
    int id = s->var->id;
    VVal saved = c->vars[id];
    bool was = c->bound[id];
    c->width = width;
    c->mask = NULL;
    c->vars[id] = (VVal){VV_RAMP, base, 1};
    c->bound[id] = true;
    cg_stmt(c, s->body);
    c->vars[id] = saved;
    c->bound[id] = was;
    c->width = 0;
}

static void chunk_body(CgFn *c, LLVMValueRef ch, const void *arg) {
    const VecBody *vb = arg;
    LLVMValueRef off = LLVMBuildMul(c->b, ch, cg_i64(c, vb->width), "");
    emit_lanes(c, vb->s, LLVMBuildAdd(c->b, vb->min, off, vb->s->var->name), vb->width);
}

bool cg_vec_loop(CgFn *c, const IrStmt *s) {
    if (s->extent->kind != IE_CONST) return false;
    int64_t ext = s->extent->ival;
    if (ext <= 1) return false;
    int width = ext < CG_MAX_LANES ? (int)ext : CG_MAX_LANES;
    if (!legal(s, width, c->f->nvars)) return false;
    LLVMValueRef min = cg_expr(c, s->min);
    int64_t nchunks = ext / width, tail = ext % width;
    if (nchunks == 1) {
        emit_lanes(c, s, min, width);
    } else {
        char name[200];
        snprintf(name, sizeof name, "%s.vec", s->var->name);
        VecBody vb = {s, min, width};
        cg_serial_loop(c, NULL, name, cg_i64(c, 0), cg_i64(c, nchunks), chunk_body, &vb);
    }
    if (tail) {
        LLVMValueRef base = LLVMBuildAdd(c->b, min, cg_i64(c, nchunks * width), "");
        emit_lanes(c, s, base, (int)tail);
    }
    return true;
}
