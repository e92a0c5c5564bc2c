/* bench_ops, one shape in one process (bench_ops --child): tunes the shape's template with the
 * xgb tuner on the threads it is timed on (the library computing the tuner's reference
 * outputs), or loads the kernel tuned before; loads the emitted object, checks its output against
 * the library's, then times the kernel and the library calls in alternating blocks. Prints one
 * "RESULT ..." line on stdout. */
#include "bench/ops_child.h"
#include "lang/eval.h"
#include "tuner/session.h"
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAXLIB = 2, PER_BLOCK = 3 };

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

static double rel_error(const float *got, const float *ref, int64_t n) {
    double num = 0, den = 0;
    for (int64_t i = 0; i < n; i++) {
        double d = (double)got[i] - ref[i];
        num += d * d, den += (double)ref[i] * ref[i];
    }
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

/* Contender 0: tec's kernel; then the libraries; last, the FMA peak's loop on the same threads,
   so that the peak is also measured in the rounds the kernels are timed in (this VM's speed
   drifts by several percent from minute to minute). */
typedef struct Contenders {
    KernelFn k;
    void **args;
    Lib **libs;
    int nl, threads;
} Contenders;

static void run_one(void *ctx, int c) {
    const Contenders *x = ctx;
    if (c == 0)
        x->k(x->args);
    else if (c <= x->nl)
        lib_run(x->libs[c - 1]);
    else
        fma_burst(x->threads);
}

/* The tuner's reference outputs on 1 thread whatever the kernels are tuned on: the reference runs
   in the tuner's process before it forks the runner, and an OpenMP team started there (oneDNN's,
   on 2 threads) leaves the forked runner's libgomp hanging in its first parallel region. */
typedef struct Ref1t {
    bool (*fn)(void *ctx, void *const *args); /* lib_reference or lib_reference_blocked */
    void *ctx;
} Ref1t;

static bool reference_1t(void *ctx, void *const *args) {
    const Ref1t *r = ctx;
    int t = omp_get_max_threads();
    omp_set_num_threads(1);
    bool ok = r->fn(r->ctx, args);
    omp_set_num_threads(t);
    return ok;
}

static int tune(const ChildOptions *co, const Shape *s, const BlockedRef *bref, const Inst *in,
                const Space *sp, const char *src, size_t srclen, int64_t *best) {
    SessionOptions o;
    session_options_default(&o);
    o.in = in, o.sp = sp, o.src_path = co->template_path, o.src = src, o.srclen = srclen;
    o.tuner = "xgb";
    o.trials = co->trials;
    o.number = 1, o.repeat = 3, o.min_repeat_ms = 10; /* big kernels: one call per repeat */
    /* a trial (4 calls) past 3 s is hopeless at every shape here (2048^3: under 23 GFLOPS); the
       default 10 s made such configs most of the tuning time of the largest shapes */
    o.timeout = 3;
    /* builds only hang by a bug; the heavily unrolled conv2d configs take seconds when the
       machine is busy and the builders run niced */
    o.build_timeout = 60;
    o.jobs = 0;
    char log[1100];
    snprintf(log, sizeof log, "%s.log", co->obj);
    o.log_path = log;
    o.fsync_log = false;
    o.out_path = co->obj;
    o.out = stderr;
    o.progress = isatty(2) ? SESSION_PROGRESS_LIVE : SESSION_PROGRESS_QUIET;
    Ref1t ref = co->blocked ? (Ref1t){lib_reference_blocked, (void *)bref}
                            : (Ref1t){lib_reference, (void *)s};
    o.reference = reference_1t, o.reference_ctx = &ref;
    SessionSummary sum;
    int rc = session_run(&o, &sum);
    *best = sum.best_index;
    return rc;
}

/* Checks the loaded kernel against the libraries and times them; prints the RESULT line.
   Returns 1 when an output differs. */
static int measure(const ChildOptions *co, const Shape *s, KernelFn k, float *const buf[3],
                   int64_t nout, int64_t best, Lib **libs, int nl) {
    void *args[3] = {buf[0], buf[1], buf[2]};
    k(args);
    float *ref = aligned_alloc(64, ((size_t)nout * 4 + 63) / 64 * 64);
    float *other = aligned_alloc(64, ((size_t)nout * 4 + 63) / 64 * 64);
    double worst = 0;
    int bad = 0;
    for (int i = 0; i < nl; i++) {
        lib_run(libs[i]);
        lib_output(libs[i], i == 0 ? ref : other);
        const float *got = i == 0 ? buf[2] : other;
        char why[256] = "";
        double e = rel_error(got, ref, nout);
        if (e > worst) worst = e;
        if (!eval_compare(DT_FLOAT32, got, ref, nout, shape_reduction(s), why, sizeof why)) {
            fprintf(stderr,
                    "bench_ops: %s, %d thread%s: %s differs from %s (relative error %.2e): %s\n",
                    s->name, co->threads, co->threads > 1 ? "s" : "",
                    i == 0 ? "tec" : lib_name(libs[i]), lib_name(libs[0]), e, why);
            bad = 1;
        }
    }
    double med[2 + MAXLIB] = {0};
    Contenders x = {k, args, libs, nl, co->threads};
    /* On 2 threads the pause outlasts OpenBLAS's: its idle server threads spin 2^28 TSC ticks
       (THREAD_TIMEOUT 28; 128 ms at this machine's 2.1 GHz TSC) before sleeping, and a spinning
       thread takes a core from the next contender. */
    BenchTiming timing = {.rounds = co->rounds,
                          .per_block = PER_BLOCK,
                          .pause_ms = co->threads > 1 ? 300 : 100,
                          .repeat_s = 0.01};
    if (!bad && !co->check_only) bench_time_alternating(2 + nl, run_one, &x, &timing, med);
    double peak = med[1 + nl] > 0 ? fma_burst_flops(co->threads) / med[1 + nl] / 1e9 : 0;
    printf("RESULT %d %lld %.9g %.9g %.9g %.3g %.6g", bad, (long long)best, med[0], med[1],
           nl > 1 ? med[2] : 0, worst, peak);
    for (int i = 0; i < nl; i++) printf(" %s", lib_impl(libs[i]));
    printf("\n");
    fflush(stdout);
    free(ref), free(other);
    return bad;
}

int child_main(const ChildOptions *co) {
    const Shape *s = &bench_shapes[co->shape];
    int rc = 1;
    size_t srclen, olen;
    char *src = read_all(co->template_path, &srclen), *obj = NULL, err[1024];
    float *buf[3] = {NULL, NULL, NULL};
    Lib *libs[MAXLIB] = {0};
    int nl = co->blocked ? 1 : lib_count(s);
    BlockedRef bref = {.s = s};
    Cg *cg = NULL;
    CgJit *j = NULL;
    Arena *a = arena_new();
    if (!src) {
        fprintf(stderr, "bench_ops: cannot read %s\n", co->template_path);
        goto done;
    }
    Diag d;
    diag_init(&d, co->template_path, src, srclen);
    const char *names[16], *values[16];
    char vbuf[16][16];
    /* the blocked layouts are oneDNN's choice on 1 thread, the tuning's */
    lib_set_threads(1);
    if (co->blocked && !lib_blocked_layout(s, &bref.bl, err, sizeof err)) {
        fprintf(stderr, "bench_ops: %s\n", err);
        goto done;
    }
    int nd = co->blocked ? shape_blocked_defines(s, &bref.bl, names, values, vbuf)
                         : shape_defines(s, names, values, vbuf);
    Define defs[16];
    for (int i = 0; i < nd; i++) defs[i] = (Define){names[i], values[i]};
    Program *p = parse_program(a, &d, src, srclen);
    Inst *in = p ? sema_bind(a, &d, p, NULL, defs, nd) : NULL;
    Space *sp = in ? space_new(a, &d, in) : NULL;
    if (!sp) goto done;
    if (in->nargs != 3) {
        fprintf(stderr, "bench_ops: %s: expected 2 inputs and 1 output\n", co->template_path);
        goto done;
    }
    /* inputs as the tuner makes them (the same seed in every process) */
    int64_t n[3];
    uint64_t seed = 1;
    for (int i = 0; i < 3; i++) {
        n[i] = stage_size(&in->stages[in->args[i]]);
        buf[i] = aligned_alloc(64, ((size_t)n[i] * 4 + 63) / 64 * 64);
        if (i < 2) eval_fill_random(DT_FLOAT32, buf[i], n[i], &seed);
    }
    lib_set_threads(1); /* no OpenMP team before the tuner forks its workers */
    /* tuned on the threads it is timed on: the forked runner inherits this count (setting it
       starts no team); the tuner's reference stays on 1 (reference_1t) */
    omp_set_num_threads(co->threads);
    int64_t best = -1;
    if (co->trials > 0 && (rc = tune(co, s, &bref, in, sp, src, srclen, &best)) != 0) goto done;
    rc = 1;
    obj = read_all(co->obj, &olen);
    cg = cg_new(NULL, err, sizeof err);
    j = obj && cg ? cg_jit_object(cg, obj, olen, in->name, err, sizeof err) : NULL;
    if (!j) {
        fprintf(stderr, "bench_ops: cannot load %s: %s\n", co->obj, obj ? err : "unreadable");
        goto done;
    }
    /* before the libraries plan their work: oneDNN fixes its thread partition when a primitive
       is created */
    lib_set_threads(co->threads);
    const float *ins[2] = {buf[0], buf[1]};
    for (int i = 0; i < nl; i++)
        if (!(libs[i] = co->blocked ? lib_new_blocked(s, &bref.bl, ins, err, sizeof err)
                                    : lib_new(s, i, ins, err, sizeof err))) {
            fprintf(stderr, "bench_ops: %s\n", err);
            goto done;
        }
    rc = measure(co, s, cg_jit_kernel(j), buf, n[2], best, libs, nl);
done:
    for (int i = 0; i < nl; i++) lib_free(libs[i]);
    if (j) cg_jit_free(j);
    if (cg) cg_free(cg);
    for (int i = 0; i < 3; i++) free(buf[i]);
    free(obj), free(src);
    arena_free(a);
    return rc;
}
