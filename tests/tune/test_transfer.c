/* --transfer (tuner/transfer.c) on examples/gemm.te: a log of another shape whose records favour
 * some tile sizes changes the XGB tuner's first proposals (same seed) towards them, the first of
 * them the log's best config (its knob values are a config of this shape too); records of
 * another target or template are skipped with a warning naming them; unreadable logs and logs
 * without a usable record are errors naming the file or the template. Usage: test_transfer
 * SOURCE_ROOT WORK_DIR. */
#include "tests/lib/testlib.h"
#include "lang/xalloc.h"
#include "tuner/log.h"
#include "tuner/transfer.h"
#include "tuner/tuner_ml.h"
#include <math.h>
#include <stdlib.h>

static const char TARGET[] = "llvm -mcpu=test";

typedef struct Tpl {
    Arena *a;
    Diag d;
    Inst *in;
    Space *sp;
    char *src;
    size_t len;
    char path[4096];
} Tpl;

static bool tpl_bind(Tpl *t, const char *root, const char *n) {
    snprintf(t->path, sizeof t->path, "%s/examples/gemm.te", root);
    t->a = arena_new();
    Define defs[] = {{"N", n}, {"L", n}, {"M", n}};
    t->in = test_bind_file(t->a, &t->d, t->path, NULL, defs, 3);
    t->src = (char *)t->d.src;
    t->len = t->d.srclen;
    t->sp = t->in ? space_new(t->a, &t->d, t->in) : NULL;
    return t->sp != NULL;
}

/* Synthetic speed of a gemm config: best at tm = 6, tn = 2, kc = 64. */
static double score(const Space *sp, int64_t index) {
    KnobVal v[8];
    Config c = {.nknobs = 7, .vals = v};
    space_get(sp, index, &c);
    double tm = (double)v[0].v[0], tn = (double)v[1].v[0], kc = log2((double)v[4].v[0]);
    return 100 / (1 + fabs(tm - 6) + 2 * fabs(tn - 2) + fabs(kc - 6));
}

/* n records of random configs of t's shape, cost from score; gives the best one's index. */
static int64_t write_log(const char *path, const Tpl *t, const char *target, const char *name,
                         int n) {
    char err[512];
    remove(path);
    LogWriter *w = log_open(path, false, err, sizeof err);
    CHECK(w != NULL, "%s", err);
    Inst named = *t->in;
    named.name = name;
    LogTask *task = log_task_new(target, &named, t->sp);
    uint64_t x = 12345;
    int64_t best = -1;
    for (int i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t idx = (int64_t)((x >> 17) % (uint64_t)space_len(t->sp));
        KnobVal v[8];
        Config c = {.nknobs = 7, .vals = v};
        space_get(t->sp, idx, &c);
        LogResult r = {.index = idx, .ncosts = 1, .all_cost = 0.1, .timestamp = 1};
        r.costs[0] = 1e-3 / score(t->sp, idx);
        if (best < 0 || score(t->sp, idx) > score(t->sp, best)) best = idx;
        CHECK(log_append(w, task, &c, &r, err, sizeof err), "%s", err);
    }
    log_task_free(task);
    log_close(w);
    return best;
}

/* The mean score of the XGB tuner's first 32 proposals; *first gets the first of them. */
static double first_plan(const Tpl *t, const char *const *logs, int nlogs, char *out, size_t cap,
                         bool *ok, int64_t *first) {
    Tuner *tu = tuner_new("xgb", t->sp, space_len(t->sp), 7);
    tuner_xgb_set_features(tu, FEATURES_ITERVAR);
    *ok = true;
    if (nlogs) {
        TransferSetup s = {logs, nlogs, t->in, t->src, t->path, t->len, TARGET};
        long records = 0;
        int tasks = 0;
        char err[1024] = "";
        FILE *warn = fmemopen(out, cap, "w");
        *ok = transfer_load(tu, &s, warn, &records, &tasks, err, sizeof err);
        fprintf(warn, "%s", err);
        fclose(warn);
    }
    int64_t idx[32];
    int n = tuner_next_batch(tu, idx, 32);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += score(t->sp, idx[i]);
    *first = n ? idx[0] : -1;
    tuner_free(tu);
    return n ? sum / n : 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_transfer SOURCE_ROOT WORK_DIR\n");
        return 2;
    }
    CHECK(test_fresh_dir(argv[2]));
    Tpl cur, other;
    CHECK(tpl_bind(&cur, argv[1], "96"));
    CHECK(tpl_bind(&other, argv[1], "64"));
    char good[4200], tgt[4200], tpl[4200], msg[4096];
    snprintf(good, sizeof good, "%s/gemm64.log", argv[2]);
    snprintf(tgt, sizeof tgt, "%s/other_target.log", argv[2]);
    snprintf(tpl, sizeof tpl, "%s/other_template.log", argv[2]);
    int64_t best = write_log(good, &other, TARGET, "gemm", 200);
    write_log(tgt, &other, "llvm -mcpu=elsewhere", "gemm", 5);
    write_log(tpl, &other, TARGET, "dense", 5);

    /* Without history the first batch is random; with it, planned from the other shape. */
    bool ok;
    int64_t first;
    double cold = first_plan(&cur, NULL, 0, msg, sizeof msg, &ok, &first);
    const char *logs[] = {good, tgt, tpl};
    double warm = first_plan(&cur, logs, 3, msg, sizeof msg, &ok, &first);
    CHECK(ok, "%s", msg);
    CHECK(warm > 1.5 * cold, "first 32 proposals score %.1f with transfer, %.1f without", warm,
          cold);
    /* the log's best config, in this shape's space, is tried first */
    KnobVal v[8];
    Config c = {.nknobs = 7, .vals = v};
    CHECK(space_get(other.sp, best, &c));
    int64_t here = space_index(cur.sp, &c);
    CHECK(here >= 0 && first == here, "first proposal %lld, the log's best is %lld here",
          (long long)first, (long long)here);
    CHECK(strstr(msg, "skipping 5 records for target 'llvm -mcpu=elsewhere'") != NULL, "%s", msg);
    CHECK(strstr(msg, "skipping 5 records of template 'dense'") != NULL, "%s", msg);

    /* Errors: a missing log, a directory, a log without a usable record. */
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/missing.log", argv[2]);
    const char *bad1[] = {missing}, *bad2[] = {argv[2]}, *bad3[] = {tgt};
    first_plan(&cur, bad1, 1, msg, sizeof msg, &ok, &first);
    CHECK(!ok && strstr(msg, "cannot read log") && strstr(msg, "missing.log"), "%s", msg);
    first_plan(&cur, bad2, 1, msg, sizeof msg, &ok, &first);
    CHECK(!ok && strstr(msg, "cannot read log"), "%s", msg);
    first_plan(&cur, bad3, 1, msg, sizeof msg, &ok, &first);
    CHECK(!ok && strstr(msg, "no usable record of template 'gemm'"), "%s", msg);
    arena_free(cur.a);
    arena_free(other.a);
    return test_report("tune.transfer");
}
