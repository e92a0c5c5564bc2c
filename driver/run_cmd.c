/* --run (compile, run on random inputs, check against the reference, time) and atomic output
 * writing for the driver. */
#include "driver/run.h"
#include "lang/xalloc.h"
#include "compiler/lower.h"
#include "lang/eval.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool driver_run(Cg *cg, CgModule *mod, const Inst *in, int repeat) {
    char err[1024] = "";
    CgJit *jit = cg_jit(cg, mod, err, sizeof err);
    if (!jit) {
        fprintf(stderr, "tec: error: loading %s failed: %s\n", in->name, err);
        return false;
    }
    KernelFn kernel = cg_jit_kernel(jit);
    void **args = xcalloc((size_t)in->nargs, sizeof *args);
    void **ref = xcalloc((size_t)in->nargs, sizeof *ref);
    uint64_t seed = 42;
    bool ok = true;
    for (int i = 0; i < in->nargs && ok; i++) {
        const Stage *st = &in->stages[in->args[i]];
        size_t bytes = (size_t)stage_size(st) * dtype_size(st->dtype);
        args[i] = aligned_alloc(64, (bytes + 63) / 64 * 64);
        ok = args[i] != NULL;
        if (!ok) break;
        if (st->kind == STAGE_PLACEHOLDER) {
            eval_fill_random(st->dtype, args[i], stage_size(st), &seed);
            ref[i] = args[i];
        } else {
            memset(args[i], 0, bytes);
            ref[i] = calloc(1, bytes ? bytes : 1);
            ok = ref[i] != NULL;
        }
    }
    if (!ok) {
        fprintf(stderr, "tec: error: out of memory allocating the buffers of %s\n", in->name);
        goto done;
    }
    if (!eval_run(in, ref)) {
        fprintf(stderr, "tec: error: the reference evaluator failed on %s\n", in->name);
        ok = false;
        goto done;
    }
    kernel(args); /* the checked call doubles as the warm-up */
    int nout = 0;
    for (int i = 0; i < in->nargs; i++) {
        const Stage *st = &in->stages[in->args[i]];
        if (st->kind == STAGE_PLACEHOLDER) continue;
        char why[512] = "";
        nout++;
        if (!eval_compare(st->dtype, args[i], ref[i], stage_size(st), inst_max_reduction(in), why,
                          sizeof why)) {
            fprintf(stderr, "tec: error: %s: output %s differs from the reference: %s\n", in->name,
                    st->name, why);
            ok = false;
        }
    }
    if (!ok) goto done;
    printf("%s: %d output%s checked against the reference evaluator: ok\n", in->name, nout,
           nout == 1 ? "" : "s");

    /* Time batches of calls long enough (about 1 ms) for the clock to resolve them. */
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
done:
    for (int i = 0; i < in->nargs; i++) {
        if (ref[i] != args[i]) free(ref[i]);
        free(args[i]);
    }
    free(args);
    free(ref);
    cg_jit_free(jit);
    return ok;
}

/* A temporary name beside path, so rename() is atomic on the same file system. */
static char *temp_beside(const char *path) {
    size_t n = strlen(path) + 32;
    char *t = malloc(n);
    snprintf(t, n, "%s.tmp.%d", path, (int)getpid());
    return t;
}

/* The output can be written: not a directory, and a file can be made beside it (the temporary,
 * created empty here). Else a message naming path, not the temporary. */
static bool can_write(const char *path, const char *tmp, char *err, size_t errlen) {
    struct stat st;
    size_t n = strlen(path);
    if ((n > 0 && path[n - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        snprintf(err, errlen, "cannot write '%s': it is a directory", path);
        return false;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    close(fd);
    return true;
}

bool driver_write_output(Cg *cg, CgModule *mod, CgOutput kind, const char *path, char *err,
                         size_t errlen) {
    char *tmp = temp_beside(path);
    if (!can_write(path, tmp, err, errlen)) {
        free(tmp);
        return false;
    }
    bool ok = cg_write(cg, mod, kind, tmp, err, errlen);
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) unlink(tmp);
    free(tmp);
    return ok;
}

bool driver_write_loops(const char *path, const IrFunc *fn) {
    char *tmp = temp_beside(path);
    char err[1024];
    if (!can_write(path, tmp, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        free(tmp);
        return false;
    }
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL;
    if (f) {
        ir_print(f, fn);
        ok = fclose(f) == 0 && rename(tmp, path) == 0;
    }
    if (!ok) {
        fprintf(stderr, "tec: error: cannot write '%s': %s\n", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}
