/* The XGB tuner's feature-row cache (tuner/feature_cache.c): rows come back bit for bit (the
 * trailing zeros it does not store included, -0.0 and NaN kept), its memory never exceeds its
 * limit however many rows go in, the rows in use survive its rotations; and an XGB run with
 * itervar features on examples/gemm.te proposes exactly the same configs for a seed with the
 * default cache, with no cache and with a cache small enough to rotate all the time, while the
 * default one answers a good share of the lookups. Usage: test_feature_cache SOURCE_ROOT. */
#include "tests/lib/testlib.h"
#include "lang/xalloc.h"
#include "tuner/feature_cache.h"
#include "tuner/tuner_ml.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DIM = 300 };

/* Row i: i + 1 leading values, then zeros; every 7th ends in -0.0, every 11th has a NaN. */
static void make_row(int i, float *r) {
    for (int j = 0; j < DIM; j++) r[j] = j <= i % DIM ? (float)(i * 1000 + j) : 0.0f;
    if (i % 7 == 0) r[DIM - 1] = -0.0f;
    if (i % 11 == 0) r[i % DIM] = NAN;
}

static bool same_bits(const float *a, const float *b) {
    return memcmp(a, b, sizeof *a * DIM) == 0;
}

static void test_rows(void) {
    FeatureCache c;
    feature_cache_init(&c, DIM, (size_t)4 << 20); /* room for all 500 */
    float r[DIM], got[DIM];
    for (int i = 0; i < 500; i++) {
        make_row(i, r);
        feature_cache_put(&c, 1000003LL * i, r);
    }
    int exact = 0;
    for (int i = 0; i < 500; i++) {
        make_row(i, r);
        for (int j = 0; j < DIM; j++) got[j] = 42; /* the zeros must be written back */
        exact += feature_cache_get(&c, 1000003LL * i, got) && same_bits(r, got);
    }
    CHECK_INT(exact, 500);
    CHECK(!feature_cache_get(&c, 5, got), "an index never put was found");
    CHECK(c.hits == 500 && c.misses == 1, "hits %lld misses %lld", (long long)c.hits,
          (long long)c.misses);
    feature_cache_free(&c);

    /* No limit, no cache. */
    feature_cache_init(&c, DIM, 0);
    make_row(3, r);
    feature_cache_put(&c, 3, r);
    CHECK(!feature_cache_get(&c, 3, got) && feature_cache_bytes(&c) == 0, "limit 0 cached a row");
    feature_cache_free(&c);
}

/* A limit of ~40 full rows and 5000 rows put: never above it; the last rows put are there, and
 * a row read at every step stays however many rotations pass. */
static void test_bound(void) {
    size_t limit = 40 * DIM * sizeof(float);
    FeatureCache c;
    feature_cache_init(&c, DIM, limit);
    float r[DIM], got[DIM], hot[DIM];
    make_row(299, hot);
    feature_cache_put(&c, -1 + (1LL << 40), hot);
    size_t most = 0;
    int hot_hits = 0;
    for (int i = 0; i < 5000; i++) {
        make_row(i, r);
        feature_cache_put(&c, i, r);
        if (feature_cache_bytes(&c) > most) most = feature_cache_bytes(&c);
        hot_hits += feature_cache_get(&c, -1 + (1LL << 40), got) && same_bits(hot, got);
    }
    CHECK(most <= limit && most > limit / 4, "%zu bytes at most for a limit of %zu", most, limit);
    CHECK_INT(hot_hits, 5000);
    make_row(4999, r);
    CHECK(feature_cache_get(&c, 4999, got) && same_bits(r, got), "the last row put is gone");
    CHECK(!feature_cache_get(&c, 0, got), "the first of 5000 rows is still in 40 rows' room");
    feature_cache_free(&c);
}

/* A synthetic speed: a peak in the digits of gemm's knobs tm, tn and kc. */
static double speed(const Features *f, int64_t index) {
    int64_t d[16];
    features_digits(f, index, d);
    return 100.0 / (double)(1 + llabs(d[0] - 5) + 2 * llabs(d[1] - 1) + llabs(d[4] - 2));
}

enum { TRIALS = 160 }; /* 64 random, then two plans */

/* The proposals of a seeded itervar XGB run whose cache has the given limit (SIZE_MAX: the
 * default); the cache's lookups into hits and misses. */
static void run(const Space *sp, size_t limit, int64_t *got, int64_t *hits, int64_t *misses,
                size_t *bytes) {
    Features f;
    features_init(&f, sp, space_len(sp));
    Tuner *tu = tuner_new("xgb", sp, space_len(sp), 3);
    tuner_xgb_set_features(tu, FEATURES_ITERVAR);
    if (limit != SIZE_MAX) tuner_xgb_set_cache(tu, limit);
    for (int n = 0; n < TRIALS;) {
        int k = tuner_next_batch(tu, got + n, 8);
        TrialResult res[8];
        for (int i = 0; i < k; i++) {
            double g = speed(&f, got[n + i]);
            res[i] = (TrialResult){.index = got[n + i], .cost = 1 / g, .gflops = g};
        }
        tuner_update(tu, res, k);
        n += k;
        if (!k) break;
    }
    tuner_xgb_cache_stats(tu, hits, misses, bytes);
    tuner_free(tu);
    features_free(&f);
}

static void test_tuner(const char *root) {
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/gemm.te", root);
    Arena *a = arena_new();
    Diag d;
    Define defs[] = {{"N", "64"}, {"L", "64"}, {"M", "64"}};
    Inst *in = test_bind_file(a, &d, path, NULL, defs, 3);
    Space *sp = in ? space_new(a, &d, in) : NULL;
    CHECK(sp != NULL);
    if (!sp) return;
    static int64_t def[TRIALS], none[TRIALS], tiny[TRIALS];
    int64_t hits, misses, h0, m0, ht, mt;
    size_t bytes, b0, bt, small = 64 << 10;
    run(sp, SIZE_MAX, def, &hits, &misses, &bytes);
    run(sp, 0, none, &h0, &m0, &b0);
    run(sp, small, tiny, &ht, &mt, &bt);
    CHECK(!memcmp(def, none, sizeof def), "the cache changed the proposals");
    CHECK(!memcmp(def, tiny, sizeof def), "a rotating cache changed the proposals");
    /* Every lookup misses without a cache; the default one answers most of them. */
    CHECK(h0 == 0 && m0 == hits + misses, "no cache: %lld hits, %lld misses of %lld", (long long)h0,
          (long long)m0, (long long)(hits + misses));
    CHECK(5 * hits > hits + misses && bytes <= (size_t)FEATURE_CACHE_DEFAULT_MB << 20,
          "default cache: %lld hits, %lld misses, %zu bytes", (long long)hits, (long long)misses,
          bytes);
    CHECK(bt <= small && ht < hits, "small cache: %zu bytes, %lld hits", bt, (long long)ht);
    printf("lookups %lld: hits %lld with the default cache (%zu KiB), %lld in %zu KiB\n",
           (long long)(hits + misses), (long long)hits, bytes >> 10, (long long)ht, small >> 10);
    arena_free(a);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_feature_cache SOURCE_ROOT\n");
        return 2;
    }
    test_rows();
    test_bound();
    test_tuner(argv[1]);
    return test_report("tune.feature_cache");
}
