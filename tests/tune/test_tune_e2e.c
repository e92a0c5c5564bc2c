/* End-to-end tuning runs of the real `tec --tune` on the tutorial matmul at 64^3: the log parsed
 * line by line, no config measured twice but a new best once more (--recheck), the best kernel
 * linked with cc per its header and checked; resume (after --trials, after Ctrl-C, after kill -9
 * with a torn line); injected crash / hang / wrong answer / builder crash each logged with its
 * error number while the run goes on; --cut-slow ending a slow config's measurement after its
 * warm-up call (the log's "calls" field); early stopping; the log's disk filling up (exit 1, whole
 * lines, counts); `tec
 * --log` picking the best record. Usage: test_tune_e2e SCENARIO TEC TESTS_DIR WORK_DIR */
#include "tests/lib/testlib.h"
#include "tests/tune/log_records.h"
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *tec, *tests, *work;
static char te[1024];

static char *path_in(const char *name) {
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 1024, "%s/%s", work, name);
    return b;
}

/* Start tec --tune on mm.te at 64^3 with extra args; stdout to out, stderr to out.err. */
static pid_t spawn_tec(const char *out, const char *fault, const char *const *extra) {
    const char *argv[64] = {tec,    "--tune",   te,  "-D",       "N=64", "-D", "L=64", "-D",
                            "M=64", "--number", "1", "--repeat", "3",    "-j", "2"};
    int n = 15;
    for (int i = 0; extra[i]; i++) argv[n++] = extra[i];
    argv[n] = NULL;
    char err[1100];
    snprintf(err, sizeof err, "%s.err", out);
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fo, 1);
        dup2(fe, 2);
        if (fault)
            setenv("TEC_TEST_FAULT", fault, 1);
        else
            unsetenv("TEC_TEST_FAULT");
        execv(tec, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static int wait_status(pid_t pid) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run_tec(const char *out, const char *fault, const char *const *extra) {
    return wait_status(spawn_tec(out, fault, extra));
}

static int distinct(const LogRecords *lg, bool *dup) {
    *dup = false;
    for (int i = 0; i < lg->n; i++)
        for (int k = 0; k < i; k++)
            if (lg->r[k].index == lg->r[i].index) *dup = true;
    int d = 0;
    for (int i = 0; i < lg->n; i++) {
        bool seen = false;
        for (int k = 0; k < i; k++) seen |= lg->r[k].index == lg->r[i].index;
        d += !seen;
    }
    return d;
}

static int count_lines(const char *path) {
    char *t = test_text(path);
    int n = 0;
    for (char *p = t; *p; p++) n += *p == '\n';
    free(t);
    return n;
}

static bool wait_lines(const char *path, int n, double timeout) {
    for (double t = 0; t < timeout; t += 0.02) {
        if (count_lines(path) >= n) return true;
        usleep(20000);
    }
    return false;
}

static int64_t printed_best(const char *out) {
    char *t = test_text(out);
    char *p = strstr(t, "Best: index ");
    long long v = -1;
    if (p) sscanf(p, "Best: index %lld", &v);
    free(t);
    return v;
}

static void reset(const char *name) {
    unlink(path_in(name));
}

/* The kernel in obj links per its header and computes the right matmul. */
static void check_links(const char *dir) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cc -o %s/mm_run %s/tune/mm_main.c -I%s %s/mm.o -lm -fopenmp > %s/cc.out 2>&1 && "
             "%s/mm_run > %s/run.out 2>&1",
             dir, tests, dir, dir, dir, dir, dir);
    int rc = system(cmd);
    char *o = test_text(path_in("basic/run.out"));
    CHECK(rc == 0 && strstr(o, "ok"), "linked kernel: rc %d: %s", rc, o);
    free(o);
    char *h = test_text(path_in("basic/mm.h"));
    CHECK(strstr(h, "void matmul(const float *A, const float *B, float *C);") != NULL,
          "header prototype: %s", h);
    free(h);
}

/* A whole small run: log line by line, no index twice but re-measured bests, best printed = best
 * logged (by mean), the best
 * kernel links and is right, and `tec --log` in build mode picks the same config. */
static void scenario_basic(void) {
    mkdir(path_in("basic"), 0755);
    reset("basic.log");
    const char *args[] = {
        "--trials", "12", "--seed", "3", "--log", path_in("basic.log"), "-o", path_in("basic/mm.o"),
        NULL};
    int rc = run_tec(path_in("basic.out"), NULL, args);
    CHECK_INT(rc, 0);
    char *out = test_text(path_in("basic.out"));
    CHECK(strstr(out, "ConfigSpace (len=49, space_map=") == out, "space first: %.200s", out);
    int nlines = 0;
    for (char *p = strstr(out, "No: "); p; p = strstr(p + 1, "\nNo: ")) nlines++;
    CHECK_INT(nlines, 12);
    CHECK(strstr(out, "GFLOPS: ") && strstr(out, "MeasureErrorNo.NO_ERROR"), "%s", out);
    CHECK(strstr(out, "Trials: 12, errors: 0") != NULL, "summary: %s", out);
    free(out);
    LogRecords lg;
    log_records_read(path_in("basic.log"), 2, &lg);
    CHECK_INT(lg.n, 12);
    CHECK_INT(lg.invalid, 0);
    /* --recheck 1 (the default): a config measured twice only when it led after its first
       trial (and still led when its re-measurement came up) */
    int configs, again;
    CHECK(log_records_rechecks_ok(&lg, 1, &configs, &again), "re-measurements");
    CHECK(configs + again == 12, "%d configs, %d re-measured", configs, again);
    for (int i = 0; i < lg.n; i++) {
        CHECK(lg.r[i].index >= 0 && lg.r[i].index < 49, "index %lld", (long long)lg.r[i].index);
        CHECK(lg.r[i].error_no == 0 && lg.r[i].ncosts == 1 && lg.r[i].cost > 0 && lg.r[i].cost < 1,
              "record %d: error %d, %d costs, cost %g", i, lg.r[i].error_no, lg.r[i].ncosts,
              lg.r[i].cost);
    }
    int64_t best = log_records_best(&lg);
    CHECK_INT(printed_best(path_in("basic.out")), best);
    check_links(path_in("basic"));
    /* Build mode with --log compiles the best record's config. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s -D N=64 -D L=64 -D M=64 --log %s -o %s > %s 2>&1", tec, te,
             path_in("basic.log"), path_in("basic/fromlog.o"), path_in("fromlog.out"));
    CHECK_INT(system(cmd), 0);
    char *h = test_text(path_in("basic/fromlog.h"));
    char want[64];
    snprintf(want, sizeof want, "config %lld of 49", (long long)best);
    CHECK(strstr(h, want) != NULL, "header of --log build names '%s': %s", want, h);
    free(h);
    /* Another size has no record: an error, or config 0 with --fallback. */
    snprintf(cmd, sizeof cmd, "%s %s -D N=32 -D L=64 -D M=64 --log %s -o %s > %s 2>&1", tec, te,
             path_in("basic.log"), path_in("basic/nolog.o"), path_in("nolog.out"));
    CHECK(system(cmd) != 0, "no matching record must fail");
    snprintf(cmd, sizeof cmd, "%s %s -D N=32 -D L=64 -D M=64 --log %s --fallback -o %s > %s 2>&1",
             tec, te, path_in("basic.log"), path_in("basic/nolog.o"), path_in("nolog.out"));
    CHECK_INT(system(cmd), 0);
}

/* --trials counts resumed records: 5, then --resume --trials 20 measures 15 more, then a third
 * --resume measures nothing and still writes the best kernel (rebuilt from the log). */
static void scenario_resume(void) {
    reset("resume.log");
    const char *a1[] = {"--trials",          "5", "--log", path_in("resume.log"), "-o",
                        path_in("resume.o"), NULL};
    CHECK_INT(run_tec(path_in("resume1.out"), NULL, a1), 0);
    const char *a2[] = {
        "--trials",          "20", "--resume", "--seed", "9", "--log", path_in("resume.log"), "-o",
        path_in("resume.o"), NULL};
    CHECK_INT(run_tec(path_in("resume2.out"), NULL, a2), 0);
    char *out = test_text(path_in("resume2.out"));
    CHECK(strstr(out, "Resumed 5 trials") && strstr(out, "Trials: 20 (5 resumed"), "%s", out);
    free(out);
    LogRecords lg;
    log_records_read(path_in("resume.log"), 2, &lg);
    CHECK_INT(lg.n, 20);
    int configs, again; /* nothing measured again but a best (resumed ones join the means) */
    CHECK(log_records_rechecks_ok(&lg, 1, &configs, &again), "re-measurements after resume");
    unlink(path_in("resume.o"));
    CHECK_INT(run_tec(path_in("resume3.out"), NULL, a2), 0);
    log_records_read(path_in("resume.log"), 2, &lg);
    CHECK_INT(lg.n, 20);
    struct stat st;
    CHECK(stat(path_in("resume.o"), &st) == 0 && st.st_size > 0, "best rebuilt from the log");
    CHECK_INT(printed_best(path_in("resume3.out")), log_records_best(&lg));
}

/* Faults injected by index: each logged with its error number; the run goes on and the best
 * is an error-free config. */
static void scenario_faults(void) {
    reset("faults.log");
    const char *args[] = {
        "--tuner", "grid",  "--recheck",           "0",  "--trials",          "8", "--timeout",
        "1",       "--log", path_in("faults.log"), "-o", path_in("faults.o"), NULL};
    int rc = run_tec(path_in("faults.out"), "crash:1,hang:2,wrong:3,buildcrash:4", args);
    CHECK_INT(rc, 0);
    LogRecords lg;
    log_records_read(path_in("faults.log"), 2, &lg);
    CHECK_INT(lg.n, 8);
    int want[8] = {0, 4, 7, 5, 2, 0, 0, 0};
    for (int i = 0; i < lg.n; i++) {
        int64_t x = lg.r[i].index;
        CHECK(x >= 0 && x < 8, "grid index %lld", (long long)x);
        if (x >= 0 && x < 8)
            CHECK(lg.r[i].error_no == want[x], "index %lld: error_no %d, want %d", (long long)x,
                  lg.r[i].error_no, want[x]);
    }
    int64_t best = printed_best(path_in("faults.out"));
    CHECK(best == 0 || best >= 5, "best %lld is error-free", (long long)best);
    char *out = test_text(path_in("faults.out"));
    CHECK(strstr(out, "runtime device 1") && strstr(out, "wrong answer 1") &&
              strstr(out, "run timeout 1") && strstr(out, "compile host 1"),
          "errors by kind: %s", out);
    free(out);
}

/* The "calls" field of the record of index in the log at path (-1: no such record or field). */
static int64_t calls_of(const char *path, int64_t index) {
    char *text = test_text(path);
    int64_t calls = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        const cJSON *cfg = cJSON_GetObjectItem(j, "config");
        const cJSON *idx = cJSON_GetObjectItem(cfg, "index"), *c = cJSON_GetObjectItem(j, "calls");
        if (cJSON_IsNumber(idx) && (int64_t)idx->valuedouble == index && cJSON_IsNumber(c))
            calls = (int64_t)c->valuedouble;
        cJSON_Delete(j);
    }
    free(text);
    return calls;
}

/* --cut-slow: config 3's warm-up call is made 0.3 s slow (a 64^3 matmul takes microseconds), so
 * with a factor of 5 it is logged after that one call, with one cost; the first config (no best
 * yet) is always measured fully (1 + number x repeat calls); --cut-slow 0 measures config 3
 * fully too. */
static void scenario_cutslow(void) {
    for (int off = 0; off < 2; off++) {
        const char *log = path_in(off ? "cut0.log" : "cut.log");
        reset(off ? "cut0.log" : "cut.log");
        const char *args[] = {
            "--tuner",       "grid",  "--trials", "5",  "--recheck",      "0", "--cut-slow",
            off ? "0" : "5", "--log", log,        "-o", path_in("cut.o"), NULL};
        CHECK_INT(run_tec(path_in("cut.out"), "slow:3", args), 0);
        CHECK_INT(calls_of(log, 0), 4);
        CHECK_INT(calls_of(log, 3), off ? 4 : 1);
        LogRecords lg;
        log_records_read(log, 2, &lg);
        CHECK_INT(lg.n, 5);
        for (int i = 0; i < lg.n; i++)
            if (lg.r[i].index == 3) {
                CHECK_INT(lg.r[i].error_no, 0);
                CHECK(off || lg.r[i].cost >= 0.3, "the cut config's cost is its slow call: %g",
                      lg.r[i].cost);
            }
        char *out = test_text(path_in("cut.out"));
        CHECK(!off == (strstr(out, "Timed after the warm-up call only") != NULL), "%s", out);
        free(out);
    }
}

/* Ctrl-C: the trial in flight ends, the log is consistent, the best so far is written, exit 130;
 * then --resume completes the run without measuring anything twice. */
static void scenario_interrupt(void) {
    reset("int.log");
    unlink(path_in("int.o"));
    const char *args[] = {
        "--tuner",          "grid", "--trials",       "16",        "--timeout", "2", "--log",
        path_in("int.log"), "-o",   path_in("int.o"), "--recheck", "0",         NULL};
    pid_t pid = spawn_tec(path_in("int1.out"), "hang:4", args);
    CHECK(wait_lines(path_in("int.log"), 4, 60), "4 trials before the hang");
    usleep(500000); /* let index 4 reach the runner (it could still be building: then nothing
                       is in flight and the run stops at once, also right) */
    kill(pid, SIGINT);
    CHECK_INT(wait_status(pid), 130);
    LogRecords lg;
    log_records_read(path_in("int.log"), 2, &lg);
    CHECK(lg.n == 4 || lg.n == 5, "%d records", lg.n);
    if (lg.n == 5) { /* the hung trial in flight ended by its timeout and was logged */
        CHECK(lg.r[4].index == 4 && lg.r[4].error_no == 7, "in flight: index %lld error %d",
              (long long)lg.r[4].index, lg.r[4].error_no);
        char *out = test_text(path_in("int1.out"));
        CHECK(strstr(out, "finishing the trial in flight") != NULL, "%s", out);
        free(out);
    }
    CHECK_INT(lg.invalid, 0);
    struct stat st;
    CHECK(stat(path_in("int.o"), &st) == 0 && stat(path_in("int.h"), &st) == 0,
          "best so far written");
    const char *a2[] = {
        "--tuner",          "grid", "--trials",       "16",        "--resume", "--log",
        path_in("int.log"), "-o",   path_in("int.o"), "--recheck", "0",        NULL};
    CHECK_INT(run_tec(path_in("int2.out"), NULL, a2), 0);
    log_records_read(path_in("int.log"), 2, &lg);
    bool dup;
    CHECK_INT(lg.n, 16);
    CHECK_INT(distinct(&lg, &dup), 16);
    CHECK(!dup, "an index measured twice");
}

/* Is any process still running with this marker in its command line (a leftover worker)? */
static bool process_with(const char *marker) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool found = false;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char p[300], buf[4096];
        snprintf(p, sizeof p, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(p, "rb");
        if (!f) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        for (size_t i = 0; i < n; i++)
            if (!buf[i]) buf[i] = ' ';
        buf[n] = 0;
        char stat_path[300], state = 0;
        snprintf(stat_path, sizeof stat_path, "/proc/%s/stat", e->d_name);
        FILE *sf = fopen(stat_path, "r");
        if (sf) {
            if (fscanf(sf, "%*d %*s %c", &state) != 1) state = 0;
            fclose(sf);
        }
        if (strstr(buf, marker) && strstr(buf, "--tune") && state != 'Z') found = true;
    }
    if (d) closedir(d);
    return found;
}

/* kill -9 mid-run (leaving a torn line), then --resume: the torn line is warned about and
 * skipped, no worker outlives tec, the total is N distinct configs and later lines are valid. */
static void scenario_kill9(void) {
    reset("kill9.log");
    const char *args[] = {"--tuner",   "grid",
                          "--trials",  "14",
                          "--timeout", "5",
                          "--log",     path_in("kill9.log"),
                          "-o",        path_in("kill9.o"),
                          "--recheck", "0",
                          NULL};
    pid_t pid = spawn_tec(path_in("kill9a.out"), "hang:6", args);
    CHECK(wait_lines(path_in("kill9.log"), 6, 60), "6 trials before the hang");
    kill(pid, SIGKILL);
    wait_status(pid);
    bool gone = false;
    for (int i = 0; i < 3000 && !gone; i++) { /* 60 s: a hang guard */
        gone = !process_with(path_in("kill9.log"));
        if (!gone) usleep(20000);
    }
    CHECK(gone, "workers of a killed tec must exit");
    FILE *f = fopen(path_in("kill9.log"), "a");
    fputs("{\"input\": [\"llvm -mcpu=", f); /* as a kill during a write would leave */
    fclose(f);
    const char *a2[] = {
        "--tuner", "random",           "--trials",  "14", "--resume", "--log", path_in("kill9.log"),
        "-o",      path_in("kill9.o"), "--recheck", "0",  NULL};
    CHECK_INT(run_tec(path_in("kill9b.out"), NULL, a2), 0);
    char *err = test_text(path_in("kill9b.out.err"));
    CHECK(strstr(err, "kill9.log:7: warning: skipping log line") != NULL, "torn line warned: %s",
          err);
    free(err);
    LogRecords lg;
    bool dup;
    log_records_read(path_in("kill9.log"), 2, &lg);
    CHECK_INT(lg.invalid, 1);
    CHECK_INT(lg.n, 14);
    CHECK_INT(distinct(&lg, &dup), 14);
    CHECK(!dup, "an index measured twice");
}

/* --early-stopping 3 over the whole space stops 3 trials after the best. */
static void scenario_early(void) {
    reset("early.log");
    const char *args[] = {"--early-stopping",   "3",  "--log",
                          path_in("early.log"), "-o", path_in("early.o"),
                          "--recheck",          "0",  NULL};
    CHECK_INT(run_tec(path_in("early.out"), NULL, args), 0);
    LogRecords lg;
    log_records_read(path_in("early.log"), 2, &lg);
    int64_t best = log_records_best(&lg);
    int pos = -1;
    for (int i = 0; i < lg.n; i++)
        if (lg.r[i].index == best) pos = i + 1;
    CHECK(lg.n < 49 ? lg.n - pos == 3 : lg.n - pos <= 3, "%d trials, best at %d", lg.n, pos);
    char *out = test_text(path_in("early.out"));
    bool said = out && strstr(out, "Stopped early: no better config in the last 3 trials");
    CHECK(lg.n < 49 ? said : !said, "the summary says whether early stopping ended the run");
    free(out);
}

/* The log's disk fills up mid-run (a file size limit, SIGXFSZ ignored, makes a write fail
 * part-way as ENOSPC would): exit 1, no torn line left, the summary counts the logged trials. */
static void scenario_diskfull(void) {
    enum { LIMIT = 8192, ROOM = 900 }; /* room for about three records; the object fits */
    const char *log = path_in("full.log");
    FILE *f = fopen(log, "w");
    for (long n = 0; n < LIMIT - ROOM; n += 64) fprintf(f, "# %60s\n", "padding");
    fclose(f);
    size_t before = 0;
    free(test_slurp(log, &before));
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = LIMIT;
    void (*old_xfsz)(int) = signal(SIGXFSZ, SIG_IGN); /* inherited through exec */
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0, "setrlimit: %s", strerror(errno));
    const char *args[] = {"--trials", "20", "--log", log, "-o", path_in("full.o"), NULL};
    pid_t pid = spawn_tec(path_in("full.out"), NULL, args);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, old_xfsz);
    CHECK_INT(wait_status(pid), 1);
    char *text = test_text(log), *err = test_text(path_in("full.out.err"));
    CHECK(strstr(err, "tec: error: cannot write log") != NULL, "stderr: %s", err);
    size_t len = strlen(text);
    CHECK(len > before && text[len - 1] == '\n', "log ends with a whole line");
    int records = 0;
    for (char *line = strtok(text + before, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        CHECK(j != NULL, "a torn line: %s", line);
        records += j != NULL;
        cJSON_Delete(j);
    }
    char *out = test_text(path_in("full.out"));
    char *p = strstr(out, "Trials: ");
    int summary = -1;
    if (p) sscanf(p, "Trials: %d", &summary);
    CHECK(records > 0 && records < 20, "%d records logged", records);
    CHECK_INT(summary, records);
    free(text);
    free(err);
    free(out);
}

/* --recheck: config 2's first trial is lucky (TEC_TEST_FAULT=lucky:2 reports it 1000 times
 * faster), so it leads; its re-measurement (1000 times slower) costs it the lead: it is logged
 * twice, not printed as the best, not what `tec --log` builds. With --recheck 0 the lucky trial
 * wins, as in AutoTVM. */
static void scenario_recheck(void) {
    for (int off = 0; off < 2; off++) {
        const char *log = path_in(off ? "rc0.log" : "rc.log");
        reset(off ? "rc0.log" : "rc.log");
        /* --cut-slow 0: after a 1000 times lucky trial every warm-up call would be "slow" */
        const char *args[] = {"--tuner",    "grid", "--trials", "8", "--recheck", off ? "0" : "1",
                              "--cut-slow", "0",    "--log",    log, "-o",        path_in("rc.o"),
                              NULL};
        CHECK_INT(run_tec(path_in("rc.out"), "lucky:2", args), 0);
        LogRecords lg;
        log_records_read(log, 2, &lg);
        CHECK_INT(lg.n, 8);
        int at[2] = {-1, -1}, n2 = 0;
        for (int i = 0; i < lg.n; i++)
            if (lg.r[i].index == 2 && n2 < 2) at[n2++] = i;
        int64_t best = printed_best(path_in("rc.out"));
        CHECK_INT(best, log_records_best(&lg));
        char *out = test_text(path_in("rc.out"));
        CHECK(off == !strstr(out, "Re-measured bests (--recheck 1): "), "summary: %s", out);
        free(out);
        if (off) {
            CHECK_INT(n2, 1);
            CHECK_INT(best, 2);
            continue;
        }
        int configs, again;
        CHECK(log_records_rechecks_ok(&lg, 1, &configs, &again), "re-measurements");
        CHECK_INT(n2, 2);
        CHECK(n2 == 2 && lg.r[at[1]].cost > 1e5 * lg.r[at[0]].cost, "config 2: %g then %g",
              at[0] >= 0 ? lg.r[at[0]].cost : 0, at[1] >= 0 ? lg.r[at[1]].cost : 0);
        CHECK(best >= 0 && best != 2, "best %lld", (long long)best);
        char cmd[4096], want[64];
        snprintf(cmd, sizeof cmd, "%s %s -D N=64 -D L=64 -D M=64 --log %s -o %s > %s 2>&1", tec, te,
                 log, path_in("rcfromlog.o"), path_in("rcfromlog.out"));
        CHECK_INT(system(cmd), 0);
        char *h = test_text(path_in("rcfromlog.h"));
        snprintf(want, sizeof want, "config %lld of 49", (long long)best);
        CHECK(strstr(h, want) != NULL, "header of --log build names '%s': %s", want, h);
        free(h);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: test_tune_e2e SCENARIO TEC TESTS_DIR WORK_DIR\n");
        return 2;
    }
    tec = argv[2];
    tests = argv[3];
    work = argv[4];
    snprintf(te, sizeof te, "%s/tune/mm.te", tests);
    if (!test_fresh_dir(work)) return 2;
    const char *s = argv[1];
    if (!strcmp(s, "basic"))
        scenario_basic();
    else if (!strcmp(s, "resume"))
        scenario_resume();
    else if (!strcmp(s, "faults"))
        scenario_faults();
    else if (!strcmp(s, "cutslow"))
        scenario_cutslow();
    else if (!strcmp(s, "interrupt"))
        scenario_interrupt();
    else if (!strcmp(s, "kill9"))
        scenario_kill9();
    else if (!strcmp(s, "early"))
        scenario_early();
    else if (!strcmp(s, "diskfull"))
        scenario_diskfull();
    else if (!strcmp(s, "recheck"))
        scenario_recheck();
    else {
        fprintf(stderr, "unknown scenario '%s'\n", s);
        return 2;
    }
    char name[64];
    snprintf(name, sizeof name, "tune_e2e_%s", s);
    return test_report(name);
}
