/* bench_ops: tec's tuned kernels against the libraries a user would otherwise call (issue 9).
 * For each shape: a child process tunes the template with the xgb tuner and times the best
 * kernel against the library on 1 thread; another tunes it again on 2 threads and times that
 * kernel, and further fresh processes time it on 2 threads too (median over processes);
 * convolutions again with the blocked template against oneDNN on its blocked layouts. Prints
 * progress, then a Markdown table (also written to a file) with every result as a fraction of
 * the FMA peak this run measured.
 * Usage: bench_ops [--quick] [--check-only] [--one-tuning] [--trials N] [--procs P]
 *                  [--rounds R] [--only TEXT] [--out FILE.md] [--src DIR] */
#include "bench/ops_child.h"
#include "compiler/codegen.h"
#include "compiler/out_file.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Environment settings that change which kernels the libraries run or on how many threads:
   the benchmark runs the libraries as a user gets them. */
static const char *const overrides[] = {
    "OPENBLAS_CORETYPE",    "OPENBLAS_L2_SIZE",         "OPENBLAS_NUM_THREADS",
    "GOTO_NUM_THREADS",     "OMP_NUM_THREADS",          "OPENBLAS_DEFAULT_NUM_THREADS",
    "DNNL_MAX_CPU_ISA",     "ONEDNN_MAX_CPU_ISA",       "DNNL_CPU_ISA_HINTS",
    "ONEDNN_CPU_ISA_HINTS", "DNNL_DEFAULT_FPMATH_MODE", "ONEDNN_DEFAULT_FPMATH_MODE",
    "OMP_DYNAMIC",          "OMP_THREAD_LIMIT",         NULL};

typedef struct Opts {
    bool quick, check_only, one_tuning;
    int64_t trials;
    int procs, rounds;
    const char *only, *out, *src;
} Opts;

typedef struct Result {
    bool ran, bad;
    long long best[2]; /* [threads-1]: the config timed */
    /* [threads-1][tec, lib0, lib1] seconds per call, [3] the FMA loop's GFLOPS timed in the same
       rounds on the same threads */
    double t[2][4];
    double err;
    char impl[2][96];
    /* conv2d's blocked comparison (conv2d_nchwc.te against oneDNN on the same blocked buffers):
       its child's result, t[th][0] tec's kernel, t[th][1] oneDNN's */
    struct Result *blk;
} Result;

static void usage(void) {
    fprintf(stderr,
            "usage: bench_ops [--quick] [--check-only] [--one-tuning] [--trials N] [--procs P]\n"
            "                 [--rounds R] [--only TEXT] [--out FILE.md] [--src DIR]\n"
            "  --quick       a few shapes, few trials (checks that the benchmark works)\n"
            "  --check-only  tune and check every kernel against the library; time nothing\n"
            "  --one-tuning  tune on 1 thread only and time that config on 2 threads too\n"
            "                (default: the 2-thread rows are tuned again on 2 threads)\n"
            "  --trials N    xgb trials per shape and thread count (default 100; --quick 8)\n"
            "  --procs P     processes whose median is the 2-thread result (default 3)\n"
            "  --rounds R    timed rounds per process (default 7; --quick 3)\n"
            "  --only TEXT   only the shapes whose name contains TEXT\n"
            "  --out FILE    the Markdown table (default bench_ops.md)\n"
            "  --src DIR     the source tree holding examples/ (default: this build's)\n");
    exit(2);
}

static long long num_arg(const char *flag, const char *v) {
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || errno || x <= 0) {
        fprintf(stderr, "bench_ops: %s needs a positive integer\n", flag);
        exit(2);
    }
    return x;
}

/* Runs bench_ops --child ... and parses its RESULT line into r (column set `threads`);
   blocked: the shape's blocked template against oneDNN on its blocked layouts. */
static bool run_child(const Opts *o, int shape, bool blocked, const char *obj, int64_t trials,
                      int threads, Result *r, double t[4]) {
    char tmpl[1024], sh[16], tr[32], th[16], ro[16];
    const Shape *s = &bench_shapes[shape];
    snprintf(tmpl, sizeof tmpl, "%s/%s", o->src,
             blocked ? shape_blocked_template(s) : shape_template(s));
    snprintf(sh, sizeof sh, "%d", shape);
    snprintf(tr, sizeof tr, "%lld", (long long)trials);
    snprintf(th, sizeof th, "%d", threads);
    snprintf(ro, sizeof ro, "%d", o->rounds);
    const char *argv[] = {"bench_ops",
                          "--child",
                          sh,
                          tmpl,
                          obj,
                          tr,
                          th,
                          ro,
                          o->check_only ? "check" : "time",
                          blocked ? "blocked" : "plain",
                          NULL};
    int fd[2];
    if (pipe(fd) != 0) return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]), close(fd[1]);
        execv("/proc/self/exe", (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    char out[4096] = "";
    size_t n = 0;
    ssize_t k;
    while (n < sizeof out - 1 && (k = read(fd[0], out + n, sizeof out - 1 - n)) > 0) n += (size_t)k;
    out[n] = 0;
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    const char *line = strstr(out, "RESULT ");
    int bad;
    long long best;
    char i0[96] = "", i1[96] = "";
    if (!line || sscanf(line, "RESULT %d %lld %lf %lf %lf %lf %lf %95s %95s", &bad, &best, &t[0],
                        &t[1], &t[2], &r->err, &t[3], i0, i1) < 7) {
        r->bad = true;
        return false;
    }
    if (bad || !WIFEXITED(st) || WEXITSTATUS(st) != 0) r->bad = true;
    if (trials > 0) r->best[threads - 1] = best;
    snprintf(r->impl[0], sizeof r->impl[0], "%s", i0);
    snprintf(r->impl[1], sizeof r->impl[1], "%s", i1);
    return !r->bad;
}

/* Percent of `peak` GFLOPS that shape s reaches in t seconds per call (0 without a peak). */
static double pct_of_peak(const Shape *s, double t, double peak) {
    return peak > 0 ? 100 * shape_flops(s) / t / 1e9 / peak : 0;
}

static void fmt_perf(char *buf, size_t n, const Shape *s, double t, double peak) {
    if (!(t > 0)) {
        snprintf(buf, n, "-");
        return;
    }
    double gf = shape_flops(s) / t / 1e9;
    int len = snprintf(buf, n, "%.1f (%.0f%%)", gf, pct_of_peak(s, t, peak));
    if (shape_flops(s) / shape_bytes(s) < 4) /* memory bound: the bandwidth says more */
        snprintf(buf + len, n - (size_t)len, ", %.1f GB/s", shape_bytes(s) / t / 1e9);
}

static void print_table(FILE *f, const Opts *o, const char *machine, const double peak[2],
                        const Result *res) {
    if (o->check_only)
        fprintf(f,
                "%s\n\nCheck only (nothing timed): every kernel against the library; %lld "
                "xgb trials per shape.\n\n",
                machine, (long long)o->trials);
    else
        fprintf(f,
                "%s\n\nFMA peak measured by this run: %.1f GFLOPS on 1 thread, %.1f on 2. "
                "GFLOPS (percent of that peak); peak alongside: the same FMA loop timed as one "
                "more contender in the rows' rounds, on their threads (GFLOPS; the kernel's "
                "percent of it); ratio = library time / tec time (> 1: tec "
                "faster). Blocked columns: examples/conv2d_nchwc.te against oneDNN's "
                "convolution on the same buffers, in the layouts oneDNN picks (nothing "
                "reordered; layouts under the table); depthwise: the kernel above against "
                "oneDNN on its layouts (inputs reordered before timing). %lld xgb trials per "
                "template and shape%s; medians of %d rounds, 2 threads: median of %d "
                "processes.\n\n",
                machine, peak[0], peak[1], (long long)o->trials,
                o->one_tuning ? " on 1 thread (the 2-thread rows time the same config)"
                              : " and thread count (the 2-thread rows are tuned on 2 threads)",
                o->rounds, o->procs);
    fprintf(f, "| shape | threads | tec | library | library perf | ratio | tec blocked | oneDNN "
               "blocked | ratio | max rel. err | config | peak alongside |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    double lg[3] = {0}; /* log-sums of the 1-thread ratios: matmul, conv NCHW, conv blocked */
    int ng[3] = {0};
    double worst_mm = INFINITY;
    for (int i = 0; i < bench_nshapes; i++) {
        const Shape *s = &bench_shapes[i];
        const Result *r = &res[i];
        if (!r->ran) continue;
        for (int th = 0; th < 2; th++) {
            const double *t = r->t[th];
            /* the blocked columns: conv2d_nchwc.te against oneDNN on the same blocked buffers;
               without a blocked template, this kernel against oneDNN's blocked run */
            double bt = r->blk ? r->blk->t[th][0] : t[0], bl = r->blk ? r->blk->t[th][1] : t[2];
            char c0[64], c1[64], c2[64], cb[64], q1[16] = "-", q2[16] = "-", cfg[48];
            fmt_perf(c0, sizeof c0, s, t[0], peak[th]);
            fmt_perf(c1, sizeof c1, s, t[1], peak[th]);
            fmt_perf(c2, sizeof c2, s, bl, peak[th]);
            fmt_perf(cb, sizeof cb, s, r->blk ? bt : 0, peak[th]);
            if (t[0] > 0 && t[1] > 0) snprintf(q1, sizeof q1, "%.2f", t[1] / t[0]);
            if (bt > 0 && bl > 0) snprintf(q2, sizeof q2, "%.2f", bl / bt);
            double err = r->blk && r->blk->err > r->err ? r->blk->err : r->err;
            int len = snprintf(cfg, sizeof cfg, "%lld", r->best[th]);
            if (r->blk) snprintf(cfg + len, sizeof cfg - (size_t)len, " / %lld", r->blk->best[th]);
            bool mm = s->op == OP_GEMM || s->op == OP_BMM;
            char pa[48] = "-";
            if (t[3] > 0 && t[0] > 0)
                snprintf(pa, sizeof pa, "%.1f (tec %.0f%%)", t[3], pct_of_peak(s, t[0], t[3]));
            fprintf(f, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.1e%s | %s | %s |\n",
                    s->name, th + 1, c0, mm ? "OpenBLAS" : "oneDNN NCHW", c1, q1, cb, mm ? "-" : c2,
                    q2, err, r->bad || (r->blk && r->blk->bad) ? " FAILED" : "", cfg, pa);
            if (th == 0 && t[0] > 0 && t[1] > 0) {
                int g = s->op == OP_GEMM ? 0 : mm ? -1 : 1;
                if (g == 0 && t[1] / t[0] < worst_mm) worst_mm = t[1] / t[0];
                if (g >= 0) lg[g] += log(t[1] / t[0]), ng[g]++;
            }
            if (th == 0 && r->blk && bt > 0 && bl > 0) lg[2] += log(bl / bt), ng[2]++;
        }
    }
    fprintf(f, "\n1 thread, geometric means of the ratios: matmul %s", ng[0] ? "" : "-");
    if (ng[0]) fprintf(f, "%.2f (lowest %.2f)", exp(lg[0] / ng[0]), worst_mm);
    if (ng[1]) fprintf(f, "; conv2d vs oneDNN NCHW %.2f", exp(lg[1] / ng[1]));
    if (ng[2]) fprintf(f, "; conv2d (conv2d_nchwc.te) vs oneDNN blocked %.2f", exp(lg[2] / ng[2]));
    fprintf(f, ".\n");
    for (int i = 0; i < bench_nshapes; i++)
        if (res[i].ran && bench_shapes[i].op == OP_GEMM && bench_shapes[i].n == 1024 &&
            res[i].t[1][0] > 0)
            fprintf(f,
                    "2 threads, matmul 1024^3: tec at %.0f%% of the 2-core peak (%.0f%% of the "
                    "peak alongside).\n",
                    pct_of_peak(&bench_shapes[i], res[i].t[1][0], peak[1]),
                    pct_of_peak(&bench_shapes[i], res[i].t[1][0], res[i].t[1][3]));
    fprintf(f, "\nLibrary kernels:");
    for (int i = 0; i < bench_nshapes; i++)
        if (res[i].ran && res[i].impl[0][0]) {
            const char *second = res[i].blk ? res[i].blk->impl[0] : res[i].impl[1];
            fprintf(f, " %s: %s%s%s;", bench_shapes[i].name, res[i].impl[0], second[0] ? " / " : "",
                    second);
        }
    fprintf(f, "\n");
}

/* One shape's template (blocked: its blocked template) tuned and timed on 1 thread, then timed
   on 2 threads in o->procs processes (the median); false when a kernel failed. */
static bool run_shape(const Opts *o, int i, bool blocked, const char *dir, const double peak[2],
                      Result *r) {
    const Shape *s = &bench_shapes[i];
    char obj[64], obj2[64];
    snprintf(obj, sizeof obj, "%s/k%d%s.o", dir, i, blocked ? "b" : "");
    snprintf(obj2, sizeof obj2, "%s/k%d%s-2t.o", dir, i, blocked ? "b" : "");
    fprintf(stderr, "    tuning %s (%lld trials, xgb), 1 thread...\n",
            blocked ? shape_blocked_template(s) : shape_template(s), (long long)o->trials);
    bool ok = run_child(o, i, blocked, obj, o->trials, 1, r, r->t[0]);
    const char *lib = blocked ? "oneDNN blocked" : "library";
    char a[64], b[64];
    fmt_perf(a, sizeof a, s, r->t[0][0], peak[0]);
    fmt_perf(b, sizeof b, s, r->t[0][1], peak[0]);
    fprintf(stderr, "    config %lld%s: 1 thread tec %s, %s %s GFLOPS\n", r->best[0],
            ok ? "" : " FAILED", a, lib, b);
    /* the 2-thread rows: a config tuned on 2 threads (the first process tunes it), unless
       --one-tuning; a config tuned on 1 thread keeps its parallel loops' blocking of 1 */
    const char *obj_2t = o->one_tuning ? obj : obj2;
    if (ok && !o->one_tuning)
        fprintf(stderr, "    tuning again on 2 threads (%lld trials)...\n", (long long)o->trials);
    else
        r->best[1] = r->best[0];
    double t2[16][4];
    int n2 = 0;
    for (int p = 0; ok && p < o->procs && p < 16; p++)
        if ((ok = run_child(o, i, blocked, obj_2t, p == 0 && !o->one_tuning ? o->trials : 0, 2, r,
                            t2[n2])))
            n2++;
    for (int c = 0; c < 4 && n2; c++) {
        double v[16];
        for (int p = 0; p < n2; p++) v[p] = t2[p][c];
        r->t[1][c] = bench_median(v, n2);
    }
    if (n2) {
        fmt_perf(a, sizeof a, s, r->t[1][0], peak[1]);
        fmt_perf(b, sizeof b, s, r->t[1][1], peak[1]);
        fprintf(stderr, "    config %lld%s: 2 threads tec %s, %s %s GFLOPS\n", r->best[1],
                ok ? "" : " FAILED", a, lib, b);
    }
    char aux[128];
    for (int k = 0; k < 2; k++) {
        const char *o_k = k == 0 ? obj : obj2;
        unlink(o_k);
        snprintf(aux, sizeof aux, "%s.log", o_k);
        unlink(aux);
        snprintf(aux, sizeof aux, "%.*s.h", (int)strlen(o_k) - 2, o_k);
        unlink(aux);
    }
    return ok;
}

/* Clears the overrides and starts again: the libraries read them when they load. libgomp's wait
   policy stays the user's (unset: libgomp's default, a short spin then sleep, what a program
   linking the kernel gets); a passive wait cost the 2-thread 1024^3 kernel 10-15% here (each
   call's region and end barrier a futex round trip in this VM), and the pauses between
   contenders outlast the default spin, so no contender's idle threads take a core from the next. */
static void clean_environment(char **argv) {
    bool changed = false;
    for (int i = 0; overrides[i]; i++)
        if (getenv(overrides[i])) {
            fprintf(stderr, "bench_ops: ignoring %s=%s (the libraries run as a user gets them)\n",
                    overrides[i], getenv(overrides[i]));
            unsetenv(overrides[i]);
            changed = true;
        }
    if (changed) {
        execv("/proc/self/exe", argv);
        perror("bench_ops: cannot restart itself");
        exit(1);
    }
}

static int child(int argc, char **argv) {
    if (argc != 10) usage();
    ChildOptions co = {.shape = atoi(argv[2]),
                       .template_path = argv[3],
                       .obj = argv[4],
                       .trials = atoll(argv[5]),
                       .threads = atoi(argv[6]),
                       .rounds = atoi(argv[7]),
                       .check_only = strcmp(argv[8], "check") == 0,
                       .blocked = strcmp(argv[9], "blocked") == 0};
    if (co.shape < 0 || co.shape >= bench_nshapes) usage();
    return child_main(&co);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--child") == 0) return child(argc, argv);
    Opts o = {.procs = 3, .out = "bench_ops.md", .src = TEC_SOURCE_DIR};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0)
            o.quick = true;
        else if (strcmp(a, "--check-only") == 0)
            o.check_only = true;
        else if (strcmp(a, "--one-tuning") == 0)
            o.one_tuning = true;
        else if (strcmp(a, "--trials") == 0)
            o.trials = num_arg(a, v), i++;
        else if (strcmp(a, "--procs") == 0)
            o.procs = (int)num_arg(a, v), i++;
        else if (strcmp(a, "--rounds") == 0)
            o.rounds = (int)num_arg(a, v), i++;
        else if (strcmp(a, "--only") == 0 && v)
            o.only = v, i++;
        else if (strcmp(a, "--out") == 0 && v)
            o.out = v, i++;
        else if (strcmp(a, "--src") == 0 && v)
            o.src = v, i++;
        else
            usage();
    }
    if (!o.trials) o.trials = o.quick ? 8 : 100;
    if (!o.rounds) o.rounds = o.quick ? 3 : 7;
    if (o.quick && o.procs == 3) o.procs = 1;
    clean_environment(argv);
    int todo = 0, done = 0, failed = 0;
    for (int i = 0; i < bench_nshapes; i++)
        if ((!o.quick || bench_shapes[i].quick) &&
            (!o.only || strstr(bench_shapes[i].name, o.only)))
            todo++;
    if (!todo) {
        fprintf(stderr, "bench_ops: no shape%s matches --only '%s'\n", o.quick ? " of --quick" : "",
                o.only);
        return 2;
    }
    OutFile f;
    char err[512];
    /* find out now, not after the run, that the table cannot be written */
    if (!out_file_open(&f, o.out, err, sizeof err)) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return 1;
    }
    out_file_abort(&f);

    char libs[256], machine[1024];
    Cg *cg = cg_new(NULL, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return 1;
    }
    lib_describe(libs, sizeof libs);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const char *policy = getenv("OMP_WAIT_POLICY");
    snprintf(machine, sizeof machine, "Target %s, CPU %s, %ld cores; %s; OMP_WAIT_POLICY=%s.",
             cg_triple(cg), cg_cpu(cg), cores, libs,
             policy ? policy : "unset (libgomp's default: spin briefly, then sleep)");
    cg_free(cg);
    fprintf(stderr, "%s\n", machine);
    double peak[2] = {1, 1};
    if (!o.check_only) {
        peak[0] = fma_peak(1), peak[1] = fma_peak(2);
        fprintf(stderr, "FMA peak: %.1f GFLOPS (1 thread), %.1f (2 threads)\n", peak[0], peak[1]);
    }
    char dir[] = "/tmp/bench_ops_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_ops: mkdtemp");
        return 1;
    }
    Result *res = calloc((size_t)bench_nshapes, sizeof *res);
    double start = bench_now();
    for (int i = 0; i < bench_nshapes; i++) {
        const Shape *s = &bench_shapes[i];
        if ((o.quick && !s->quick) || (o.only && !strstr(s->name, o.only))) continue;
        res[i].ran = true;
        fprintf(stderr, "[%d/%d, %.0f s] %s:\n", ++done, todo, bench_now() - start, s->name);
        if (!run_shape(&o, i, false, dir, peak, &res[i])) failed++;
        if (shape_blocked_template(s) && (!(res[i].blk = calloc(1, sizeof *res[i].blk)) ||
                                          !run_shape(&o, i, true, dir, peak, res[i].blk)))
            failed++, res[i].bad = true;
    }
    rmdir(dir);
    if (!out_file_open(&f, o.out, err, sizeof err)) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return 1;
    }
    print_table(f.f, &o, machine, peak, res);
    if (!out_file_commit(&f, err, sizeof err)) {
        fprintf(stderr, "bench_ops: %s\n", err);
        return 1;
    }
    print_table(stdout, &o, machine, peak, res);
    fflush(stdout); /* the table before the closing line, also when both go to one file */
    fprintf(stderr, "wrote %s; %.0f s%s\n", o.out, bench_now() - start,
            failed ? "; some kernels FAILED (see above)" : "");
    for (int i = 0; i < bench_nshapes; i++) free(res[i].blk);
    free(res);
    return failed ? 1 : 0;
}
