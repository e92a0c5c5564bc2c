/* The tutorial matmul at 512^3 float32 with the hand-written schedule of
 * examples/matmul_tuned.te against OpenBLAS's cblas_sgemm in the same run, on 1 and 2 threads
 * (medians, GFLOPS, ratio), and the compile time of one config (lower + O3 + JIT), also over
 * configs of the tutorial's tunable examples/matmul.te.
 * Usage: bench_matmul [TUNED.te [TUTORIAL.te]] (defaults: the examples of this source tree). */
#include "bench/bench_time.h"
#include "compiler/codegen.h"
#include "compiler/lower.h"
#include "tests/lib/testlib.h"
#include "tuner/space.h"
#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { SIZE = 512, REPS = 31, BLOCK = 8, COMPILES = 21 };

typedef struct Bound {
    Arena *a;
    Inst *in;
    Space *space;
} Bound;

static bool load(Bound *t, const char *path) {
    t->a = arena_new();
    Diag d;
    Define defs[3] = {{"N", "512"}, {"L", "512"}, {"M", "512"}};
    t->in = test_bind_file(t->a, &d, path, NULL, defs, 3);
    t->space = t->in ? space_new(t->a, &d, t->in) : NULL;
    return t->space != NULL;
}

/* lower + O3 + JIT of config idx: the tuner's per-config cost; part[] gets the time of each
 * step (lower, build + verify + O3, object code + JIT link). */
static CgJit *build(Cg *cg, const Bound *t, int64_t idx, double *secs, double part[3]) {
    double t0 = bench_now(), t1 = t0, t2 = t0;
    Arena *a = arena_new();
    Config cfg = {.index = idx,
                  .nknobs = t->in->nknobs,
                  .vals = ARENA_ARRAY(a, KnobVal, t->in->nknobs ? t->in->nknobs : 1)};
    Diag d;
    diag_init(&d, "config", "", 0);
    CgJit *j = NULL;
    char err[1024] = "";
    if (space_get(t->space, idx, &cfg)) {
        IrFunc *f = lower(a, &d, t->in, t->in->nknobs ? &cfg : NULL, NULL);
        t1 = bench_now();
        CgModule *m = f ? cg_compile(cg, f, err, sizeof err) : NULL;
        t2 = bench_now();
        j = m ? cg_jit(cg, m, err, sizeof err) : NULL;
    }
    arena_free(a);
    *secs = bench_now() - t0;
    part[0] = t1 - t0;
    part[1] = t2 - t1;
    part[2] = *secs - part[0] - part[1];
    if (!j) fprintf(stderr, "bench_matmul: config %lld does not build: %s\n", (long long)idx, err);
    return j;
}

static void fill(float *x, size_t n, uint64_t *s) {
    for (size_t i = 0; i < n; i++) {
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (float)((double)(*s >> 11) / 9007199254740992.0 * 2 - 1);
    }
}

/* The compile time of one config: the hand-written schedule (its kernel kept in *jit), then
 * configs spread over the tutorial's space. */
static bool compile_times(Cg *cg, const char *tuned, const Bound *tt, const char *tutorial,
                          const Bound *tu, CgJit **jit) {
    double ct[COMPILES], secs, parts[3][COMPILES], part[3];
    CgJit *j = NULL;
    for (int r = 0; r < COMPILES; r++) {
        CgJit *k = build(cg, tt, 0, &secs, part);
        if (!k) return false;
        ct[r] = secs;
        for (int p = 0; p < 3; p++) parts[p][r] = part[p];
        if (j) cg_jit_free(j);
        j = k;
    }
    double ct_tuned = bench_median(ct, COMPILES);
    printf("compile one config (lower + O3 + JIT), median of %d:\n  %s: %.1f ms (lower %.1f, "
           "IR + O3 %.1f, object + link %.1f)\n",
           COMPILES, tuned, ct_tuned * 1e3, bench_median(parts[0], COMPILES) * 1e3,
           bench_median(parts[1], COMPILES) * 1e3, bench_median(parts[2], COMPILES) * 1e3);
    int64_t n = space_len(tu->space);
    for (int r = 0; r < COMPILES; r++) {
        CgJit *k = build(cg, tu, (int64_t)r * n / COMPILES, &secs, part);
        ct[r] = secs;
        for (int p = 0; p < 3; p++) parts[p][r] = part[p];
        cg_jit_free(k);
    }
    double ct_tut = bench_median(ct, COMPILES);
    printf("  %s (%d configs of %lld): %.1f ms (lower %.1f, IR + O3 %.1f, object + link %.1f)\n",
           tutorial, COMPILES, (long long)n, ct_tut * 1e3, bench_median(parts[0], COMPILES) * 1e3,
           bench_median(parts[1], COMPILES) * 1e3, bench_median(parts[2], COMPILES) * 1e3);

    *jit = j;
    return true;
}

/* tec's kernel and OpenBLAS on 1 and 2 threads, timed in alternating blocks. */
static void compare_threads(KernelFn kern, void **args, float *A, float *B, float *R) {
    double flops = 2.0 * SIZE * SIZE * SIZE;
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        openblas_set_num_threads(threads);
        double tt_s[REPS], tb_s[REPS];
        int number = threads == 1 ? 4 : 8;
        for (int w = 0; w < 3; w++) {
            kern(args);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, SIZE, SIZE, SIZE, 1.0f, A, SIZE,
                        B, SIZE, 0.0f, R, SIZE);
        }
        /* blocks in turn, so both see the same load from the rest of the machine; a pause
           before each block lets the other library's idle threads stop spinning (OpenBLAS's
           wait about 0.1 s before sleeping) so they do not steal a core from the timed one */
        for (int r = 0; r < REPS; r++) {
            if (r % BLOCK == 0) bench_pause_ms(250);
            double t0 = bench_now();
            for (int k = 0; k < number; k++) kern(args);
            tt_s[r] = (bench_now() - t0) / number;
        }
        for (int r = 0; r < REPS; r++) {
            if (r % BLOCK == 0) bench_pause_ms(250);
            double t0 = bench_now();
            for (int k = 0; k < number; k++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, SIZE, SIZE, SIZE, 1.0f, A,
                            SIZE, B, SIZE, 0.0f, R, SIZE);
            tb_s[r] = (bench_now() - t0) / number;
        }
        double mt = bench_median(tt_s, REPS), mb = bench_median(tb_s, REPS);
        printf("%d thread%s: tec %.3f ms = %.1f GFLOPS (best %.1f), OpenBLAS %.3f ms = %.1f "
               "GFLOPS (best %.1f), tec/OpenBLAS %.2f\n",
               threads, threads == 1 ? " " : "s", mt * 1e3, flops / mt / 1e9, flops / tt_s[0] / 1e9,
               mb * 1e3, flops / mb / 1e9, flops / tb_s[0] / 1e9, mb / mt);
    }
}

int main(int argc, char **argv) {
    /* libgomp reads its settings when it loads: to pick a wait policy, start again with it set.
       Idle workers that spin (the default) and never yield make a 2-thread region wait a whole
       time slice whenever another process shares a core; passive workers sleep at once. */
    if (!getenv("OMP_WAIT_POLICY")) {
        setenv("OMP_WAIT_POLICY", "passive", 1);
        execv("/proc/self/exe", argv);
    }
    const char *tuned = argc > 1 ? argv[1] : TEC_SOURCE_DIR "/examples/matmul_tuned.te";
    const char *tutorial = argc > 2 ? argv[2] : TEC_SOURCE_DIR "/examples/matmul.te";
    Bound tt = {0}, tu = {0};
    if (!load(&tt, tuned) || !load(&tu, tutorial)) return 1;
    char err[512];
    Cg *cg = cg_new(NULL, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "bench_matmul: %s\n", err);
        return 1;
    }
    printf("target %s, cpu %s; OpenBLAS %s (%s); OMP_WAIT_POLICY=%s\n", cg_triple(cg), cg_cpu(cg),
           openblas_get_config(), openblas_get_corename(), getenv("OMP_WAIT_POLICY"));

    CgJit *j = NULL;
    if (!compile_times(cg, tuned, &tt, tutorial, &tu, &j)) return 1;

    size_t nn = (size_t)SIZE * SIZE;
    float *A = aligned_alloc(64, nn * 4), *B = aligned_alloc(64, nn * 4);
    float *C = aligned_alloc(64, nn * 4), *R = aligned_alloc(64, nn * 4);
    uint64_t seed = 1;
    fill(A, nn, &seed);
    fill(B, nn, &seed);
    void *args[3] = {A, B, C};
    KernelFn kern = cg_jit_kernel(j);
    kern(args);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, SIZE, SIZE, SIZE, 1.0f, A, SIZE, B, SIZE,
                0.0f, R, SIZE);
    double num = 0, den = 0;
    for (size_t i = 0; i < nn; i++)
        num += (double)(C[i] - R[i]) * (C[i] - R[i]), den += (double)R[i] * R[i];
    double rel = sqrt(num / den);
    printf("tec vs OpenBLAS: relative error %.2e\n", rel);
    if (!(rel < 1e-5)) {
        fprintf(stderr, "bench_matmul: results differ\n");
        return 1;
    }

    compare_threads(kern, args, A, B, R);
    cg_jit_free(j);
    cg_free(cg);
    free(A), free(B), free(C), free(R);
    arena_free(tt.a);
    arena_free(tu.a);
    return 0;
}
