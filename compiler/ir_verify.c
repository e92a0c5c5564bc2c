/* IR verifier: the structural invariants codegen relies on. Operand dtypes agree, indices and
 * loop bounds are int64, every variable is bound once and used only in its scope, buffers are
 * used inside their allocation (never nested twice), inputs are never stored to, vectorized and
 * unrolled loops have constant extents, constant indices are in bounds where the code can run
 * (an unrolled copy past the extent keeps its guard, e.g. `if (18 < 18)`, until simplify). */
#include "compiler/ir_util.h"
#include "lang/scalar.h"
#include <stdarg.h>
#include <stdlib.h>

typedef struct V {
    const IrFunc *f;
    bool *bound, *scope;
    const IrBuf **live; /* allocation stack */
    int nlive, cap;
    char *why;
    size_t whylen;
    bool ok;
    int dead; /* > 0 inside a branch whose condition is a constant that never takes it, or a
                 select branch / right of && || whose condition is not constant */
} V;

static bool fail(V *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(V *v, const char *fmt, ...) {
    if (!v->ok) return false;
    v->ok = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->why, v->whylen, fmt, ap);
    va_end(ap);
    return false;
}

static bool buf_ok(V *v, const IrBuf *b, const char *what) {
    if (!b) return fail(v, "%s without a buffer", what);
    if (b->kind == BUF_ARG) {
        if (b->arg < 0 || b->arg >= v->f->nargs || v->f->args[b->arg] != b)
            return fail(v, "%s of %s: not argument %d of the function", what, b->name, b->arg);
        return true;
    }
    for (int i = 0; i < v->nlive; i++)
        if (v->live[i] == b) return true;
    return fail(v, "%s of %s outside its allocation", what, b->name);
}

static bool in_bounds(V *v, const IrBuf *b, const IrExpr *index) {
    int64_t k;
    if (!v->dead && ir_const_int(index, &k) && (k < 0 || k >= b->size))
        return fail(v, "constant index %lld out of bounds of %s[%lld]", (long long)k, b->name,
                    (long long)b->size);
    return true;
}

/* The value of an integer or bool expression of constants and operators, when it has one. */
static bool const_value(const IrExpr *e, int64_t *out) {
    int64_t a, b;
    if (ir_const_int(e, out)) return true;
    if (!e || dtype_is_float(e->dtype)) return false;
    if (e->kind == IE_UNARY && e->op == OP_NOT && const_value(e->a, &a)) {
        *out = !a;
        return true;
    }
    if (e->kind != IE_BINARY || dtype_is_float(e->a->dtype) || !const_value(e->a, &a) ||
        !const_value(e->b, &b))
        return false;
    *out = scalar_ibinary(e->op, e->a->dtype, a, b);
    return true;
}

static bool stmt(V *v, const IrStmt *s);

/* A branch taken never (a constant condition of the other truth) is checked as dead code. */
static bool branch(V *v, const IrStmt *s, bool never) {
    v->dead += never;
    bool ok = stmt(v, s);
    v->dead -= never;
    return ok;
}

static bool expr(V *v, const IrExpr *e);

/* A select branch or the right of && / ||, run when cond is `when`: the language lets a read
 * there leave its tensor as long as it is not taken (docs/language.md; the reference evaluator
 * reports one that is), so its constant indices are checked only when cond is a constant that
 * takes it. Found by fuzz_source: an unrolled reduction made A2[r0 + 1] the constant A2[4]
 * under a data-dependent select. */
static bool cond_expr(V *v, const IrExpr *e, const IrExpr *cond, bool when) {
    int64_t k;
    bool surely = const_value(cond, &k) && (k != 0) == when;
    v->dead += !surely;
    bool ok = expr(v, e);
    v->dead -= !surely;
    return ok;
}

static bool expr(V *v, const IrExpr *e) {
    if (!v->ok) return false;
    if (!e) return fail(v, "missing expression");
    if (e->dtype <= DT_NONE || e->dtype >= DT_COUNT) return fail(v, "expression without dtype");
    switch (e->kind) {
    case IE_CONST:
        return true;
    case IE_VAR:
        if (e->dtype != DT_INT64) return fail(v, "variable %s is not int64", e->var->name);
        if (e->var->id < 0 || e->var->id >= v->f->nvars)
            return fail(v, "variable %s has id %d outside 0..%d", e->var->name, e->var->id,
                        v->f->nvars - 1);
        if (!v->scope[e->var->id]) return fail(v, "variable %s used out of scope", e->var->name);
        return true;
    case IE_LOAD:
        if (!buf_ok(v, e->buf, "load")) return false;
        if (e->dtype != e->buf->dtype)
            return fail(v, "load of %s with a wrong dtype", e->buf->name);
        if (!expr(v, e->a)) return false;
        if (e->a->dtype != DT_INT64) return fail(v, "index of %s is not int64", e->buf->name);
        return in_bounds(v, e->buf, e->a);
    case IE_UNARY:
        if (!expr(v, e->a)) return false;
        if (e->op == OP_NOT && (e->a->dtype != DT_BOOL || e->dtype != DT_BOOL))
            return fail(v, "! of a non-bool");
        if (e->op == OP_NEG && e->a->dtype != e->dtype) return fail(v, "negation changes dtype");
        if (e->op != OP_NOT && e->op != OP_NEG) return fail(v, "bad unary operator %d", e->op);
        return true;
    case IE_BINARY: {
        bool lazy = e->op == OP_AND || e->op == OP_OR;
        if (!expr(v, e->a) || !(lazy ? cond_expr(v, e->b, e->a, e->op == OP_AND) : expr(v, e->b)))
            return false;
        if (e->a->dtype != e->b->dtype)
            return fail(v, "operands of %s have dtypes %s and %s", op_name(e->op),
                        dtype_name(e->a->dtype), dtype_name(e->b->dtype));
        bool logical = op_gives_bool(e->op);
        if (logical && e->dtype != DT_BOOL) return fail(v, "%s is not bool", op_name(e->op));
        if ((e->op == OP_AND || e->op == OP_OR) && e->a->dtype != DT_BOOL)
            return fail(v, "%s of non-bool operands", op_name(e->op));
        if (!logical && e->dtype != e->a->dtype) return fail(v, "%s changes dtype", op_name(e->op));
        if (e->op == OP_NEG || e->op == OP_NOT) return fail(v, "unary operator in a binary node");
        return true;
    }
    case IE_SELECT:
        if (!expr(v, e->a) || !cond_expr(v, e->b, e->a, true) || !cond_expr(v, e->c, e->a, false))
            return false;
        if (e->a->dtype != DT_BOOL) return fail(v, "select condition is not bool");
        if (e->b->dtype != e->c->dtype || e->dtype != e->b->dtype)
            return fail(v, "select branches differ in dtype");
        return true;
    case IE_CALL:
        if (!expr(v, e->a)) return false;
        if (e->dtype != e->a->dtype) return fail(v, "%s changes dtype", mathfn_name(e->fn));
        return true;
    case IE_CAST:
        return expr(v, e->a);
    }
    return fail(v, "unknown expression kind %d", e->kind);
}

static bool bind(V *v, const IrVar *x) {
    if (!x || x->id < 0 || x->id >= v->f->nvars) return fail(v, "bad variable");
    if (v->bound[x->id]) return fail(v, "variable %s (id %d) bound twice", x->name, x->id);
    v->bound[x->id] = v->scope[x->id] = true;
    return true;
}

static bool stmt(V *v, const IrStmt *s) {
    if (!v->ok) return false;
    if (!s) return fail(v, "missing statement");
    switch (s->kind) {
    case IS_FOR: {
        if (!expr(v, s->min) || !expr(v, s->extent)) return false;
        if (s->min->dtype != DT_INT64 || s->extent->dtype != DT_INT64)
            return fail(v, "bounds of loop %s are not int64", s->var->name);
        int64_t k;
        if ((s->for_kind == FOR_VECTORIZED || s->for_kind == FOR_UNROLLED) &&
            !ir_const_int(s->extent, &k))
            return fail(v, "%s loop %s has a non-constant extent",
                        s->for_kind == FOR_VECTORIZED ? "vectorized" : "unrolled", s->var->name);
        if (!bind(v, s->var)) return false;
        bool r = stmt(v, s->body);
        v->scope[s->var->id] = false;
        return r;
    }
    case IS_LET: {
        if (!expr(v, s->value)) return false;
        if (s->value->dtype != DT_INT64) return fail(v, "let %s is not int64", s->var->name);
        if (!bind(v, s->var)) return false;
        bool r = stmt(v, s->body);
        v->scope[s->var->id] = false;
        return r;
    }
    case IS_STORE:
        if (!buf_ok(v, s->buf, "store")) return false;
        if (s->buf->readonly) return fail(v, "store to input %s", s->buf->name);
        if (!expr(v, s->index) || !expr(v, s->value)) return false;
        if (s->index->dtype != DT_INT64) return fail(v, "index of %s is not int64", s->buf->name);
        if (s->value->dtype != s->buf->dtype)
            return fail(v, "store of %s to %s[%s]", dtype_name(s->value->dtype), s->buf->name,
                        dtype_name(s->buf->dtype));
        return in_bounds(v, s->buf, s->index);
    case IS_IF:
        if (!expr(v, s->cond)) return false;
        if (s->cond->dtype != DT_BOOL) return fail(v, "if condition is not bool");
        int64_t c;
        bool known = const_value(s->cond, &c);
        return branch(v, s->body, known && !c) && (!s->orelse || branch(v, s->orelse, known && c));
    case IS_ALLOC: {
        const IrBuf *b = s->buf;
        if (!b || (b->kind != BUF_GLOBAL && b->kind != BUF_LOCAL))
            return fail(v, "allocation of a non-intermediate buffer");
        if (b->size < 1)
            return fail(v, "allocation of %s with size %lld", b->name, (long long)b->size);
        for (int i = 0; i < v->nlive; i++)
            if (v->live[i] == b) return fail(v, "%s allocated inside its own allocation", b->name);
        if (v->nlive == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 8;
            const IrBuf **n = realloc(v->live, sizeof *n * (size_t)v->cap);
            if (!n) return fail(v, "out of memory");
            v->live = n;
        }
        v->live[v->nlive++] = b;
        bool r = stmt(v, s->body);
        v->nlive--;
        return r;
    }
    case IS_BLOCK:
        if (s->n < 0 || (s->n > 0 && !s->stmts)) return fail(v, "malformed block");
        for (int i = 0; i < s->n; i++)
            if (!stmt(v, s->stmts[i])) return false;
        return true;
    }
    return fail(v, "unknown statement kind %d", s->kind);
}

bool ir_verify(const IrFunc *f, char *why, size_t whylen) {
    V v = {0};
    v.f = f;
    v.why = why;
    v.whylen = whylen;
    v.ok = true;
    size_t n = f->nvars > 0 ? (size_t)f->nvars : 1;
    v.bound = calloc(n, 1);
    v.scope = calloc(n, 1);
    if (!v.bound || !v.scope) {
        free(v.bound);
        free(v.scope);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    for (int i = 0; i < f->nargs; i++)
        if (!f->args[i] || f->args[i]->kind != BUF_ARG || f->args[i]->arg != i) {
            fail(&v, "argument %d is not a BUF_ARG buffer at its position", i);
            break;
        }
    if (v.ok) stmt(&v, f->body);
    free(v.bound);
    free(v.scope);
    free(v.live);
    return v.ok;
}
