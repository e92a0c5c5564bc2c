/* session_run through its C API: a build timeout (error_no 6) with the builder replaced and the run
 * going on, the summary's counts, a template without knobs (a space of one config), the
 * quiet progress mode printing only the summary, and reference outputs from a caller's function
 * (SessionOptions.reference) in place of the evaluator. Usage: test_tune_api TESTS_DIR WORK_DIR */
#include "tests/lib/testlib.h"
#include "tuner/session.h"
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <unistd.h>

/* The template bound with -D defs, and its space; d keeps its source (session_run reads it). */
static Inst *bind(Arena *a, Diag *d, const char *path, Define *defs, int ndefs, Space **sp) {
    Inst *in = test_bind_file(a, d, path, NULL, defs, ndefs);
    *sp = in ? space_new(a, d, in) : NULL;
    return *sp ? in : NULL;
}

static int error_of(const char *log, int64_t index) {
    FILE *f = fopen(log, "r");
    char line[8192];
    int e = -1;
    while (f && fgets(line, sizeof line, f)) {
        cJSON *j = cJSON_Parse(line);
        cJSON *cfg = cJSON_GetObjectItem(j, "config"), *res = cJSON_GetObjectItem(j, "result");
        if (cfg && res && cJSON_GetObjectItem(cfg, "index")->valuedouble == (double)index)
            e = (int)cJSON_GetArrayItem(res, 1)->valuedouble;
        cJSON_Delete(j);
    }
    if (f) fclose(f);
    return e;
}

static void base_options(SessionOptions *o, Inst *in, Space *sp, const Diag *d, const char *log,
                         const char *obj) {
    session_options_default(o);
    o->in = in;
    o->sp = sp;
    o->src_path = d->path;
    o->src = d->src;
    o->srclen = d->srclen;
    o->number = 1;
    o->repeat = 1;
    o->jobs = 2;
    o->log_path = log;
    o->out_path = obj;
    o->progress = SESSION_PROGRESS_QUIET;
    unlink(log);
}

static void test_build_timeout(const char *tests, const char *work) {
    Arena *a = arena_new();
    char path[1024], log[1024], obj[1024];
    snprintf(path, sizeof path, "%s/tune/mm.te", tests);
    snprintf(log, sizeof log, "%s/api_bt.log", work);
    snprintf(obj, sizeof obj, "%s/api_bt.o", work);
    Define defs[] = {{"N", "32"}, {"L", "32"}, {"M", "32"}};
    Space *sp;
    Diag d;
    Inst *in = bind(a, &d, path, defs, 3, &sp);
    CHECK(in != NULL, "bind %s", path);
    if (!in) return;
    SessionOptions o;
    base_options(&o, in, sp, &d, log, obj);
    o.tuner = "grid";
    o.trials = 5;
    o.build_timeout = 10; /* legit 32^3 builds take ~50 ms: 10 s only catches the hung one */
    char *out = NULL;
    size_t outlen = 0;
    o.out = open_memstream(&out, &outlen);
    setenv("TEC_TEST_FAULT", "buildhang:2", 1);
    SessionSummary s;
    int rc = session_run(&o, &s);
    unsetenv("TEC_TEST_FAULT");
    fclose(o.out);
    CHECK_INT(rc, 0);
    CHECK_INT(s.trials, 5);
    CHECK_INT(s.errors[ERR_BUILD_TIMEOUT], 1);
    CHECK_INT(s.errors[ERR_NONE], 4);
    CHECK_INT(error_of(log, 2), ERR_BUILD_TIMEOUT);
    CHECK_INT(error_of(log, 3), ERR_NONE);
    CHECK(s.best_index >= 0 && s.best_index != 2, "best %lld", (long long)s.best_index);
    CHECK(!strstr(out, "No: ") && strstr(out, "Trials: 5, errors: 1 (build timeout 1)"),
          "quiet: summary only: %s", out);
    free(out);
    arena_free(a);
}

/* relu.te at N=1000 bound in a and set up in o, logging to WORK/api_TAG.log, the kernel to
   WORK/api_TAG.o (log and obj get the paths); false when it does not bind. */
static bool relu_session(Arena *a, Diag *d, const char *tests, const char *work, const char *tag,
                         SessionOptions *o, char log[1024], char obj[1024]) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tune/relu.te", tests);
    snprintf(log, 1024, "%s/api_%s.log", work, tag);
    snprintf(obj, 1024, "%s/api_%s.o", work, tag);
    Define defs[] = {{"N", "1000"}};
    Space *sp;
    Inst *in = bind(a, d, path, defs, 1, &sp);
    CHECK(in != NULL, "bind %s", path);
    if (in) base_options(o, in, sp, d, log, obj);
    return in != NULL;
}

static void test_no_knobs(const char *tests, const char *work) {
    Arena *a = arena_new();
    char log[1024], obj[1024];
    Diag d;
    SessionOptions o;
    if (!relu_session(a, &d, tests, work, "relu", &o, log, obj)) return;
    o.trials = 10; /* capped at the space: one config */
    o.out = fopen("/dev/null", "w");
    SessionSummary s;
    CHECK_INT(session_run(&o, &s), 0);
    fclose(o.out);
    CHECK_INT(s.trials, 1);
    CHECK_INT(s.best_index, 0);
    CHECK_INT(error_of(log, 0), ERR_NONE);
    CHECK(access(obj, R_OK) == 0, "object written");
    arena_free(a);
}

/* relu's outputs from its inputs, as the evaluator would give them, or off by one when *ctx */
static bool relu_reference(void *ctx, void *const *args) {
    const bool *wrong = ctx;
    const float *x = args[0];
    float *y = args[1];
    for (int i = 0; i < 1000; i++) y[i] = (x[i] > 0 ? x[i] : 0) + (*wrong ? 1.0f : 0.0f);
    return true;
}

/* The caller's reference is the one kernels are checked against: a right one passes, a wrong
   one makes the trial a wrong answer (error_no 5: the kernel is right, the reference is not). */
static void test_reference_function(const char *tests, const char *work) {
    for (int wrong = 0; wrong < 2; wrong++) {
        Arena *a = arena_new();
        char log[1024], obj[1024];
        Diag d;
        SessionOptions o;
        if (!relu_session(a, &d, tests, work, wrong ? "ref_wrong" : "ref", &o, log, obj)) return;
        bool w = wrong;
        o.reference = relu_reference, o.reference_ctx = &w;
        o.out = fopen("/dev/null", "w");
        SessionSummary s;
        int rc = session_run(&o, &s);
        fclose(o.out);
        CHECK_INT(rc, wrong ? 1 : 0);
        CHECK_INT(error_of(log, 0), wrong ? ERR_WRONG_ANSWER : ERR_NONE);
        arena_free(a);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: test_tune_api TESTS_DIR WORK_DIR\n");
        return 2;
    }
    test_build_timeout(argv[1], argv[2]);
    test_no_knobs(argv[1], argv[2]);
    test_reference_function(argv[1], argv[2]);
    return test_report("tune_api");
}
