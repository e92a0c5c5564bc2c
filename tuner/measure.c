/* A measurement station: builds a batch through tuner/builder.c's pool and runs the built configs
 * through tuner/runner.c in the batch's order, waiting on both with poll and their deadlines. */
#include "tuner/measure.h"
#include "lang/xalloc.h"
#include "tuner/builder.h"
#include "tuner/proc.h"
#include "tuner/runner.h"
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

struct Station {
    Builder *builder;
    Runner *runner;
};

Station *station_new(const MeasureTask *t, const MeasureOptions *o, char *err, size_t errlen) {
    Faults faults;
    fault_parse(&faults, getenv("TEC_TEST_FAULT"));
    RunSetup rs = {.in = t->in, .target = o->target, .faults = faults, .seed = o->seed};
    rs.number = o->number, rs.repeat = o->repeat, rs.min_repeat_ms = o->min_repeat_ms;
    rs.timeout = o->timeout, rs.flush_cache = o->flush_cache;
    BuildSetup bs = {.in = t->in, .sp = t->sp, .target = o->target, .faults = faults};
    bs.src_path = t->src_path, bs.src = t->src, bs.srclen = t->srclen;
    bs.timeout = o->build_timeout, bs.nice_inc = 10;
    Station *s = xcalloc(1, sizeof *s);
    s->runner = runner_new(&rs, err, errlen);
    if (s->runner) s->builder = builder_new(&bs, o->jobs > 0 ? o->jobs : 1, err, errlen);
    if (!s->builder) {
        station_free(s);
        return NULL;
    }
    return s;
}

void station_free(Station *s) {
    if (!s) return;
    builder_free(s->builder);
    runner_free(s->runner);
    free(s);
}

static void set_failed(TrialOut *o, int64_t index, int error_no, const char *msg, double seconds) {
    memset(o, 0, sizeof *o);
    o->index = index;
    o->error_no = error_no;
    o->seconds = seconds;
    snprintf(o->msg, sizeof o->msg, "%.*s", (int)sizeof o->msg - 1, msg ? msg : "");
}

/* Per config of the batch: where it is, and its image once built. */
typedef enum { M_PENDING, M_BUILDING, M_BUILT, M_RUNNING, M_DONE } MState;

void station_measure(Station *s, const int64_t *idx, int n, TrialOut *out) {
    MState *st = xcalloc((size_t)n, sizeof *st);
    BuildResult *built = xcalloc((size_t)n, sizeof *built);
    int next_run = 0, done = 0;
    while (done < n) {
        for (int i = 0; i < n && builder_idle(s->builder) > 0; i++) {
            if (st[i] != M_PENDING) continue;
            if (builder_submit(s->builder, idx[i])) {
                st[i] = M_BUILDING;
            } else {
                st[i] = M_DONE, done++;
                set_failed(&out[i], idx[i], ERR_COMPILE_HOST, "no builder process could be started",
                           0);
            }
        }
        while (next_run < n && st[next_run] == M_DONE) next_run++;
        if (next_run < n && st[next_run] == M_BUILT && !runner_busy(s->runner)) {
            RunResult failed;
            BuildResult *b = &built[next_run];
            if (runner_submit(s->runner, idx[next_run], b->image, b->len, &failed)) {
                st[next_run] = M_RUNNING;
            } else {
                st[next_run] = M_DONE, done++;
                set_failed(&out[next_run], idx[next_run], failed.error_no, failed.msg, b->seconds);
            }
            free(b->image);
            b->image = NULL;
            continue;
        }
        if (done == n) break;
        struct pollfd fds[130];
        int nfds = builder_pollfds(s->builder, fds, 128);
        double deadline = builder_deadline(s->builder);
        if (runner_busy(s->runner)) {
            fds[nfds++] = (struct pollfd){.fd = runner_fd(s->runner), .events = POLLIN};
            deadline = fmin(deadline, runner_deadline(s->runner));
        }
        int ms = -1;
        if (!isinf(deadline)) {
            double left = deadline - proc_now();
            ms = left <= 0 ? 0 : (int)ceil(left * 1000);
        }
        if (nfds > 0) poll(fds, (nfds_t)nfds, ms);
        BuildResult br[64];
        int got = builder_collect(s->builder, br, 64);
        for (int k = 0; k < got; k++) {
            int i = 0; /* the batch's first config of this index still building */
            while (i < n && !(st[i] == M_BUILDING && idx[i] == br[k].index)) i++;
            if (i == n) {
                free(br[k].image);
                continue;
            }
            if (br[k].error_no != ERR_NONE) {
                st[i] = M_DONE, done++;
                set_failed(&out[i], idx[i], br[k].error_no, br[k].msg, br[k].seconds);
                free(br[k].image);
            } else {
                st[i] = M_BUILT;
                built[i] = br[k];
            }
        }
        RunResult rr;
        if (next_run < n && st[next_run] == M_RUNNING && runner_collect(s->runner, &rr)) {
            TrialOut *o = &out[next_run];
            set_failed(o, idx[next_run], rr.error_no, rr.error_no ? rr.msg : "",
                       built[next_run].seconds + rr.seconds);
            if (rr.error_no == ERR_NONE)
                for (int c = 0; c < rr.ncosts && c < LOG_MAX_COSTS; c++)
                    o->costs[o->ncosts++] = rr.costs[c];
            st[next_run] = M_DONE, done++;
        }
    }
    for (int i = 0; i < n; i++) free(built[i].image);
    free(built);
    free(st);
}
