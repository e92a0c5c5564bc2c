/* Reads that are out of bounds for certain: takes a bound compute stage; reports each tensor
 * read, not under a select() branch nor the right of && / ||, whose index provably leaves
 * [0, extent) for some point of the stage's axes (an off-by-one in a stencil, a missing pad).
 * Only exact ranges count: a linear form of the axes, under monotone steps (+ c, * c, / c),
 * takes its extremes at the corners of the axes' box. Anything else is not judged. */
#include "lang/sema_impl.h"
#include "lang/scalar.h"
#include <stdint.h>

/* Range of e over the stage's axes if it is exact (both ends attained); false otherwise.
 * Linear forms: sum of c_k * axis_k + c0, axes independent, so extremes are at corners. */
typedef struct Lin {
    int64_t *coef; /* per axis of the stage */
    int64_t c;
} Lin;

static bool add_ovf(int64_t a, int64_t b, int64_t *r) {
    return __builtin_add_overflow(a, b, r);
}
static bool mul_ovf(int64_t a, int64_t b, int64_t *r) {
    return __builtin_mul_overflow(a, b, r);
}

static bool is_int(DType t) {
    return t != DT_BOOL && !dtype_is_float(t);
}

/* l := l * k + e's linear form * k ... kept simple: linear(e, l, k) adds k * e to l. */
static bool linear(const Expr *e, const Stage *s, Lin *l, int64_t k) {
    int64_t t;
    switch (e->kind) {
    case EX_CONST:
        return is_int(e->dtype) && !mul_ovf(e->ival, k, &t) && !add_ovf(l->c, t, &l->c);
    case EX_VAR:
        return !add_ovf(l->coef[e->axis], k, &l->coef[e->axis]);
    case EX_CAST: /* a widening integer cast keeps the value */
        return is_int(e->dtype) && is_int(e->a->dtype) &&
               dtype_size(e->dtype) >= dtype_size(e->a->dtype) && linear(e->a, s, l, k);
    case EX_UNARY:
        return e->op == OP_NEG && linear(e->a, s, l, -k);
    case EX_BINARY:
        if (e->op == OP_ADD) return linear(e->a, s, l, k) && linear(e->b, s, l, k);
        if (e->op == OP_SUB) return linear(e->a, s, l, k) && linear(e->b, s, l, -k);
        if (e->op == OP_MUL && e->b->kind == EX_CONST && is_int(e->b->dtype))
            return !mul_ovf(k, e->b->ival, &t) && linear(e->a, s, l, t);
        if (e->op == OP_MUL && e->a->kind == EX_CONST && is_int(e->a->dtype))
            return !mul_ovf(k, e->a->ival, &t) && linear(e->b, s, l, t);
        return false;
    default:
        return false;
    }
}

static bool exact_range(const Expr *e, const Stage *s, int64_t *coef, int64_t *lo, int64_t *hi) {
    int naxes = s->ndim + s->nreduce;
    for (int i = 0; i < naxes; i++) coef[i] = 0;
    Lin l = {coef, 0};
    if (linear(e, s, &l, 1)) {
        int64_t a = l.c, b = l.c, p, q;
        for (int i = 0; i < naxes; i++) {
            const Axis *ax = &s->axes[i];
            if (coef[i] == 0) continue;
            if (mul_ovf(coef[i], ax->min, &p) || mul_ovf(coef[i], ax->min + ax->extent - 1, &q))
                return false;
            if (add_ovf(a, p < q ? p : q, &a) || add_ovf(b, p < q ? q : p, &b)) return false;
        }
        *lo = a, *hi = b;
        return true;
    }
    /* monotone steps keep extremes at extremes: +- c, * c, floor / c (c > 0), negation */
    const Expr *a = e->a, *b = e->b;
    int64_t c = 0, x, y;
    bool cb = e->kind == EX_BINARY && b->kind == EX_CONST && is_int(b->dtype);
    bool ca = e->kind == EX_BINARY && a->kind == EX_CONST && is_int(a->dtype);
    if (e->kind == EX_UNARY && e->op == OP_NEG) {
        if (!exact_range(a, s, coef, &x, &y) || x == INT64_MIN) return false;
        *lo = -y, *hi = -x;
        return true;
    }
    if (e->kind == EX_CAST)
        return is_int(e->dtype) && is_int(a->dtype) &&
               dtype_size(e->dtype) >= dtype_size(a->dtype) && exact_range(a, s, coef, lo, hi);
    if (!(cb || ca) || e->kind != EX_BINARY) return false;
    const Expr *v = cb ? a : b;
    c = cb ? b->ival : a->ival;
    switch (e->op) {
    case OP_ADD:
        return exact_range(v, s, coef, &x, &y) && !add_ovf(x, c, lo) && !add_ovf(y, c, hi);
    case OP_SUB: /* v - c, or c - v */
        if (!exact_range(v, s, coef, &x, &y)) return false;
        if (cb) return !add_ovf(x, -c, lo) && !add_ovf(y, -c, hi) && c != INT64_MIN;
        return x != INT64_MIN && y != INT64_MIN && !add_ovf(c, -y, lo) && !add_ovf(c, -x, hi);
    case OP_MUL:
        if (!exact_range(v, s, coef, &x, &y) || mul_ovf(x, c, &x) || mul_ovf(y, c, &y))
            return false;
        *lo = x < y ? x : y, *hi = x < y ? y : x;
        return true;
    case OP_DIV:
        if (!cb || c <= 0 || !exact_range(v, s, coef, &x, &y)) return false;
        *lo = scalar_floordiv(x, c), *hi = scalar_floordiv(y, c);
        return true;
    default:
        return false;
    }
}

static void check_reads(Sema *S, const Stage *s, const Expr *e, bool guarded, int64_t *coef) {
    if (!e) return;
    if (e->kind == EX_LOAD) {
        const Stage *t = &S->in->stages[e->stage];
        for (int d = 0; d < e->nargs; d++) {
            int64_t lo, hi;
            if (!guarded && exact_range(e->args[d], s, coef, &lo, &hi) &&
                (lo < 0 || hi >= t->shape[d])) {
                diag_error(S->d, e->args[d]->loc,
                           "read out of bounds: index %d of %s ranges over [%lld, %lld], outside "
                           "[0, %lld) (guard the read with select, or pad %s)",
                           d + 1, t->name, (long long)lo, (long long)hi, (long long)t->shape[d],
                           t->name);
                break; /* one error per read */
            }
        }
        for (int d = 0; d < e->nargs; d++) check_reads(S, s, e->args[d], guarded, coef);
        return;
    }
    if (e->kind == EX_SELECT) {
        check_reads(S, s, e->a, guarded, coef);
        check_reads(S, s, e->b, true, coef);
        check_reads(S, s, e->c, true, coef);
        return;
    }
    bool rhs_guarded = e->kind == EX_BINARY && (e->op == OP_AND || e->op == OP_OR);
    check_reads(S, s, e->a, guarded, coef);
    check_reads(S, s, e->b, guarded || rhs_guarded, coef);
    check_reads(S, s, e->c, guarded, coef);
}

void sema_check_reads(Sema *S, int stage) {
    const Stage *s = &S->in->stages[stage];
    if (s->kind != STAGE_COMPUTE || !s->body) return;
    int64_t *coef = ARENA_ARRAY(S->a, int64_t, s->ndim + s->nreduce + 1);
    check_reads(S, s, s->body, false, coef);
}
