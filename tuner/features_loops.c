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
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LOOP_ATTRS = 11, ACC_ATTRS = 5, CURVES = 5 };

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

static void emit(const LoopWalk *w, FeatureKind k, float *out) {
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
        const WalkAccess *a = &w->acc[i];
        loop_walk_touches(w, a, t);
        for (int q = 0; q < a->nenc; q++) {
            WalkLoop *l = &w->loops[a->enc[q]];
            if (t[q].count * t[q].reuse > l->bottomup) l->bottomup = t[q].count * t[q].reuse;
        }
    }
    if (k == FEATURES_ITERVAR) {
        int nl = w->nloops < FEAT_MAX_LOOPS ? w->nloops : FEAT_MAX_LOOPS;
        const int row = LOOP_ATTRS + FEAT_MAX_ACCESSES * ACC_ATTRS;
        for (int i = 0; i < nl; i++) {
            const WalkLoop *l = &w->loops[i];
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
            const WalkAccess *a = &w->acc[keys[s].i];
            loop_walk_touches(w, a, t);
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
            const WalkAccess *a = &w->acc[keys[s].i];
            loop_walk_touches(w, a, t);
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

void loop_features(const LoopWalk *w, FeatureKind k, float *out) {
    memset(out, 0, sizeof *out * (size_t)loop_features_dim(k));
    if (w && k != FEATURES_KNOB) emit(w, k, out);
}
