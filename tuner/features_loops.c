/* Loop features of a lowered loop nest (AutoTVM's GetItervarFeatureFlatten and
 * GetCurveSampleFeatureFlatten, reworked for tec's IR). Takes an IrFunc; gives a fixed-length
 * vector. Numbers are log2(x + 1) as AutoTVM's take_log. Per loop (first occurrence order):
 *   extent, nest level (1 = outermost), topdown (product of extents from the root down to it),
 *   bottomup (the most iterations any access makes inside it), one-hot kind (serial, unrolled,
 *   vectorized, parallel), value arithmetic executed inside it (add/sub, mul, div/other);
 *   per access slot: stride of the loop's variable in the index (0: not used: the access is
 *   reused across it), count (product of the extents inside the loop, itself included, whose
 *   variable the index uses: AutoTVM's count), bytes touched (distinct elements, from the
 *   affine index's span when smaller than count, times the element size), reuse (product of
 *   the other extents: AutoTVM's reuse) and data-reuse ratio (executions per distinct element).
 * Curve: per access slot, its loops outer to inner give points (count, reuse), (reuse, count),
 * (count, topdown), (topdown, count) and (bytes, reuse); each curve, sorted by x and starting at
 * (0, 0), is sampled at x = 0..FEAT_CURVE_SAMPLES-1: (y of the last point at or below x,
 * x minus that point's x), as AutoTVM's sample_curve. Unlike AutoTVM, the pairs stay together
 * (AutoTVM sorts x and y separately) and every access is kept, not only the innermost ones. */
#include "tuner/features_loops.h"
#include "compiler/ir_util.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LOOP_ATTRS = 11, ACC_ATTRS = 5, CURVES = 5 };

typedef struct Loop {
    int64_t extent;
    int depth; /* 1 = outermost */
    ForKind kind;
    double topdown, bottomup;
    double ops[3]; /* add/sub, mul, div and others */
} Loop;

typedef struct Access {
    const IrBuf *buf;
    int occ; /* occurrence of the buffer, in IR order */
    const IrExpr *index;
    int nenc;
    int *enc; /* enclosing loops, outer to inner */
} Access;

typedef struct Walk {
    Arena *a;
    Loop *loops;
    int nloops, cap_loops;
    Access *acc;
    int nacc, cap_acc;
    int *stack;
    int depth, cap_stack;
    const IrVar **loop_var; /* per loop */
    const IrExpr **lets;    /* by variable id: a let's value (indices see through lets) */
    int nvars;
    IrRanges rg;
} Walk;

bool feature_kind_parse(const char *name, FeatureKind *k) {
    static const char *const names[] = {"knob", "itervar", "curve"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *k = (FeatureKind)i;
            return true;
        }
    return false;
}

const char *feature_kind_name(FeatureKind k) {
    return k == FEATURES_ITERVAR ? "itervar" : k == FEATURES_CURVE ? "curve" : "knob";
}

int loop_features_dim(FeatureKind k) {
    if (k == FEATURES_CURVE) return FEAT_MAX_ACCESSES * CURVES * 2 * FEAT_CURVE_SAMPLES;
    return FEAT_MAX_LOOPS * (LOOP_ATTRS + FEAT_MAX_ACCESSES * ACC_ATTRS);
}

static float lg(double x) {
    return x < 0 ? -(float)log2(1 - x) : (float)log2(x + 1);
}

/* ---- the walk: loops and accesses ---- */

static void count_op(Walk *w, int cat) {
    double prod = 1;
    for (int k = w->depth - 1; k >= 0; k--) {
        Loop *l = &w->loops[w->stack[k]];
        prod *= (double)l->extent;
        l->ops[cat] += prod;
    }
}

static void add_access(Walk *w, const IrBuf *b, const IrExpr *index) {
    if (w->nacc == w->cap_acc) {
        w->cap_acc = w->cap_acc ? 2 * w->cap_acc : 16;
        w->acc = xrealloc(w->acc, sizeof *w->acc * (size_t)w->cap_acc);
    }
    int occ = 0;
    for (int i = 0; i < w->nacc; i++) occ += w->acc[i].buf == b;
    Access *a = &w->acc[w->nacc++];
    *a = (Access){.buf = b, .occ = occ, .index = index, .nenc = w->depth};
    a->enc = ARENA_ARRAY(w->a, int, w->depth ? w->depth : 1);
    memcpy(a->enc, w->stack, sizeof *a->enc * (size_t)w->depth);
}

static void walk_expr(Walk *w, const IrExpr *e) {
    for (; e; e = e->a) {
        switch (e->kind) {
        case IE_LOAD:
            add_access(w, e->buf, e->a);
            break;
        case IE_BINARY:
            /* value arithmetic only: index arithmetic is the compiler's business */
            if (e->dtype != DT_INT64 && e->dtype != DT_BOOL)
                count_op(w, e->op == OP_ADD || e->op == OP_SUB ? 0 : e->op == OP_MUL ? 1 : 2);
            break;
        case IE_CALL:
            count_op(w, 2);
            break;
        default:
            break;
        }
        walk_expr(w, e->b);
        walk_expr(w, e->c);
    }
}

static int64_t extent_of(Walk *w, const IrExpr *e) {
    int64_t v;
    if (ir_const_int(e, &v)) return v > 0 ? v : 0;
    IrRange r = ir_range_of(e, &w->rg);
    return r.ok && r.hi > 0 ? r.hi : 1; /* unknown: one trip, never a failure */
}

static void walk_stmt(Walk *w, const IrStmt *s) {
    if (!s) return;
    switch (s->kind) {
    case IS_FOR: {
        walk_expr(w, s->min);
        walk_expr(w, s->extent);
        if (w->nloops == w->cap_loops) {
            w->cap_loops = w->cap_loops ? 2 * w->cap_loops : 32;
            w->loops = xrealloc(w->loops, sizeof *w->loops * (size_t)w->cap_loops);
            w->loop_var = xrealloc(w->loop_var, sizeof *w->loop_var * (size_t)w->cap_loops);
        }
        if (w->depth == w->cap_stack) {
            w->cap_stack = w->cap_stack ? 2 * w->cap_stack : 32;
            w->stack = xrealloc(w->stack, sizeof *w->stack * (size_t)w->cap_stack);
        }
        int id = w->nloops++;
        int64_t ext = extent_of(w, s->extent);
        double top = w->depth ? w->loops[w->stack[w->depth - 1]].topdown : 1;
        w->loops[id] = (Loop){.extent = ext, .depth = w->depth + 1, .kind = s->for_kind};
        w->loops[id].topdown = top * (double)ext;
        w->loop_var[id] = s->var;
        IrRange mr = ir_range_of(s->min, &w->rg);
        if (mr.ok && ext > 0) ir_ranges_set(w->a, &w->rg, s->var, mr.lo, mr.hi + ext - 1);
        w->stack[w->depth++] = id;
        walk_stmt(w, s->body);
        w->depth--;
        break;
    }
    case IS_LET:
        walk_expr(w, s->value);
        if (s->var->id >= 0 && s->var->id < w->nvars) w->lets[s->var->id] = s->value;
        {
            IrRange r = ir_range_of(s->value, &w->rg);
            if (r.ok) ir_ranges_set(w->a, &w->rg, s->var, r.lo, r.hi);
        }
        walk_stmt(w, s->body);
        break;
    case IS_STORE:
        walk_expr(w, s->index);
        walk_expr(w, s->value);
        add_access(w, s->buf, s->index);
        break;
    case IS_IF:
        walk_expr(w, s->cond);
        walk_stmt(w, s->body);
        walk_stmt(w, s->orelse);
        break;
    case IS_ALLOC:
        walk_stmt(w, s->body);
        break;
    case IS_BLOCK:
        for (int i = 0; i < s->n; i++) walk_stmt(w, s->stmts[i]);
        break;
    }
}

/* ---- strides ---- */

/* v occurs in e, through lets. */
static bool uses(const Walk *w, const IrExpr *e, const IrVar *v, int fuel) {
    if (!e) return false;
    if (fuel <= 0) return true; /* deep let chains: assume it does (a stride of 1) */
    if (e->kind == IE_VAR) {
        if (e->var == v || e->var->id == v->id) return true;
        return e->var->id >= 0 && e->var->id < w->nvars && w->lets[e->var->id] &&
               uses(w, w->lets[e->var->id], v, fuel - 1);
    }
    return uses(w, e->a, v, fuel - 1) || uses(w, e->b, v, fuel - 1) || uses(w, e->c, v, fuel - 1);
}

/* The coefficient of v in e when e is affine in v (true), through lets; false otherwise. */
static bool coef(const Walk *w, const IrExpr *e, const IrVar *v, int64_t *c, int fuel) {
    *c = 0;
    if (fuel <= 0) return false;
    switch (e->kind) {
    case IE_CONST:
        return true;
    case IE_VAR:
        if (e->var == v || e->var->id == v->id) {
            *c = 1;
            return true;
        }
        if (e->var->id >= 0 && e->var->id < w->nvars && w->lets[e->var->id])
            return coef(w, w->lets[e->var->id], v, c, fuel - 1);
        return true;
    case IE_BINARY: {
        int64_t ca, cb, k;
        if (e->op == OP_ADD || e->op == OP_SUB) {
            if (!coef(w, e->a, v, &ca, fuel - 1) || !coef(w, e->b, v, &cb, fuel - 1)) return false;
            *c = e->op == OP_ADD ? ca + cb : ca - cb;
            return true;
        }
        if (e->op == OP_MUL) {
            if (ir_const_int(e->b, &k) && coef(w, e->a, v, &ca, fuel - 1)) {
                *c = ca * k;
                return true;
            }
            if (ir_const_int(e->a, &k) && coef(w, e->b, v, &cb, fuel - 1)) {
                *c = cb * k;
                return true;
            }
        }
        break;
    }
    default:
        break;
    }
    /* not affine: 0 only if v does not occur */
    if (!uses(w, e, v, fuel)) return true;
    return false;
}

/* ---- per access, per enclosing loop ---- */

typedef struct Touch {
    double stride, count, bytes, reuse, ratio;
} Touch;

/* t[q] for each enclosing loop q of a (outer to inner): the access's pattern inside it. */
static void touches(const Walk *w, const Access *a, Touch *t) {
    double count = 1, reuse = 1, span = 1;
    bool affine = true;
    double elem = (double)dtype_size(a->buf->dtype);
    for (int q = a->nenc - 1; q >= 0; q--) {
        const Loop *l = &w->loops[a->enc[q]];
        int64_t c = 0;
        bool lin = coef(w, a->index, w->loop_var[a->enc[q]], &c, 64);
        double ext = (double)l->extent;
        if (!lin) {
            affine = false;
            c = 1; /* AutoTVM's default stride */
        }
        if (c != 0)
            count *= ext;
        else
            reuse *= ext;
        span += fabs((double)c) * (ext > 0 ? ext - 1 : 0);
        double distinct = affine && span < count ? span : count;
        t[q] = (Touch){.stride = fabs((double)c),
                       .count = count,
                       .bytes = distinct * elem,
                       .reuse = reuse,
                       .ratio = distinct > 0 ? count * reuse / distinct : 0};
    }
}

/* Access slots: sorted by buffer name, then occurrence, as AutoTVM sorts its "A_0" names. */
typedef struct Key {
    const char *name;
    int occ, i;
} Key;

static int cmp_key(const void *x, const void *y) {
    const Key *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c) return c;
    if (a->occ != b->occ) return a->occ - b->occ;
    return a->i - b->i;
}

typedef struct Point {
    float x, y;
} Point;

static int cmp_point(const void *x, const void *y) {
    const Point *a = x, *b = y;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    return (a->y > b->y) - (a->y < b->y);
}

/* AutoTVM's sample_curve: for x = 0, 1, ...: y of the last point at or below x, and the gap. */
static float *sample(Point *p, int n, float *o) {
    qsort(p, (size_t)n, sizeof *p, cmp_point);
    for (int i = 0; i < FEAT_CURVE_SAMPLES; i++) {
        float xx = (float)i;
        int j = n - 1;
        while (j > 0 && !(xx > p[j].x - 1e-6f)) j--;
        *o++ = p[j].y;
        *o++ = xx - p[j].x;
    }
    return o;
}

static void emit(const Walk *w, FeatureKind k, float *out) {
    int nslots = w->nacc < FEAT_MAX_ACCESSES ? w->nacc : FEAT_MAX_ACCESSES;
    Key *keys = xmalloc(sizeof *keys * (size_t)(w->nacc ? w->nacc : 1));
    for (int i = 0; i < w->nacc; i++) keys[i] = (Key){w->acc[i].buf->name, w->acc[i].occ, i};
    qsort(keys, (size_t)w->nacc, sizeof *keys, cmp_key);
    int maxenc = 1;
    for (int i = 0; i < w->nacc; i++)
        if (w->acc[i].nenc > maxenc) maxenc = w->acc[i].nenc;
    Touch *t = xmalloc(sizeof *t * (size_t)maxenc);
    Point *pts = xmalloc(sizeof *pts * (size_t)(maxenc + 1));
    /* bottomup needs every access, not only the kept ones */
    for (int i = 0; i < w->nacc; i++) {
        const Access *a = &w->acc[i];
        touches(w, a, t);
        for (int q = 0; q < a->nenc; q++) {
            Loop *l = &w->loops[a->enc[q]];
            if (t[q].count * t[q].reuse > l->bottomup) l->bottomup = t[q].count * t[q].reuse;
        }
    }
    if (k == FEATURES_ITERVAR) {
        int nl = w->nloops < FEAT_MAX_LOOPS ? w->nloops : FEAT_MAX_LOOPS;
        const int row = LOOP_ATTRS + FEAT_MAX_ACCESSES * ACC_ATTRS;
        for (int i = 0; i < nl; i++) {
            const Loop *l = &w->loops[i];
            float *o = out + (size_t)i * row;
            o[0] = lg((double)l->extent);
            o[1] = (float)l->depth;
            o[2] = lg(l->topdown);
            o[3] = lg(l->bottomup);
            o[4 + (l->kind == FOR_SERIAL       ? 0
                   : l->kind == FOR_UNROLLED   ? 1
                   : l->kind == FOR_VECTORIZED ? 2
                                               : 3)] = 1;
            for (int c = 0; c < 3; c++) o[8 + c] = lg(l->ops[c]);
        }
        for (int s = 0; s < nslots; s++) {
            const Access *a = &w->acc[keys[s].i];
            touches(w, a, t);
            for (int q = 0; q < a->nenc; q++) {
                if (a->enc[q] >= nl) continue;
                float *o = out + (size_t)a->enc[q] * row + LOOP_ATTRS + s * ACC_ATTRS;
                o[0] = lg(t[q].stride);
                o[1] = lg(t[q].count);
                o[2] = lg(t[q].bytes);
                o[3] = lg(t[q].reuse);
                o[4] = lg(t[q].ratio);
            }
        }
    } else {
        float *o = out;
        for (int s = 0; s < nslots; s++) {
            const Access *a = &w->acc[keys[s].i];
            touches(w, a, t);
            for (int c = 0; c < CURVES; c++) {
                pts[0] = (Point){0, 0};
                for (int q = 0; q < a->nenc; q++) {
                    float cnt = lg(t[q].count), reu = lg(t[q].reuse);
                    float top = lg(w->loops[a->enc[q]].topdown), by = lg(t[q].bytes);
                    static const int xs[CURVES] = {0, 1, 0, 2, 3}, ys[CURVES] = {1, 0, 2, 0, 1};
                    float v[4] = {cnt, reu, top, by};
                    pts[q + 1] = (Point){v[xs[c]], v[ys[c]]};
                }
                o = sample(pts, a->nenc + 1, o);
            }
        }
    }
    free(keys);
    free(t);
    free(pts);
}

void loop_features(const IrFunc *f, FeatureKind k, float *out) {
    memset(out, 0, sizeof *out * (size_t)loop_features_dim(k));
    if (!f || k == FEATURES_KNOB) return;
    Walk w = {.a = arena_new(), .nvars = f->nvars};
    w.lets = xcalloc((size_t)(f->nvars > 0 ? f->nvars : 1), sizeof *w.lets);
    walk_stmt(&w, f->body);
    emit(&w, k, out);
    arena_free(w.a);
    free(w.lets);
    free(w.loops);
    free(w.loop_var);
    free(w.acc);
    free(w.stack);
}
