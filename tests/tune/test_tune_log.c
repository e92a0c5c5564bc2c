/* The tuning log: record shape (AutoTVM v0.2 fields, entity tags and values, error records),
 * reading back only the records of one task, comments, torn and malformed lines (warned with
 * their line number, skipped, later appends still valid), entity checks against the space,
 * the best-record rule of --log (a re-measured config worth its mean), the pick rule itself, costs
 * <= 0 or not finite skipped, a directory refused. Usage: test_tune_log TMPDIR */
#include "tests/lib/testlib.h"
#include "tuner/log.h"
#include "tuner/log_pick.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* A matmul-like instance by hand: params N L M dtype, two split knobs on 64 and a list knob. */
typedef struct Fix {
    Arena *a;
    Diag d;
    Inst in;
    ParamVal params[4];
    Knob knobs[3];
    Space *sp;
} Fix;

static const int64_t unroll_vals[] = {0, 1};

static void fix_init(Fix *f, int64_t n) {
    memset(f, 0, sizeof *f);
    f->a = arena_new();
    diag_init(&f->d, "t.te", "", 0);
    f->params[0] = (ParamVal){.name = "N", .ival = n};
    f->params[1] = (ParamVal){.name = "L", .ival = n};
    f->params[2] = (ParamVal){.name = "M", .ival = n};
    f->params[3] = (ParamVal){.name = "dtype", .is_dtype = true, .dtype = DT_FLOAT32};
    f->knobs[0] = (Knob){.name = "tile_y",
                         .kind = KNOB_SPLIT,
                         .policy = POL_FACTORS,
                         .axis = "i",
                         .extent = n,
                         .nouts = 2};
    f->knobs[1] = (Knob){.name = "tile_x",
                         .kind = KNOB_SPLIT,
                         .policy = POL_FACTORS,
                         .axis = "j",
                         .extent = n,
                         .nouts = 2};
    f->knobs[2] =
        (Knob){.name = "unroll", .kind = KNOB_LIST, .vals = (int64_t *)unroll_vals, .nvals = 2};
    f->in =
        (Inst){.name = "matmul", .params = f->params, .nparams = 4, .knobs = f->knobs, .nknobs = 3};
    f->sp = space_new(f->a, &f->d, &f->in);
}

static LogResult ok_result(int64_t index, double c1, double c2) {
    LogResult r = {.index = index,
                   .error_no = ERR_NONE,
                   .ncosts = 2,
                   .all_cost = 0.5,
                   .timestamp = 1764150000.125};
    r.costs[0] = c1;
    r.costs[1] = c2;
    return r;
}

static bool append(LogWriter *w, LogTask *t, const Fix *f, const LogResult *r) {
    KnobVal vals[3];
    Config cfg = {.index = r->index, .nknobs = 3, .vals = vals};
    space_get(f->sp, r->index, &cfg);
    char err[256];
    bool ok = log_append(w, t, &cfg, r, err, sizeof err);
    CHECK(ok, "append: %s", err);
    return ok;
}

typedef struct Seen {
    LogResult r[64];
    int n;
} Seen;

static void collect(void *ctx, const LogResult *r) {
    Seen *s = ctx;
    if (s->n < 64) s->r[s->n++] = *r;
}

/* log_read of path for task t into *s (emptied first), its warnings in *warnings (free it). */
static bool read_warned(const char *path, const LogTask *t, Seen *s, char **warnings) {
    size_t wlen = 0;
    char err[256];
    FILE *warn = open_memstream(warnings, &wlen);
    s->n = 0;
    bool ok = log_read(path, t, collect, s, warn, err, sizeof err);
    fclose(warn);
    CHECK(ok, "read %s: %s", path, err);
    return ok;
}

/* Every line of the file must be one JSON object; returns how many. */
static int count_valid_lines(const char *path) {
    char *text = test_text(path);
    int n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        n += j != NULL;
        cJSON_Delete(j);
    }
    free(text);
    return n;
}

static void test_record_shape(const char *dir) {
    Fix f;
    fix_init(&f, 64);
    CHECK(f.sp && space_len(f.sp) == 7 * 7 * 2, "space");
    char path[512];
    snprintf(path, sizeof path, "%s/shape.log", dir);
    unlink(path);
    LogTask *t = log_task_new("llvm -mcpu=znver4", &f.in, f.sp);
    char err[256];
    LogWriter *w = log_open(path, true, err, sizeof err);
    CHECK(w, "open: %s", err);
    LogResult r = ok_result(13, 0.002, 0.004);
    append(w, t, &f, &r);
    LogResult e = {.index = 60,
                   .error_no = ERR_WRONG_ANSWER,
                   .all_cost = 0.25,
                   .timestamp = 1764150001.5,
                   .error_msg = "output C: element 0 differs"};
    append(w, t, &f, &e);
    log_close(w);

    char *text = test_text(path);
    char *nl = strchr(text, '\n');
    CHECK(nl && strchr(nl + 1, '\n') && !strchr(strchr(nl + 1, '\n') + 1, '\n'),
          "two lines, each ending in a newline: %s", text);
    *nl = 0;
    cJSON *j = cJSON_Parse(text);
    CHECK(j != NULL, "line 1 is JSON: %s", text);
    cJSON *input = cJSON_GetObjectItem(j, "input");
    CHECK_STR(cJSON_GetArrayItem(input, 0)->valuestring, "llvm -mcpu=znver4");
    CHECK_STR(cJSON_GetArrayItem(input, 1)->valuestring, "matmul");
    char *args = cJSON_PrintUnformatted(cJSON_GetArrayItem(input, 2));
    CHECK_STR(args, "[64,64,64,\"float32\"]");
    free(args);
    CHECK(cJSON_IsObject(cJSON_GetArrayItem(input, 3)), "kwargs {}");
    cJSON *config = cJSON_GetObjectItem(j, "config");
    CHECK_INT(cJSON_GetObjectItem(config, "index")->valuedouble, 13);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(config, "code_hash")), "code_hash null");
    /* index 13 = 13 % 7 = 6 -> tile_y [-1, 64]; 13 / 7 = 1 -> tile_x [-1, 2]; unroll 0 */
    char *ent = cJSON_PrintUnformatted(cJSON_GetObjectItem(config, "entity"));
    CHECK_STR(ent,
              "[[\"tile_y\",\"sp\",[-1,64]],[\"tile_x\",\"sp\",[-1,2]],[\"unroll\",\"ot\",0]]");
    free(ent);
    char *res = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "result"));
    CHECK_STR(res, "[[0.002,0.004],0,0.5,1764150000.125]");
    free(res);
    CHECK(cJSON_GetObjectItem(j, "version")->valuedouble == 0.2, "version 0.2");
    CHECK_STR(cJSON_GetObjectItem(j, "tvm_version")->valuestring, "tec " TEC_VERSION);
    CHECK(!cJSON_GetObjectItem(j, "error_msg"), "no error_msg on success");
    cJSON_Delete(j);
    j = cJSON_Parse(nl + 1);
    res = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "result"));
    CHECK_STR(res, "[[1000000000],5,0.25,1764150001.5]");
    free(res);
    CHECK_STR(cJSON_GetObjectItem(j, "error_msg")->valuestring, "output C: element 0 differs");
    cJSON_Delete(j);
    free(text);

    Seen s = {0};
    CHECK(log_read(path, t, collect, &s, stderr, err, sizeof err), "read: %s", err);
    CHECK_INT(s.n, 2);
    CHECK_INT(s.r[0].index, 13);
    CHECK_INT(s.r[0].ncosts, 2);
    CHECK(log_mean_cost(&s.r[0]) == 0.003, "mean %g", log_mean_cost(&s.r[0]));
    CHECK_INT(s.r[1].error_no, ERR_WRONG_ANSWER);
    log_task_free(t);
    arena_free(f.a);
}

/* Records of another target, other args, or another template are not this task's; a record
 * whose entity disagrees with this space (the template changed) is skipped with a warning. */
static void test_task_filter(const char *dir) {
    Fix f, g;
    fix_init(&f, 64);
    fix_init(&g, 32);
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/filter.log", dir);
    unlink(path);
    LogTask *mine = log_task_new("llvm -mcpu=znver4", &f.in, f.sp);
    LogTask *other_target = log_task_new("llvm -mcpu=skylake", &f.in, f.sp);
    LogTask *other_args = log_task_new("llvm -mcpu=znver4", &g.in, g.sp);
    LogWriter *w = log_open(path, false, err, sizeof err);
    LogResult r = ok_result(5, 0.001, 0.001);
    append(w, other_target, &f, &r);
    append(w, other_args, &g, &r);
    r.index = 7;
    append(w, mine, &f, &r);
    log_close(w);
    /* A record claiming index 8 with index 9's entity: written by a different template. */
    FILE *fp = fopen(path, "a");
    fprintf(fp, "# a comment line\n\n");
    fprintf(fp, "{\"input\": [\"llvm -mcpu=znver4\", \"matmul\", [64, 64, 64, \"float32\"], {}], "
                "\"config\": {\"index\": 8, \"code_hash\": null, \"entity\": [[\"tile_y\", "
                "\"sp\", [-1, 4]], [\"tile_x\", \"sp\", [-1, 2]], [\"unroll\", \"ot\", 0]]}, "
                "\"result\": [[0.0001], 0, 0.1, 1.0], \"version\": 0.2}\n");
    fclose(fp);
    char *wbuf = NULL;
    Seen s = {0};
    read_warned(path, mine, &s, &wbuf);
    CHECK_INT(s.n, 1);
    CHECK_INT(s.r[0].index, 7);
    CHECK(strstr(wbuf, "filter.log:6: warning:") && strstr(wbuf, "entity"),
          "warning names line 6 and the entity: %s", wbuf);
    CHECK(!strstr(wbuf, ":4:") && !strstr(wbuf, ":5:"), "comment and blank line silent: %s", wbuf);
    free(wbuf);
    log_task_free(mine);
    log_task_free(other_target);
    log_task_free(other_args);
    arena_free(f.a);
    arena_free(g.a);
}

/* A fresh fixture at 64 and its task; DIR/NAME (path[512]) made anew holding the record r. */
static LogTask *one_record_log(Fix *f, const char *dir, const char *name, char *path,
                               const LogResult *r) {
    char err[256];
    fix_init(f, 64);
    snprintf(path, 512, "%s/%s", dir, name);
    unlink(path);
    LogTask *t = log_task_new("llvm -mcpu=znver4", &f->in, f->sp);
    LogWriter *w = log_open(path, false, err, sizeof err);
    CHECK(w != NULL, "open: %s", err);
    append(w, t, f, r);
    log_close(w);
    return t;
}

/* A run killed mid-write leaves a torn last line: reading skips it with a warning naming the
 * line, and the next append starts on a new line so every later record is valid JSON. */
static void test_torn_line(const char *dir) {
    Fix f;
    char path[512], err[256];
    LogResult r = ok_result(1, 0.001, 0.002);
    LogTask *t = one_record_log(&f, dir, "torn.log", path, &r);
    LogWriter *w;
    FILE *fp = fopen(path, "a");
    fprintf(fp, "{\"input\": [\"llvm -mcpu=znver4\", \"matmul\", [64, 64");
    fclose(fp);
    w = log_open(path, false, err, sizeof err);
    r.index = 2;
    append(w, t, &f, &r);
    r.index = 3;
    append(w, t, &f, &r);
    log_close(w);
    CHECK_INT(count_valid_lines(path), 3);
    char *wbuf = NULL;
    Seen s = {0};
    read_warned(path, t, &s, &wbuf);
    CHECK_INT(s.n, 3);
    CHECK(s.n == 3 && s.r[0].index == 1 && s.r[1].index == 2 && s.r[2].index == 3, "order");
    CHECK(strstr(wbuf, "torn.log:2: warning: skipping log line") != NULL, "warning: %s", wbuf);
    free(wbuf);
    /* Garbage of other shapes: not an object, missing fields, wrong types. */
    fp = fopen(path, "a");
    fprintf(fp, "[1, 2, 3]\n{\"input\": 5}\n{\"input\": [\"x\", \"matmul\", [], {}], "
                "\"config\": {\"index\": -4}, \"result\": [[1], 0, 0, 0]}\n\x01\xff garbage\n");
    fclose(fp);
    read_warned(path, t, &s, &wbuf);
    CHECK_INT(s.n, 3);
    for (int line = 5; line <= 8; line++) {
        char want[64];
        snprintf(want, sizeof want, "torn.log:%d: warning", line);
        CHECK(strstr(wbuf, want) != NULL, "want '%s' in: %s", want, wbuf);
    }
    free(wbuf);
    log_task_free(t);
    arena_free(f.a);
}

/* --log: lowest mean cost among error-free records; the first wins ties; none -> false. */
static void test_best(const char *dir) {
    Fix f;
    fix_init(&f, 64);
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/best.log", dir);
    unlink(path);
    LogTask *t = log_task_new("llvm -mcpu=znver4", &f.in, f.sp);
    int64_t index = -1;
    double cost = 0;
    errno = 0;
    CHECK(!log_best(path, t, &index, &cost, NULL, err, sizeof err) && errno == ENOENT && err[0],
          "missing file: %s", err);
    LogWriter *w = log_open(path, false, err, sizeof err);
    LogResult e = {.index = 3, .error_no = ERR_RUN_TIMEOUT, .timestamp = 1};
    append(w, t, &f, &e);
    log_close(w);
    CHECK(!log_best(path, t, &index, &cost, NULL, err, sizeof err) && !err[0],
          "only errors: no best (%s)", err);
    w = log_open(path, false, err, sizeof err);
    LogResult r = ok_result(10, 0.004, 0.002); /* mean 0.003 */
    append(w, t, &f, &r);
    r = ok_result(11, 0.001, 0.003); /* mean 0.002: best */
    append(w, t, &f, &r);
    r = ok_result(12, 0.002, 0.002); /* mean 0.002: a tie, later */
    append(w, t, &f, &r);
    log_close(w);
    CHECK(log_best(path, t, &index, &cost, NULL, err, sizeof err), "best: %s", err);
    CHECK_INT(index, 11);
    CHECK(cost == 0.002, "cost %g", cost);
    /* --recheck measured 13 twice: its lucky first trial (0.001) and its second (0.005) make a
       mean of 0.003, so 11 stays the best; a second record of 11 (0.001) makes its mean 0.0015 */
    w = log_open(path, false, err, sizeof err);
    r = ok_result(13, 0.001, 0.001);
    append(w, t, &f, &r);
    r = ok_result(13, 0.005, 0.005);
    append(w, t, &f, &r);
    log_close(w);
    CHECK(log_best(path, t, &index, &cost, NULL, err, sizeof err), "best: %s", err);
    CHECK_INT(index, 11);
    w = log_open(path, false, err, sizeof err);
    r = ok_result(11, 0.001, 0.001);
    append(w, t, &f, &r);
    log_close(w);
    CHECK(log_best(path, t, &index, &cost, NULL, err, sizeof err), "best: %s", err);
    CHECK_INT(index, 11);
    CHECK(cost == 0.0015, "mean cost %g", cost);
    log_task_free(t);
    arena_free(f.a);
}

/* The pick rule on its own: a config's mean over its trials; a re-measurement that makes the
 * leader slower hands the lead to the next best, and of equal means the first measured wins. */
static void test_pick(void) {
    LogPick *p = log_pick_new();
    int64_t index = -1;
    double mean = 0;
    CHECK(!log_pick_best(p, &index, &mean), "empty: no best");
    CHECK_INT(log_pick_add(p, 7, 2.0), 1);
    CHECK_INT(log_pick_add(p, 8, 3.0), 1);
    CHECK_INT(log_pick_add(p, 9, 1.0), 1); /* a lucky trial leads */
    CHECK(log_pick_best(p, &index, &mean) && index == 9 && mean == 1.0, "%lld %g", (long long)index,
          mean);
    CHECK_INT(log_pick_add(p, 9, 5.0), 2); /* re-measured: mean 3.0, 7 leads again */
    CHECK(log_pick_best(p, &index, &mean) && index == 7 && mean == 2.0, "%lld %g", (long long)index,
          mean);
    CHECK_INT(log_pick_add(p, 8, 1.0), 2); /* mean 2.0: ties 7, which was measured first */
    CHECK(log_pick_best(p, &index, NULL) && index == 7, "tie: %lld", (long long)index);
    CHECK_INT(log_pick_add(p, 9, 0.0), 3); /* mean 2.0 too, but measured after 7 */
    CHECK(log_pick_best(p, &index, NULL) && index == 7, "tie: %lld", (long long)index);
    /* many configs (the map grows, slower than these): 7, 8 and 9 keep their sums */
    for (int64_t i = 100; i < 5100; i++) log_pick_add(p, i * 7919, 10.0 + (double)(i % 13));
    CHECK(log_pick_best(p, &index, NULL) && index == 7, "after growth: %lld", (long long)index);
    CHECK_INT(log_pick_add(p, 7, 1000.0), 2); /* mean 501: 8 (mean 2, before 9) leads */
    CHECK(log_pick_best(p, &index, &mean) && index == 8 && mean == 2.0, "%lld %g", (long long)index,
          mean);
    log_pick_free(p);
}

/* A record's line with its costs array replaced by COSTS (e.g. "-5.0"). */
static char *with_costs(const char *line, const char *costs) {
    const char *at = strstr(line, "\"result\":[[");
    const char *end = at ? strchr(at, ']') : NULL;
    if (!end) return NULL;
    size_t head = (size_t)(at - line) + strlen("\"result\":[[");
    char *out = malloc(strlen(line) + strlen(costs) + 1);
    sprintf(out, "%.*s%s%s", (int)head, line, costs, end);
    return out;
}

/* Costs <= 0 or not finite would beat every real time: such records are skipped with a located
 * warning, by --log (log_best) and by --resume (log_read) alike. */
static void test_bad_costs(const char *dir) {
    static const char *const bad[] = {"-5.0", "0", "1e999", "0.001,-1", "-1e999"};
    LogResult r = ok_result(11, 0.003, 0.003);
    Fix f;
    char path[512], err[256];
    LogTask *t = one_record_log(&f, dir, "costs.log", path, &r);
    char *good = test_text(path);
    FILE *fp = fopen(path, "w");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *line = with_costs(good, bad[i]);
        CHECK(line != NULL, "no result in %s", good);
        if (line) fputs(line, fp);
        free(line);
    }
    fputs(good, fp);
    fclose(fp);
    free(good);
    char *wbuf = NULL;
    size_t wlen = 0;
    FILE *warn = open_memstream(&wbuf, &wlen);
    int64_t index = -1;
    double cost = 0;
    CHECK(log_best(path, t, &index, &cost, warn, err, sizeof err), "best: %s", err);
    fclose(warn);
    CHECK_INT(index, 11);
    CHECK(cost == 0.003, "cost %g", cost);
    for (int line = 1; line <= 5; line++) {
        char want[64];
        snprintf(want, sizeof want, "costs.log:%d: warning: skipping log line", line);
        CHECK(strstr(wbuf, want) != NULL, "want '%s' in: %s", want, wbuf);
    }
    CHECK(!strstr(wbuf, "costs.log:6:"), "the good record is not warned: %s", wbuf);
    free(wbuf);
    Seen s = {0};
    CHECK(log_read(path, t, collect, &s, NULL, err, sizeof err), "read: %s", err);
    CHECK(s.n == 1 && s.r[0].index == 11, "--resume sees only the good record (%d)", s.n);
    log_task_free(t);
    arena_free(f.a);
}

/* A directory is not a log: an error naming it, never "no record". */
static void test_directory(const char *dir) {
    Fix f;
    fix_init(&f, 64);
    char err[512];
    LogTask *t = log_task_new("llvm -mcpu=znver4", &f.in, f.sp);
    int64_t index = -1;
    errno = 0;
    CHECK(!log_best(dir, t, &index, NULL, NULL, err, sizeof err) && errno == EISDIR,
          "directory: errno %d", errno);
    char want[600];
    snprintf(want, sizeof want, "cannot read log '%s': Is a directory", dir);
    CHECK_STR(err, want);
    Seen s = {0};
    CHECK(!log_read(dir, t, collect, &s, NULL, err, sizeof err) && errno == EISDIR, "read dir");
    log_task_free(t);
    arena_free(f.a);
}

static void test_target_string(void) {
    char buf[128];
    log_target_string(buf, sizeof buf, NULL, "znver4");
    CHECK_STR(buf, "llvm -mcpu=znver4");
    log_target_string(buf, sizeof buf, "aarch64-linux-gnu", "cortex-a72");
    CHECK_STR(buf, "llvm -mtriple=aarch64-linux-gnu -mcpu=cortex-a72");
    CHECK_STR(log_err_name(ERR_WRONG_ANSWER), "WRONG_ANSWER");
    CHECK_STR(log_err_name(ERR_RUN_TIMEOUT), "RUN_TIMEOUT");
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    test_record_shape(dir);
    test_task_filter(dir);
    test_torn_line(dir);
    test_best(dir);
    test_bad_costs(dir);
    test_directory(dir);
    test_target_string();
    test_pick();
    return test_report("tune_log");
}
