/* The XGB tuner, AutoTVM's XGBTuner (ModelBasedTuner + XGBoostCostModel with knob, itervar or
 * curve features + SimulatedAnnealingOptimizer): until 16 trials are measured (AutoTVM:
 * plan_size), the analytic prior's best configs (loop features, no history; a deviation) or random
 * ones; then at 32 and 64 and after every plan_size trials a rank model is fitted
 * on (features, GFLOPS / max) and simulated annealing over its predictions plans the next
 * plan_size configs (options: some walkers started on the best measured configs, a deviation;
 * AutoTVM's diversity filter), the last 5% of each plan random. History rows of earlier runs
 * (--transfer, AutoTVM's load_history) train a model of their own, which plans first (after the
 * history's best configs) and whose decaying margin the run's own model is fitted on, as AutoTVM's
 * base model; without history the prior's discounted margin is the base. Takes measured
 * results; gives unseen indices. An XGBoost failure is reported once
 * and the tuner carries on with random configs.
 */
#include "tuner/sa.h"
#include "lang/xalloc.h"
#include "tuner/feature_cache.h"
#include "tuner/tuner_ml.h"
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

enum {
    XGB_PLAN = 64,
    /* the first fit (a deviation: AutoTVM fits first at plan_size); then 2x until XGB_PLAN */
    XGB_FIRST = 16,
    /* AutoTVM trains up to 8000-10000 rounds and stops after 20 without a better training
     * a-recall@plan; the rank objective on a few hundred samples stops well before 200 rounds,
     * and the cap keeps a refit on 1000 trials well under a second. */
    XGB_MAX_ROUNDS = 200,
    XGB_STOP_ROUNDS = 20,
    /* at most this many SA walkers placed on the best measured configs at each plan */
    XGB_SEED_WALKERS = 16,
    /* the history plan's first proposals: earlier runs' best configs, where this space has them */
    XGB_HISTORY_FIRST = 8,
    /* the largest diversity filter ratio: annealing keeps that many times XGB_PLAN best configs */
    XGB_MAX_DIVERSITY = 16,
};

typedef struct Xgb {
    Features f;
    float *x;     /* n rows of f.dim features */
    float *y;     /* GFLOPS, 0 for errors */
    int64_t *idx; /* the configs of the rows */
    int64_t n, cap;
    double ymax;
    int64_t fitted_at; /* samples of the last fit; the next one at XGB_PLAN more */
    int64_t plan[XGB_HISTORY_FIRST + XGB_PLAN];
    int nplan, plan_pt;
    BoosterHandle bst;
    bool failed; /* XGBoost failed: random from then on */
    Sa sa;
    float *scratch;     /* feature rows for predictions */
    FeatureCache cache; /* loop-feature rows by index (knob rows cost less than a lookup) */
    int *cols;          /* the columns the model is fitted on (varying_columns) */
    int ncols;
    char extra[4][2][64]; /* tuner_xgb_set_param: applied after AutoTVM's parameters */
    int nextra;
    int rounds; /* of the last fit */
    /* history (transfer): rows of f.dim features, labels already normalised per group */
    float *hx, *hy;
    int64_t *hidx; /* each history row's config in this space, or -1 where it is none */
    int64_t hn, hcap;
    unsigned *groups; /* row counts of the history groups, in row order */
    int ngroups;
    bool history_planned;
    int seed_walkers;    /* walkers placed on the best measured configs (XGB_SEED_WALKERS, or 0) */
    BoosterHandle base;  /* the history's model (fit_history), while it weighs */
    bool history_fitted; /* tried once (base may be NULL after: dropped or failed) */
    double discount;     /* of the base margin (base's or the prior's) in every prediction */
    int diversity;       /* AutoTVM's diversity_filter_ratio: 0 off, else candidates per pick */
    int64_t *cands;      /* the annealing's diversity * XGB_PLAN candidates */
    bool use_prior;      /* the analytic prior plans first and is the base margin (no history) */
    bool prior_planned;
} Xgb;

/* SA steps with loop features: each prediction lowers the config (~0.05-0.4 ms), so a plan is
 * capped near 128 x 40 predictions (AutoTVM pays the same with a process pool instead); with
 * walkers seeded on the best measured configs, 24 steps (their neighbourhoods are reached
 * at once) for 40% less of that cost. */
enum { XGB_LOOP_SA_ITERS = 40, XGB_LOOP_SA_ITERS_SEEDED = 24, XGB_PRIOR_SA_ITERS = 20 };

/* The annealing's step cap: AutoTVM's 500 with knob features, fewer with loop features. */
static void set_sa_iters(Xgb *m) {
    m->sa.max_iters = m->f.kind == FEATURES_KNOB ? 0
                      : m->seed_walkers          ? XGB_LOOP_SA_ITERS_SEEDED
                                                 : XGB_LOOP_SA_ITERS;
}

/* Report an XGBoost failure once; from then on the tuner proposes random configs. */
static bool xgb_failed(Xgb *m, const char *what) {
    if (!m->failed) {
        /* XGBoost's message is one line of cause, then a stack trace. */
        const char *msg = XGBGetLastError();
        if (!msg) msg = "";
        const char *eol = strchr(msg, '\n');
        fprintf(stderr,
                "tec: warning: xgb tuner: XGBoost failed in %s (%.*s); proposing random configs "
                "from now on\n",
                what, (int)(eol ? eol - msg : (ptrdiff_t)strlen(msg)), msg);
    }
    m->failed = true;
    if (m->bst) XGBoosterFree(m->bst);
    if (m->base) XGBoosterFree(m->base);
    m->bst = m->base = NULL;
    return false;
}

/* Whether the analytic prior weighs in this run's predictions: asked for, the features carry
 * it, no history (whose model is the base instead) and its discount not yet negligible. */
static bool prior_on(const Xgb *m) {
    return m->use_prior && features_have_prior(&m->f) && m->hn == 0 && m->discount > 0;
}

/* AutoTVM's weight of a base model after n trials, 1 / 2^(n / 64); 0 (dropped) under 0.05. */
static double base_weight(int64_t n) {
    double w = pow(2.0, -(double)n / 64.0);
    return w < 0.05 ? 0 : w;
}

/* The feature row of a config: loop kinds from the cache when they were extracted before. */
static void row_of(Xgb *m, int64_t index, float *out) {
    if (m->f.kind == FEATURES_KNOB) {
        features_vector(&m->f, index, out);
    } else if (!feature_cache_get(&m->cache, index, out)) {
        features_vector(&m->f, index, out);
        feature_cache_put(&m->cache, index, out);
    }
}

static void xgb_update(Tuner *t, const TrialResult *res, int n) {
    Xgb *m = t->impl;
    for (int i = 0; i < n; i++) {
        if (m->n == m->cap) {
            m->cap = m->cap ? 2 * m->cap : 256;
            m->x = xrealloc(m->x, sizeof *m->x * (size_t)m->cap * (size_t)m->f.dim);
            m->y = xrealloc(m->y, sizeof *m->y * (size_t)m->cap);
            m->idx = xrealloc(m->idx, sizeof *m->idx * (size_t)m->cap);
        }
        /* Errors score 0; so does a non-finite GFLOPS, which XGBoost would refuse as a label. */
        double g = res[i].error_no == 0 && res[i].gflops > 0 && isfinite(res[i].gflops)
                       ? res[i].gflops
                       : 0;
        row_of(m, res[i].index, m->x + (size_t)m->n * (size_t)m->f.dim);
        m->idx[m->n] = res[i].index;
        m->y[m->n++] = (float)g;
        if (g > m->ymax) m->ymax = g;
    }
}

/* A booster's margins of n dense rows of ncols; NULL on failure (reported). In place from the
 * rows (an __array_interface__ of float32): no DMatrix is built for each step's 128 rows, which
 * cost more than the prediction itself. */
static const float *predict_rows(Xgb *m, BoosterHandle bst, const float *rows, int n, int ncols) {
    char values[160];
    snprintf(values, sizeof values,
             "{\"data\": [%llu, true], \"shape\": [%d, %d], \"typestr\": \"<f4\", "
             "\"version\": 3}",
             (unsigned long long)(uintptr_t)rows, n, ncols);
    static const char config[] = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                 "\"iteration_end\": 0, \"strict_shape\": false, \"cache_id\": "
                                 "0, \"missing\": NaN}";
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *pred = NULL;
    if (XGBoosterPredictFromDense(bst, values, config, NULL, &shape, &dim, &pred) || dim != 1 ||
        shape[0] != (bst_ulong)n) {
        xgb_failed(m, "XGBoosterPredictFromDense");
        return NULL;
    }
    return pred;
}

/* The discounted base margins of n rows of f.dim into out: the history model's (fitted on every
 * column: the history's varying ones may differ), else the prior's, else zeros. False on an
 * XGBoost failure (reported). */
static bool base_margins(Xgb *m, const float *rows, int n, float *out) {
    if (m->base) {
        const float *pred = predict_rows(m, m->base, rows, n, m->f.dim);
        if (!pred) return false;
        for (int i = 0; i < n; i++) out[i] = (float)(m->discount * pred[i]);
    } else {
        bool prior = prior_on(m);
        for (int i = 0; i < n; i++)
            out[i] = prior
                         ? (float)(m->discount * features_prior(&m->f, rows + (size_t)i * m->f.dim))
                         : 0;
    }
    return true;
}

static bool predict(void *ctx, const int64_t *index, int n, float *score) {
    Xgb *m = ctx;
    for (int i = 0; i < n; i++) row_of(m, index[i], m->scratch + (size_t)i * (size_t)m->f.dim);
    if (!base_margins(m, m->scratch, n, score)) return false;
    if (!m->bst) return true;
    /* Row i's fitted columns packed at i * ncols: never past what is still to be read. */
    for (int i = 0; i < n; i++) {
        const float *r = m->scratch + (size_t)i * (size_t)m->f.dim;
        for (int c = 0; c < m->ncols; c++) m->scratch[(size_t)i * m->ncols + c] = r[m->cols[c]];
    }
    const float *pred = predict_rows(m, m->bst, m->scratch, n, m->ncols);
    if (!pred) return false;
    for (int i = 0; i < n; i++) score[i] += pred[i];
    return true;
}

/* AutoTVM's a-recall@N on the training set: for each k <= N, the share of the true top k found
 * among the k best predicted, averaged. The early-stopping metric. */
typedef struct Ranked {
    float key;
    int i;
} Ranked;

static int cmp_ranked(const void *a, const void *b) {
    const Ranked *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? 1 : -1;
    return x->i - y->i;
}

static double a_recall(const float *pred, const float *label, int n, int top, Ranked *by_pred,
                       Ranked *by_label, int *rank) {
    for (int i = 0; i < n; i++) {
        by_pred[i] = (Ranked){pred[i], i};
        by_label[i] = (Ranked){label[i], i};
    }
    qsort(by_pred, (size_t)n, sizeof *by_pred, cmp_ranked);
    qsort(by_label, (size_t)n, sizeof *by_label, cmp_ranked);
    for (int r = 0; r < n; r++) rank[by_label[r].i] = r; /* 0 = the best measured */
    if (top > n) top = n;
    double sum = 0;
    for (int k = 0; k < top; k++) {
        int hit = 0;
        for (int j = 0; j <= k; j++) hit += rank[by_pred[j].i] <= k;
        sum += (double)hit / (k + 1);
    }
    return top > 0 ? sum / top : 0;
}

/* AutoTVM's rank parameters, the seed, then the ones tests set. */
static bool set_params(Xgb *m, BoosterHandle bst, const char *seed) {
    /* nthread 1: the fit is deterministic and, more to the point, starts no OpenMP threads in
     * tec, whose builder and runner workers are fork()ed later (libgomp does not survive a fork
     * with a live pool, and the runner's kernels use OpenMP). */
    static const char *const params[][2] = {
        {"objective", "rank:pairwise"},
        {"max_depth", "3"},
        {"gamma", "0.0001"},
        {"min_child_weight", "1"},
        {"subsample", "1"},
        {"eta", "0.3"},
        {"lambda", "1"},
        {"alpha", "0"},
        {"nthread", "1"},
        {"verbosity", "0"},
        /* AutoTVM's exact method ranks the same (bench_search --rank: Spearman within 0.01,
         * same top-10% recall on four gemm train/test sets) at about twice the fit time. */
        {"tree_method", "hist"},
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof params / sizeof params[0]; i++)
        ok = !XGBoosterSetParam(bst, params[i][0], params[i][1]);
    ok = ok && !XGBoosterSetParam(bst, "seed", seed);
    for (int i = 0; ok && i < m->nextra; i++)
        ok = !XGBoosterSetParam(bst, m->extra[i][0], m->extra[i][1]);
    if (!ok) xgb_failed(m, "XGBoosterSetParam");
    return ok;
}

/* Boosting rounds until XGB_STOP_ROUNDS of them did not improve the recall of the top
 * XGB_PLAN (or XGB_MAX_ROUNDS); m->rounds gets how many ran. */
static bool boost(Xgb *m, BoosterHandle bst, DMatrixHandle dtrain, const float *label, int n) {
    Ranked *rp = xmalloc(sizeof *rp * (size_t)n), *rl = xmalloc(sizeof *rl * (size_t)n);
    int *rank = xmalloc(sizeof *rank * (size_t)n);
    double best = -1;
    int best_round = 0, r = 0;
    bool ok = true;
    for (; ok && r < XGB_MAX_ROUNDS && r < best_round + XGB_STOP_ROUNDS; r++) {
        if (XGBoosterUpdateOneIter(bst, r, dtrain)) {
            xgb_failed(m, "XGBoosterUpdateOneIter");
            ok = false;
            break;
        }
        bst_ulong len = 0;
        const float *pred = NULL;
        if (XGBoosterPredict(bst, dtrain, 0, 0, 0, &len, &pred) || len != (bst_ulong)n) {
            xgb_failed(m, "XGBoosterPredict");
            ok = false;
            break;
        }
        double score = a_recall(pred, label, n, XGB_PLAN, rp, rl, rank);
        if (score > best) {
            best = score;
            best_round = r;
        }
    }
    if (ok) m->rounds = r;
    free(rp);
    free(rl);
    free(rank);
    return ok;
}

/* Columns whose value (bit pattern) is not the same in every measured row, into m->cols: the
 * only ones a tree can split on (a split needs two distinct values: a constant column has one
 * histogram bin). A model fitted and used on them alone is the same model (same splits; ties
 * between columns still go to the first), for less work: loop vectors are mostly zero padding
 * and loops that no knob changes. The rows packed on those columns are returned. */
static float *training_rows(Xgb *m) {
    int dim = m->f.dim;
    m->ncols = 0;
    for (int j = 0; j < dim && m->n > 0; j++) {
        bool varies = false;
        for (int64_t i = 1; !varies && i < m->n; i++)
            varies = memcmp(&m->x[i * dim + j], &m->x[j], sizeof *m->x) != 0;
        if (varies) m->cols[m->ncols++] = j;
    }
    if (m->ncols == 0) m->cols[m->ncols++] = 0; /* XGBoost wants a column: one with no split */
    float *rows = xmalloc(sizeof *rows * (size_t)(m->n ? m->n : 1) * (size_t)m->ncols);
    for (int64_t i = 0; i < m->n; i++)
        for (int c = 0; c < m->ncols; c++) rows[i * m->ncols + c] = m->x[i * dim + m->cols[c]];
    return rows;
}

/* A booster trained on n rows of ncols with their labels, ranking groups (ng 0: one group) and
 * base margins (NULL: none), into *out; false on an XGBoost failure (reported). */
static bool train(Tuner *t, Xgb *m, const float *rows, int n, int ncols, const float *label,
                  const unsigned *groups, int ng, const float *margin, BoosterHandle *out) {
    *out = NULL;
    DMatrixHandle dtrain = NULL;
    BoosterHandle bst = NULL;
    bool ok = false;
    char seed[32];
    snprintf(seed, sizeof seed, "%d", (int)tuner_rand_below(t, 1 << 30));
    if (XGDMatrixCreateFromMat_omp(rows, (bst_ulong)n, (bst_ulong)ncols, NAN, &dtrain, 1)) {
        dtrain = NULL;
        xgb_failed(m, "XGDMatrixCreateFromMat");
    } else if (XGDMatrixSetFloatInfo(dtrain, "label", label, (bst_ulong)n)) {
        xgb_failed(m, "XGDMatrixSetFloatInfo");
    } else if (ng && XGDMatrixSetUIntInfo(dtrain, "group", groups, (bst_ulong)ng)) {
        xgb_failed(m, "XGDMatrixSetUIntInfo");
    } else if (margin && XGDMatrixSetFloatInfo(dtrain, "base_margin", margin, (bst_ulong)n)) {
        xgb_failed(m, "XGDMatrixSetFloatInfo");
    } else if (XGBoosterCreate(&dtrain, 1, &bst)) {
        bst = NULL;
        xgb_failed(m, "XGBoosterCreate");
    } else {
        ok = set_params(m, bst, seed) && boost(m, bst, dtrain, label, n);
    }
    if (dtrain) XGDMatrixFree(dtrain);
    if (ok)
        *out = bst;
    else if (bst)
        XGBoosterFree(bst);
    return ok;
}

/* The history's model (AutoTVM's load_history and base model): fitted once, on the history rows
 * as one ranking group per earlier task (pairs are only formed within a group, so other shapes'
 * GFLOPS never compete with each other), on every column. Then this run's rows are fitted alone
 * on top of its margin discounted by AutoTVM's 1 / 2^(n / 64) after n trials, and it is dropped
 * when that falls under 0.05 (n > 276). Measured against fitting the history rows together
 * with this run's (the history as more ranking groups of every fit, tec before 2026-12-02 night),
 * on bench_search's matmul at 1024^3 with transfer from 512^3, 3 seeds: 95% of the reference in
 * 20 trials (> 150, 20, 20) against > 150 in every seed: hundreds of history rows held the
 * joint model to the other shape's best region, which ran at 93% here. */
static bool fit_history(Tuner *t, Xgb *m) {
    m->history_fitted = true;
    return train(t, m, m->hx, (int)m->hn, m->f.dim, m->hy, m->groups, m->ngroups, NULL, &m->base);
}

/* Fits this run's rows (one ranking group), on the history model's discounted margin while it
 * lasts; with no row yet, the history model alone is the model. */
static bool fit(Tuner *t, Xgb *m) {
    if (m->bst) XGBoosterFree(m->bst);
    m->bst = NULL;
    if (m->hn && !m->history_fitted && !fit_history(t, m)) return false;
    m->discount = base_weight(m->n);
    if (m->base && m->discount == 0) {
        XGBoosterFree(m->base);
        m->base = NULL;
    }
    if (m->n == 0) return m->base != NULL;
    int n = (int)m->n;
    float *label = xmalloc(sizeof *label * (size_t)n);
    for (int i = 0; i < n; i++) label[i] = (float)(m->y[i] / (m->ymax > 1e-8 ? m->ymax : 1e-8));
    float *margin = m->base || prior_on(m) ? xmalloc(sizeof *margin * (size_t)n) : NULL;
    bool ok = !margin || base_margins(m, m->x, n, margin);
    float *rows = training_rows(m);
    ok = ok && train(t, m, rows, n, m->ncols, label, NULL, 0, margin, &m->bst);
    free(margin);
    free(rows);
    free(label);
    return ok;
}

/* Up to cap (<= XGB_SEED_WALKERS) distinct configs idx[i] (>= 0) of the n rows, those with the
 * highest y[i] > 0 first, into out: the best measured configs, or the history's. */
static int best_configs(const float *y, const int64_t *idx, int64_t n, int cap, int64_t *out) {
    float ys[XGB_SEED_WALKERS];
    int k = 0;
    for (int64_t i = 0; i < n && cap > 0; i++) {
        if (!(y[i] > 0) || idx[i] < 0) continue;
        int j = 0;
        while (j < k && out[j] != idx[i]) j++;
        if (j < k) { /* the same config again (in two logs): its fastest row counts */
            if (!(y[i] > ys[j])) continue;
        } else if (k < cap) {
            j = k++;
        } else if (y[i] > ys[cap - 1]) {
            j = cap - 1;
        } else {
            continue;
        }
        for (; j > 0 && y[i] > ys[j - 1]; j--) ys[j] = ys[j - 1], out[j] = out[j - 1];
        ys[j] = y[i];
        out[j] = idx[i];
    }
    return k;
}

/* AutoTVM's submodular_pick with its XGBTuner's arguments (scores zeroed, knob weight 1): up
 * to npick of the n candidates (best predicted first) into out, each in turn the one that adds
 * the most knob values not yet in the picks, the better predicted on a tie. Returns n when n
 * is negative (the annealing failed) or at most npick. */
static int submodular_pick(const Features *f, const int64_t *cand, int n, int npick, int64_t *out) {
    if (n <= npick) {
        if (n > 0) memcpy(out, cand, sizeof *out * (size_t)n);
        return n;
    }
    int nd = f->ndigits;
    int64_t *digits = xmalloc(sizeof *digits * (size_t)n * (size_t)nd), nvals = 0;
    for (int i = 0; i < n; i++) features_digits(f, cand[i], digits + (int64_t)i * nd);
    for (int k = 0; k < nd; k++) nvals += f->lens[k];
    /* knob k's value v is in a pick iff used[v + the lengths of knobs 0..k-1] */
    bool *used = xcalloc((size_t)nvals, sizeof *used), *taken = xcalloc((size_t)n, sizeof *taken);
    for (int p = 0; p < npick; p++) {
        int best = -1, best_gain = -1;
        for (int i = 0; i < n && best_gain < nd; i++) {
            const int64_t *d = digits + (int64_t)i * nd;
            int gain = 0;
            for (int64_t k = 0, off = 0; k < nd; off += f->lens[k++]) gain += !used[off + d[k]];
            if (!taken[i] && gain > best_gain) best = i, best_gain = gain;
        }
        const int64_t *d = digits + (int64_t)best * nd;
        for (int64_t k = 0, off = 0; k < nd; off += f->lens[k++]) used[off + d[k]] = true;
        taken[best] = true;
        out[p] = cand[best];
    }
    free(digits);
    free(used);
    free(taken);
    return npick;
}

/* Refit and plan at 16, 32 and 64 trials, then whenever XGB_PLAN more are in (and some config ran
 * without error). After a resume of many records this fits once, on all of them (AutoTVM would
 * refit once per plan). */
static void replan(Tuner *t, Xgb *m) {
    bool from_history = m->hn > 0 && !m->history_planned; /* AutoTVM's load_history plan */
    m->history_planned = true;
    /* An early model already steers away from the slowest configs: with the first fit at 64, xgb
       could not reach 95% of a space's best in a third of random's trials wherever random needs
       fewer than about 190 (docs/tuning.md). */
    int64_t next = m->fitted_at < XGB_FIRST  ? XGB_FIRST
                   : m->fitted_at < XGB_PLAN ? 2 * m->fitted_at
                                             : m->fitted_at + XGB_PLAN;
    /* With no history, the analytic prior plans the first trials (a deviation: AutoTVM's are
     * random), its best predicted first, then the most new knob values each. */
    bool from_prior = !from_history && prior_on(m) && !m->prior_planned && m->n < XGB_FIRST;
    if (from_prior) {
        m->prior_planned = true;
        m->nplan = m->plan_pt = 0;
        sa_seed(&m->sa, t, NULL, 0);
        int64_t cand[XGB_PLAN];
        /* half the steps: only 16 of the plan are measured before the first fit replans */
        m->sa.max_iters = XGB_PRIOR_SA_ITERS;
        int got = sa_find_maximums(&m->sa, t, &m->f, predict, m, XGB_PLAN, cand);
        set_sa_iters(m);
        m->nplan = got > 0 ? submodular_pick(&m->f, cand, got, XGB_FIRST, m->plan) : 0;
        /* the rest of the plan in the prior's order; the tuner's random share stays at the end */
        for (int i = 0; i < got && m->nplan < XGB_PLAN; i++) {
            int j = 0;
            while (j < m->nplan && m->plan[j] != cand[i]) j++;
            if (j == m->nplan) m->plan[m->nplan++] = cand[i];
        }
        return;
    }
    if (m->failed || (!from_history && (m->n < next || m->ymax <= 1e-6))) return;
    m->fitted_at = m->n;
    m->nplan = m->plan_pt = 0;
    if (!fit(t, m)) return;
    /* Some walkers start from the best configs measured so far (a deviation from AutoTVM, whose
     * walkers only carry over from the last search; MetaSchedule's evolutionary search starts
     * from its measured best the same way): one-knob moves around them are where the model is
     * surest, the rest of the walkers keep exploring. */
    int64_t seeds[XGB_SEED_WALKERS];
    int nseeds = best_configs(m->y, m->idx, m->n, m->seed_walkers, seeds), head = 0;
    /* A transfer run first tries the earlier runs' best configs that this space has (as
     * MetaSchedule's warm start from its database), and anneals from them: from another shape,
     * the model's own ranking is least sure near the top, where the measured history is. */
    if (from_history && m->n == 0) {
        nseeds = best_configs(m->hy, m->hidx, m->hn, XGB_HISTORY_FIRST, seeds);
        for (int i = 0; i < nseeds; i++)
            if (!iset_has(&t->seen, seeds[i])) m->plan[head++] = seeds[i];
    }
    sa_seed(&m->sa, t, seeds, nseeds);
    int got;
    if (m->diversity > 1) {
        got = sa_find_maximums(&m->sa, t, &m->f, predict, m, m->diversity * XGB_PLAN, m->cands);
        got = submodular_pick(&m->f, m->cands, got, XGB_PLAN, m->plan + head);
    } else {
        got = sa_find_maximums(&m->sa, t, &m->f, predict, m, XGB_PLAN, m->plan + head);
    }
    m->nplan = head + (got > 0 ? got : 0);
}

static int xgb_next(Tuner *t, int64_t *out, int n) {
    Xgb *m = t->impl;
    replan(t, m);
    int k = 0;
    while (k < n && t->seen.count < t->len) {
        while (m->plan_pt < m->nplan && iset_has(&t->seen, m->plan[m->plan_pt])) m->plan_pt++;
        /* No plan yet, or its last 5% (int(0.05 * plan_size) = 3): epsilon-greedy random. */
        if (m->failed || m->plan_pt >= m->nplan - XGB_PLAN / 20) {
            if (tuner_random_unseen(t, &out[k], 1) != 1) break;
            k++;
        } else {
            int64_t idx = m->plan[m->plan_pt++];
            iset_add(&t->seen, idx);
            out[k++] = idx;
        }
    }
    return k;
}

static void xgb_free(Tuner *t) {
    Xgb *m = t->impl;
    if (!m) return;
    if (m->bst) XGBoosterFree(m->bst);
    if (m->base) XGBoosterFree(m->base);
    features_free(&m->f);
    feature_cache_free(&m->cache);
    sa_free(&m->sa);
    free(m->hx);
    free(m->hy);
    free(m->hidx);
    free(m->groups);
    free(m->x);
    free(m->y);
    free(m->idx);
    free(m->scratch);
    free(m->cols);
    free(m->cands);
    free(m);
}

bool tuner_xgb_set_param(Tuner *t, const char *name, const char *value) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops || m->nextra == 4 || strlen(name) >= 64 || strlen(value) >= 64)
        return false;
    snprintf(m->extra[m->nextra][0], 64, "%s", name);
    snprintf(m->extra[m->nextra][1], 64, "%s", value);
    m->nextra++;
    return true;
}

bool tuner_xgb_set_features(Tuner *t, FeatureKind kind) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops || m->n || m->hn) return false;
    features_free(&m->f);
    features_init_kind(&m->f, t->space, t->len, kind);
    size_t limit = m->cache.limit;
    feature_cache_free(&m->cache);
    feature_cache_init(&m->cache, m->f.dim, limit);
    free(m->cols);
    m->cols = xmalloc(sizeof *m->cols * (size_t)m->f.dim);
    free(m->scratch);
    m->scratch = xmalloc(sizeof *m->scratch * SA_WALKERS * (size_t)m->f.dim);
    set_sa_iters(m);
    return true;
}

FeatureKind tuner_xgb_features(const Tuner *t, int *dim) {
    const Xgb *m = t->impl;
    if (dim) *dim = m->f.dim;
    return m->f.kind;
}

bool tuner_xgb_add_history(Tuner *t, const float *x, const double *gflops, const int64_t *here,
                           int n) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops || n <= 0) return false;
    double max = 0;
    for (int i = 0; i < n; i++)
        if (gflops[i] > max && isfinite(gflops[i])) max = gflops[i];
    if (max <= 1e-8) return false; /* nothing ran: nothing to rank */
    if (m->hn + n > m->hcap) {
        m->hcap = (m->hn + n) * 2;
        m->hx = xrealloc(m->hx, sizeof *m->hx * (size_t)m->hcap * (size_t)m->f.dim);
        m->hy = xrealloc(m->hy, sizeof *m->hy * (size_t)m->hcap);
        m->hidx = xrealloc(m->hidx, sizeof *m->hidx * (size_t)m->hcap);
    }
    memcpy(m->hx + m->hn * m->f.dim, x, sizeof *x * (size_t)n * (size_t)m->f.dim);
    for (int i = 0; i < n; i++) {
        m->hy[m->hn + i] = gflops[i] > 0 && isfinite(gflops[i]) ? (float)(gflops[i] / max) : 0;
        m->hidx[m->hn + i] = here ? here[i] : -1;
    }
    m->hn += n;
    if (m->base) XGBoosterFree(m->base); /* refitted with the new rows at the next fit */
    m->base = NULL;
    m->history_fitted = false;
    m->groups = xrealloc(m->groups, sizeof *m->groups * (size_t)(m->ngroups + 1));
    m->groups[m->ngroups++] = (unsigned)n;
    return true;
}

bool tuner_xgb_predict(Tuner *t, const int64_t *index, int n, float *score) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops || m->failed || (!m->bst && (m->hn + m->n == 0 || !fit(t, m))))
        return false;
    for (int i = 0; i < n; i += SA_WALKERS) /* the scratch holds SA_WALKERS rows */
        if (!predict(m, index + i, n - i < SA_WALKERS ? n - i : SA_WALKERS, score + i))
            return false;
    return true;
}

bool tuner_xgb_set_seed_walkers(Tuner *t, bool on) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops) return false;
    m->seed_walkers = on ? XGB_SEED_WALKERS : 0;
    set_sa_iters(m);
    return true;
}

bool tuner_xgb_set_diversity(Tuner *t, int ratio) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops || ratio < 0 || ratio > XGB_MAX_DIVERSITY || !t->space)
        return false;
    m->diversity = ratio;
    free(m->cands);
    m->cands = ratio > 1 ? xmalloc(sizeof *m->cands * (size_t)ratio * XGB_PLAN) : NULL;
    return true;
}

bool tuner_xgb_set_prior(Tuner *t, bool on) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops) return false;
    m->use_prior = on;
    return true;
}

bool tuner_xgb_set_cache(Tuner *t, size_t bytes) {
    Xgb *m = t->impl;
    if (t->ops != &tuner_xgb_ops) return false;
    feature_cache_free(&m->cache);
    feature_cache_init(&m->cache, m->f.dim, bytes);
    return true;
}

void tuner_xgb_cache_stats(const Tuner *t, int64_t *hits, int64_t *misses, size_t *bytes) {
    const Xgb *m = t->impl;
    *hits = m->cache.hits;
    *misses = m->cache.misses;
    *bytes = feature_cache_bytes(&m->cache);
}

const TunerOps tuner_xgb_ops = {"xgb", xgb_next, xgb_update, xgb_free};

void tuner_xgb_init(Tuner *t) {
    Xgb *m = xcalloc(1, sizeof *m);
    features_init(&m->f, t->space, t->len);
    feature_cache_init(&m->cache, m->f.dim, (size_t)FEATURE_CACHE_DEFAULT_MB << 20);
    m->cols = xmalloc(sizeof *m->cols * (size_t)m->f.dim);
    m->scratch = xmalloc(sizeof *m->scratch * SA_WALKERS * (size_t)m->f.dim);
    m->seed_walkers = 0; /* AutoTVM's walkers: docs/tuning.md measures both */
    m->use_prior = true;
    m->discount = 1; /* the prior's weight before the first fit */
    set_sa_iters(m);
    t->impl = m;
}
