/* The random and grid tuners: no index proposed twice, indices resumed from a log never
 * proposed, the whole space covered when asked for it, uniform first picks, constant memory on
 * spaces of 10^10, grid in ascending order. */
#include "tests/lib/testlib.h"
#include "tuner/tuner.h"
#include <stdlib.h>

static void test_grid(void) {
    Tuner *t = tuner_new("grid", NULL, 10, 1);
    tuner_mark_seen(t, 3);
    int64_t out[16];
    int n = tuner_next_batch(t, out, 4);
    CHECK_INT(n, 4);
    int64_t want[] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++) CHECK_INT(out[i], want[i]);
    n = tuner_next_batch(t, out, 16);
    CHECK_INT(n, 5); /* 5..9 */
    CHECK_INT(out[0], 5);
    CHECK_INT(out[4], 9);
    CHECK_INT(tuner_next_batch(t, out, 4), 0);
    tuner_free(t);
}

static void test_random_exhausts(int64_t len) {
    Tuner *t = tuner_new("random", NULL, len, 42);
    char *hit = calloc((size_t)len, 1);
    tuner_mark_seen(t, 0);
    hit[0] = 1;
    int64_t total = 1, out[7];
    bool dup = false, range = true;
    int n;
    while ((n = tuner_next_batch(t, out, 7)) > 0) {
        for (int i = 0; i < n; i++) {
            if (out[i] < 0 || out[i] >= len) {
                range = false;
                continue;
            }
            dup |= hit[out[i]];
            hit[out[i]] = 1;
            total++;
        }
    }
    CHECK(!dup && range, "len %lld: duplicate or out of range", (long long)len);
    CHECK_INT(total, len);
    free(hit);
    tuner_free(t);
}

/* The first pick of a fresh random tuner is uniform over the space (chi-square, 10 bins). */
static void test_random_uniform(void) {
    int counts[10] = {0};
    const int runs = 20000;
    for (int s = 0; s < runs; s++) {
        Tuner *t = tuner_new("random", NULL, 10, (uint64_t)s * 7919u + 1);
        int64_t x;
        tuner_next_batch(t, &x, 1);
        counts[x]++;
        tuner_free(t);
    }
    double chi = 0, e = runs / 10.0;
    for (int i = 0; i < 10; i++) chi += (counts[i] - e) * (counts[i] - e) / e;
    CHECK(chi < 30, "chi-square %g over 9 degrees of freedom", chi); /* p < 0.001 */
}

/* A space of 10^10: picks in range, none repeated, memory proportional to the picks. */
static void test_random_huge(void) {
    const int64_t len = 10000000000LL;
    Tuner *t = tuner_new("random", NULL, len, 7);
    IndexSet got = {0};
    int64_t out[100];
    bool ok = true;
    int64_t above = 0;
    for (int b = 0; b < 200; b++) {
        int n = tuner_next_batch(t, out, 100);
        ok &= n == 100;
        for (int i = 0; i < n; i++) {
            ok &= out[i] >= 0 && out[i] < len && iset_add(&got, out[i]);
            above += out[i] >= len / 2;
        }
    }
    CHECK(ok, "20000 distinct picks in range");
    CHECK(above > 9000 && above < 11000, "half above the middle: %lld", (long long)above);
    CHECK(t->seen.cap <= 65536, "seen set stays small: %lld slots", (long long)t->seen.cap);
    iset_free(&got);
    tuner_free(t);
}

static void test_reproducible(void) {
    Tuner *a = tuner_new("random", NULL, 1000, 5), *b = tuner_new("random", NULL, 1000, 5);
    int64_t x[20], y[20];
    tuner_next_batch(a, x, 20);
    tuner_next_batch(b, y, 20);
    CHECK(memcmp(x, y, sizeof x) == 0, "same seed, same picks");
    tuner_free(a);
    tuner_free(b);
    CHECK(tuner_new("annealing", NULL, 10, 0) == NULL, "unknown tuner");
}

int main(void) {
    test_grid();
    test_random_exhausts(1);
    test_random_exhausts(100);
    test_random_exhausts(5000);
    test_random_uniform();
    test_random_huge();
    test_reproducible();
    return test_report("tune_tuner");
}
