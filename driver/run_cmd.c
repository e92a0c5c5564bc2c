/* `tec --run`: takes a compiled kernel and its instance; JIT-loads it, runs it once on random
 * inputs, checks every output against the reference evaluator and prints the median time. */
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

/* The argument buffers (random inputs, outputs filled with 0xA5 bytes so an element the kernel
 * never writes is caught, as the tuner's runner does) and the reference's (the inputs
 * themselves, fresh outputs). False (with a message) when one cannot be allocated. */
static bool alloc_buffers(const Inst *in, void **args, void **ref) {
    uint64_t seed = 42;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
        args[i] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (!args[i]) goto out_of_memory;
        if (st->kind == STAGE_PLACEHOLDER) {
            eval_fill_random(st->dtype, args[i], stage_size(st), &seed);
            ref[i] = args[i];
        } else {
            memset(args[i], 0xA5, bytes);
            ref[i] = calloc(1, bytes ? bytes : 1);
            if (!ref[i]) goto out_of_memory;
        }
    }
    return true;
out_of_memory:
    fprintf(stderr, "tec: error: out of memory allocating the buffers of %s\n", in->name);
    return false;
}

/* The buffers of alloc_buffers (an input's reference buffer is the input itself), and the
 * arrays holding them. */
static void free_buffers(int n, void **args, void **ref) {
    for (int i = 0; i < n; i++) {
        if (ref[i] != args[i]) free(ref[i]);
        free(args[i]);
    }
    free(args);
    free(ref);
}

/* Runs the kernel once (the warm-up too) and compares every output with the reference's. */
static bool check_outputs(KernelFn kernel, const Inst *in, void **args, void **ref) {
    if (!eval_run(in, ref)) {
        fprintf(stderr, "tec: error: the reference evaluator failed on %s\n", in->name);
        return false;
    }
    kernel(args);
    bool ok = true;
    int nout = 0;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        if (st->kind == STAGE_PLACEHOLDER) continue;
        char why[512] = "";
        nout++;
        if (!eval_compare_at(st->dtype, inst_float_precision(in), args[i], ref[i], stage_size(st),
                             inst_max_reduction(in), why, sizeof why)) {
            fprintf(stderr, "tec: error: %s: output %s differs from the reference: %s\n", in->name,
                    st->name, why);
            ok = false;
        }
    }
    if (ok)
        printf("%s: %d output%s checked against the reference evaluator: ok\n", in->name, nout,
               nout == 1 ? "" : "s");
    return ok;
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
    bool ok = alloc_buffers(in, args, ref) && check_outputs(kernel, in, args, ref);
    if (ok) time_kernel(kernel, in, args, repeat);
    free_buffers(in->nargs, args, ref);
    cg_jit_free(jit);
    return ok;
}
