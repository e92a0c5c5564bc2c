/* The analytic cost prior (tuner/cost_prior.c) on the real gemm and conv2d templates: register
 * tiles that fit the registers rank above scalar ones and above tiles whose accumulators spill;
 * no config is predicted past the machine's FMA peak; a config that does not lower is INFINITY
 * cycles. And the XGB tuner's first proposals (loop features, no history) come from it: the
 * first is among the prior's best of 300 random configs, unless the prior is turned off.
 * Usage: test_cost_prior SOURCE_ROOT. */
#include "tests/lib/testlib.h"
#include "lang/xalloc.h"
#include "tuner/features.h"
#include "tuner/tuner.h"
#include "tuner/tuner_ml.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Bound {
    Arena *a;
    Inst *in;
    Space *sp;
    Features f;
    float *row;
} Bound;

static bool bind(Bound *b, const char *root, const char *file, Define *defs, int ndefs) {
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/%s", root, file);
    b->a = arena_new();
    Diag d;
    b->in = test_bind_file(b->a, &d, path, NULL, defs, ndefs);
    b->sp = b->in ? space_new(b->a, &d, b->in) : NULL;
    CHECK(b->sp != NULL, "%s", path);
    if (!b->sp) return false;
    features_init_kind(&b->f, b->sp, space_len(b->sp), FEATURES_ITERVAR);
    CHECK(features_have_prior(&b->f));
    b->row = xmalloc(sizeof *b->row * (size_t)b->f.dim);
    return true;
}

static void unbind(Bound *b) {
    free(b->row);
    features_free(&b->f);
    arena_free(b->a);
}

/* The config whose list knobs take want[k] (-1: the first value), other knobs their first. */
static int64_t config_of(const Bound *b, const int64_t *want) {
    int n = space_nknobs(b->sp);
    int64_t digits[16] = {0};
    for (int k = 0; k < n && k < 16; k++) {
        const Knob *kn = space_knob(b->sp, k);
        if (kn->kind != KNOB_LIST || want[k] < 0) continue;
        int i = 0;
        while (i < kn->nvals && kn->vals[i] != want[k]) i++;
        CHECK(i < kn->nvals, "knob %s has no value %lld", kn->name, (long long)want[k]);
        digits[k] = i < kn->nvals ? i : 0;
    }
    return features_index(&b->f, digits);
}

static float prior_of(Bound *b, const int64_t *want) {
    features_vector(&b->f, config_of(b, want), b->row);
    return features_prior(&b->f, b->row);
}

/* The prior's ceiling: log2(1 + FLOPs per cycle) of 2 FMA ports of full vectors per thread. */
static float peak(const Bound *b) {
    double lanes = b->f.machine.vec_bytes / 4.0;
    return (float)log2(1 + 2 * 2 * lanes * b->f.machine.threads);
}

static void gemm(const char *root) {
    Define defs[] = {{"N", "256"}, {"L", "256"}, {"M", "256"}};
    Bound b;
    if (!bind(&b, root, "gemm.te", defs, 3)) return;
    /* knobs: tm tn mcb ncb kc ku order */
    float t44 = prior_of(&b, (int64_t[]){4, 4, 1, 1, 64, 4, -1});
    float t11 = prior_of(&b, (int64_t[]){1, 1, 1, 1, 64, 4, -1});
    float t84 = prior_of(&b, (int64_t[]){8, 4, 1, 1, 64, 4, -1}); /* 32 accumulators */
    CHECK(t44 > t11, "4x4 tile %g, 1x1 %g", (double)t44, (double)t11);
    if (b.f.machine.vec_regs == 32)
        CHECK(t44 > t84, "4x4 tile %g, 8x4 %g", (double)t44, (double)t84);
    CHECK(t44 <= peak(&b) + 1e-4f, "4x4 tile %g past the peak %g", (double)t44, (double)peak(&b));
    /* every config of a spread: finite, positive, never past the peak */
    int64_t len = space_len(b.sp);
    for (int i = 0; i < 50; i++) {
        features_vector(&b.f, len / 50 * i, b.row);
        float p = features_prior(&b.f, b.row);
        CHECK(isfinite(p) && p > 0 && p <= peak(&b) + 1e-4f, "config %lld: prior %g",
              (long long)(len / 50 * i), (double)p);
    }
    unbind(&b);
}

static void conv2d(const char *root) {
    Define defs[] = {{"CI", "256"}, {"CO", "256"}, {"H", "14"}, {"W", "14"}};
    Bound b;
    if (!bind(&b, root, "conv2d.te", defs, 4)) return;
    /* knobs: tow tob toh icu rorder ukw; 7 x 2 x 1 is 14 accumulators, 16 x 4 x 2 is 128 */
    float t721 = prior_of(&b, (int64_t[]){7, 2, 1, 8, -1, -1});
    float t1642 = prior_of(&b, (int64_t[]){16, 4, 2, 8, -1, -1});
    float t111 = prior_of(&b, (int64_t[]){1, 1, 1, 8, -1, -1});
    CHECK(t721 > t1642, "7x2x1 %g, 16x4x2 %g", (double)t721, (double)t1642);
    CHECK(t721 > t111, "7x2x1 %g, 1x1x1 %g", (double)t721, (double)t111);
    unbind(&b);
}

static int cmp_float(const void *x, const void *y) {
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* The first proposal of an XGB tuner, with and without the prior, against the prior's spread
 * over 300 random configs. */
static void first_plan(const char *root) {
    Define defs[] = {{"N", "256"}, {"L", "256"}, {"M", "256"}};
    Bound b;
    if (!bind(&b, root, "gemm.te", defs, 3)) return;
    int64_t len = space_len(b.sp);
    enum { SAMPLE = 300 };
    float pri[SAMPLE];
    Tuner *r = tuner_new("random", b.sp, len, 7);
    int64_t idx[SAMPLE];
    CHECK_INT(tuner_next_batch(r, idx, SAMPLE), SAMPLE);
    tuner_free(r);
    for (int i = 0; i < SAMPLE; i++) {
        features_vector(&b.f, idx[i], b.row);
        pri[i] = features_prior(&b.f, b.row);
    }
    qsort(pri, SAMPLE, sizeof *pri, cmp_float);
    float p99 = pri[SAMPLE * 99 / 100], median = pri[SAMPLE / 2];
    for (int on = 1; on >= 0; on--) {
        Tuner *t = tuner_new("xgb", b.sp, len, 7);
        CHECK(tuner_xgb_set_features(t, FEATURES_ITERVAR));
        CHECK(tuner_xgb_set_prior(t, on));
        int64_t first[16];
        CHECK_INT(tuner_next_batch(t, first, 16), 16);
        float sum = 0, p0 = 0;
        for (int i = 0; i < 16; i++) {
            features_vector(&b.f, first[i], b.row);
            float p = features_prior(&b.f, b.row);
            sum += p;
            if (i == 0) p0 = p;
        }
        if (on) {
            CHECK(p0 >= p99, "first proposal's prior %g under the random 99th percentile %g",
                  (double)p0, (double)p99);
            CHECK(sum / 16 > median, "first 16 proposals' mean prior %g, random median %g",
                  (double)(sum / 16), (double)median);
        } else {
            CHECK(p0 < p99, "without the prior the first proposal is random (prior %g)",
                  (double)p0);
        }
        tuner_free(t);
    }
    unbind(&b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_cost_prior SOURCE_ROOT\n");
        return 2;
    }
    CHECK(isinf(cost_prior_cycles(NULL, &(PriorMachine){64, 32, {32768, 1 << 20, 1 << 25}, 1})));
    gemm(argv[1]);
    conv2d(argv[1]);
    first_plan(argv[1]);
    return test_report("tune.cost_prior");
}
