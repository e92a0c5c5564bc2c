/* The IR interpreter of tests: a tree walk over IrFunc with checked memory. Integers wrap to
 * their dtype, integer division and modulo are floor (by zero gives 0), float32 results are
 * rounded to float after every operation, as the reference evaluator (lang/eval.c) does. */
#include "tests/ir_interp.h"
#include "lang/scalar.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef union Val {
    int64_t i;
    double f;
} Val;

typedef struct Mem {
    const IrBuf *buf;
    unsigned char *data;
    unsigned char *written; /* per element; NULL: inputs (always readable) */
    struct Mem *next;
} Mem;

typedef struct I {
    const IrFunc *f;
    int64_t *env;
    Mem *mems;
    bool ok;
    char *why;
    size_t whylen;
} I;

static void fail(I *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(I *c, const char *fmt, ...) {
    if (!c->ok) return;
    c->ok = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->whylen, fmt, ap);
    va_end(ap);
}

static double rnd(DType t, double x) {
    return t == DT_FLOAT32 ? (double)(float)x : x;
}

static Mem *find(I *c, const IrBuf *b) {
    for (Mem *m = c->mems; m; m = m->next)
        if (m->buf == b) return m;
    return NULL;
}

static Val load(I *c, const IrBuf *b, int64_t idx) {
    Val v = {0};
    Mem *m = find(c, b);
    if (!m) {
        fail(c, "load of %s, which is not allocated here", b->name);
        return v;
    }
    if (idx < 0 || idx >= b->size) {
        fail(c, "load %s[%lld] out of bounds (size %lld)", b->name, (long long)idx,
             (long long)b->size);
        return v;
    }
    if (m->written && !m->written[idx]) {
        fail(c, "load %s[%lld] before any store to it", b->name, (long long)idx);
        return v;
    }
    const void *p = m->data;
    switch (b->dtype) {
    case DT_FLOAT32:
        v.f = ((const float *)p)[idx];
        break;
    case DT_FLOAT64:
        v.f = ((const double *)p)[idx];
        break;
    case DT_BOOL:
        v.i = ((const bool *)p)[idx];
        break;
    case DT_INT8:
        v.i = ((const int8_t *)p)[idx];
        break;
    case DT_INT16:
        v.i = ((const int16_t *)p)[idx];
        break;
    case DT_INT32:
        v.i = ((const int32_t *)p)[idx];
        break;
    case DT_UINT8:
        v.i = ((const uint8_t *)p)[idx];
        break;
    default:
        v.i = ((const int64_t *)p)[idx];
        break;
    }
    return v;
}

static void store(I *c, const IrBuf *b, int64_t idx, Val v) {
    Mem *m = find(c, b);
    if (!m) return fail(c, "store to %s, which is not allocated here", b->name);
    if (b->readonly) return fail(c, "store to input %s", b->name);
    if (idx < 0 || idx >= b->size)
        return fail(c, "store %s[%lld] out of bounds (size %lld)", b->name, (long long)idx,
                    (long long)b->size);
    if (m->written) m->written[idx] = 1;
    void *p = m->data;
    switch (b->dtype) {
    case DT_FLOAT32:
        ((float *)p)[idx] = (float)v.f;
        break;
    case DT_FLOAT64:
        ((double *)p)[idx] = v.f;
        break;
    case DT_BOOL:
        ((bool *)p)[idx] = v.i != 0;
        break;
    case DT_INT8:
        ((int8_t *)p)[idx] = (int8_t)v.i;
        break;
    case DT_INT16:
        ((int16_t *)p)[idx] = (int16_t)v.i;
        break;
    case DT_INT32:
        ((int32_t *)p)[idx] = (int32_t)v.i;
        break;
    case DT_UINT8:
        ((uint8_t *)p)[idx] = (uint8_t)v.i;
        break;
    default:
        ((int64_t *)p)[idx] = v.i;
        break;
    }
}

static Val ev(I *c, const IrExpr *e);

static Val ev_unary(I *c, const IrExpr *e) {
    Val r = {0}, x = ev(c, e->a);
    if (e->op == OP_NOT)
        r.i = x.i == 0;
    else if (dtype_is_float(e->dtype))
        r.f = -x.f;
    else
        r.i = scalar_ineg(e->dtype, x.i);
    return r;
}

static Val ev_call(I *c, const IrExpr *e) {
    Val r = {0}, x = ev(c, e->a);
    if (dtype_is_float(e->dtype))
        r.f = scalar_math(e->fn, e->dtype == DT_FLOAT32, x.f);
    else if (e->fn == FN_ABS)
        r.i = scalar_iabs(e->dtype, x.i);
    else
        r.i = x.i; /* floor/ceil of an integer */
    return r;
}

static Val ev_cast(I *c, const IrExpr *e) {
    Val r = {0}, x = ev(c, e->a);
    bool from_fl = dtype_is_float(e->a->dtype);
    if (dtype_is_float(e->dtype))
        r.f = rnd(e->dtype, from_fl ? x.f : (double)x.i);
    else if (from_fl)
        r.i = e->dtype == DT_BOOL ? x.f != 0.0 : scalar_wrap(e->dtype, scalar_f2i(x.f));
    else
        r.i = scalar_wrap(e->dtype, x.i);
    return r;
}

/* A binary operator by the shared folds of lang/scalar.h; && and || evaluate their right
 * operand only when it decides. */
static Val ev_binary(I *c, const IrExpr *e) {
    Val r = {0};
    if (e->op == OP_AND) return ev(c, e->a).i ? (r.i = ev(c, e->b).i != 0, r) : r;
    if (e->op == OP_OR) return ev(c, e->a).i ? (r.i = 1, r) : (r.i = ev(c, e->b).i != 0, r);
    Val x = ev(c, e->a), y = ev(c, e->b);
    DType t = e->a->dtype;
    const OpInfo *op = op_info(e->op);
    if (!op || op->arity != 2) {
        fail(c, "bad binary operator %d", (int)e->op);
    } else if (!dtype_is_float(t)) {
        r.i = scalar_ibinary(e->op, t, x.i, y.i);
    } else if (op->cls == OPC_CMP) {
        r.i = scalar_fcmp(e->op, x.f, y.f);
    } else {
        r.f = scalar_farith(e->op, t == DT_FLOAT32, x.f, y.f);
    }
    return r;
}

static Val ev(I *c, const IrExpr *e) {
    Val r = {0};
    if (!c->ok) return r;
    switch (e->kind) {
    case IE_CONST:
        if (dtype_is_float(e->dtype))
            r.f = e->fval;
        else
            r.i = e->ival;
        return r;
    case IE_VAR:
        r.i = c->env[e->var->id];
        return r;
    case IE_LOAD:
        return load(c, e->buf, ev(c, e->a).i);
    case IE_UNARY:
        return ev_unary(c, e);
    case IE_SELECT:
        return ev(c, e->a).i ? ev(c, e->b) : ev(c, e->c);
    case IE_CALL:
        return ev_call(c, e);
    case IE_CAST:
        return ev_cast(c, e);
    case IE_BINARY:
        return ev_binary(c, e);
    }
    return r;
}

static Mem *new_mem(const IrBuf *b, void *data, bool track) {
    Mem *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->buf = b;
    m->data = data;
    if (track) {
        m->written = calloc((size_t)b->size, 1);
        if (!m->written) {
            free(m);
            return NULL;
        }
    }
    return m;
}

static void exec(I *c, const IrStmt *s) {
    if (!c->ok || !s) return;
    switch (s->kind) {
    case IS_FOR: {
        int64_t mn = ev(c, s->min).i, ext = ev(c, s->extent).i;
        bool rev = s->for_kind == FOR_PARALLEL || s->for_kind == FOR_VECTORIZED;
        for (int64_t k = 0; k < ext && c->ok; k++) {
            c->env[s->var->id] = mn + (rev ? ext - 1 - k : k);
            exec(c, s->body);
        }
        return;
    }
    case IS_LET:
        c->env[s->var->id] = ev(c, s->value).i;
        exec(c, s->body);
        return;
    case IS_STORE: {
        int64_t idx = ev(c, s->index).i;
        Val v = ev(c, s->value);
        if (c->ok) store(c, s->buf, idx, v);
        return;
    }
    case IS_IF:
        if (ev(c, s->cond).i)
            exec(c, s->body);
        else
            exec(c, s->orelse);
        return;
    case IS_ALLOC: {
        size_t bytes = (size_t)s->buf->size * dtype_size(s->buf->dtype);
        void *data = malloc(bytes ? bytes : 1);
        Mem *m = data ? new_mem(s->buf, data, true) : NULL;
        if (!m) {
            free(data);
            return fail(c, "out of memory allocating %s", s->buf->name);
        }
        memset(data, 0xA5, bytes); /* garbage: reads before writes are caught anyway */
        m->next = c->mems;
        c->mems = m;
        exec(c, s->body);
        c->mems = m->next;
        free(m->written);
        free(m->data);
        free(m);
        return;
    }
    case IS_BLOCK:
        for (int i = 0; i < s->n && c->ok; i++) exec(c, s->stmts[i]);
        return;
    }
}

bool ir_interp_run(const IrFunc *f, void *const *args, char *why, size_t whylen) {
    I c = {.f = f, .ok = true, .why = why, .whylen = whylen};
    c.env = calloc((size_t)(f->nvars > 0 ? f->nvars : 1), sizeof *c.env);
    if (!c.env) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    for (int i = 0; i < f->nargs && c.ok; i++) {
        Mem *m = new_mem(f->args[i], args[i], !f->args[i]->readonly);
        if (!m) {
            fail(&c, "out of memory");
            break;
        }
        m->next = c.mems;
        c.mems = m;
    }
    if (c.ok) exec(&c, f->body);
    while (c.mems) {
        Mem *m = c.mems;
        c.mems = m->next;
        free(m->written);
        free(m);
    }
    free(c.env);
    return c.ok;
}
