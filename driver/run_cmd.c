/* `tec --run`: takes a compiled kernel and its instance; JIT-loads it, runs it once on random
 * inputs, checks every output against the reference evaluator and prints the median time. The
 * buffers and the check are public: bench/bench_tasks.c checks library kernels with them. */
#include "driver/run_cmd.h"
#include "lang/eval.h"
#include "lang/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool run_cmd_buffers(const Inst *in, uint64_t seed, void **args, void **ref) {
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
        args[i] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (!args[i]) goto out_of_memory;
        if (st->kind == STAGE_PLACEHOLDER) {
            eval_fill_random(st->dtype, args[i], stage_size(st), &seed);
            if (ref) ref[i] = args[i];
        } else {
            memset(args[i], 0xA5, bytes);
            if (ref && !(ref[i] = calloc(1, bytes ? bytes : 1))) goto out_of_memory;
        }
    }
    return true;
out_of_memory:
    fprintf(stderr, "tec: error: out of memory allocating the buffers of %s\n", in->name);
    return false;
}

void run_cmd_free_buffers(int n, void **args, void **ref) {
    for (int i = 0; i < n; i++) {
        if (ref && ref[i] != args[i]) free(ref[i]);
        free(args[i]);
    }
    free(args);
    free(ref);
}

bool run_cmd_compare(const Inst *in, void *const *args, void *const *ref, char *why,
                     size_t whylen) {
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        if (st->kind == STAGE_PLACEHOLDER) continue;
        char what[512] = "";
        if (!eval_compare_at(st->dtype, inst_float_precision(in), args[i], ref[i], stage_size(st),
                             inst_max_reduction(in), what, sizeof what)) {
            snprintf(why, whylen, "output %s differs from the reference: %s", st->name, what);
            return false;
        }
    }
    return true;
}

/* Runs the kernel once (the warm-up too) and compares every output with the reference's. */
static bool check_outputs(KernelFn kernel, const Inst *in, void **args, void **ref) {
    if (!eval_run(in, ref)) {
        fprintf(stderr, "tec: error: the reference evaluator failed on %s\n", in->name);
        return false;
    }
    kernel(args);
    char why[1024] = "";
    if (!run_cmd_compare(in, args, ref, why, sizeof why)) {
        fprintf(stderr, "tec: error: %s: %s\n", in->name, why);
        return false;
    }
    int nout = 0;
    for (int i = 0; i < in->nargs; i++) nout += in->stages[in->args[i]].kind != STAGE_PLACEHOLDER;
    printf("%s: %d output%s checked against the reference evaluator: ok\n", in->name, nout,
           nout == 1 ? "" : "s");
    return true;
}

/* Times batches of calls long enough (about 1 ms) for the clock to resolve them; prints the
 * median of `repeat` batches. */
static void time_kernel(KernelFn kernel, const Inst *in, void **args, int repeat) {
    double t0 = now();
    kernel(args);
    double once = now() - t0;
    int number = once > 1e-3 ? 1 : (int)(1e-3 / (once > 1e-9 ? once : 1e-9)) + 1;
    double *times = xcalloc((size_t)repeat, sizeof *times);
    for (int r = 0; r < repeat; r++) {
        t0 = now();
        for (int k = 0; k < number; k++) kernel(args);
        times[r] = (now() - t0) / number;
    }
    qsort(times, (size_t)repeat, sizeof *times, cmp_double);
    double med = repeat % 2 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
    double flops = inst_flops(in);
    /* microseconds below 0.1 ms: a small kernel's time must not print as 0.0000 ms */
    bool us = med < 1e-4;
    double unit = us ? 1e6 : 1e3;
    printf("time: median %.4f %s over %d runs of %d call%s (min %.4f %s)", med * unit,
           us ? "us" : "ms", repeat, number, number == 1 ? "" : "s", times[0] * unit,
           us ? "us" : "ms");
    if (flops > 0) printf(", %.2f GFLOPS", flops / med / 1e9);
    printf("\n");
    free(times);
}

bool run_cmd(Cg *cg, CgModule *mod, const Inst *in, int repeat) {
    char err[1024] = "";
    CgJit *jit = cg_jit(cg, mod, err, sizeof err);
    if (!jit) {
        fprintf(stderr, "tec: error: loading %s failed: %s\n", in->name, err);
        return false;
    }
    KernelFn kernel = cg_jit_kernel(jit);
    void **args = xcalloc((size_t)in->nargs, sizeof *args);
    void **ref = xcalloc((size_t)in->nargs, sizeof *ref);
    bool ok = run_cmd_buffers(in, 42, args, ref) && check_outputs(kernel, in, args, ref);
    if (ok) time_kernel(kernel, in, args, repeat);
    run_cmd_free_buffers(in->nargs, args, ref);
    cg_jit_free(jit);
    return ok;
}
