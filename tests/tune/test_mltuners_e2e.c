/* End-to-end `tec --tune --tuner ga|xgb` on a 3-way tiled matmul at 64^3 (5488 configs): 120
 * trials (GA breeds a second generation, XGB fits its model after 64), then --resume to 150
 * (GA breeds from the log, XGB fits on it). The log has one record per trial, in range, no
 * config twice but new bests re-measured once (--recheck), the printed best is the log's best, the
 * kernel and header are written, and nothing is printed on stderr (no XGBoost fallback warning).
 * Usage: test_mltuners_e2e TUNER TEC TESTS_DIR WORK_DIR */
#include "tests/lib/testlib.h"
#include "tests/tune/log_records.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SPACE_LEN = 5488 };

/* tec --tune ... EXTRA > work/NAME.out 2> work/NAME.err; the exit status. */
static int run(const char *tec, const char *te, const char *tuner, const char *work,
               const char *name, const char *extra) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "OMP_NUM_THREADS=1 %s --tune %s -D N=64 -D L=64 -D M=64 --tuner %s --seed 5 "
             "--number 1 --repeat 1 -j 2 --log %s/tune.log -o %s/best.o %s > %s/%s.out "
             "2> %s/%s.err",
             tec, te, tuner, work, work, extra, work, name, work, name);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void check_run(const char *work, const char *name, int want) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tune.log", work);
    LogRecords lg;
    log_records_read(path, 3, &lg);
    CHECK_INT(lg.n, want);
    CHECK_INT(lg.invalid, 0);
    int range = 0, distinct, again;
    for (int i = 0; i < lg.n; i++) range += lg.r[i].index >= 0 && lg.r[i].index < SPACE_LEN;
    /* the tuner proposes each config once; tec re-measures new bests (--recheck 1) */
    CHECK(log_records_rechecks_ok(&lg, 1, &distinct, &again), "%s: re-measurements", name);
    CHECK_INT(distinct + again, want);
    CHECK(again >= 1 && again < want / 4, "%s: %d of %d trials re-measured bests", name, again,
          want);
    CHECK_INT(range, want);
    int64_t best = log_records_best(&lg);
    snprintf(path, sizeof path, "%s/%s.out", work, name);
    char *out = test_text(path);
    char *p = strstr(out, "Best: index ");
    long long printed = -1;
    if (p) sscanf(p, "Best: index %lld", &printed);
    CHECK(best >= 0 && printed == best, "%s: printed best %lld, log's best %lld", name, printed,
          (long long)best);
    free(out);
    snprintf(path, sizeof path, "%s/%s.err", work, name);
    char *err = test_text(path);
    CHECK(err[0] == 0, "%s: stderr: %s", name, err);
    free(err);
    struct stat st;
    snprintf(path, sizeof path, "%s/best.o", work);
    CHECK(stat(path, &st) == 0 && st.st_size > 0, "%s: no kernel object", name);
    snprintf(path, sizeof path, "%s/best.h", work);
    CHECK(stat(path, &st) == 0 && st.st_size > 0, "%s: no header", name);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: test_mltuners_e2e TUNER TEC TESTS_DIR WORK_DIR\n");
        return 2;
    }
    const char *tuner = argv[1], *tec = argv[2], *work = argv[4];
    char te[4096], path[4096];
    snprintf(te, sizeof te, "%s/tune/mm3.te", argv[3]);
    if (!test_fresh_dir(work)) return 2;
    snprintf(path, sizeof path, "%s/tune.log", work);
    unlink(path);
    CHECK_INT(run(tec, te, tuner, work, "first", "--trials 120"), 0);
    check_run(work, "first", 120);
    /* Resumed: 30 more, none of the 120 again (the tuner is rebuilt from the log). */
    CHECK_INT(run(tec, te, tuner, work, "resumed", "--resume --trials 150"), 0);
    check_run(work, "resumed", 150);
    char name[64];
    snprintf(name, sizeof name, "mltuners_e2e_%s", tuner);
    return test_report(name);
}
