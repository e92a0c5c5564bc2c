/* The benchmarks' timing: clock, pause, median, and contenders timed in alternating rounds with
 * first place rotating, so that a change of the machine's load hits every contender alike. */
#include "bench/bench_time.h"
#include <stdlib.h>
#include <time.h>

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double bench_cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bench_pause_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double bench_median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void bench_time_alternating(int nc, void (*run)(void *ctx, int c), void *ctx, const BenchTiming *t,
                            double *out) {
    double (*now)(void) = t->clock ? t->clock : bench_now;
    int per = t->rounds * t->per_block;
    int *number = malloc(sizeof *number * (size_t)nc);
    double *samples = malloc(sizeof *samples * (size_t)per * (size_t)nc);
    if (!number || !samples) abort();
    for (int c = 0; c < nc; c++) {
        double d = 0;
        for (int w = 0; w < 3; w++) { /* warm up; the last call sizes the repeat */
            double t0 = now();
            run(ctx, c);
            d = now() - t0;
        }
        number[c] = d > t->repeat_s ? 1 : (int)(t->repeat_s / (d > 1e-7 ? d : 1e-7)) + 1;
    }
    for (int r = 0; r < t->rounds; r++)
        for (int j = 0; j < nc; j++) {
            int c = (j + r) % nc;
            bench_pause_ms(t->pause_ms);
            for (int p = 0; p < t->per_block; p++) {
                double t0 = now();
                for (int i = 0; i < number[c]; i++) run(ctx, c);
                samples[(size_t)c * per + (size_t)(r * t->per_block + p)] =
                    (now() - t0) / number[c];
            }
        }
    for (int c = 0; c < nc; c++) {
        double *v = samples + (size_t)c * per;
        out[c] = bench_median(v, per); /* sorts v */
        if (t->fastest) out[c] = v[0];
    }
    free(samples);
    free(number);
}
