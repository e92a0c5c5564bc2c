/* The search benchmark (issue 10): on three spaces of >= 10^4 configs (examples/gemm.te,
 * examples/conv2d.te, bench/search_matmul.te) each tuner (random, ga, xgb with knob / itervar /
 * curve features, xgb itervar with --transfer from a log of another shape) runs over several
 * seeds; reported per space and tuner (medians over seeds): trials and wall seconds to reach 95%
 * of the best any run found, the best at 50/100/200/400 trials, the tuner's share of the wall
 * time; the tuning curves (median best-so-far GFLOPS against trials) as OUT/SPACE.svg.
 * Run by hand from the source root (never by CTest); bounded by its options:
 *   bench_search [--seeds N (3)] [--trials N (400)] [--spaces gemm,conv2d,matmul]
 *                [--tuners random,ga,xgb-knob,xgb-itervar,xgb-curve,xgb-transfer]
 *                [--small] [--number N (2)] [--repeat N (3)] [-j N] [--out DIR]
 * --small binds small shapes (a functional check in seconds, not a measurement).
 *   bench_search --feature-cost [--spaces ...] [--small]: per space, microseconds per config to
 *   extract each feature kind, against milliseconds to build it (lower + LLVM -O3 + object).
 *   bench_search --rank FILE.te TEST_LOG TRAIN_LOG...: per feature kind, how well a model trained
 *   on the TRAIN_LOGs' records (as --transfer reads them: this template, any args) ranks the
 *   TEST_LOG's measured configs (at the test log's args): Spearman correlation of predicted
 *   score and GFLOPS, and the share of the measured top 10% found in the predicted top 10%. */
#include "lang/ast.h"
#include "lang/xalloc.h"
#include "tests/lib/testlib.h"
#include "compiler/lower.h"
#include "tuner/features.h"
#include "tuner/log.h"
#include "tuner/session.h"
#include "tuner/transfer.h"
#include "tuner/tuner_ml.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct SpaceDef {
    const char *name, *file;
    const char *args[4], *transfer_args[4]; /* "NAME=VALUE", NULL-terminated */
    const char *small[4], *small_transfer[4];
} SpaceDef;

static const SpaceDef SPACES[] = {
    {"gemm",
     "examples/gemm.te",
     {"N=512", "L=512", "M=512"},
     {"N=256", "L=256", "M=256"},
     {"N=64", "L=64", "M=64"},
     {"N=32", "L=64", "M=48"}},
    {"conv2d",
     "examples/conv2d.te",
     {NULL},
     {"H=28", "W=28"},
     {"H=7", "W=7", "CI=16", "CO=16"},
     {"H=5", "W=5", "CI=16", "CO=16"}},
    {"matmul",
     "bench/search_matmul.te",
     {"N=512", "L=512", "M=512"},
     {"N=256", "L=256", "M=256"},
     {"N=64", "L=64", "M=64"},
     {"N=32", "L=32", "M=32"}},
};
enum { NSPACES = sizeof SPACES / sizeof *SPACES };

static const char *const TUNERS[] = {"random",      "ga",        "xgb-knob",
                                     "xgb-itervar", "xgb-curve", "xgb-transfer"};
enum { NTUNERS = sizeof TUNERS / sizeof *TUNERS, MAX_SEEDS = 32 };
static const int AT[] = {50, 100, 200, 400};

typedef struct Opts {
    int seeds, trials, number, repeat, jobs;
    bool small;
    const char *spaces, *tuners, *out;
} Opts;

typedef struct Run {
    LogTrials t; /* per trial, in order; timestamps made seconds from the start of the run */
    double wall, tuner;
} Run;

typedef struct Bound {
    Arena *a;
    Inst *in;
    Space *sp;
    char *src;
    size_t len;
} Bound;

static double now_unix(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool bind(Bound *b, const char *file, const char *const *args) {
    b->a = arena_new();
    Define defs[4];
    int n = 0;
    for (; n < 4 && args[n]; n++) {
        const char *eq = strchr(args[n], '=');
        defs[n] = (Define){arena_strndup(b->a, args[n], (size_t)(eq - args[n])), eq + 1};
    }
    Diag d;
    b->in = test_bind_file(b->a, &d, file, NULL, defs, n);
    b->src = (char *)d.src;
    b->len = d.srclen;
    b->sp = b->in ? space_new(b->a, &d, b->in) : NULL;
    return b->sp != NULL;
}

/* A log's first task input: its target and args. */
typedef struct First {
    char target[256], args[8][64];
    int nargs;
} First;

static void first_input(void *ctx, const char *target, const char *name, const char *const *args,
                        int nargs, long records) {
    (void)name, (void)records;
    First *f = ctx;
    if (*f->target) return;
    snprintf(f->target, sizeof f->target, "%s", target);
    for (int i = 0; i < nargs && i < 8; i++) snprintf(f->args[i], 64, "%s", args[i]);
    f->nargs = nargs < 8 ? nargs : 8;
}

/* One tuning run; its trials read back from its own log. */
static bool tune(const Opts *op, Bound *b, const char *file, const char *tuner, int seed,
                 const char *log, const char *transfer, Run *out) {
    remove(log);
    SessionOptions o;
    session_options_default(&o);
    o.in = b->in;
    o.sp = b->sp;
    o.src_path = file;
    o.src = b->src;
    o.srclen = b->len;
    o.tuner = strncmp(tuner, "xgb", 3) == 0 ? "xgb" : tuner;
    if (!strcmp(tuner, "xgb-knob")) o.features = FEATURES_KNOB;
    if (!strcmp(tuner, "xgb-curve")) o.features = FEATURES_CURVE;
    const char *logs[1] = {transfer};
    if (transfer) o.transfer = logs, o.ntransfer = 1;
    o.trials = op->trials;
    o.seed = (uint64_t)seed;
    o.number = op->number;
    o.repeat = op->repeat;
    o.jobs = op->jobs;
    o.log_path = log;
    o.progress = SESSION_PROGRESS_QUIET;
    FILE *quiet = fopen("/dev/null", "w");
    o.out = quiet;
    SessionSummary s;
    double start = now_unix();
    int rc = session_run(&o, &s);
    fclose(quiet);
    if (rc != 0) {
        fprintf(stderr, "bench_search: %s seed %d: tuning failed (%d)\n", tuner, seed, rc);
        return false;
    }
    First fi = {0};
    char err[512];
    log_inputs(log, first_input, &fi, err, sizeof err);
    LogTask *task = log_task_new(fi.target, b->in, b->sp);
    memset(out, 0, sizeof *out);
    bool ok = log_trials(log, task, inst_flops(b->in), &out->t, stderr, err, sizeof err);
    for (int i = 0; i < out->t.n; i++) out->t.timestamp[i] -= start;
    log_task_free(task);
    out->wall = s.wall;
    out->tuner = s.tuner_total;
    return ok;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n == 0 ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double best_at(const Run *r, int k) {
    double b = 0;
    for (int i = 0; i < r->t.n && i < k; i++) b = fmax(b, r->t.gflops[i]);
    return b;
}

/* The tuning curves: median best-so-far over seeds, one polyline per tuner. */
static void write_svg(const char *path, const char *title, Run runs[][MAX_SEEDS], const bool *used,
                      int seeds, int trials) {
    static const char *const colors[] = {"#777777", "#1f77b4", "#2ca02c",
                                         "#d62728", "#9467bd", "#ff7f0e"};
    double ymax = 0;
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < seeds; s++) ymax = fmax(ymax, best_at(&runs[t][s], trials));
    if (ymax <= 0) ymax = 1;
    FILE *f = fopen(path, "w");
    if (!f) return;
    const double W = 720, H = 420, L = 60, R = 170, T = 30, B = 40;
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
            "fill=\"white\"/>\n<text x=\"%.0f\" y=\"18\">%s: best GFLOPS so far (median of %d "
            "seeds) against trials</text>\n",
            W, H, L, title, seeds);
    fprintf(f,
            "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n"
            "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n",
            L, H - B, W - R, H - B, L, T, L, H - B);
    for (int i = 0; i <= 4; i++) {
        double y = H - B - (H - T - B) * i / 4, x = L + (W - L - R) * i / 4;
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.0f</text>\n", L - 4, y + 4,
                ymax * i / 4);
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%d</text>\n", x, H - B + 16,
                trials * i / 4);
    }
    double *v = xmalloc(sizeof *v * (size_t)seeds);
    int line = 0;
    for (int t = 0; t < NTUNERS; t++) {
        if (!used[t]) continue;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
                colors[t]);
        for (int k = 1; k <= trials; k++) {
            for (int s = 0; s < seeds; s++) v[s] = best_at(&runs[t][s], k);
            fprintf(f, "%.1f,%.1f ", L + (W - L - R) * k / trials,
                    H - B - (H - T - B) * median(v, seeds) / ymax);
        }
        fprintf(f, "\"/>\n<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s</text>\n", W - R + 10,
                T + 16.0 * line++, colors[t], TUNERS[t]);
    }
    fprintf(f, "</svg>\n");
    free(v);
    fclose(f);
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time (this process only: the machine may be shared) per config over a spread of 200
 * configs for each feature kind, and per build of 10 of them. */
static void feature_cost(const Opts *op, const SpaceDef *sd) {
    Bound b;
    if (!bind(&b, sd->file, op->small ? sd->small : sd->args)) return;
    int64_t len = space_len(b.sp);
    printf("%s (%lld configs):", sd->name, (long long)len);
    for (int k = FEATURES_KNOB; k <= FEATURES_CURVE; k++) {
        Features f;
        features_init_kind(&f, b.sp, len, (FeatureKind)k);
        float *x = xmalloc(sizeof *x * (size_t)f.dim);
        double t0 = cpu_now();
        for (int i = 0; i < 200; i++) features_vector(&f, (int64_t)i * 7919 % len, x);
        printf(" %s %.1f us (%d floats);", feature_kind_name((FeatureKind)k),
               (cpu_now() - t0) / 200 * 1e6, f.dim);
        free(x);
        features_free(&f);
    }
    char err[512];
    CgTarget tg = {0};
    Cg *cg = cg_new(&tg, err, sizeof err);
    double t0 = cpu_now();
    int built = 0;
    for (int i = 0; cg && i < 10; i++) {
        KnobVal vals[32];
        Config cfg = {.nknobs = b.in->nknobs, .vals = vals};
        Arena *a = arena_new();
        Diag d;
        diag_init(&d, "", "", 0);
        d.out = fopen("/dev/null", "w");
        LowerOptions lo = {0};
        IrFunc *fn =
            space_get(b.sp, (int64_t)i * 7919 % len, &cfg) ? lower(a, &d, b.in, &cfg, &lo) : NULL;
        CgModule *m = fn ? cg_compile(cg, fn, err, sizeof err) : NULL;
        void *img = NULL;
        size_t n = 0;
        if (m && cg_emit_object_mem(cg, m, &img, &n, err, sizeof err)) built++;
        free(img);
        if (m) cg_module_free(m);
        fclose(d.out);
        arena_free(a);
    }
    printf(" build %.1f ms (%d of 10 built)\n", built ? (cpu_now() - t0) / 10 * 1e3 : NAN, built);
    if (cg) cg_free(cg);
}

/* Ranks (0 = smallest) of v, ties averaged. */
static void ranks(const double *v, int n, double *r) {
    for (int i = 0; i < n; i++) {
        int less = 0, same = 0;
        for (int j = 0; j < n; j++) less += v[j] < v[i], same += v[j] == v[i];
        r[i] = less + (same - 1) / 2.0;
    }
}

static double spearman(const double *x, const double *y, int n) {
    double *rx = xmalloc(sizeof *rx * (size_t)n), *ry = xmalloc(sizeof *ry * (size_t)n);
    ranks(x, n, rx);
    ranks(y, n, ry);
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) mx += rx[i] / n, my += ry[i] / n;
    for (int i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    free(rx);
    free(ry);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

static int rank_models(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_search --rank FILE.te TEST_LOG TRAIN_LOG...\n");
        return 2;
    }
    const char *file = argv[0], *test = argv[1];
    Bound def, tb;
    const char *none[] = {NULL};
    First fi = {0};
    char err[1024];
    if (!bind(&def, file, none) || !log_inputs(test, first_input, &fi, err, sizeof err) ||
        !*fi.target || fi.nargs != def.in->nparams || fi.nargs > 4) {
        fprintf(stderr, "bench_search: cannot bind %s or use %s\n", file, test);
        return 1;
    }
    char defs[4][160];
    const char *args[5] = {NULL};
    for (int i = 0; i < fi.nargs; i++) {
        snprintf(defs[i], sizeof defs[i], "%s=%s", def.in->params[i].name, fi.args[i]);
        args[i] = defs[i];
    }
    if (!bind(&tb, file, args)) return 1;
    LogTask *task = log_task_new(fi.target, tb.in, tb.sp);
    LogTrials tr;
    if (!log_trials(test, task, inst_flops(tb.in), &tr, stderr, err, sizeof err) || tr.n < 10) {
        fprintf(stderr, "bench_search: %s: too few records\n", test);
        return 1;
    }
    printf("ranking %d measured configs of %s at %s", tr.n, tb.in->name, fi.args[0]);
    for (int i = 1; i < fi.nargs; i++) printf("x%s", fi.args[i]);
    printf(", trained on %d log(s)\n\n| features | Spearman | top-10%% recall |\n|---|---|---|\n",
           argc - 2);
    float *score = xmalloc(sizeof *score * (size_t)tr.n);
    double *sc = xmalloc(sizeof *sc * (size_t)tr.n);
    int top = tr.n / 10 > 0 ? tr.n / 10 : 1;
    for (int k = FEATURES_KNOB; k <= FEATURES_CURVE; k++) {
        Tuner *t = tuner_new("xgb", tb.sp, space_len(tb.sp), 1);
        tuner_xgb_set_features(t, (FeatureKind)k);
        TransferSetup ts = {
            (const char *const *)argv + 2, argc - 2, tb.in, tb.src, file, tb.len, fi.target};
        long records;
        int tasks;
        FILE *quiet = fopen("/dev/null", "w");
        bool ok = transfer_load(t, &ts, quiet, &records, &tasks, err, sizeof err) &&
                  tuner_xgb_predict(t, tr.index, tr.n, score);
        fclose(quiet);
        if (!ok) {
            printf("| %s | failed: %s | |\n", feature_kind_name((FeatureKind)k), err);
            tuner_free(t);
            continue;
        }
        for (int i = 0; i < tr.n; i++) sc[i] = score[i];
        /* recall: measured top 10% among the predicted top 10% (by rank thresholds) */
        double *rs = xmalloc(sizeof *rs * (size_t)tr.n), *rg = xmalloc(sizeof *rg * (size_t)tr.n);
        ranks(sc, tr.n, rs);
        ranks(tr.gflops, tr.n, rg);
        int hit = 0;
        for (int i = 0; i < tr.n; i++) hit += rs[i] >= tr.n - top && rg[i] >= tr.n - top;
        printf("| %s | %.3f | %.2f |\n", feature_kind_name((FeatureKind)k),
               spearman(sc, tr.gflops, tr.n), (double)hit / top);
        free(rs);
        free(rg);
        tuner_free(t);
    }
    free(score);
    free(sc);
    log_trials_free(&tr);
    log_task_free(task);
    return 0;
}

static bool listed(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return true;
    return false;
}

static void bench_space(const Opts *op, const SpaceDef *sd) {
    const char *const *args = op->small ? sd->small : sd->args;
    const char *const *targs = op->small ? sd->small_transfer : sd->transfer_args;
    Bound b, tb;
    if (!bind(&b, sd->file, args) || !bind(&tb, sd->file, targs)) {
        fprintf(stderr, "bench_search: cannot bind %s\n", sd->file);
        return;
    }
    static Run runs[NTUNERS][MAX_SEEDS];
    bool used[NTUNERS] = {0};
    char transfer[4096], log[4096];
    snprintf(transfer, sizeof transfer, "%s/%s.transfer.log", op->out, sd->name);
    printf("## %s (%s, %lld configs)\n\n", sd->name, sd->file, (long long)space_len(b.sp));
    fflush(stdout);
    if (listed(op->tuners, "xgb-transfer")) {
        Run tr;
        /* the other shape's log: one xgb run, as a user's earlier tuning would leave */
        if (!tune(op, &tb, sd->file, "xgb-itervar", 1000, transfer, NULL, &tr)) return;
        log_trials_free(&tr.t);
    }
    double best = 0;
    for (int t = 0; t < NTUNERS; t++) {
        if (!listed(op->tuners, TUNERS[t])) continue;
        used[t] = true;
        for (int s = 0; s < op->seeds; s++) {
            snprintf(log, sizeof log, "%s/%s.%s.s%d.log", op->out, sd->name, TUNERS[t], s);
            bool tr = !strcmp(TUNERS[t], "xgb-transfer");
            if (!tune(op, &b, sd->file, tr ? "xgb-itervar" : TUNERS[t], s, log,
                      tr ? transfer : NULL, &runs[t][s]))
                return;
            best = fmax(best, best_at(&runs[t][s], op->trials));
            fprintf(stderr, "  %s %s seed %d: best %.1f GFLOPS, %.1f s (tuner %.2f s)\n", sd->name,
                    TUNERS[t], s, best_at(&runs[t][s], op->trials), runs[t][s].wall,
                    runs[t][s].tuner);
        }
    }
    printf("best of all runs: %.1f GFLOPS; medians over %d seeds (trials to 95%%: '-' = not "
           "reached in %d)\n\n",
           best, op->seeds, op->trials);
    printf("| tuner | trials to 95%% | seconds to 95%% | best@50 | best@100 | best@200 | best@400 "
           "| tuner share of wall |\n|---|---|---|---|---|---|---|---|\n");
    double v[MAX_SEEDS], w[MAX_SEEDS];
    for (int t = 0; t < NTUNERS; t++) {
        if (!used[t]) continue;
        for (int s = 0; s < op->seeds; s++) {
            const Run *r = &runs[t][s];
            int k = 0;
            while (k < r->t.n && r->t.gflops[k] < 0.95 * best) k++;
            v[s] = k < r->t.n ? k + 1 : INFINITY;
            w[s] = k < r->t.n ? r->t.timestamp[k] : INFINITY;
        }
        double mt = median(v, op->seeds), ms = median(w, op->seeds);
        printf("| %s | ", TUNERS[t]);
        isinf(mt) ? printf("- | ") : printf("%.0f | ", mt);
        isinf(ms) ? printf("- |") : printf("%.1f |", ms);
        for (int a = 0; a < 4; a++) {
            for (int s = 0; s < op->seeds; s++) v[s] = best_at(&runs[t][s], AT[a]);
            AT[a] <= op->trials ? printf(" %.1f |", median(v, op->seeds)) : printf(" - |");
        }
        for (int s = 0; s < op->seeds; s++)
            v[s] = runs[t][s].wall > 0 ? runs[t][s].tuner / runs[t][s].wall : 0;
        printf(" %.1f%% |\n", 100 * median(v, op->seeds));
    }
    char svg[4200];
    snprintf(svg, sizeof svg, "%s/%s.svg", op->out, sd->name);
    write_svg(svg, sd->name, runs, used, op->seeds, op->trials);
    printf("\ncurves: %s\n\n", svg);
    fflush(stdout);
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) log_trials_free(&runs[t][s].t);
}

int main(int argc, char **argv) {
    Opts op = {3,
               400,
               2,
               3,
               0,
               false,
               "gemm,conv2d,matmul",
               "random,ga,xgb-knob,xgb-itervar,xgb-curve,xgb-transfer",
               "bench_search.out"};
    bool cost = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--small")) {
            op.small = true;
            continue;
        }
        if (!strcmp(a, "--rank")) return rank_models(argc - i - 1, argv + i + 1);
        if (!strcmp(a, "--feature-cost")) {
            cost = true;
            continue;
        }
        if (!v) {
            fprintf(stderr,
                    "bench_search: unknown or incomplete option '%s' (see the header of "
                    "bench/bench_search.c)\n",
                    a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--seeds"))
            op.seeds = atoi(v);
        else if (!strcmp(a, "--trials"))
            op.trials = atoi(v);
        else if (!strcmp(a, "--number"))
            op.number = atoi(v);
        else if (!strcmp(a, "--repeat"))
            op.repeat = atoi(v);
        else if (!strcmp(a, "-j"))
            op.jobs = atoi(v);
        else if (!strcmp(a, "--spaces"))
            op.spaces = v;
        else if (!strcmp(a, "--tuners"))
            op.tuners = v;
        else if (!strcmp(a, "--out"))
            op.out = v;
        else {
            fprintf(stderr, "bench_search: unknown option '%s'\n", a);
            return 2;
        }
    }
    if (op.seeds < 1 || op.seeds > MAX_SEEDS || op.trials < 1 || op.number < 1 || op.repeat < 1) {
        fprintf(stderr, "bench_search: --seeds 1..%d, --trials, --number, --repeat >= 1\n",
                MAX_SEEDS);
        return 2;
    }
    if (cost) {
        for (int i = 0; i < NSPACES; i++)
            if (listed(op.spaces, SPACES[i].name)) feature_cost(&op, &SPACES[i]);
        return 0;
    }
    mkdir(op.out, 0755);
    printf("# bench_search: %d seeds, %d trials, --number %d --repeat %d%s\n\n", op.seeds,
           op.trials, op.number, op.repeat, op.small ? ", small shapes (functional check)" : "");
    for (int i = 0; i < NSPACES; i++)
        if (listed(op.spaces, SPACES[i].name)) bench_space(&op, &SPACES[i]);
    return 0;
}
