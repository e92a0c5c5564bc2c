/* Timing shared by the benchmarks that time contenders against each other in one process
 * (bench_ops's kernel against the libraries, bench_tasks's libraries against each other): the
 * clock, pauses, medians, and the alternating rounds. */
#ifndef TEC_BENCH_TIME_H
#define TEC_BENCH_TIME_H
#include <stdbool.h>

double bench_now(void);     /* seconds, monotonic */
double bench_cpu_now(void); /* CPU seconds of the process (every thread): time it was scheduled */
void bench_pause_ms(int ms);
double bench_median(double *v, int n); /* sorts v */

/* How bench_time_alternating times: rounds of one block per contender, first place rotating. */
typedef struct BenchTiming {
    int rounds, per_block; /* blocks of per_block repeats */
    int pause_ms;          /* before each block: the previous contender's idle threads sleep */
    double repeat_s;       /* the call count makes a repeat last at least this long */
    double (*clock)(void); /* bench_now (NULL too) or bench_cpu_now */
    bool fastest;          /* the fastest repeat instead of the median */
} BenchTiming;

/* Seconds per call of nc contenders (out[c]: the median or the fastest of their repeats);
 * run(ctx, c) calls contender c once. Each is warmed up (3 calls) and given the call count that
 * makes a repeat last >= t->repeat_s; then t->rounds rounds in which each contender, first place
 * rotating, runs a block of t->per_block repeats after a pause of t->pause_ms. */
void bench_time_alternating(int nc, void (*run)(void *ctx, int c), void *ctx, const BenchTiming *t,
                            double *out);
#endif
