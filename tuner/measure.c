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
    /* the batch */
    int64_t idx[STATION_MAX_BATCH];
    int st[STATION_MAX_BATCH]; /* MState */
    BuildResult built[STATION_MAX_BATCH];
    int n, next_run, returned;
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
    for (int i = 0; i < STATION_MAX_BATCH; i++) free(s->built[i].image);
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

void station_start(Station *s, const int64_t *idx, int n) {
    if (n > STATION_MAX_BATCH) n = STATION_MAX_BATCH;
    memcpy(s->idx, idx, sizeof *idx * (size_t)n);
    memset(s->st, 0, sizeof s->st);
    s->n = n;
    s->next_run = 0;
    s->returned = 0;
}

/* Hand pending configs to idle builders, and the next built config in order to the runner.
 * True with *out when one of them ended at once (it could not be started). */
static bool start_work(Station *s, TrialOut *out) {
    for (int i = 0; i < s->n && builder_idle(s->builder) > 0; i++) {
        if (s->st[i] != M_PENDING) continue;
        if (builder_submit(s->builder, s->idx[i])) {
            s->st[i] = M_BUILDING;
        } else {
            s->st[i] = M_DONE;
            set_failed(out, s->idx[i], ERR_COMPILE_HOST, "no builder process could be started", 0);
            return true;
        }
    }
    while (s->next_run < s->n && s->st[s->next_run] == M_DONE) s->next_run++;
    int i = s->next_run;
    if (i < s->n && s->st[i] == M_BUILT && !runner_busy(s->runner)) {
        RunResult failed;
        BuildResult *b = &s->built[i];
        bool ok = runner_submit(s->runner, s->idx[i], b->image, b->len, 0, &failed);
        free(b->image);
        b->image = NULL;
        if (ok) {
            s->st[i] = M_RUNNING;
        } else {
            s->st[i] = M_DONE;
            set_failed(out, s->idx[i], failed.error_no, failed.msg, b->seconds);
            return true;
        }
    }
    return false;
}

/* Wait on the builders and the runner until one answers or a deadline passes. */
static void wait_work(Station *s) {
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
}

/* Builds and the run that ended: true with *out when a trial is over (a failed build or the
 * run); built configs wait for the runner. Results beyond the first stay with their workers
 * (builder_collect takes one at a time). */
static bool collect_work(Station *s, TrialOut *out) {
    BuildResult br;
    while (builder_collect(s->builder, &br, 1) == 1) {
        int i = 0; /* the batch's config of this index still building */
        while (i < s->n && !(s->st[i] == M_BUILDING && s->idx[i] == br.index)) i++;
        if (i == s->n) {
            free(br.image);
            continue;
        }
        if (br.error_no == ERR_NONE) {
            s->st[i] = M_BUILT;
            s->built[i] = br;
            continue;
        }
        s->st[i] = M_DONE;
        set_failed(out, s->idx[i], br.error_no, br.msg, br.seconds);
        free(br.image);
        return true;
    }
    RunResult rr;
    int i = s->next_run;
    if (i < s->n && s->st[i] == M_RUNNING && runner_collect(s->runner, &rr)) {
        set_failed(out, s->idx[i], rr.error_no, rr.error_no ? rr.msg : "",
                   s->built[i].seconds + rr.seconds);
        if (rr.error_no == ERR_NONE)
            for (int c = 0; c < rr.ncosts && c < LOG_MAX_COSTS; c++)
                out->costs[out->ncosts++] = rr.costs[c];
        s->st[i] = M_DONE;
        return true;
    }
    return false;
}

bool station_next(Station *s, TrialOut *out) {
    if (s->returned == s->n) return false;
    for (;;) {
        if (start_work(s, out) || collect_work(s, out)) break;
        wait_work(s);
    }
    s->returned++;
    return true;
}

enum { CACHE_STATIONS = 4 };
struct StationCache {
    MeasureOptions o;
    Station *st[CACHE_STATIONS];
    int task[CACHE_STATIONS];
    uint64_t used[CACHE_STATIONS], clock;
};

StationCache *station_cache_new(const MeasureOptions *o) {
    StationCache *c = xcalloc(1, sizeof *c);
    c->o = *o;
    return c;
}

void station_cache_free(StationCache *c) {
    if (!c) return;
    for (int i = 0; i < CACHE_STATIONS; i++) station_free(c->st[i]);
    free(c);
}

Station *station_cache_get(StationCache *c, int task, const MeasureTask *t, char *err,
                           size_t errlen) {
    int lru = 0;
    for (int i = 0; i < CACHE_STATIONS; i++) {
        if (c->st[i] && c->task[i] == task) {
            c->used[i] = ++c->clock;
            return c->st[i];
        }
        if (!c->st[i] || (c->st[lru] && c->used[i] < c->used[lru])) lru = i;
    }
    station_free(c->st[lru]); /* the least recently used */
    c->st[lru] = station_new(t, &c->o, err, errlen);
    c->task[lru] = task;
    c->used[lru] = ++c->clock;
    return c->st[lru];
}
