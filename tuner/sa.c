/* Simulated annealing for the XGB tuner, as AutoTVM's SimulatedAnnealingOptimizer: 128 walkers
 * take one-knob random steps for up to 500 iterations, a step accepted with probability
 * exp(min((new - old) / (T + 1e-5), 1)) as T cools linearly from 1 to 0; every config the model
 * scores above the worst of the top set (not yet seen) enters it; the search stops after 50
 * iterations without a change of the top set. The caller may place walkers first (sa_seed).
 * Takes a model and the seen set; gives the top set. */
#include "tuner/sa.h"
#include "lang/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SA_ITERS = 500, SA_EARLY_STOP = 50 };

typedef struct Top {
    int64_t *index;
    float *score;
    int n, cap;
} Top;

static double unit(Tuner *t) {
    return (double)tuner_rand_below(t, (int64_t)1 << 53) * 0x1p-53;
}

static bool top_has(const Top *h, int64_t idx) {
    for (int i = 0; i < h->n; i++)
        if (h->index[i] == idx) return true;
    return false;
}

/* Offer a config; true if the top set changed. The top set is small (a plan), so a scan for
 * its worst entry is cheap next to a model prediction. */
static bool top_offer(Top *h, const Tuner *t, int64_t idx, float s) {
    if (isnan(s) || iset_has(&t->seen, idx) || top_has(h, idx)) return false;
    if (h->n < h->cap) {
        h->index[h->n] = idx;
        h->score[h->n++] = s;
        return true;
    }
    int worst = 0;
    for (int i = 1; i < h->n; i++)
        if (h->score[i] < h->score[worst]) worst = i;
    if (!(s > h->score[worst])) return false;
    h->index[worst] = idx;
    h->score[worst] = s;
    return true;
}

/* A random neighbour: one knob set to another of its values (AutoTVM's random_walk). */
static int64_t walk(Tuner *t, const Features *f, int64_t p, int64_t *d, const int *movable,
                    int nmovable) {
    if (nmovable == 0) return p;
    features_digits(f, p, d);
    int j = movable[tuner_rand_below(t, nmovable)];
    int64_t v = tuner_rand_below(t, f->lens[j] - 1);
    d[j] = v >= d[j] ? v + 1 : v;
    return features_index(f, d);
}

/* The walkers, random where not placed before. */
static void ensure_points(Sa *sa, Tuner *t) {
    if (sa->points) return;
    sa->points = xmalloc(sizeof *sa->points * SA_WALKERS);
    for (int i = 0; i < SA_WALKERS; i++) sa->points[i] = tuner_rand_below(t, t->len);
    sa->npoints = SA_WALKERS;
}

void sa_seed(Sa *sa, Tuner *t, const int64_t *index, int n) {
    ensure_points(sa, t);
    for (int i = 0; i < n && i < SA_WALKERS; i++) sa->points[i] = index[i];
}

int sa_find_maximums(Sa *sa, Tuner *t, const Features *f, SaPredict predict, void *ctx, int num,
                     int64_t *out) {
    int n = SA_WALKERS;
    ensure_points(sa, t);
    int64_t *points = sa->points, *next = xmalloc(sizeof *next * (size_t)n);
    float *scores = xmalloc(sizeof *scores * (size_t)n),
          *nscores = xmalloc(sizeof *nscores * (size_t)n);
    int64_t *d = xmalloc(sizeof *d * (size_t)f->ndigits);
    int *movable = xmalloc(sizeof *movable * (size_t)f->ndigits);
    Top h = {xmalloc(sizeof *h.index * (size_t)num), xmalloc(sizeof *h.score * (size_t)num), 0,
             num};
    int nmovable = 0;
    for (int j = 0; j < f->ndigits; j++)
        if (f->lens[j] > 1) movable[nmovable++] = j;

    int result = -1;
    if (!predict(ctx, points, n, scores)) goto done;
    for (int i = 0; i < n; i++) top_offer(&h, t, points[i], scores[i]);
    int iters = sa->max_iters > 0 && sa->max_iters < SA_ITERS ? sa->max_iters : SA_ITERS;
    double temp = 1.0, cool = 1.0 / (iters + 1);
    int k = 0, last_change = 0;
    for (; k < iters && k < last_change + SA_EARLY_STOP; k++, temp -= cool) {
        for (int i = 0; i < n; i++) next[i] = walk(t, f, points[i], d, movable, nmovable);
        if (!predict(ctx, next, n, nscores)) goto done;
        for (int i = 0; i < n; i++) {
            double x = (nscores[i] - scores[i]) / (temp + 1e-5);
            if (unit(t) < exp(x < 1 ? x : 1)) {
                points[i] = next[i];
                scores[i] = nscores[i];
            }
        }
        for (int i = 0; i < n; i++)
            if (top_offer(&h, t, next[i], nscores[i])) last_change = k;
    }
    sa->iterations = k;
    /* Best first; equal scores by index, so the plan does not depend on insertion order. */
    for (int i = 1; i < h.n; i++)
        for (int j = i; j > 0 && (h.score[j] > h.score[j - 1] ||
                                  (h.score[j] == h.score[j - 1] && h.index[j] < h.index[j - 1]));
             j--) {
            float ts = h.score[j];
            h.score[j] = h.score[j - 1];
            h.score[j - 1] = ts;
            int64_t ti = h.index[j];
            h.index[j] = h.index[j - 1];
            h.index[j - 1] = ti;
        }
    memcpy(out, h.index, sizeof *out * (size_t)h.n);
    result = h.n;
done:
    free(next);
    free(scores);
    free(nscores);
    free(d);
    free(movable);
    free(h.index);
    free(h.score);
    return result;
}

void sa_free(Sa *sa) {
    free(sa->points);
    memset(sa, 0, sizeof *sa);
}
