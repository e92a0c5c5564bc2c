/* Timing shared by the benchmarks that time contenders against each other in one process
 * (bench_ops's kernel against the libraries, bench_tasks's libraries against each other): the
 * clock, pauses, medians, and the alternating rounds. */
#ifndef TEC_BENCH_TIME_H
#define TEC_BENCH_TIME_H

double bench_now(void);     /* seconds, monotonic */
double bench_cpu_now(void); /* CPU seconds of the process (every thread): time it was scheduled */
void bench_pause_ms(int ms);
double bench_median(double *v, int n); /* sorts v */

/* Median seconds per call of nc contenders (med[c]); run(ctx, c) calls contender c once. Each
 * is warmed up (3 calls) and given the call count that makes a repeat last >= 10 ms; then
 * `rounds` rounds in which each contender, first place rotating, runs a block of per_block
 * repeats after a pause of pause_ms (the previous contender's idle threads go to sleep).
 * clock: bench_now (wall time; NULL too) or bench_cpu_now. */
void bench_time_alternating(int nc, void (*run)(void *ctx, int c), void *ctx, int rounds,
                            int per_block, int pause_ms, double (*clock)(void), double *med);
#endif
