/* Test helpers: build bound instances by hand (as sema would), so the evaluator can be tested
 * on exact trees without the front end. Header-only, for tests/eval/test_eval_*.c. */
#ifndef TEC_TEST_EVAL_BUILD_H
#define TEC_TEST_EVAL_BUILD_H
#include "lang/eval.h"
#include "tests/lib/testlib.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct TB {
    Arena *a;
    Inst *in;
    int cap;
} TB;

static TB tb_new(const char *name) {
    TB b = {.a = arena_new(), .cap = 64};
    b.in = ARENA_NEW(b.a, Inst);
    b.in->name = name;
    b.in->stages = ARENA_ARRAY(b.a, Stage, b.cap);
    return b;
}

static Expr *tb_expr(TB *b, ExprKind k, DType t) {
    Expr *e = ARENA_NEW(b->a, Expr);
    e->kind = k;
    e->dtype = t;
    e->loc = (Loc){1, 1, 1};
    return e;
}
static Expr *ci(TB *b, DType t, int64_t v) {
    Expr *e = tb_expr(b, EX_CONST, t);
    e->ival = v;
    return e;
}
static Expr *cf(TB *b, DType t, double v) {
    Expr *e = tb_expr(b, EX_CONST, t);
    e->fval = v;
    return e;
}
static Expr *var(TB *b, int axis) {
    Expr *e = tb_expr(b, EX_VAR, DT_INT32);
    e->axis = axis;
    return e;
}
static Expr *load(TB *b, int stage, int n, ...) {
    Expr *e = tb_expr(b, EX_LOAD, b->in->stages[stage].dtype);
    e->stage = stage;
    e->nargs = n;
    e->args = ARENA_ARRAY(b->a, Expr *, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) e->args[i] = va_arg(ap, Expr *);
    va_end(ap);
    return e;
}
static Expr *bin(TB *b, Op op, Expr *x, Expr *y) {
    bool cmp = op >= OP_LT && op <= OP_OR;
    Expr *e = tb_expr(b, EX_BINARY, cmp ? DT_BOOL : x->dtype);
    e->op = op;
    e->a = x;
    e->b = y;
    return e;
}
static Expr *un(TB *b, Op op, Expr *x) {
    Expr *e = tb_expr(b, EX_UNARY, op == OP_NOT ? DT_BOOL : x->dtype);
    e->op = op;
    e->a = x;
    return e;
}
static Expr *sel(TB *b, Expr *c, Expr *x, Expr *y) {
    Expr *e = tb_expr(b, EX_SELECT, x->dtype);
    e->a = c;
    e->b = x;
    e->c = y;
    return e;
}
static Expr *cast(TB *b, DType t, Expr *x) {
    Expr *e = tb_expr(b, EX_CAST, t);
    e->a = x;
    return e;
}
static Expr *call(TB *b, MathFn fn, Expr *x) {
    Expr *e = tb_expr(b, EX_CALL, x->dtype);
    e->fn = fn;
    e->a = x;
    return e;
}
static Expr *red(TB *b, ReduceOp op, Expr *x) {
    Expr *e = tb_expr(b, EX_REDUCE, x->dtype);
    e->rop = op;
    e->a = x;
    return e;
}

static int placeholder(TB *b, const char *name, DType t, int ndim, ...) {
    if (b->in->nstages >= b->cap) abort();
    int i = b->in->nstages++;
    Stage *s = &b->in->stages[i];
    s->name = name;
    s->kind = STAGE_PLACEHOLDER;
    s->dtype = t;
    s->ndim = ndim;
    s->shape = ARENA_ARRAY(b->a, int64_t, ndim);
    va_list ap;
    va_start(ap, ndim);
    for (int d = 0; d < ndim; d++) s->shape[d] = va_arg(ap, int64_t);
    va_end(ap);
    return i;
}

/* A compute stage: ndim data extents, then nreduce (min, extent) pairs. Body set later. */
static int compute(TB *b, const char *name, DType t, int ndim, int nreduce, ...) {
    if (b->in->nstages >= b->cap) abort();
    int i = b->in->nstages++;
    Stage *s = &b->in->stages[i];
    s->name = name;
    s->kind = STAGE_COMPUTE;
    s->dtype = t;
    s->ndim = ndim;
    s->nreduce = nreduce;
    s->shape = ARENA_ARRAY(b->a, int64_t, ndim);
    s->axes = ARENA_ARRAY(b->a, Axis, ndim + nreduce);
    static const char *names[] = {"i", "j", "k", "l", "r0", "r1", "r2", "r3"};
    va_list ap;
    va_start(ap, nreduce);
    for (int d = 0; d < ndim; d++) {
        s->shape[d] = va_arg(ap, int64_t);
        s->axes[d] = (Axis){.name = names[d], .extent = s->shape[d]};
    }
    for (int r = 0; r < nreduce; r++) {
        int64_t mn = va_arg(ap, int64_t), ext = va_arg(ap, int64_t);
        s->axes[ndim + r] = (Axis){.name = names[4 + r], .min = mn, .extent = ext, .reduce = true};
    }
    va_end(ap);
    return i;
}

static void tb_mark_reads(Inst *in, const Expr *e, bool *read) {
    if (!e) return;
    if (e->kind == EX_LOAD) {
        read[e->stage] = true;
        for (int i = 0; i < e->nargs; i++) tb_mark_reads(in, e->args[i], read);
    }
    tb_mark_reads(in, e->a, read);
    tb_mark_reads(in, e->b, read);
    tb_mark_reads(in, e->c, read);
}

/* Outputs and the argument list, as sema decides them: placeholders, then unread computes. */
static void tb_finish(TB *b) {
    Inst *in = b->in;
    bool read[64] = {0};
    for (int i = 0; i < in->nstages; i++)
        if (in->stages[i].kind == STAGE_COMPUTE) tb_mark_reads(in, in->stages[i].body, read);
    in->args = ARENA_ARRAY(b->a, int, in->nstages);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < in->nstages; i++) {
            Stage *s = &in->stages[i];
            bool ph = s->kind == STAGE_PLACEHOLDER;
            s->is_output = !ph && !read[i];
            if (pass == 0 ? ph : s->is_output) {
                s->arg_index = in->nargs;
                in->args[in->nargs++] = i;
            } else if (pass == 1 && !ph) {
                s->arg_index = -1;
            }
        }
}

#endif
