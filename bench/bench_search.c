/* The search benchmark (issue 10): on three spaces of >= 10^4 configs (examples/gemm.te,
 * examples/conv2d.te, bench/search_matmul.te) each tuner (random, ga, xgb with knob / itervar /
 * curve features, xgb itervar with --transfer from a log of another shape) runs over several
 * seeds; reported per space and tuner (medians over seeds): trials and wall seconds to reach 95%
 * of the reference best, the best at 50/100/200/400 trials, each run's best re-measured, the
 * tuner's share of the wall time; the tuning curves (median best-so-far GFLOPS against trials)
 * as OUT/SPACE.svg. The reference best is not one lucky measurement: each run's top --ref-top
 * configs (by their logged GFLOPS) are measured again --ref-rounds times in this process, in
 * alternating order, and the best median is the reference.
 * Run by hand from the source root (never by CTest); bounded by its options:
 *   bench_search [--seeds N (3)] [--trials N (400)] [--random-trials N (= --trials)]
 *                [--spaces gemm,conv2d,matmul]
 *                [--tuners random,ga,xgb-knob,xgb-itervar,xgb-curve,xgb-transfer,
 *                 xgb-noprior, xgb-seeded, xgb-diverse (not by default)]
 *                [--small] [--number N (2)] [--repeat N (3)] [--recheck N (1)] [-j N]
 *                [--out DIR]
 *                [--ref-top K (3)] [--ref-rounds R (5)] [--from-logs]
 * --random-trials runs random further (it is cheap to propose) so its trials to 95% has a value
 * when the others are compared with it; --from-logs reads OUT's logs of an earlier run instead
 * of tuning (then seconds count from the first trial's end and the tuner share is unknown).
 * --small binds small shapes (a functional check in seconds, not a measurement).
 *   bench_search --feature-cost [--spaces ...] [--small]: per space, microseconds per config to
 *   extract each feature kind, against milliseconds to build it (lower + LLVM -O3 + object).
 *   bench_search --tuner-cost [--spaces ...] [--trials N] [--out DIR]: the XGB tuner's own CPU
 *   seconds over N trials of a fake measurement, seeded against AutoTVM's walkers, cold and with
 *   transfer from DIR/SPACE.transfer.log.
 *   bench_search --rank FILE.te TEST_LOG TRAIN_LOG...: per feature kind, how well a model trained
 *   on the TRAIN_LOGs' records (as --transfer reads them: this template, any args) ranks the
 *   TEST_LOG's measured configs (at the test log's args): Spearman correlation of predicted
 *   score and GFLOPS, and the share of the measured top 10% found in the predicted top 10%;
 *   the same for the analytic prior untrained, and the best measured among its top k. */
#include "lang/ast.h"
#include "lang/xalloc.h"
#include "tests/lib/testlib.h"
#include "compiler/lower.h"
#include "tuner/features.h"
#include "tuner/log.h"
#include "tuner/log_pick.h"
#include "tuner/measure.h"
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
    const char *args[6], *transfer_args[6]; /* "NAME=VALUE", NULL-terminated */
    const char *small[6], *small_transfer[6];
} SpaceDef;

static const SpaceDef SPACES[] = {
    {"gemm",
     "examples/gemm.te",
     {"N=1024", "L=1024", "M=1024"},
     {"N=512", "L=512", "M=512"},
     {"N=64", "L=64", "M=64"},
     {"N=32", "L=64", "M=48"}},
    {"conv2d",
     "examples/conv2d.te",
     {"CI=256", "CO=256", "H=14", "W=14"},
     {"CI=128", "CO=128", "H=28", "W=28"},
     {"H=7", "W=7", "CI=16", "CO=16"},
     {"H=5", "W=5", "CI=16", "CO=16"}},
    {"matmul",
     "bench/search_matmul.te",
     {"N=1024", "L=1024", "M=1024"},
     {"N=512", "L=512", "M=512"},
     {"N=64", "L=64", "M=64"},
     {"N=32", "L=32", "M=32"}},
};
enum { NSPACES = sizeof SPACES / sizeof *SPACES };

/* xgb-noprior: itervar with AutoTVM's random start (no analytic prior: its ablation);
 * xgb-seeded: itervar with 16 annealing walkers started from the best measured configs (tec's
 * default until 2026-12-02), the ablation of AutoTVM's walkers; xgb-diverse: itervar with
 * AutoTVM's diversity filter at ratio 2. None is in the default list. */
static const char *const TUNERS[] = {"random",      "ga",         "xgb-knob",
                                     "xgb-itervar", "xgb-curve",  "xgb-transfer",
                                     "xgb-noprior", "xgb-seeded", "xgb-diverse"};
enum { NTUNERS = sizeof TUNERS / sizeof *TUNERS, MAX_SEEDS = 32 };
static const int AT[] = {50, 100, 200, 400};

typedef struct Opts {
    int seeds, trials, random_trials, number, repeat, recheck, jobs, ref_top, ref_rounds;
    bool small, from_logs;
    const char *spaces, *tuners, *out;
} Opts;

typedef struct Run {
    LogTrials t;        /* per trial, in order; timestamps made seconds from the start of the run */
    double wall, tuner; /* tuner NAN: unknown (--from-logs) */
    double remeasured;  /* the best re-measured median among this run's top configs */
    /* per trial k, the run's pick after k + 1 trials (the config of best mean over its logged
     * trials: what it would emit; -1 before any ran), the GFLOPS of that mean, and its
     * re-measured median (0 where the pick was not re-measured) */
    int64_t *pick;
    double *pick_gflops, *picked;
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
    Define defs[6];
    int n = 0;
    for (; n < 6 && args[n]; n++) {
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
    char target[256], args[16][64];
    int nargs;
} First;

static void first_input(void *ctx, const char *target, const char *name, const char *const *args,
                        int nargs, long records) {
    (void)name, (void)records;
    First *f = ctx;
    if (*f->target) return;
    snprintf(f->target, sizeof f->target, "%s", target);
    for (int i = 0; i < nargs && i < 16; i++) snprintf(f->args[i], 64, "%s", args[i]);
    f->nargs = nargs < 16 ? nargs : 16;
}

/* A run's trials read back from its log, timestamps made seconds from start (NAN: from the first
 * trial's end); its wall time that of its trials, its tuner time unknown. */
static bool read_run(Bound *b, const char *log, double start, Run *out) {
    First fi = {0};
    char err[512];
    memset(out, 0, sizeof *out);
    if (!log_inputs(log, first_input, &fi, err, sizeof err) || !*fi.target) {
        fprintf(stderr, "bench_search: %s: no records (%s)\n", log, err);
        return false;
    }
    LogTask *task = log_task_new(fi.target, b->in, b->sp);
    bool ok = log_trials(log, task, inst_flops(b->in), &out->t, stderr, err, sizeof err);
    log_task_free(task);
    if (!ok || out->t.n == 0) {
        fprintf(stderr, "bench_search: %s: %s\n", log, ok ? "no trials of this space" : err);
        return false;
    }
    /* the run's pick after each trial: its config of best mean over its logged trials, as
       tec --tune and tec --log pick (tuner/log_pick.h) */
    out->pick = xmalloc(sizeof *out->pick * (size_t)out->t.n);
    out->pick_gflops = xmalloc(sizeof *out->pick_gflops * (size_t)out->t.n);
    LogPick *p = log_pick_new();
    for (int i = 0; i < out->t.n; i++) {
        double cost = 0;
        if (out->t.gflops[i] > 0) log_pick_add(p, out->t.index[i], 1 / out->t.gflops[i]);
        out->pick[i] = -1;
        out->pick_gflops[i] = 0;
        if (log_pick_best(p, &out->pick[i], &cost)) out->pick_gflops[i] = 1 / cost;
    }
    log_pick_free(p);
    if (isnan(start)) start = out->t.timestamp[0];
    for (int i = 0; i < out->t.n; i++) out->t.timestamp[i] -= start;
    out->wall = out->t.timestamp[out->t.n - 1];
    out->tuner = NAN;
    return true;
}

/* One tuning run of ntrials; its trials read back from its own log. */
static bool tune(const Opts *op, Bound *b, const char *file, const char *tuner, int seed,
                 int ntrials, const char *log, const char *transfer, Run *out) {
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
    o.seed_walkers = !strcmp(tuner, "xgb-seeded");
    if (!strcmp(tuner, "xgb-diverse")) o.diversity = 2;
    o.no_prior = !strcmp(tuner, "xgb-noprior");
    const char *logs[1] = {transfer};
    if (transfer) o.transfer = logs, o.ntransfer = 1;
    o.trials = ntrials;
    o.seed = (uint64_t)seed;
    o.number = op->number;
    o.repeat = op->repeat;
    o.recheck = op->recheck;
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
    if (!read_run(b, log, start, out)) return false;
    /* loading the transfer logs is the tuner's work too, though before the session's clock */
    out->wall = s.wall + s.transfer_load;
    out->tuner = s.tuner_total + s.transfer_load;
    return true;
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
    static const char *const colors[] = {"#777777", "#1f77b4", "#2ca02c", "#d62728", "#9467bd",
                                         "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
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

/* --tuner-cost: CPU seconds of this process that the XGB tuner (itervar) spends on its proposals,
 * fits and annealing over --trials trials, with the seeded walkers and with AutoTVM's, cold and
 * with --transfer from OUT/SPACE.transfer.log when that exists (bench_search leaves it). The
 * trials are not measured: their GFLOPS is a fixed function of the knob digits, so the work is
 * the same whatever else runs on the machine and only the tuner's cost is compared. */
static double fake_gflops(const Features *knobs, int64_t index) {
    int64_t d[32];
    features_digits(knobs, index, d);
    double g = 50;
    for (int j = 0; j < knobs->ndigits && j < 32; j++) g += (double)((d[j] * 37 + j * 11) % 7) * 5;
    return g;
}

static void tuner_cost(const Opts *op, const SpaceDef *sd) {
    Bound b;
    if (!bind(&b, sd->file, op->small ? sd->small : sd->args)) return;
    int64_t len = space_len(b.sp);
    Features knobs;
    features_init(&knobs, b.sp, len);
    char log[4096], err[512];
    snprintf(log, sizeof log, "%s/%s.transfer.log", op->out, sd->name);
    First fi = {0};
    bool have = log_inputs(log, first_input, &fi, err, sizeof err) && *fi.target;
    printf("%s (%lld configs, %d trials), tuner CPU seconds:", sd->name, (long long)len,
           op->trials);
    for (int tr = 0; tr < (have ? 2 : 1); tr++)
        for (int seeded = 1; seeded >= 0; seeded--) {
            Tuner *t = tuner_new("xgb", b.sp, len, 1);
            tuner_xgb_set_features(t, FEATURES_ITERVAR);
            tuner_xgb_set_seed_walkers(t, seeded);
            double c0 = cpu_now();
            if (tr) {
                const char *logs[1] = {log};
                TransferSetup ts = {logs, 1, b.in, b.src, sd->file, b.len, fi.target};
                long records;
                int tasks;
                FILE *quiet = fopen("/dev/null", "w");
                transfer_load(t, &ts, quiet, &records, &tasks, err, sizeof err);
                fclose(quiet);
            }
            for (int n = 0; n < op->trials;) {
                int64_t idx[2];
                int k = tuner_next_batch(t, idx, 2);
                if (k <= 0) break;
                TrialResult r[2];
                for (int i = 0; i < k; i++) {
                    double g = fake_gflops(&knobs, idx[i]);
                    r[i] = (TrialResult){idx[i], 0, 1 / g, g};
                }
                tuner_update(t, r, k);
                n += k;
            }
            printf(" %s%s %.2f;", tr ? "transfer " : "", seeded ? "seeded" : "autotvm",
                   cpu_now() - c0);
            fflush(stdout);
            tuner_free(t);
        }
    printf("\n");
    features_free(&knobs);
    arena_free(b.a);
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

/* One row of the --rank table: Spearman correlation of n scores with their GFLOPS, and the
 * measured top 10% found among the predicted top 10% (by rank thresholds); the scores' ranks
 * (0 = lowest) into rs. */
static void rank_row(const char *name, const double *sc, const double *gflops, int n, double *rs) {
    int top = n / 10 > 0 ? n / 10 : 1, hit = 0;
    double *rg = xmalloc(sizeof *rg * (size_t)n);
    ranks(sc, n, rs);
    ranks(gflops, n, rg);
    for (int i = 0; i < n; i++) hit += rs[i] >= n - top && rg[i] >= n - top;
    printf("| %s | %.3f | %.2f |\n", name, spearman(sc, gflops, n), (double)hit / top);
    free(rg);
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
        !*fi.target || fi.nargs != def.in->nparams || fi.nargs > 15) {
        fprintf(stderr, "bench_search: cannot bind %s or use %s\n", file, test);
        return 1;
    }
    char defs[15][160];
    const char *args[16] = {NULL};
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
    double *sc = xmalloc(sizeof *sc * (size_t)tr.n), *rs = xmalloc(sizeof *rs * (size_t)tr.n);
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
        rank_row(feature_kind_name((FeatureKind)k), sc, tr.gflops, tr.n, rs);
        tuner_free(t);
    }
    /* the analytic prior alone: no training */
    Features pf;
    features_init_kind(&pf, tb.sp, space_len(tb.sp), FEATURES_ITERVAR);
    float *row = xmalloc(sizeof *row * (size_t)pf.dim);
    for (int i = 0; i < tr.n; i++) {
        features_vector(&pf, tr.index[i], row);
        sc[i] = features_prior(&pf, row);
    }
    rank_row("prior (untrained)", sc, tr.gflops, tr.n, rs);
    double gbest = 0;
    for (int i = 0; i < tr.n; i++) gbest = fmax(gbest, tr.gflops[i]);
    /* what a plan of the prior's best k would have measured */
    printf("\nprior's top k among these configs: best measured of them / best of all (%.1f)\n",
           gbest);
    /* a config is in the top k when fewer than k score higher: ties at the line all count */
    for (int i = 0; i < tr.n; i++) {
        rs[i] = 0;
        for (int j = 0; j < tr.n; j++) rs[i] += sc[j] > sc[i];
    }
    for (int k = 1; k <= 64; k *= 2) {
        double b = 0;
        for (int i = 0; i < tr.n; i++)
            if (rs[i] < k) b = fmax(b, tr.gflops[i]);
        printf("  k %2d: %.3f\n", k, gbest > 0 ? b / gbest : 0);
    }
    free(rs);
    free(row);
    features_free(&pf);
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

/* The reference best of a space. A run's best is the maximum of many single noisy measurements,
 * so the best any run logged is biased up by noise (and one lucky trial would set the bar for
 * every run). Instead each run's top ref_top configs (by logged GFLOPS) are measured again
 * ref_rounds times in this process, forward and backward in turn (so drift of the machine falls
 * on all alike), each config's median kept; the reference is the best median, and each run's
 * `remeasured` the best median among its own top configs. Returns the reference (0: none). */
typedef struct Cand {
    int64_t index;
    double g[32]; /* GFLOPS per round */
    int n;
    double med;
} Cand;

static bool top_indices(const Run *r, int k, int64_t *out, int *n) {
    *n = 0;
    for (int j = 0; j < k; j++) {
        int best = -1;
        for (int i = 0; i < r->t.n; i++) {
            bool taken = false;
            for (int q = 0; q < *n && !taken; q++) taken = out[q] == r->t.index[i];
            if (!taken && r->t.gflops[i] > 0 && (best < 0 || r->t.gflops[i] > r->t.gflops[best]))
                best = i;
        }
        if (best < 0) break;
        out[(*n)++] = r->t.index[best];
    }
    return *n > 0;
}

/* The candidate measuring config index, or -1. */
static int cand_find(const Cand *c, int nc, int64_t index) {
    for (int q = 0; q < nc; q++)
        if (c[q].index == index) return q;
    return -1;
}

/* rounds measurements of each of the n candidates, all in one order then the reverse. */
static void measure_cands(Station *st, Cand *c, int n, int rounds, double flops) {
    int64_t batch[STATION_MAX_BATCH];
    for (int r = 0; r < rounds; r++) {
        for (int from = 0; from < n; from += STATION_MAX_BATCH) {
            int m = n - from < STATION_MAX_BATCH ? n - from : STATION_MAX_BATCH;
            for (int i = 0; i < m; i++) batch[i] = c[r % 2 ? n - 1 - from - i : from + i].index;
            station_start(st, batch, m);
            TrialOut o;
            while (station_next(st, &o)) {
                LogResult lr = {.error_no = o.error_no};
                for (int k = 0; k < o.ncosts && k < LOG_MAX_COSTS; k++)
                    lr.costs[lr.ncosts++] = o.costs[k];
                double cost = o.error_no == ERR_NONE && lr.ncosts ? log_mean_cost(&lr) : 0;
                int q = cost > 0 ? cand_find(c, n, o.index) : -1;
                if (q >= 0 && c[q].n < 32) c[q].g[c[q].n++] = flops / cost / 1e9;
            }
        }
    }
}

static double reference(const Opts *op, Bound *b, const char *file, Run runs[][MAX_SEEDS],
                        const bool *used, int *ncand, double *spread) {
    int cap = NTUNERS * op->seeds * op->ref_top, nc = 0;
    Cand *c = xcalloc((size_t)cap, sizeof *c);
    int64_t top[64];
    int ntop;
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) {
            if (!top_indices(&runs[t][s], op->ref_top, top, &ntop)) continue;
            for (int j = 0; j < ntop; j++)
                if (cand_find(c, nc, top[j]) < 0) c[nc++].index = top[j];
        }
    *ncand = nc;
    MeasureOptions mo = {.jobs = op->jobs > 0 ? op->jobs : 2,
                         .number = op->number,
                         .repeat = op->repeat,
                         .timeout = 10,
                         .build_timeout = 10,
                         .seed = 1};
    MeasureTask mt = {b->in, b->sp, file, b->src, b->len};
    char err[1024];
    Station *st = nc ? station_new(&mt, &mo, err, sizeof err) : NULL;
    if (nc && !st) fprintf(stderr, "bench_search: re-measuring: %s\n", err);
    double flops = inst_flops(b->in), ref = 0;
    if (st) measure_cands(st, c, nc, op->ref_rounds, flops);
    /* the spread of one config's measurements (max - min over the median), median over configs:
     * how far apart two single trials of the same config land */
    double *sp = xmalloc(sizeof *sp * (size_t)(nc ? nc : 1));
    int nsp = 0;
    for (int q = 0; q < nc; q++) {
        c[q].med = c[q].n ? median(c[q].g, c[q].n) : 0; /* sorts g */
        ref = fmax(ref, c[q].med);
        if (c[q].n > 1) sp[nsp++] = (c[q].g[c[q].n - 1] - c[q].g[0]) / c[q].med;
    }
    *spread = nsp ? median(sp, nsp) : NAN;
    free(sp);
    /* Then every pick a run made (each config that led it by its mean logged cost) logged within
     * 15% of the reference and not measured yet: trials to 95% asks when a run's pick truly runs
     * at 95% of the reference, and a single logged trial is as noisy as the spread above. */
    int first = nc;
    for (int t = 0; st && t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) {
            const Run *r = &runs[t][s];
            for (int k = 0; k < r->t.n; k++) {
                int64_t pick = r->pick[k];
                if (pick < 0 || r->pick_gflops[k] < 0.85 * ref || cand_find(c, nc, pick) >= 0)
                    continue;
                if (nc == cap) c = xrealloc(c, sizeof *c * (size_t)(cap *= 2));
                c[nc++] = (Cand){.index = pick};
            }
        }
    if (st && nc > first) {
        measure_cands(st, c + first, nc - first, op->ref_rounds, flops);
        for (int q = first; q < nc; q++) {
            c[q].med = c[q].n ? median(c[q].g, c[q].n) : 0;
            ref = fmax(ref, c[q].med);
        }
        printf("  re-measured %d more configs: the runs' picks logged within 15%% of the "
               "reference\n",
               nc - first);
        fflush(stdout); /* before the station's workers are forked again */
    }
    /* without a station nothing was re-measured: a pick is then worth what it logged */
    bool remeasured = st != NULL;
    if (st) station_free(st);
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) {
            Run *r = &runs[t][s];
            r->picked = xcalloc((size_t)(r->t.n ? r->t.n : 1), sizeof *r->picked);
            for (int k = 0; k < r->t.n; k++) {
                int q = r->pick[k] >= 0 ? cand_find(c, nc, r->pick[k]) : -1;
                r->picked[k] = !remeasured ? r->pick_gflops[k] : q >= 0 ? c[q].med : 0;
            }
        }
    /* the five best, with the best logged trial of each: is a run's lucky high a better config? */
    for (int i = 0; i < 5 && i < nc; i++) {
        int best = i;
        for (int q = i + 1; q < nc; q++)
            if (c[q].med > c[best].med) best = q;
        Cand tmp = c[i];
        c[i] = c[best];
        c[best] = tmp;
        if (!c[i].n) break; /* the rest were not measured either */
        double lg = 0;
        const char *who = "";
        int seed = 0;
        for (int t = 0; t < NTUNERS; t++)
            for (int s = 0; used[t] && s < op->seeds; s++)
                for (int k = 0; k < runs[t][s].t.n; k++)
                    if (runs[t][s].t.index[k] == c[i].index && runs[t][s].t.gflops[k] > lg)
                        lg = runs[t][s].t.gflops[k], who = TUNERS[t], seed = s;
        printf("  re-measured #%d: config %lld, median %.1f GFLOPS (min %.1f, max %.1f); logged "
               "%.1f by %s seed %d\n",
               i + 1, (long long)c[i].index, c[i].med, c[i].g[0], c[i].g[c[i].n - 1], lg, who,
               seed);
    }
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) {
            Run *run = &runs[t][s];
            run->remeasured = 0;
            if (!top_indices(run, op->ref_top, top, &ntop)) continue;
            for (int j = 0; j < ntop; j++) {
                int q = cand_find(c, nc, top[j]);
                if (q >= 0) run->remeasured = fmax(run->remeasured, c[q].med);
            }
        }
    free(c);
    return ref;
}

/* Trials (1-based) until the run's pick (its config of best mean logged cost so far) re-measures at
 * least bar; INFINITY if it never did. */
static double trials_to(const Run *r, double bar, double *seconds) {
    for (int k = 0; k < r->t.n; k++)
        if (r->picked[k] >= bar) {
            *seconds = r->t.timestamp[k];
            return k + 1;
        }
    *seconds = INFINITY;
    return INFINITY;
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
    if (listed(op->tuners, "xgb-transfer") && !op->from_logs) {
        Run tr;
        /* the other shape's log: one xgb run, as a user's earlier tuning would leave */
        if (!tune(op, &tb, sd->file, "xgb-itervar", 1000, op->trials, transfer, NULL, &tr)) return;
        log_trials_free(&tr.t);
    }
    double logged = 0;
    int ntr[NTUNERS] = {0};
    for (int t = 0; t < NTUNERS; t++) {
        if (!listed(op->tuners, TUNERS[t])) continue;
        used[t] = true;
        bool rnd = !strcmp(TUNERS[t], "random");
        ntr[t] = rnd && op->random_trials > 0 ? op->random_trials : op->trials;
        for (int s = 0; s < op->seeds; s++) {
            snprintf(log, sizeof log, "%s/%s.%s.s%d.log", op->out, sd->name, TUNERS[t], s);
            bool tr = !strcmp(TUNERS[t], "xgb-transfer");
            Run *r = &runs[t][s];
            if (op->from_logs ? !read_run(&b, log, NAN, r)
                              : !tune(op, &b, sd->file, tr ? "xgb-itervar" : TUNERS[t], s, ntr[t],
                                      log, tr ? transfer : NULL, r))
                return;
            if (op->from_logs) ntr[t] = r->t.n;
            logged = fmax(logged, best_at(r, r->t.n));
            fprintf(stderr,
                    "  %s %s seed %d: best %.1f GFLOPS in %d trials, %.1f s (tuner %.2f s)\n",
                    sd->name, TUNERS[t], s, best_at(r, r->t.n), r->t.n, r->wall, r->tuner);
        }
    }
    int ncand = 0;
    double spread;
    double ref = reference(op, &b, sd->file, runs, used, &ncand, &spread);
    if (ref <= 0) {
        fprintf(stderr,
                "bench_search: %s: no config could be re-measured; the reference is the "
                "best logged measurement\n",
                sd->name);
        ref = logged;
    }
    printf("reference best: %.1f GFLOPS, the best median of %d re-measurements of %d configs (each "
           "run's top %d); the best single logged measurement was %.1f; a config's re-measurements "
           "spread over %.1f%% of their median (median over configs)\n",
           ref, op->ref_rounds, ncand, op->ref_top, logged, 100 * spread);
    printf("medians over %d seeds; trials to 95%%: until the run's pick (its config of best mean "
           "logged time so far, what it would emit) re-measures at 95%% of the reference (> N: not "
           "in the N trials run); x random: "
           "that over random's\n\n",
           op->seeds);
    printf("| tuner | trials to 95%% | x random | seconds to 95%% | best@50 | best@100 | best@200 "
           "| best@400 | best re-measured | tuner share of wall |\n"
           "|---|---|---|---|---|---|---|---|---|---|\n");
    double v[MAX_SEEDS], w[MAX_SEEDS], mt_random = NAN;
    int random_n = 0;
    for (int t = 0; t < NTUNERS; t++)
        if (used[t] && !strcmp(TUNERS[t], "random")) {
            for (int s = 0; s < op->seeds; s++) v[s] = trials_to(&runs[t][s], 0.95 * ref, &w[s]);
            mt_random = median(v, op->seeds);
            random_n = ntr[t];
        }
    for (int t = 0; t < NTUNERS; t++) {
        if (!used[t]) continue;
        for (int s = 0; s < op->seeds; s++) v[s] = trials_to(&runs[t][s], 0.95 * ref, &w[s]);
        double mt = median(v, op->seeds), ms = median(w, op->seeds);
        printf("| %s | ", TUNERS[t]);
        isinf(mt) ? printf("> %d | ", ntr[t]) : printf("%.0f | ", mt);
        if (isnan(mt_random) || isinf(mt))
            printf("- | ");
        else if (isinf(mt_random))
            printf("< %.2f | ", mt / random_n);
        else
            printf("%.2f | ", mt / mt_random);
        isinf(ms) ? printf("- |") : printf("%.1f |", ms);
        for (int a = 0; a < 4; a++) {
            for (int s = 0; s < op->seeds; s++) v[s] = best_at(&runs[t][s], AT[a]);
            AT[a] <= ntr[t] ? printf(" %.1f |", median(v, op->seeds)) : printf(" - |");
        }
        for (int s = 0; s < op->seeds; s++) v[s] = runs[t][s].remeasured;
        printf(" %.1f |", median(v, op->seeds));
        for (int s = 0; s < op->seeds; s++)
            v[s] = runs[t][s].wall > 0 ? runs[t][s].tuner / runs[t][s].wall : 0;
        double share = median(v, op->seeds);
        isnan(share) ? printf(" ? |\n") : printf(" %.1f%% |\n", 100 * share);
    }
    /* the medians' spread: each seed's trials to 95% */
    printf("\nper seed, trials to 95%%:");
    for (int t = 0; t < NTUNERS; t++) {
        if (!used[t]) continue;
        printf(" %s", TUNERS[t]);
        for (int s = 0; s < op->seeds; s++) {
            double tt = trials_to(&runs[t][s], 0.95 * ref, &w[s]);
            isinf(tt) ? printf("%s>%d", s ? "," : " ", ntr[t])
                      : printf("%s%.0f", s ? "," : " ", tt);
        }
        printf(";");
    }
    printf("\n");
    char svg[4200];
    snprintf(svg, sizeof svg, "%s/%s.svg", op->out, sd->name);
    write_svg(svg, sd->name, runs, used, op->seeds, op->trials);
    printf("\ncurves: %s\n\n", svg);
    fflush(stdout);
    for (int t = 0; t < NTUNERS; t++)
        for (int s = 0; used[t] && s < op->seeds; s++) {
            log_trials_free(&runs[t][s].t);
            free(runs[t][s].picked);
            free(runs[t][s].pick);
            free(runs[t][s].pick_gflops);
            runs[t][s].picked = runs[t][s].pick_gflops = NULL;
            runs[t][s].pick = NULL;
        }
    arena_free(b.a);
    arena_free(tb.a);
}

static void usage(FILE *f) {
    fprintf(f,
            "usage: bench_search [--seeds N (3)] [--trials N (400)] [--random-trials N (= "
            "--trials)]\n"
            "                    [--spaces gemm,conv2d,matmul]\n"
            "                    [--tuners random,ga,xgb-knob,xgb-itervar,xgb-curve,xgb-transfer\n"
            "                              (the default), xgb-noprior, xgb-seeded, xgb-diverse]\n"
            "                    [--number N (2)] [--repeat N (3)] [--recheck N (1)] [-j N]\n"
            "                    [--out DIR]\n"
            "                    [--ref-top K (3)] [--ref-rounds R (5)] [--from-logs] [--small]\n"
            "       bench_search --feature-cost [--spaces ...] [--small]\n"
            "       bench_search --tuner-cost [--spaces ...] [--trials N] [--out DIR] [--small]\n"
            "       bench_search --rank FILE.te TEST_LOG TRAIN_LOG...\n"
            "Run from the source root; bench/README.md says what each reports.\n");
}

int main(int argc, char **argv) {
    Opts op = {.seeds = 3,
               .trials = 400,
               .number = 2,
               .repeat = 3,
               .recheck = 1,
               .ref_top = 3,
               .ref_rounds = 5,
               .spaces = "gemm,conv2d,matmul",
               .tuners = "random,ga,xgb-knob,xgb-itervar,xgb-curve,xgb-transfer",
               .out = "bench_search.out"};
    bool cost = false, tcost = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--small")) {
            op.small = true;
            continue;
        }
        if (!strcmp(a, "--from-logs")) {
            op.from_logs = true;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--rank")) return rank_models(argc - i - 1, argv + i + 1);
        if (!strcmp(a, "--feature-cost")) {
            cost = true;
            continue;
        }
        if (!strcmp(a, "--tuner-cost")) {
            tcost = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "bench_search: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--seeds"))
            op.seeds = atoi(v);
        else if (!strcmp(a, "--trials"))
            op.trials = atoi(v);
        else if (!strcmp(a, "--random-trials"))
            op.random_trials = atoi(v);
        else if (!strcmp(a, "--ref-top"))
            op.ref_top = atoi(v);
        else if (!strcmp(a, "--ref-rounds"))
            op.ref_rounds = atoi(v);
        else if (!strcmp(a, "--number"))
            op.number = atoi(v);
        else if (!strcmp(a, "--repeat"))
            op.repeat = atoi(v);
        else if (!strcmp(a, "--recheck"))
            op.recheck = atoi(v);
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
            usage(stderr);
            return 2;
        }
    }
    if (op.seeds < 1 || op.seeds > MAX_SEEDS || op.trials < 1 || op.number < 1 || op.repeat < 1 ||
        op.recheck < 0 || op.recheck > 8 || op.random_trials < 0 || op.ref_top < 1 ||
        op.ref_top > 64 || op.ref_rounds < 1 || op.ref_rounds > 32) {
        fprintf(stderr,
                "bench_search: --seeds 1..%d, --trials, --number, --repeat >= 1, --recheck 0..8, "
                "--random-trials >= 0, --ref-top 1..64, --ref-rounds 1..32\n",
                MAX_SEEDS);
        return 2;
    }
    if (cost || tcost) {
        for (int i = 0; i < NSPACES; i++)
            if (listed(op.spaces, SPACES[i].name))
                cost ? feature_cost(&op, &SPACES[i]) : tuner_cost(&op, &SPACES[i]);
        return 0;
    }
    mkdir(op.out, 0755);
    printf("# bench_search: %d seeds, %d trials (random %d), --number %d --repeat %d --recheck %d, "
           "reference --ref-top %d --ref-rounds %d%s%s\n\n",
           op.seeds, op.trials, op.random_trials ? op.random_trials : op.trials, op.number,
           op.repeat, op.recheck, op.ref_top, op.ref_rounds,
           op.from_logs ? ", from the logs in " : "", op.from_logs ? op.out : "");
    if (op.small) printf("(small shapes: a functional check)\n\n");
    for (int i = 0; i < NSPACES; i++)
        if (listed(op.spaces, SPACES[i].name)) bench_space(&op, &SPACES[i]);
    return 0;
}
