/* The reference evaluator: compiles each compute body of a bound instance into a small typed
 * tree (loads with affine, provably in-bounds indices become one dot product) and walks it at
 * every point of the stage, in declaration order, a large stage's points split among one thread
 * per core. Also the random filler and the comparator. */
#include "lang/eval.h"
#include "lang/scalar.h"
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Node kinds of the compiled tree. F* nodes give a double (float32 results already rounded
 * to float), I* nodes an int64 already wrapped to the node's dtype (bool is 0/1). */
typedef enum NK {
    /* float results */
    F_CONST,
    F_LOAD_AFF,
    F_LOAD,
    F_NEG,
    F_ARITH, /* op: scalar_farith */
    F_SELECT,
    F_CALL,
    F_FROM_F,
    F_FROM_I,
    /* integer and bool results */
    I_CONST,
    I_VAR,
    I_LOAD_AFF,
    I_LOAD,
    I_NEG,
    I_NOT,
    I_ARITH, /* op: scalar_iarith */
    I_ABS,
    I_SELECT,
    I_AND,
    I_OR,
    I_FROM_I,
    I_FROM_F,
    I_ICMP, /* op: comparison of two integer operands */
    I_FCMP, /* op: comparison of two float operands */
} NK;

typedef struct ENode ENode;
struct ENode {
    NK k;
    DType t;  /* result dtype */
    bool f32; /* float result rounded to float after the operation */
    Op op;    /* F_ARITH, I_ARITH, I_ICMP, I_FCMP */
    MathFn fn;
    int64_t ival;
    double fval;
    ENode *a, *b, *c;
    /* loads */
    int stage;
    DType lt;  /* element dtype of the loaded tensor */
    int nterm; /* *_LOAD_AFF: flat offset = off0 + sum coef[i] * ax[axis[i]] */
    int *axis;
    int64_t *coef, off0;
    ENode **idx;     /* *_LOAD: one index per dimension, checked at run time */
    const Expr *src; /* for the out-of-bounds message */
};

/* Evaluation state of one instance. */
typedef struct Ctx {
    const Inst *in;
    void **buf;  /* per stage: its buffer */
    int64_t *ax; /* current value of each axis of the stage being computed */
    bool oob;    /* an out-of-bounds read happened (the first one described in msg) */
    char msg[512];
    Arena *arena;
    const Stage *cur; /* stage being compiled / computed */
} Ctx;

/* ---- scalar semantics --------------------------------------------------------------------- */

static double rnd(bool f32, double x) {
    return f32 ? (double)(float)x : x;
}

static double loadf(DType t, const void *p, int64_t off) {
    if (t == DT_FLOAT32) return ((const float *)p)[off];
    return ((const double *)p)[off];
}

static int64_t loadi(DType t, const void *p, int64_t off) {
    switch (t) {
    case DT_BOOL:
        return ((const bool *)p)[off];
    case DT_INT8:
        return ((const int8_t *)p)[off];
    case DT_INT16:
        return ((const int16_t *)p)[off];
    case DT_INT32:
        return ((const int32_t *)p)[off];
    case DT_UINT8:
        return ((const uint8_t *)p)[off];
    default:
        return ((const int64_t *)p)[off];
    }
}

/* ---- the tree walk ------------------------------------------------------------------------ */

static double evf(const ENode *n, Ctx *c);
static int64_t evi(const ENode *n, Ctx *c);

static int64_t aff_offset(const ENode *n, const Ctx *c) {
    int64_t off = n->off0;
    for (int i = 0; i < n->nterm; i++) off += n->coef[i] * c->ax[n->axis[i]];
    return off;
}

/* A load whose indices were not proven in bounds: check every one. Returns -1 after
 * reporting the first out-of-bounds read of the run. */
static int64_t checked_offset(const ENode *n, Ctx *c) {
    const Stage *s = &c->in->stages[n->stage];
    uint64_t off = 0; /* only meaningful when every index is in bounds */
    int64_t iv[64];
    bool bad = false;
    for (int d = 0; d < s->ndim; d++) {
        int64_t v = evi(n->idx[d], c);
        if (d < 64) iv[d] = v;
        if (v < 0 || v >= s->shape[d]) bad = true;
        off = off * (uint64_t)s->shape[d] + (uint64_t)v;
    }
    if (!bad) return (int64_t)off;
    if (!c->oob) {
        c->oob = true;
        /* kept, not printed: of the threads' first reads out of bounds, the one a sequential
         * walk meets first is reported */
        char *m = c->msg;
        size_t cap = sizeof c->msg, k = 0;
#define OUT(...)                                                                                   \
    (k += (size_t)snprintf(m + (k < cap ? k : cap), k < cap ? cap - k : 0, __VA_ARGS__))
        OUT("error: index out of bounds reading %s[", s->name);
        for (int d = 0; d < s->ndim && d < 64; d++) OUT("%s%" PRId64, d ? ", " : "", iv[d]);
        OUT("] (shape (");
        for (int d = 0; d < s->ndim; d++) OUT("%s%" PRId64, d ? ", " : "", s->shape[d]);
        OUT(")) while computing %s at (", c->cur->name);
        for (int d = 0; d < c->cur->ndim + c->cur->nreduce; d++)
            OUT("%s%s=%" PRId64, d ? ", " : "", c->cur->axes[d].name, c->ax[d]);
        OUT("), read at line %d column %d", n->src->loc.line, n->src->loc.col);
#undef OUT
    }
    return -1;
}

static double evf(const ENode *n, Ctx *c) {
    switch (n->k) {
    case F_CONST:
        return n->fval;
    case F_LOAD_AFF:
        return loadf(n->lt, c->buf[n->stage], aff_offset(n, c));
    case F_LOAD: {
        int64_t off = checked_offset(n, c);
        return off < 0 ? 0.0 : loadf(n->lt, c->buf[n->stage], off);
    }
    case F_NEG:
        return -evf(n->a, c);
    case F_ARITH: {
        double x = evf(n->a, c);
        return scalar_farith(n->op, n->f32, x, evf(n->b, c));
    }
    case F_SELECT:
        return evi(n->a, c) ? evf(n->b, c) : evf(n->c, c);
    case F_CALL:
        return scalar_math(n->fn, n->f32, evf(n->a, c));
    case F_FROM_F:
        return rnd(n->f32, evf(n->a, c));
    case F_FROM_I:
        return rnd(n->f32, (double)evi(n->a, c));
    default:
        TEC_BUG("evaluator: integer node %d in a float context", (int)n->k);
    }
}

static int64_t evi(const ENode *n, Ctx *c) {
    switch (n->k) {
    case I_CONST:
        return n->ival;
    case I_VAR:
        return c->ax[n->ival];
    case I_LOAD_AFF:
        return loadi(n->lt, c->buf[n->stage], aff_offset(n, c));
    case I_LOAD: {
        int64_t off = checked_offset(n, c);
        return off < 0 ? 0 : loadi(n->lt, c->buf[n->stage], off);
    }
    case I_NEG:
        return scalar_ineg(n->t, evi(n->a, c));
    case I_NOT:
        return evi(n->a, c) == 0;
    case I_ARITH: {
        int64_t x = evi(n->a, c);
        return scalar_iarith(n->op, n->t, x, evi(n->b, c));
    }
    case I_ABS:
        return scalar_iabs(n->t, evi(n->a, c));
    case I_SELECT:
        return evi(n->a, c) ? evi(n->b, c) : evi(n->c, c);
    case I_AND:
        return evi(n->a, c) && evi(n->b, c);
    case I_OR:
        return evi(n->a, c) || evi(n->b, c);
    case I_FROM_I:
        return scalar_wrap(n->t, evi(n->a, c));
    case I_FROM_F: {
        double x = evf(n->a, c);
        return n->t == DT_BOOL ? x != 0.0 : scalar_wrap(n->t, scalar_f2i(x));
    }
    case I_ICMP: {
        int64_t x = evi(n->a, c);
        return scalar_icmp(n->op, x, evi(n->b, c));
    }
    case I_FCMP: {
        double x = evf(n->a, c);
        return scalar_fcmp(n->op, x, evf(n->b, c));
    }
    default:
        TEC_BUG("evaluator: float node %d in an integer context", (int)n->k);
    }
}

/* ---- compiling expressions ---------------------------------------------------------------- */

static ENode *node(Ctx *c, NK k, DType t) {
    ENode *n = ARENA_NEW(c->arena, ENode);
    n->k = k;
    n->t = t;
    n->f32 = t == DT_FLOAT32;
    return n;
}

/* An index expression as an affine form over the stage's axes, with its range over the axes'
 * ranges. Only built when no intermediate value can leave its dtype's range, so the form is
 * exactly what the expression computes. */
typedef struct Affine {
    int64_t *coef; /* per axis */
    int64_t k;
    int64_t lo, hi;
} Affine;

static bool fits(DType t, int64_t lo, int64_t hi) {
    switch (t) {
    case DT_INT8:
        return lo >= INT8_MIN && hi <= INT8_MAX;
    case DT_INT16:
        return lo >= INT16_MIN && hi <= INT16_MAX;
    case DT_INT32:
        return lo >= INT32_MIN && hi <= INT32_MAX;
    case DT_UINT8:
        return lo >= 0 && hi <= UINT8_MAX;
    case DT_INT64:
        return true;
    default:
        return false;
    }
}

/* lo/hi of coef * [amin, amax], false on overflow. */
static bool scale_range(int64_t coef, int64_t amin, int64_t amax, int64_t *lo, int64_t *hi) {
    int64_t p, q;
    if (__builtin_mul_overflow(coef, amin, &p) || __builtin_mul_overflow(coef, amax, &q))
        return false;
    *lo = p < q ? p : q;
    *hi = p < q ? q : p;
    return true;
}

static bool affine_range(const Ctx *c, Affine *f) {
    int na = c->cur->ndim + c->cur->nreduce;
    int64_t lo = f->k, hi = f->k;
    for (int a = 0; a < na; a++) {
        if (!f->coef[a]) continue;
        const Axis *x = &c->cur->axes[a];
        int64_t l, h;
        if (x->extent <= 0) continue; /* never iterated: contributes nothing reachable */
        if (!scale_range(f->coef[a], x->min, x->min + x->extent - 1, &l, &h)) return false;
        if (__builtin_add_overflow(lo, l, &lo) || __builtin_add_overflow(hi, h, &hi)) return false;
    }
    f->lo = lo;
    f->hi = hi;
    return true;
}

static bool affine(Ctx *c, const Expr *e, Affine *f) {
    int na = c->cur->ndim + c->cur->nreduce;
    f->coef = ARENA_ARRAY(c->arena, int64_t, na);
    f->k = 0;
    if (!dtype_is_int(e->dtype)) return false;
    switch (e->kind) {
    case EX_CONST:
        f->k = e->ival;
        break;
    case EX_VAR:
        if (e->axis < 0 || e->axis >= na) return false;
        f->coef[e->axis] = 1;
        break;
    case EX_CAST:
        if (!affine(c, e->a, f)) return false;
        break;
    case EX_UNARY: {
        if (e->op != OP_NEG || !affine(c, e->a, f)) return false;
        if (f->k == INT64_MIN) return false;
        f->k = -f->k;
        for (int a = 0; a < na; a++) {
            if (f->coef[a] == INT64_MIN) return false;
            f->coef[a] = -f->coef[a];
        }
        break;
    }
    case EX_BINARY: {
        Affine g;
        if (e->op != OP_ADD && e->op != OP_SUB && e->op != OP_MUL) return false;
        if (!affine(c, e->a, f) || !affine(c, e->b, &g)) return false;
        if (e->op == OP_MUL) {
            /* one side must be constant */
            bool fc = true, gc = true;
            for (int a = 0; a < na; a++) fc &= f->coef[a] == 0, gc &= g.coef[a] == 0;
            if (!fc && !gc) return false;
            int64_t s = fc ? f->k : g.k;
            Affine *v = fc ? &g : f;
            for (int a = 0; a < na; a++)
                if (__builtin_mul_overflow(v->coef[a], s, &f->coef[a])) return false;
            if (__builtin_mul_overflow(v->k, s, &f->k)) return false;
        } else {
            for (int a = 0; a < na; a++) {
                bool o = e->op == OP_ADD
                             ? __builtin_add_overflow(f->coef[a], g.coef[a], &f->coef[a])
                             : __builtin_sub_overflow(f->coef[a], g.coef[a], &f->coef[a]);
                if (o) return false;
            }
            bool o = e->op == OP_ADD ? __builtin_add_overflow(f->k, g.k, &f->k)
                                     : __builtin_sub_overflow(f->k, g.k, &f->k);
            if (o) return false;
        }
        break;
    }
    default:
        return false;
    }
    /* no wrap-around anywhere in this subexpression */
    return affine_range(c, f) && fits(e->dtype, f->lo, f->hi);
}

static ENode *compile(Ctx *c, const Expr *e);

/* e converted to dtype t with the cast semantics (a no-op when it already has it). */
static ENode *convert(Ctx *c, ENode *x, DType from, DType t) {
    if (from == t) return x;
    ENode *n;
    if (dtype_is_float(t))
        n = node(c, dtype_is_float(from) ? F_FROM_F : F_FROM_I, t);
    else
        n = node(c, dtype_is_float(from) ? I_FROM_F : I_FROM_I, t);
    n->a = x;
    return n;
}

static ENode *compile_load(Ctx *c, const Expr *e) {
    const Stage *s = &c->in->stages[e->stage];
    bool fl = dtype_is_float(s->dtype);
    ENode *n = node(c, fl ? F_LOAD : I_LOAD, s->dtype);
    n->stage = e->stage;
    n->lt = s->dtype;
    n->src = e;
    if (e->nargs != s->ndim) TEC_BUG("evaluator: %s read with %d indices", s->name, e->nargs);
    /* Affine and provably in bounds: fold into one flat offset. */
    int na = c->cur->ndim + c->cur->nreduce;
    int64_t *flat = ARENA_ARRAY(c->arena, int64_t, na);
    int64_t k = 0;
    bool ok = true;
    for (int d = 0; d < s->ndim && ok; d++) {
        Affine f;
        ok = affine(c, e->args[d], &f) && f.lo >= 0 && f.hi < s->shape[d];
        /* flat = flat * shape[d] + f; the total stays below the tensor's size */
        for (int a = 0; a < na && ok; a++)
            ok = !__builtin_mul_overflow(flat[a], s->shape[d], &flat[a]) &&
                 !__builtin_add_overflow(flat[a], f.coef[a], &flat[a]);
        ok = ok && !__builtin_mul_overflow(k, s->shape[d], &k) &&
             !__builtin_add_overflow(k, f.k, &k);
    }
    if (ok) {
        n->k = fl ? F_LOAD_AFF : I_LOAD_AFF;
        n->axis = ARENA_ARRAY(c->arena, int, na);
        n->coef = ARENA_ARRAY(c->arena, int64_t, na);
        for (int a = 0; a < na; a++)
            if (flat[a]) {
                n->axis[n->nterm] = a;
                n->coef[n->nterm++] = flat[a];
            }
        n->off0 = k;
        return n;
    }
    n->idx = ARENA_ARRAY(c->arena, ENode *, s->ndim);
    for (int d = 0; d < s->ndim; d++) {
        const Expr *x = e->args[d];
        if (!dtype_is_int(x->dtype))
            TEC_BUG("evaluator: %s index of dtype %s", s->name, dtype_name(x->dtype));
        n->idx[d] = compile(c, x); /* integer nodes already give int64 */
    }
    return n;
}

/* Both operands of a binary node, converted to dtype t. */
static ENode *operands(Ctx *c, ENode *n, const Expr *e, DType t) {
    n->op = e->op;
    n->a = convert(c, compile(c, e->a), e->a->dtype, t);
    n->b = convert(c, compile(c, e->b), e->b->dtype, t);
    return n;
}

/* A binary operator, by its class in lang/ops.h. */
static ENode *compile_binary(Ctx *c, const Expr *e) {
    bool ofl = dtype_is_float(e->a->dtype);
    switch (op_info(e->op)->cls) {
    case OPC_CMP:
        return operands(c, node(c, ofl ? I_FCMP : I_ICMP, DT_BOOL), e, e->a->dtype);
    case OPC_LOGIC:
        return operands(c, node(c, e->op == OP_AND ? I_AND : I_OR, DT_BOOL), e, DT_BOOL);
    case OPC_ARITH:
        if (op_info(e->op)->arity != 2) break;
        return operands(c, node(c, dtype_is_float(e->dtype) ? F_ARITH : I_ARITH, e->dtype), e,
                        e->dtype);
    }
    TEC_BUG("evaluator: binary operator %s", op_name(e->op));
}

static ENode *compile_call(Ctx *c, const Expr *e) {
    ENode *x = convert(c, compile(c, e->a), e->a->dtype, e->dtype);
    if (!dtype_is_float(e->dtype)) {
        if (e->fn == FN_FLOOR || e->fn == FN_CEIL) return x; /* integral already */
        if (e->fn != FN_ABS)
            TEC_BUG("evaluator: %s on %s", mathfn_name(e->fn), dtype_name(e->dtype));
    }
    ENode *n = node(c, dtype_is_float(e->dtype) ? F_CALL : I_ABS, e->dtype);
    n->fn = e->fn;
    n->a = x;
    return n;
}

static ENode *compile(Ctx *c, const Expr *e) {
    bool fl = dtype_is_float(e->dtype);
    ENode *n;
    switch (e->kind) {
    case EX_CONST:
        n = node(c, fl ? F_CONST : I_CONST, e->dtype);
        if (fl)
            n->fval = rnd(n->f32, e->fval);
        else
            n->ival = scalar_wrap(e->dtype, e->ival);
        return n;
    case EX_VAR:
        n = node(c, I_VAR, e->dtype);
        n->ival = e->axis;
        if (e->axis < 0 || e->axis >= c->cur->ndim + c->cur->nreduce)
            TEC_BUG("evaluator: axis %d out of range in %s", e->axis, c->cur->name);
        return n;
    case EX_LOAD:
        return compile_load(c, e);
    case EX_UNARY:
        if (e->op == OP_NOT) {
            n = node(c, I_NOT, DT_BOOL);
            n->a = convert(c, compile(c, e->a), e->a->dtype, DT_BOOL);
            return n;
        }
        n = node(c, fl ? F_NEG : I_NEG, e->dtype);
        n->a = compile(c, e->a);
        return n;
    case EX_BINARY:
        return compile_binary(c, e);
    case EX_SELECT:
        n = node(c, fl ? F_SELECT : I_SELECT, e->dtype);
        n->a = convert(c, compile(c, e->a), e->a->dtype, DT_BOOL);
        n->b = convert(c, compile(c, e->b), e->b->dtype, e->dtype);
        n->c = convert(c, compile(c, e->c), e->c->dtype, e->dtype);
        return n;
    case EX_CALL:
        return compile_call(c, e);
    case EX_CAST:
        return convert(c, compile(c, e->a), e->a->dtype, e->dtype);
    case EX_REDUCE:
        TEC_BUG("evaluator: reduction nested inside %s", c->cur->name);
    }
    TEC_BUG("evaluator: expression kind %d", (int)e->kind);
}

/* ---- stages ------------------------------------------------------------------------------- */

static void storef(DType t, void *p, int64_t off, double v) {
    if (t == DT_FLOAT32)
        ((float *)p)[off] = (float)v;
    else
        ((double *)p)[off] = v;
}

static void storei(DType t, void *p, int64_t off, int64_t v) {
    switch (t) {
    case DT_BOOL:
        ((bool *)p)[off] = v != 0;
        break;
    case DT_INT8:
        ((int8_t *)p)[off] = (int8_t)v;
        break;
    case DT_INT16:
        ((int16_t *)p)[off] = (int16_t)v;
        break;
    case DT_INT32:
        ((int32_t *)p)[off] = (int32_t)v;
        break;
    case DT_UINT8:
        ((uint8_t *)p)[off] = (uint8_t)v;
        break;
    default:
        ((int64_t *)p)[off] = v;
        break;
    }
}

static int64_t int_lowest(DType t) {
    switch (t) {
    case DT_BOOL:
    case DT_UINT8:
        return 0;
    case DT_INT8:
        return INT8_MIN;
    case DT_INT16:
        return INT16_MIN;
    case DT_INT32:
        return INT32_MIN;
    default:
        return INT64_MIN;
    }
}

static int64_t int_highest(DType t) {
    switch (t) {
    case DT_BOOL:
        return 1;
    case DT_UINT8:
        return UINT8_MAX;
    case DT_INT8:
        return INT8_MAX;
    case DT_INT16:
        return INT16_MAX;
    case DT_INT32:
        return INT32_MAX;
    default:
        return INT64_MAX;
    }
}

/* One value of a reduction at the current data point: the reduce axes run as an odometer,
 * the first one outermost; the innermost gets a tight loop of its own. */
/* Steps the reduce axes r0 .. rl-1 (the innermost, rl, is the caller's loop) like an odometer;
 * false once every point has been visited. */
static bool next_outer_point(Ctx *c, const Stage *s, int r0, int rl) {
    for (int r = rl - 1; r >= r0; r--) {
        if (++c->ax[r] < s->axes[r].min + s->axes[r].extent) return true;
        c->ax[r] = s->axes[r].min;
    }
    return false;
}

/* Sets the reduce axes r0 .. rl to their first point; false when one of them is empty. */
static bool first_point(Ctx *c, const Stage *s, int r0, int rl) {
    for (int r = r0; r <= rl; r++) {
        if (s->axes[r].extent <= 0) return false;
        c->ax[r] = s->axes[r].min;
    }
    return true;
}

static double reduce_f(Ctx *c, const Stage *s, ReduceOp op, const ENode *body) {
    bool f32 = s->dtype == DT_FLOAT32;
    double acc = op == RED_SUM ? 0.0 : op == RED_MAX ? -INFINITY : INFINITY;
    int r0 = s->ndim, rl = s->ndim + s->nreduce - 1;
    if (!first_point(c, s, r0, rl)) return acc;
    int64_t lmin = s->axes[rl].min, lend = lmin + s->axes[rl].extent;
    for (;;) {
        for (c->ax[rl] = lmin; c->ax[rl] < lend; c->ax[rl]++) {
            double v = evf(body, c);
            if (op == RED_SUM)
                acc = rnd(f32, acc + v);
            else if (op == RED_MAX)
                acc = v > acc ? v : acc;
            else
                acc = v < acc ? v : acc;
        }
        if (!next_outer_point(c, s, r0, rl)) return acc;
    }
}

static int64_t reduce_i(Ctx *c, const Stage *s, ReduceOp op, const ENode *body) {
    int64_t acc = op == RED_SUM ? 0 : op == RED_MAX ? int_lowest(s->dtype) : int_highest(s->dtype);
    int r0 = s->ndim, rl = s->ndim + s->nreduce - 1;
    if (!first_point(c, s, r0, rl)) return acc;
    int64_t lmin = s->axes[rl].min, lend = lmin + s->axes[rl].extent;
    for (;;) {
        for (c->ax[rl] = lmin; c->ax[rl] < lend; c->ax[rl]++) {
            int64_t v = evi(body, c);
            if (op == RED_SUM)
                acc = scalar_iarith(OP_ADD, s->dtype, acc, v);
            else if (op == RED_MAX)
                acc = v > acc ? v : acc;
            else
                acc = v < acc ? v : acc;
        }
        if (!next_outer_point(c, s, r0, rl)) return acc;
    }
}

/* A range of one stage's points, for one thread. */
typedef struct Part {
    Ctx *c; /* its own axis values and out-of-bounds state */
    const Stage *s, *vs;
    const ENode *fn;
    bool red, fl;
    ReduceOp rop;
    int64_t lo, hi;
} Part;

static bool run_points(Part *p);

static void *run_part(void *arg) {
    run_points(arg);
    return NULL;
}

/* Below this many body evaluations a stage runs on the calling thread (a thread costs tens of
 * microseconds); above it, each of up to EVAL_MAX_THREADS threads takes an equal range. */
enum { EVAL_PARALLEL_WORK = 1 << 20, EVAL_MAX_THREADS = 16 };

/* The points [0, n) of p's stage, each costing about work evaluations: split over the cores
 * when large. Threads only read the instance, the compiled tree and earlier stages, and write
 * disjoint points, so the result is the sequential one; so is the error reported. */
static bool run_parts(Part *p, int64_t n, int64_t work) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t nt = cores < 1 ? 1 : cores > EVAL_MAX_THREADS ? EVAL_MAX_THREADS : cores;
    if (n < nt || n * work < EVAL_PARALLEL_WORK) nt = 1;
    Part parts[EVAL_MAX_THREADS];
    Ctx ctxs[EVAL_MAX_THREADS];
    int64_t axes[EVAL_MAX_THREADS][64];
    pthread_t tid[EVAL_MAX_THREADS];
    bool started[EVAL_MAX_THREADS] = {false};
    int naxes = p->s->ndim + p->s->nreduce;
    if (naxes > 64) nt = 1; /* no room for a thread's axes (never seen: stages have a few) */
    for (int64_t t = 0; t < nt; t++) {
        parts[t] = *p;
        parts[t].lo = n * t / nt;
        parts[t].hi = n * (t + 1) / nt;
        if (nt > 1) {
            ctxs[t] = *p->c;
            ctxs[t].ax = axes[t];
            ctxs[t].oob = false;
            parts[t].c = &ctxs[t];
        }
    }
    for (int64_t t = 1; t < nt; t++)
        started[t] = pthread_create(&tid[t], NULL, run_part, &parts[t]) == 0;
    run_points(&parts[0]);
    for (int64_t t = 1; t < nt; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            run_points(&parts[t]); /* no thread to be had: this one does it */
    for (int64_t t = 0; t < nt; t++)
        if (parts[t].c->oob) {
            fprintf(stderr, "%s\n", parts[t].c->msg);
            p->c->oob = true;
            return false;
        }
    return true;
}

/* Compute every element of stage s into c->buf[s]. False on an out-of-bounds read. */
static bool run_stage(Ctx *c, int si) {
    const Stage *s = &c->in->stages[si];
    c->cur = s;
    const Expr *body = s->body;
    bool red = body->kind == EX_REDUCE;
    if (red && s->nreduce == 0) red = false, body = body->a; /* nothing to reduce over */
    const Expr *src = body->kind == EX_REDUCE ? body->a : body;
    /* The value is computed in the reduction's (or body's) dtype, stored in the stage's. */
    DType vt = body->kind == EX_REDUCE ? body->dtype : src->dtype;
    ENode *fn = convert(c, compile(c, src), src->dtype, vt);
    bool fl = dtype_is_float(vt);
    ReduceOp rop = body->kind == EX_REDUCE ? body->rop : RED_SUM;
    /* a copy of s with the value dtype, so the reducers combine in it */
    Stage vs = *s;
    vs.dtype = vt;

    Part part = {c, s, &vs, fn, red, fl, rop, 0, 0};
    int64_t n = 1, work = 1;
    for (int d = 0; d < s->ndim; d++) n *= s->shape[d];
    for (int r = 0; red && r < s->nreduce; r++) work *= s->axes[s->ndim + r].extent;
    return run_parts(&part, n, work);
}

/* Points [p->lo, p->hi) of stage p->s (flat, row-major) into its buffer; false once a read is
 * out of bounds (p->c->oob). */
static bool run_points(Part *p) {
    Ctx *c = p->c;
    const Stage *s = p->s;
    const ENode *fn = p->fn;
    bool red = p->red, fl = p->fl;
    ReduceOp rop = p->rop;
    if (p->lo >= p->hi) return true;
    int64_t rest = p->lo;
    for (int d = s->ndim - 1; d >= 0; d--) {
        c->ax[d] = s->axes[d].min + rest % s->axes[d].extent;
        rest /= s->axes[d].extent;
    }
    int si = (int)(s - c->in->stages);
    void *out = c->buf[si];
    bool sfl = dtype_is_float(s->dtype);
    for (int64_t o = p->lo; o < p->hi; o++) {
        if (fl) {
            double v = red ? reduce_f(c, p->vs, rop, fn) : evf(fn, c);
            if (sfl)
                storef(s->dtype, out, o, v);
            else
                storei(s->dtype, out, o,
                       s->dtype == DT_BOOL ? v != 0.0 : scalar_wrap(s->dtype, scalar_f2i(v)));
        } else {
            int64_t v = red ? reduce_i(c, p->vs, rop, fn) : evi(fn, c);
            if (sfl)
                storef(s->dtype, out, o, (double)v);
            else
                storei(s->dtype, out, o, scalar_wrap(s->dtype, v));
        }
        if (c->oob) return false;
        for (int d = s->ndim - 1; d >= 0; d--) {
            if (++c->ax[d] < s->axes[d].min + s->axes[d].extent) break;
            c->ax[d] = s->axes[d].min;
        }
    }
    return true;
}

static bool stage_bytes(const Stage *s, size_t *bytes) {
    uint64_t n = 1;
    for (int d = 0; d < s->ndim; d++)
        if (s->shape[d] < 0 || __builtin_mul_overflow(n, (uint64_t)s->shape[d], &n)) return false;
    return !__builtin_mul_overflow(n, dtype_size(s->dtype), bytes);
}

bool eval_run(const Inst *in, void *const *args) {
    Ctx c = {.in = in, .arena = arena_new()};
    c.buf = ARENA_ARRAY(c.arena, void *, in->nstages + 1);
    bool *owned = ARENA_ARRAY(c.arena, bool, in->nstages + 1);
    int maxax = 1;
    for (int i = 0; i < in->nstages; i++) {
        const Stage *s = &in->stages[i];
        if (s->kind == STAGE_COMPUTE && s->ndim + s->nreduce > maxax) maxax = s->ndim + s->nreduce;
    }
    c.ax = ARENA_ARRAY(c.arena, int64_t, maxax);
    bool ok = true;
    for (int i = 0; i < in->nstages && ok; i++) {
        const Stage *s = &in->stages[i];
        if (s->arg_index >= 0) {
            c.buf[i] = args[s->arg_index];
        } else if (s->kind == STAGE_COMPUTE) {
            size_t bytes;
            c.buf[i] = stage_bytes(s, &bytes) ? malloc(bytes ? bytes : 1) : NULL;
            owned[i] = c.buf[i] != NULL;
            if (!c.buf[i]) {
                fprintf(stderr, "error: out of memory for intermediate stage %s\n", s->name);
                ok = false;
            }
        }
        if (ok && s->kind == STAGE_COMPUTE) ok = run_stage(&c, i);
    }
    for (int i = 0; i < in->nstages; i++)
        if (owned[i]) free(c.buf[i]);
    arena_free(c.arena);
    return ok;
}

/* ---- random inputs and comparison --------------------------------------------------------- */

/* splitmix64: a tiny, good, reproducible generator. */
static uint64_t next_rand(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void eval_fill_random(DType t, void *buf, int64_t n, uint64_t *seed) {
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = next_rand(seed);
        switch (t) {
        /* multiples of 2^-23 (2^-52): exactly representable, uniform in [-1, 1) */
        case DT_FLOAT32:
            ((float *)buf)[i] = (float)((double)(r >> 40) * 0x1p-23 - 1.0);
            break;
        case DT_FLOAT64:
            ((double *)buf)[i] = (double)(r >> 11) * 0x1p-52 - 1.0;
            break;
        case DT_BOOL:
            ((bool *)buf)[i] = r >> 63;
            break;
        case DT_UINT8:
            ((uint8_t *)buf)[i] = (uint8_t)(r >> 60);
            break;
        default:
            storei(t, buf, i, (int64_t)(r >> 60) - 8);
            break;
        }
    }
}

/* Float tolerance: rtol = base * (1 + sqrt(red_len)), base = 1e-5 for float32 (about 84 ulps)
 * and the same number of ulps for float64; atol = rtol * max|ref| over the whole output, since
 * a reordered sum errs in proportion to the typical magnitude of its terms, not of its result
 * (an element that cancels to near zero keeps the absolute error of its neighbours). A wrong
 * index or a lost term changes an element by about one term's size and is far outside this. */
bool eval_compare(DType t, const void *got, const void *ref, int64_t n, int64_t red_len, char *why,
                  size_t whylen) {
    return eval_compare_at(t, t, got, ref, n, red_len, why, whylen);
}

bool eval_compare_at(DType t, DType prec, const void *got, const void *ref, int64_t n,
                     int64_t red_len, char *why, size_t whylen) {
    if (why && whylen) why[0] = '\0';
    if (!dtype_is_float(t)) {
        for (int64_t i = 0; i < n; i++) {
            int64_t g = loadi(t, got, i), r = loadi(t, ref, i);
            if (t == DT_BOOL) g = g != 0, r = r != 0;
            if (g != r) {
                if (why)
                    snprintf(why, whylen, "element %" PRId64 ": got %" PRId64 ", expected %" PRId64,
                             i, g, r);
                return false;
            }
        }
        return true;
    }
    double eps = t == DT_FLOAT32 || prec == DT_FLOAT32 ? FLT_EPSILON : DBL_EPSILON;
    double rtol = 1e-5 / FLT_EPSILON * eps * (1.0 + sqrt(red_len > 1 ? (double)red_len : 1.0));
    double scale = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double r = fabs(loadf(t, ref, i));
        if (isfinite(r) && r > scale) scale = r;
    }
    double atol = rtol * scale;
    for (int64_t i = 0; i < n; i++) {
        double g = loadf(t, got, i), r = loadf(t, ref, i);
        bool ok;
        if (isnan(r) || isnan(g))
            ok = isnan(r) && isnan(g);
        else if (isinf(r) || isinf(g))
            ok = g == r;
        else
            ok = fabs(g - r) <= atol + rtol * fabs(r);
        if (!ok) {
            if (why)
                snprintf(why, whylen,
                         "element %" PRId64 ": got %.9g, expected %.9g (difference %.3g, "
                         "tolerance %.3g)",
                         i, g, r, fabs(g - r), atol + rtol * fabs(r));
            return false;
        }
    }
    return true;
}
