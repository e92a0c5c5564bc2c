/* bench_ops: the machine's single-precision FMA peak, measured: independent chains of vector
 * FMAs (AVX-512 where the CPU has it, else AVX2), on 1 or more OpenMP threads, best of several
 * runs, in GFLOPS. */
#include "bench/ops.h"
#include <immintrin.h>
#include <omp.h>

enum { CHAINS = 16, ITERS = 1000000 };

/* CHAINS accumulators so that FMA latency never stalls the pipes; returns a value that depends
   on every result, so nothing is optimised away. */
__attribute__((target("avx512f"))) static float loop512(long iters) {
    __m512 acc[CHAINS], b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
#pragma GCC unroll 16
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
    for (long it = 0; it < iters; it++)
#pragma GCC unroll 16
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], b, c);
    __m512 s = acc[0];
    for (int i = 1; i < CHAINS; i++) s = _mm512_add_ps(s, acc[i]);
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) static float loop256(long iters) {
    __m256 acc[CHAINS], b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
    for (long it = 0; it < iters; it++)
#pragma GCC unroll 16
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], b, c);
    float out[8], s = 0;
    for (int i = 1; i < CHAINS; i++) acc[0] = _mm256_add_ps(acc[0], acc[i]);
    _mm256_storeu_ps(out, acc[0]);
    for (int i = 0; i < 8; i++) s += out[i];
    return s;
}

double fma_burst_flops(int threads) {
    return 2.0 * (__builtin_cpu_supports("avx512f") ? 16 : 8) * CHAINS * (double)ITERS * threads;
}

double fma_burst(int threads) {
    bool wide = __builtin_cpu_supports("avx512f");
    float sum = 0;
#pragma omp parallel num_threads(threads)
    {
        float v = wide ? loop512(ITERS) : loop256(ITERS);
#pragma omp atomic
        sum += v;
    }
    volatile float sink = sum; /* keeps the loops' results alive */
    (void)sink;
    return fma_burst_flops(threads);
}

double fma_peak(int threads) {
    double best = 0;
    for (int r = 0; r < 10; r++) {
        double t0 = bench_now();
        double flops = fma_burst(threads);
        double gf = flops / (bench_now() - t0) / 1e9;
        if (gf > best) best = gf;
    }
    return best;
}
