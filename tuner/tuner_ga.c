/* The GA tuner, AutoTVM's GATuner (pop 100, elites 3, mutation 0.1): a random first generation,
 * then each generation bred from the measured one plus the elites — parents drawn with
 * probability proportional to GFLOPS, one-point crossover over the knob digits, per-knob
 * mutation, children already seen re-drawn. Takes measured results; gives unseen indices. */
#include "tuner/features.h"
#include "lang/xalloc.h"
#include "tuner/tuner_ml.h"
#include <stdlib.h>
#include <string.h>

enum { GA_POP = 100, GA_ELITES = 3 };
#define GA_MUTATION 0.1

typedef struct Scored {
    int64_t index;
    double score; /* GFLOPS, 0 for an error */
} Scored;

typedef struct Ga {
    Features f;          /* digits only */
    int64_t gen[GA_POP]; /* the generation being proposed (all already marked seen) */
    int ngen, cursor;
    /* Results since the last breeding: the generation's, plus any that arrive late from the one
     * before (the loop pipelines) and resumed ones. */
    Scored *pool;
    int npool, cap_pool;
    Scored elites[GA_ELITES]; /* best of everything bred from so far */
    int nelites;
    int64_t *da; /* digit scratch */
} Ga;

static double unit(Tuner *t) {
    return (double)tuner_rand_below(t, (int64_t)1 << 53) * 0x1p-53;
}

static void ga_update(Tuner *t, const TrialResult *res, int n) {
    Ga *g = t->impl;
    for (int i = 0; i < n; i++) {
        if (g->npool == g->cap_pool) {
            g->cap_pool = g->cap_pool ? 2 * g->cap_pool : 2 * GA_POP;
            g->pool = xrealloc(g->pool, sizeof *g->pool * (size_t)g->cap_pool);
        }
        double s = res[i].error_no == 0 && res[i].gflops > 0 ? res[i].gflops : 0;
        g->pool[g->npool++] = (Scored){res[i].index, s};
    }
}

/* A draw from the weights whose running sums are cum[0..n), leaving out entry skip (-1: none):
 * np.random.choice(p=...) of two without replacement. Skipping by renormalising rather than
 * redrawing, since one good parent among errors can hold nearly all the weight. */
static int pick(Tuner *t, const double *cum, int n, int skip) {
    double lo_w = skip > 0 ? cum[skip - 1] : 0, w = skip >= 0 ? cum[skip] - lo_w : 0;
    double r = unit(t) * (cum[n - 1] - w);
    if (skip >= 0 && r >= lo_w) r += w;
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int cmp_score_desc(const void *a, const void *b) {
    const Scored *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index); /* deterministic ties */
}

/* One child of parents a and b (digits), not yet seen, marked seen; false if none is left. */
static bool make_child(Tuner *t, Ga *g, const int64_t *pa, const int64_t *pb, int64_t *child) {
    const Features *f = &g->f;
    int nd = f->ndigits;
    int64_t *d = g->da;
    int point = (int)tuner_rand_below(t, nd);
    for (int j = 0; j < nd; j++) d[j] = j < point ? pa[j] : pb[j];
    for (int j = 0; j < nd; j++)
        if (unit(t) < GA_MUTATION) d[j] = tuner_rand_below(t, f->lens[j]);
    /* Already measured or proposed: mutate one knob at a time, as AutoTVM does, but give up
     * after a bounded number of tries (a nearly exhausted neighbourhood) for a random config. */
    int64_t idx = features_index(f, d);
    for (int tries = 0; iset_has(&t->seen, idx) && tries < 64 + 8 * nd; tries++) {
        int j = (int)tuner_rand_below(t, nd);
        d[j] = tuner_rand_below(t, f->lens[j]);
        idx = features_index(f, d);
    }
    if (!iset_has(&t->seen, idx)) {
        iset_add(&t->seen, idx);
        *child = idx;
        return true;
    }
    return tuner_random_unseen(t, child, 1) == 1;
}

/* The next generation from the pool and the elites; the pool is emptied. */
static void breed(Tuner *t, Ga *g) {
    int n = g->npool + g->nelites;
    g->ngen = g->cursor = 0;
    if (n < 2) { /* nothing (or one config) measured yet: start afresh */
        g->ngen = tuner_random_unseen(t, g->gen, GA_POP);
        return;
    }
    Scored *all = xmalloc(sizeof *all * (size_t)n);
    double *cum = xmalloc(sizeof *cum * (size_t)n);
    int64_t *digits = xmalloc(sizeof *digits * (size_t)n * (size_t)g->f.ndigits);
    memcpy(all, g->pool, sizeof *all * (size_t)g->npool);
    memcpy(all + g->npool, g->elites, sizeof *all * (size_t)g->nelites);
    g->npool = 0;
    /* Elites: the best of this pool and the previous elites (so the best so far). */
    Scored *sorted = xmalloc(sizeof *sorted * (size_t)n);
    memcpy(sorted, all, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_score_desc);
    g->nelites = n < GA_ELITES ? n : GA_ELITES;
    memcpy(g->elites, sorted, sizeof *sorted * (size_t)g->nelites);
    double max = sorted[0].score;
    free(sorted);
    /* AutoTVM: scores + 1e-8, over their max, as probabilities (all errors: uniform). */
    double acc = 0;
    for (int i = 0; i < n; i++) {
        acc += (all[i].score + 1e-8) / (max + 1e-8);
        cum[i] = acc;
        features_digits(&g->f, all[i].index, digits + (size_t)i * (size_t)g->f.ndigits);
    }
    int nd = g->f.ndigits;
    while (g->ngen < GA_POP && t->seen.count < t->len) {
        int a = pick(t, cum, n, -1);
        int b = pick(t, cum, n, a);
        if (b == a) b = (a + 1) % n; /* rounding at an edge: still two distinct parents */
        if (!make_child(t, g, digits + (size_t)a * (size_t)nd, digits + (size_t)b * (size_t)nd,
                        &g->gen[g->ngen]))
            break;
        g->ngen++;
    }
    free(all);
    free(cum);
    free(digits);
}

static int ga_next(Tuner *t, int64_t *out, int n) {
    Ga *g = t->impl;
    int k = 0;
    while (k < n) {
        if (g->cursor == g->ngen) {
            /* The first generation is made at the first call, after a resume has marked (and
             * reported) the log's trials: random, or bred from those trials when there are
             * some, so a resumed run goes on evolving. Later ones as soon as the previous one
             * is all proposed. */
            breed(t, g);
            if (g->ngen == 0) break; /* the space is exhausted */
        }
        out[k++] = g->gen[g->cursor++];
    }
    return k;
}

static void ga_free(Tuner *t) {
    Ga *g = t->impl;
    if (!g) return;
    features_free(&g->f);
    free(g->pool);
    free(g->da);
    free(g);
}

const TunerOps tuner_ga_ops = {"ga", ga_next, ga_update, ga_free};

void tuner_ga_init(Tuner *t) {
    Ga *g = xcalloc(1, sizeof *g);
    features_init(&g->f, t->space, t->len);
    g->da = xmalloc(sizeof *g->da * (size_t)g->f.ndigits);
    t->impl = g;
}
