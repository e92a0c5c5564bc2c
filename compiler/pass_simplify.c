/* Simplify: constant folding, identities, affine flattening of int64 index arithmetic, floor
 * div/mod of affine forms by constants and range-decided comparisons, min/max and guards.
 * Takes any IR; gives equivalent IR with the same variables. */
#include "compiler/passes.h"
#include <math.h>
#include <stdlib.h>

/* ---- constant folding in a dtype ---- */

/* x op y of two constants, by the language's scalar semantics (lang/scalar.h); NULL when the
 * operator does not fold at compile time in this dtype (lang/ops.h's OPF_FEXACT). */
static IrExpr *fold_binary(Arena *a, Op op, IrExpr *x, IrExpr *y) {
    DType t = x->dtype;
    if (!dtype_is_float(t)) {
        int64_t r = scalar_ibinary(op, t, x->ival, y->ival);
        return ir_const(a, op_gives_bool(op) ? DT_BOOL : t, r, 0);
    }
    if (op_is(op, OPC_CMP)) return ir_const(a, DT_BOOL, scalar_fcmp(op, x->fval, y->fval), 0);
    if (!op_has(op, OPF_FEXACT)) return NULL;
    return ir_const(a, t, 0, scalar_farith(op, t == DT_FLOAT32, x->fval, y->fval));
}

static IrExpr *fold_cast(Arena *a, DType t, IrExpr *x) {
    if (dtype_is_float(x->dtype)) {
        double v = x->fval;
        if (dtype_is_float(t)) return ir_const(a, t, 0, t == DT_FLOAT32 ? (float)v : v);
        if (t == DT_BOOL) return ir_const(a, t, v != 0, 0);
        /* float -> int is undefined out of range: fold only the safe cases */
        if (!(v > -2147483648.0 && v < 2147483647.0)) return NULL;
        return ir_const(a, t, scalar_wrap(t, (int64_t)v), 0);
    }
    if (dtype_is_float(t))
        return ir_const(a, t, 0, t == DT_FLOAT32 ? (float)x->ival : (double)x->ival);
    return ir_const(a, t, scalar_wrap(t, x->ival), 0);
}

static bool is_const(const IrExpr *e, double v) {
    if (!e || e->kind != IE_CONST) return false;
    return dtype_is_float(e->dtype) ? e->fval == v : e->ival == (int64_t)v;
}

/* ---- linear forms over int64 ---- */

typedef struct Term {
    int64_t c;
    IrExpr *atom;
} Term;

typedef struct Lin {
    Term *t;
    int n, cap;
    int64_t k;
    bool ok; /* false after an overflow: the caller keeps the expression as it was */
} Lin;

static void lin_add_term(Arena *a, Lin *l, int64_t c, IrExpr *atom) {
    if (c == 0) return;
    for (int i = 0; i < l->n; i++)
        if (ir_expr_equal(l->t[i].atom, atom)) {
            if (__builtin_add_overflow(l->t[i].c, c, &l->t[i].c)) l->ok = false;
            return;
        }
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        l->t = arena_grow(a, l->t, (size_t)l->cap, (size_t)cap, sizeof *l->t);
        l->cap = cap;
    }
    l->t[l->n++] = (Term){c, atom};
}

/* l += scale * e, where e is already simplified. */
static void lin_acc(Arena *a, Lin *l, IrExpr *e, int64_t scale) {
    if (!l->ok) return;
    int64_t v;
    if (e->dtype == DT_INT64) {
        if (ir_const_int(e, &v)) {
            int64_t p;
            if (__builtin_mul_overflow(v, scale, &p) || __builtin_add_overflow(l->k, p, &l->k))
                l->ok = false;
            return;
        }
        if (e->kind == IE_BINARY && (e->op == OP_ADD || e->op == OP_SUB)) {
            lin_acc(a, l, e->a, scale);
            if (e->op == OP_SUB && scale == INT64_MIN) {
                l->ok = false;
                return;
            }
            lin_acc(a, l, e->b, e->op == OP_ADD ? scale : -scale);
            return;
        }
        if (e->kind == IE_UNARY && e->op == OP_NEG && scale != INT64_MIN) {
            lin_acc(a, l, e->a, -scale);
            return;
        }
        if (e->kind == IE_BINARY && e->op == OP_MUL) {
            int64_t s2;
            if (ir_const_int(e->b, &v) || ir_const_int(e->a, &v)) {
                IrExpr *other = ir_const_int(e->b, &v) ? e->a : e->b;
                if (__builtin_mul_overflow(scale, v, &s2)) {
                    l->ok = false;
                    return;
                }
                lin_acc(a, l, other, s2);
                return;
            }
        }
    }
    /* unbox int64 cast of an int64 expression is handled by the cast rule; anything else
     * is an atom */
    lin_add_term(a, l, scale, e);
}

/* x / k or x % k with a positive constant k: its x and k. */
static bool divmod_of(const IrExpr *e, Op op, IrExpr **x, int64_t *k) {
    if (e->kind != IE_BINARY || e->op != op || !ir_const_int(e->b, k) || *k <= 0) return false;
    *x = e->a;
    return true;
}

static Lin lin_of(Arena *a, IrExpr *e);

/* x - y is a multiple of k in every term (so x % k == y % k). */
static bool congruent(Arena *a, IrExpr *x, IrExpr *y, int64_t k) {
    if (ir_expr_equal(x, y)) return true;
    Lin d = lin_of(a, ir_binary(a, OP_SUB, x, y));
    if (!d.ok || d.k % k != 0) return false;
    for (int i = 0; i < d.n; i++)
        if (d.t[i].c % k != 0) return false;
    return true;
}

/* c*k*(y / k) + c*(x % k) == c*y when x % k == y % k: the index of a fused loop split back into its
 * parts reads as the fused variable again. */
static void recombine(Arena *a, Lin *l) {
    for (bool again = true; again && l->ok;) {
        again = false;
        for (int i = 0; i < l->n && !again; i++) {
            IrExpr *x, *y;
            int64_t k, k2, ck;
            if (l->t[i].c == 0 || !divmod_of(l->t[i].atom, OP_MOD, &x, &k)) continue;
            for (int j = 0; j < l->n; j++) {
                if (!divmod_of(l->t[j].atom, OP_DIV, &y, &k2) || k2 != k || !congruent(a, x, y, k))
                    continue;
                int64_t c = l->t[i].c;
                if (__builtin_mul_overflow(c, k, &ck) || l->t[j].c != ck) continue;
                l->t[i].c = 0;
                l->t[j].c = 0;
                lin_acc(a, l, y, c);
                again = true;
                break;
            }
        }
    }
}

static Lin lin_of(Arena *a, IrExpr *e) {
    Lin l = {0};
    l.ok = true;
    lin_acc(a, &l, e, 1);
    recombine(a, &l);
    int m = 0;
    for (int i = 0; i < l.n; i++)
        if (l.t[i].c != 0) l.t[m++] = l.t[i];
    l.n = m;
    return l;
}

static IrRange lin_range(const Lin *l, const IrRanges *r) {
    IrRange acc = {true, l->k, l->k};
    for (int i = 0; i < l->n && acc.ok; i++) {
        IrRange x = ir_range_of(l->t[i].atom, r);
        if (!x.ok) return x;
        int64_t p, q;
        if (__builtin_mul_overflow(x.lo, l->t[i].c, &p) ||
            __builtin_mul_overflow(x.hi, l->t[i].c, &q))
            return (IrRange){0};
        if (p > q) {
            int64_t s = p;
            p = q;
            q = s;
        }
        if (__builtin_add_overflow(acc.lo, p, &acc.lo) ||
            __builtin_add_overflow(acc.hi, q, &acc.hi))
            return (IrRange){0};
    }
    return acc;
}

static int atom_key(const IrExpr *e) {
    return e->kind == IE_VAR ? e->var->id : 1 << 30;
}

static int term_cmp(const void *pa, const void *pb) {
    const Term *x = pa, *y = pb;
    int64_t ax = llabs(x->c), ay = llabs(y->c);
    if (ax != ay) return ax > ay ? -1 : 1;
    int kx = atom_key(x->atom), ky = atom_key(y->atom);
    return (kx > ky) - (kx < ky);
}

static IrExpr *scaled(Arena *a, int64_t c, IrExpr *atom) {
    return c == 1 ? atom : ir_binary(a, OP_MUL, atom, ir_int(a, c));
}

/* Terms by decreasing |stride| (ties: variables in creation order, which is loop order), then
 * the constant: `((i.outer*4096) + (i.inner*512)) + j.inner`. */
static IrExpr *lin_build(Arena *a, Lin *l) {
    if (l->n > 1) qsort(l->t, (size_t)l->n, sizeof *l->t, term_cmp);
    IrExpr *acc = NULL;
    for (int i = 0; i < l->n; i++) {
        Term t = l->t[i];
        if (!acc)
            acc = t.c == -1 ? ir_unary(a, OP_NEG, t.atom) : scaled(a, t.c, t.atom);
        else if (t.c < 0 && t.c != INT64_MIN)
            acc = ir_binary(a, OP_SUB, acc, scaled(a, -t.c, t.atom));
        else
            acc = ir_binary(a, OP_ADD, acc, scaled(a, t.c, t.atom));
    }
    if (!acc) return ir_int(a, l->k);
    if (l->k > 0) return ir_binary(a, OP_ADD, acc, ir_int(a, l->k));
    if (l->k < 0 && l->k != INT64_MIN) return ir_binary(a, OP_SUB, acc, ir_int(a, -l->k));
    if (l->k == INT64_MIN) return ir_binary(a, OP_ADD, acc, ir_int(a, l->k));
    return acc;
}

/* ---- int64 rules ---- */

typedef struct S {
    Arena *a;
    const IrRanges *r;
} S;

static IrExpr *simp(S *s, IrExpr *e);

/* rest == d*Y + R with d > 1 a proper divisor of c and R in [0, d) on every iteration: then
 * floor(rest / c) == floor(Y / (c/d)) and floormod(rest, c) == floormod(Y, c/d)*d + R. That is
 * a tile of d lanes inside a block of c (conv2d_nchwc.te's vectors of a kernel block of 32 or 64
 * channels): without it the lane's index keeps a division and the load becomes a gather. The
 * largest such d among gcd(c, a coefficient) is taken. rest's terms are not multiples of c. */
static int64_t split_by_divisor(S *s, const Lin *rest, int64_t c, Lin *y, Lin *r) {
    int64_t best = 0;
    for (int i = 0; i < rest->n; i++) {
        int64_t g = scalar_gcd(c, rest->t[i].c);
        if (g <= 1 || g >= c || g <= best) continue;
        Lin yy = {0}, rr = {0};
        yy.ok = rr.ok = true;
        for (int j = 0; j < rest->n; j++) {
            if (rest->t[j].c % g == 0)
                lin_add_term(s->a, &yy, rest->t[j].c / g, rest->t[j].atom);
            else
                lin_add_term(s->a, &rr, rest->t[j].c, rest->t[j].atom);
        }
        yy.k = scalar_floordiv(rest->k, g);
        rr.k = scalar_floormod(rest->k, g);
        IrRange range = lin_range(&rr, s->r);
        if (!range.ok || range.lo < 0 || range.hi >= g) continue;
        best = g, *y = yy, *r = rr;
    }
    return best;
}

/* floor(e / c), c > 0 constant, e simplified. */
static IrExpr *simp_div(S *s, IrExpr *e, int64_t c, IrExpr *orig) {
    Arena *a = s->a;
    if (c == 1) return e;
    /* (x / p) / c == x / (p*c) for positive p, c (floor division) */
    int64_t p, pc;
    if (e->kind == IE_BINARY && e->op == OP_DIV && ir_const_int(e->b, &p) && p > 0 &&
        !__builtin_mul_overflow(p, c, &pc))
        return simp_div(s, e->a, pc, NULL);
    Lin l = lin_of(a, e);
    if (!l.ok) return orig ? orig : ir_binary(a, OP_DIV, e, ir_int(a, c));
    Lin q = {0}, rest = {0};
    q.ok = rest.ok = true;
    for (int i = 0; i < l.n; i++) {
        if (l.t[i].c % c == 0)
            lin_add_term(a, &q, l.t[i].c / c, l.t[i].atom);
        else
            lin_add_term(a, &rest, l.t[i].c, l.t[i].atom);
    }
    q.k = scalar_floordiv(l.k, c);
    rest.k = scalar_floormod(l.k, c);
    IrRange rr = lin_range(&rest, s->r);
    if (rr.ok && scalar_floordiv(rr.lo, c) == scalar_floordiv(rr.hi, c)) {
        q.k += scalar_floordiv(rr.lo, c);
        return lin_build(a, &q);
    }
    Lin y, r;
    int64_t d = split_by_divisor(s, &rest, c, &y, &r);
    if (d > 0) {
        lin_acc(a, &q, simp_div(s, lin_build(a, &y), c / d, NULL), 1);
        if (q.ok) return lin_build(a, &q);
    }
    if (q.n == 0 && q.k == 0) {
        /* nothing to pull out: keep the division, of the flattened operand */
        return ir_binary(a, OP_DIV, lin_build(a, &rest), ir_int(a, c));
    }
    lin_add_term(a, &q, 1, ir_binary(a, OP_DIV, lin_build(a, &rest), ir_int(a, c)));
    return lin_build(a, &q);
}

/* floormod(e, c), c > 0 constant, e simplified. */
static IrExpr *simp_mod(S *s, IrExpr *e, int64_t c, IrExpr *orig) {
    Arena *a = s->a;
    if (c == 1) return ir_int(a, 0);
    Lin l = lin_of(a, e);
    if (!l.ok) return orig ? orig : ir_binary(a, OP_MOD, e, ir_int(a, c));
    Lin rest = {0};
    rest.ok = true;
    for (int i = 0; i < l.n; i++) {
        int64_t m = scalar_floormod(l.t[i].c, c);
        lin_add_term(a, &rest, m, l.t[i].atom);
    }
    rest.k = scalar_floormod(l.k, c);
    IrRange rr = lin_range(&rest, s->r);
    if (rr.ok && scalar_floordiv(rr.lo, c) == scalar_floordiv(rr.hi, c)) {
        rest.k -= scalar_floordiv(rr.lo, c) * c;
        return lin_build(a, &rest);
    }
    Lin y, low;
    int64_t d = split_by_divisor(s, &rest, c, &y, &low);
    if (d > 0) {
        lin_acc(a, &low, simp_mod(s, lin_build(a, &y), c / d, NULL), d);
        if (low.ok) return lin_build(a, &low);
    }
    /* (x % p) % c == x % c when c divides p */
    IrExpr *r = lin_build(a, &rest);
    int64_t p;
    if (r->kind == IE_BINARY && r->op == OP_MOD && ir_const_int(r->b, &p) && p > 0 && p % c == 0)
        r = r->a;
    return ir_binary(a, OP_MOD, r, ir_int(a, c));
}

/* Range of x - y, when both flatten. */
static IrRange diff_range(S *s, IrExpr *x, IrExpr *y) {
    Lin l = lin_of(s->a, ir_binary(s->a, OP_SUB, x, y));
    if (!l.ok) return (IrRange){0};
    return lin_range(&l, s->r);
}

static IrExpr *simp_int64(S *s, IrExpr *e) {
    Arena *a = s->a;
    IrExpr *x = e->a, *y = e->b;
    int64_t v;
    switch (e->op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL: {
        if (e->op == OP_MUL && !ir_const_int(x, &v) && !ir_const_int(y, &v)) {
            /* a product of two non-constants is an atom */
            return ir_binary(a, OP_MUL, x, y);
        }
        Lin l = lin_of(a, ir_binary(a, e->op, x, y));
        if (!l.ok) return ir_binary(a, e->op, x, y);
        return lin_build(a, &l);
    }
    case OP_DIV:
        if (ir_const_int(y, &v) && v > 0) return simp_div(s, x, v, NULL);
        return ir_binary(a, OP_DIV, x, y);
    case OP_MOD:
        if (ir_const_int(y, &v) && v > 0) return simp_mod(s, x, v, NULL);
        return ir_binary(a, OP_MOD, x, y);
    case OP_MIN:
    case OP_MAX: {
        if (ir_expr_equal(x, y)) return x;
        IrRange d = diff_range(s, x, y);
        if (d.ok && d.hi <= 0) return e->op == OP_MIN ? x : y;
        if (d.ok && d.lo >= 0) return e->op == OP_MIN ? y : x;
        return ir_binary(a, e->op, x, y);
    }
    default:
        return ir_binary(a, e->op, x, y);
    }
}

/* 1 or 0 when `x OP 0` holds or fails for every x in d; -1 when d does not decide. */
static int range_decides(Op op, IrRange d) {
    int t = -1;
    if (d.ok) {
        switch (op) {
        case OP_LT:
            t = d.hi < 0 ? 1 : d.lo >= 0 ? 0 : -1;
            break;
        case OP_LE:
            t = d.hi <= 0 ? 1 : d.lo > 0 ? 0 : -1;
            break;
        case OP_GT:
            t = d.lo > 0 ? 1 : d.hi <= 0 ? 0 : -1;
            break;
        case OP_GE:
            t = d.lo >= 0 ? 1 : d.hi < 0 ? 0 : -1;
            break;
        case OP_EQ:
            t = d.lo == 0 && d.hi == 0 ? 1 : (d.lo > 0 || d.hi < 0) ? 0 : -1;
            break;
        case OP_NE:
            t = d.lo == 0 && d.hi == 0 ? 0 : (d.lo > 0 || d.hi < 0) ? 1 : -1;
            break;
        default:
            break;
        }
    }
    return t;
}

/* An int64 comparison: decided from the range of x - y, else written `terms OP constant`. */
static IrExpr *simp_compare(S *s, IrExpr *e) {
    Arena *a = s->a;
    Lin l = lin_of(a, ir_binary(a, OP_SUB, e->a, e->b));
    if (!l.ok) return ir_binary(a, e->op, e->a, e->b);
    int t = range_decides(e->op, lin_range(&l, s->r));
    if (t >= 0) return ir_const(a, DT_BOOL, t, 0);
    if (l.k == INT64_MIN) return ir_binary(a, e->op, e->a, e->b);
    int64_t k = -l.k;
    l.k = 0;
    return ir_binary(a, e->op, lin_build(a, &l), ir_int(a, k));
}

/* e, a signed integer narrower than int64, as the int64 expression of the same value: its
   leaves int64 values cast down (or constants), its + - * unable to wrap (every node's range
   fits e's dtype); NULL otherwise. Comparisons of the int32 index arithmetic of templates
   (`c * 8 + v < C`) are then decided from the loops' ranges as int64 ones are. */
static IrExpr *widen(S *s, IrExpr *e) {
    if (!dtype_is_int(e->dtype) || !dtype_is_signed(e->dtype) || dtype_bits(e->dtype) >= 64)
        return NULL;
    int64_t lim = ((int64_t)1 << (dtype_bits(e->dtype) - 1)) - 1;
    IrExpr *w = NULL;
    switch (e->kind) {
    case IE_CONST:
        return ir_int(s->a, e->ival);
    case IE_CAST:
        if (e->a->dtype == DT_INT64)
            w = e->a;
        else if (dtype_bits(e->a->dtype) <= dtype_bits(e->dtype))
            w = widen(s, e->a);
        break;
    case IE_BINARY:
        if (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL) {
            IrExpr *x = widen(s, e->a), *y = x ? widen(s, e->b) : NULL;
            if (y) w = ir_binary(s->a, e->op, x, y);
        }
        break;
    default:
        break;
    }
    if (!w) return NULL;
    IrRange r = ir_range_of(w, s->r);
    return r.ok && r.lo >= -lim - 1 && r.hi <= lim ? w : NULL;
}

static IrExpr *simp_binary(S *s, IrExpr *e) {
    Arena *a = s->a;
    IrExpr *x = simp(s, e->a), *y = simp(s, e->b);
    Op op = e->op;
    if (x->kind == IE_CONST && y->kind == IE_CONST) {
        IrExpr *f = fold_binary(a, op, x, y);
        if (f) return f;
    }
    /* logic with a constant side */
    if (op == OP_AND || op == OP_OR) {
        int64_t v;
        bool is_and = op == OP_AND;
        if (ir_const_int(x, &v)) return (v != 0) == is_and ? y : x;
        if (ir_const_int(y, &v)) return (v != 0) == is_and ? x : y;
        return ir_binary(a, op, x, y);
    }
    /* A comparison of narrower integers, decided or kept: first as the int64 comparison of
       the same values when its operands cannot wrap (terms that cancel, `c*8 + v < C`), else
       from the two sides' ranges when they do not overlap (x - y in int64 cannot overflow). */
    if (op_is(op, OPC_CMP) && dtype_is_int(x->dtype) && x->dtype != DT_INT64) {
        IrExpr *wx = widen(s, x), *wy = wx ? widen(s, y) : NULL;
        if (wy) {
            IrExpr tmp = *e;
            tmp.a = wx;
            tmp.b = wy;
            IrExpr *r = simp_compare(s, &tmp);
            if (r->kind == IE_CONST) return r;
        }
        IrRange rx = ir_range_of(x, s->r), ry = ir_range_of(y, s->r);
        if (rx.ok && ry.ok) {
            int t = range_decides(op, (IrRange){true, rx.lo - ry.hi, rx.hi - ry.lo});
            if (t >= 0) return ir_const(a, DT_BOOL, t, 0);
        }
    }
    if (x->dtype == DT_INT64) {
        IrExpr tmp = *e;
        tmp.a = x;
        tmp.b = y;
        if (op_is(op, OPC_CMP)) return simp_compare(s, &tmp);
        return simp_int64(s, &tmp);
    }
    /* identities valid in every dtype (for floats x + 0 differs only in the sign of zero) */
    switch (op) {
    case OP_ADD:
        if (is_const(y, 0)) return x;
        if (is_const(x, 0)) return y;
        break;
    case OP_SUB:
        if (is_const(y, 0)) return x;
        break;
    case OP_MUL:
        if (is_const(y, 1)) return x;
        if (is_const(x, 1)) return y;
        break;
    case OP_DIV:
        if (is_const(y, 1)) return x;
        break;
    default:
        break;
    }
    return ir_binary(a, op, x, y);
}

static IrExpr *simp_cast(S *s, IrExpr *e) {
    Arena *a = s->a;
    IrExpr *x = simp(s, e->a);
    if (x->dtype == e->dtype) return x;
    if (x->kind == IE_CONST) {
        IrExpr *f = fold_cast(a, e->dtype, x);
        if (f) return f;
    }
    /* int64(int32(v)) with v an int64 known to fit: v */
    if (e->dtype == DT_INT64 && x->kind == IE_CAST && x->a->dtype == DT_INT64 &&
        dtype_is_int(x->dtype) && dtype_is_signed(x->dtype)) {
        IrRange rr = ir_range_of(x->a, s->r);
        int bits = dtype_bits(x->dtype);
        int64_t lim = bits >= 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1;
        if (rr.ok && rr.lo >= -lim - 1 && rr.hi <= lim) return x->a;
    }
    return ir_cast(a, e->dtype, x);
}

static IrExpr *simp(S *s, IrExpr *e) {
    Arena *a = s->a;
    switch (e->kind) {
    case IE_CONST:
    case IE_VAR:
        return e;
    case IE_LOAD:
        return ir_load(a, e->buf, simp(s, e->a));
    case IE_UNARY: {
        IrExpr *x = simp(s, e->a);
        if (x->kind == IE_CONST) {
            if (e->op == OP_NOT) return ir_const(a, DT_BOOL, !x->ival, 0);
            if (dtype_is_float(x->dtype)) return ir_const(a, x->dtype, 0, -x->fval);
            return ir_const(a, x->dtype, scalar_wrap(x->dtype, (int64_t)(0 - (uint64_t)x->ival)),
                            0);
        }
        if (e->op == OP_NOT && x->kind == IE_UNARY && x->op == OP_NOT) return x->a;
        if (e->op == OP_NEG && x->dtype == DT_INT64) {
            Lin l = lin_of(a, ir_unary(a, OP_NEG, x));
            if (l.ok) return lin_build(a, &l);
        }
        return ir_unary(a, e->op, x);
    }
    case IE_BINARY:
        return simp_binary(s, e);
    case IE_SELECT: {
        IrExpr *c = simp(s, e->a);
        int64_t v;
        if (ir_const_int(c, &v)) return simp(s, v ? e->b : e->c);
        IrExpr *x = simp(s, e->b), *y = simp(s, e->c);
        if (ir_expr_equal(x, y)) return x;
        return ir_select(a, c, x, y);
    }
    case IE_CALL:
        return ir_call(a, e->fn, simp(s, e->a));
    case IE_CAST:
        return simp_cast(s, e);
    }
    return e;
}

IrExpr *pass_simplify_expr(Arena *a, IrExpr *e, const IrRanges *r) {
    S s = {a, r};
    return simp(&s, e);
}

bool pass_simplify_coeff(Arena *a, IrExpr *e, const IrVar *v, int64_t *coef) {
    *coef = 0;
    if (e->dtype != DT_INT64) return !ir_expr_uses(e, v);
    Lin l = lin_of(a, e);
    if (!l.ok) return false;
    for (int i = 0; i < l.n; i++) {
        if (l.t[i].atom->kind == IE_VAR && l.t[i].atom->var == v)
            *coef = l.t[i].c;
        else if (ir_expr_uses(l.t[i].atom, v))
            return false;
    }
    return true;
}

/* ---- statements ---- */

typedef struct P {
    Arena *a;
    IrRanges r;
} P;

static bool is_empty(const IrStmt *s) {
    return !s || (s->kind == IS_BLOCK && s->n == 0);
}

static IrStmt *empty(Arena *a) {
    return ir_block(a, NULL, 0);
}

static IrStmt *stmt(P *p, IrStmt *s);

static IrStmt *block(P *p, IrStmt *s) {
    int cap = s->n, n = 0;
    IrStmt **out = ARENA_ARRAY(p->a, IrStmt *, cap ? cap : 1);
    for (int i = 0; i < s->n; i++) {
        IrStmt *c = stmt(p, s->stmts[i]);
        if (is_empty(c)) continue;
        if (c->kind == IS_BLOCK) {
            out = arena_grow(p->a, out, (size_t)cap, (size_t)(cap + c->n), sizeof *out);
            cap += c->n;
            for (int j = 0; j < c->n; j++) out[n++] = c->stmts[j];
        } else {
            out[n++] = c;
        }
    }
    if (n == 1) return out[0];
    return ir_block(p->a, out, n);
}

static IrStmt *stmt(P *p, IrStmt *s) {
    Arena *a = p->a;
    if (!s) return empty(a);
    switch (s->kind) {
    case IS_FOR: {
        IrExpr *mn = pass_simplify_expr(a, s->min, &p->r);
        IrExpr *ext = pass_simplify_expr(a, s->extent, &p->r);
        int64_t e;
        if (ir_const_int(ext, &e) && e <= 0) return empty(a);
        IrRange rm = ir_range_of(mn, &p->r), re = ir_range_of(ext, &p->r);
        if (rm.ok && re.ok && re.hi >= 1 && !__builtin_add_overflow(rm.hi, re.hi - 1, &e))
            ir_ranges_set(a, &p->r, s->var, rm.lo, e);
        IrStmt *body = stmt(p, s->body);
        if (is_empty(body)) return empty(a);
        return ir_for(a, s->var, mn, ext, s->for_kind, body);
    }
    case IS_LET: {
        IrExpr *v = pass_simplify_expr(a, s->value, &p->r);
        IrRange rv = ir_range_of(v, &p->r);
        if (rv.ok) ir_ranges_set(a, &p->r, s->var, rv.lo, rv.hi);
        IrStmt *body = stmt(p, s->body);
        if (is_empty(body)) return empty(a);
        return ir_let(a, s->var, v, body);
    }
    case IS_STORE:
        return ir_store(a, s->buf, pass_simplify_expr(a, s->index, &p->r),
                        pass_simplify_expr(a, s->value, &p->r));
    case IS_IF: {
        IrExpr *c = pass_simplify_expr(a, s->cond, &p->r);
        int64_t v;
        if (ir_const_int(c, &v)) return stmt(p, v ? s->body : s->orelse);
        IrStmt *t = stmt(p, s->body), *f = s->orelse ? stmt(p, s->orelse) : NULL;
        if (is_empty(f)) f = NULL;
        if (is_empty(t) && !f) return empty(a);
        if (is_empty(t)) return ir_if(a, ir_unary(a, OP_NOT, c), f, NULL);
        return ir_if(a, c, t, f);
    }
    case IS_ALLOC: {
        IrStmt *body = stmt(p, s->body);
        if (is_empty(body)) return empty(a);
        return ir_alloc(a, s->buf, body);
    }
    case IS_BLOCK:
        return block(p, s);
    }
    return s;
}

void pass_simplify(Arena *a, IrFunc *f) {
    P p = {a, {0}};
    f->body = stmt(&p, f->body);
}
