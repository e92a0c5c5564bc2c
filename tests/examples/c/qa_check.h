/* Helpers of the QA checkers: each checker links one kernel emitted by tec, fills its inputs
 * with a fixed pseudo-random sequence, calls it, and compares every output element with a
 * plain C loop nest written from the template's definition. Exit 0 when all match. */
#ifndef QA_CHECK_H
#define QA_CHECK_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t qa_state = 0x9e3779b97f4a7c15u;
static int qa_bad = 0;

static inline uint32_t qa_next(void) {
    qa_state = qa_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(qa_state >> 33);
}
/* Uniform in [-1, 1). */
static inline double qa_unit(void) {
    return qa_next() / 1073741824.0 - 1.0;
}
/* Uniform integer in [lo, hi]. */
static inline int64_t qa_int(int64_t lo, int64_t hi) {
    return lo + (int64_t)(qa_next() % (uint64_t)(hi - lo + 1));
}

#define QA_FILL(buf, n, expr)                                                                      \
    do {                                                                                           \
        for (long qa_i = 0; qa_i < (long)(n); qa_i++) (buf)[qa_i] = (expr);                        \
    } while (0)

/* got vs want for element `at` of output `name`; tol is relative to max(1, |want|). */
static inline void qa_near(const char *name, long at, double got, double want, double tol) {
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    if (!(fabs(got - want) <= tol * scale)) {
        if (qa_bad < 10) fprintf(stderr, "%s[%ld] = %.9g, expected %.9g\n", name, at, got, want);
        qa_bad++;
    }
}
static inline void qa_eq(const char *name, long at, int64_t got, int64_t want) {
    if (got != want) {
        if (qa_bad < 10)
            fprintf(stderr, "%s[%ld] = %lld, expected %lld\n", name, at, (long long)got,
                    (long long)want);
        qa_bad++;
    }
}
static inline int qa_done(const char *kernel) {
    if (qa_bad) {
        fprintf(stderr, "%s: %d elements differ\n", kernel, qa_bad);
        return 1;
    }
    printf("%s: ok\n", kernel);
    return 0;
}
/* Python's floor division and modulo, as .te's integer / and %. */
static inline int64_t qa_fdiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
static inline int64_t qa_fmod(int64_t a, int64_t b) {
    return a - qa_fdiv(a, b) * b;
}
#endif
