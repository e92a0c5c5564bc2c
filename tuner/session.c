/* The tuning loop. Takes SessionOptions (instance, space, tuner, measurement options, log);
 * gives a log line per trial, progress, a summary and the best kernel's object and header.
 * The builder works ahead of the runner (up to two batches in flight), so compiling the next
 * configs overlaps measuring the current one. */
#include "tuner/session.h"
#include "lang/xalloc.h"
#include "compiler/header.h"
#include "compiler/out_file.h"
#include "tuner/builder.h"
#include "tuner/log_pick.h"
#include "tuner/runner.h"
#include "tuner/proc.h"
#include "tuner/transfer.h"
#include "tuner/tuner.h"
#include "tuner/tuner_ml.h"
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The one piece of global state: a signal handler can only reach a static. Counts SIGINT and
 * SIGTERM: the first stops after the trial in flight, the second abandons it. */
static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig) {
    (void)sig;
    interrupts = interrupts + 1;
}

void session_options_default(SessionOptions *o) {
    memset(o, 0, sizeof *o);
    o->tuner = "random";
    o->features = FEATURES_ITERVAR;
    o->cut_slow = 10;
    o->recheck = 1;
    o->number = 4;
    o->repeat = 3;
    o->min_repeat_ms = 0;
    o->timeout = 10;
    o->build_timeout = 10;
    o->fsync_log = true;
}

/* A config built and waiting for (or in) the runner. */
typedef struct Built {
    int64_t index;
    void *image;
    size_t len;
    bool uses_openmp;
    double build_seconds;
} Built;

/* One trial in flight, in the order the tuner proposed it: runs happen in this order whatever
 * order the parallel builds finish in, so a run is reproducible. */
typedef enum SlotState {
    SLOT_PENDING,
    SLOT_BUILDING,
    SLOT_BUILT,
    SLOT_RUNNING,
    SLOT_DONE
} SlotState;
typedef struct Slot {
    SlotState state;
    Built b;      /* b.index always set; the rest once built */
    bool recheck; /* a re-measurement of a config that became the best (--recheck) */
} Slot;

typedef struct Tune {
    const SessionOptions *opt;
    FILE *out;
    bool live; /* '\r' progress line */
    bool lines;
    Arena *arena; /* entity strings */
    Tuner *tuner;
    Builder *builder;
    Runner *runner;
    LogTask *task;
    LogWriter *log;
    char target[256];
    double flops;
    int jobs;
    int64_t budget; /* trials this run may still start */
    int64_t launched;
    Slot *slots; /* trials in flight, in proposal order */
    int nslots, cap_slots;
    bool has_running; /* a slot is SLOT_RUNNING */
    /* outcome */
    SessionSummary sum;
    int64_t best_no; /* trial number of the best, for early stopping */
    Built best;      /* image of the best config, when built in this run */
    LogPick *pick;   /* every config's mean cost: the best is the lowest */
    Built *rechecks; /* re-measurements queued by finish, slotted by refill */
    int nrechecks, cap_rechecks;
    TrialResult *batch;
    int nbatch;
    double start, last_done;
    double *overheads, *overheads_ex; /* per trial; _ex: without the warm-up call */
    int64_t noverheads, cap_overheads;
    bool stopping;    /* no new trials: early stop, budget, or interrupt */
    bool log_failed;  /* a record could not be written: the run stops and fails */
    long transferred; /* --transfer records trained on, of transfer_tasks tasks */
    int transfer_tasks;
    char errbuf[512];
} Tune;

static char *entity_str(Tune *t, int64_t index) {
    const Inst *in = t->opt->in;
    KnobVal vals[in->nknobs > 0 ? in->nknobs : 1];
    memset(vals, 0, sizeof vals);
    Config cfg = {.index = index, .nknobs = in->nknobs, .vals = vals};
    if (in->nknobs == 0) return "[]";
    if (!space_get(t->opt->sp, index, &cfg)) return "?";
    return space_entity_str(t->arena, t->opt->sp, &cfg);
}

static void clear_live(Tune *t) {
    if (t->live) fprintf(t->out, "\r\033[K");
}

static void draw_live(Tune *t, double cur_gflops) {
    if (!t->live) return;
    int64_t nerr = 0;
    for (int e = 1; e < ERR_COUNT; e++) nerr += t->sum.errors[e];
    fprintf(t->out,
            "\r\033[K[%lld/%lld] current %.2f GFLOPS, best %.2f GFLOPS, errors %lld, %.1f s",
            (long long)t->sum.trials, (long long)(t->sum.resumed + t->budget), cur_gflops,
            t->sum.best_gflops, (long long)nerr, proc_now() - t->start);
    fflush(t->out);
}

/* Print one finished trial in AutoTVM's shape. */
static void print_trial(Tune *t, const LogResult *r, double gflops, const char *ent) {
    FILE *o = t->out;
    if (t->lines) {
        fprintf(o, "No: %lld\tGFLOPS: %.2f/%.2f\tresult: MeasureResult(costs=(",
                (long long)t->sum.trials, gflops, t->sum.best_gflops);
        if (r->error_no == ERR_NONE)
            for (int i = 0; i < r->ncosts; i++) fprintf(o, "%s%.6g", i ? ", " : "", r->costs[i]);
        else
            fprintf(o, "'%s'", r->error_msg ? r->error_msg : "");
        fprintf(o, ",), error_no=MeasureErrorNo.%s, all_cost=%.3f, timestamp=%.3f)\t%s\n",
                log_err_name(r->error_no), r->all_cost, r->timestamp, ent);
        fflush(o);
    } else if (t->live) {
        if (r->error_no != ERR_NONE) {
            clear_live(t);
            fprintf(o, "No: %lld %s %s: %s\n", (long long)t->sum.trials, ent,
                    log_err_label(r->error_no), r->error_msg ? r->error_msg : "");
        }
        draw_live(t, gflops);
    }
}

static void flush_batch(Tune *t) {
    double t0 = proc_now();
    if (t->nbatch > 0) tuner_update(t->tuner, t->batch, t->nbatch);
    t->nbatch = 0;
    t->sum.tuner_total += proc_now() - t0;
}

/* Append the trial's record to the log (if any). A failed write (a full disk) leaves no torn
 * line (log_append cuts it back), stops the run and makes its exit status 1. */
static bool log_trial(Tune *t, const LogResult *r) {
    if (!t->log || t->log_failed) return !t->log_failed;
    const Inst *in = t->opt->in;
    KnobVal vals[in->nknobs > 0 ? in->nknobs : 1];
    memset(vals, 0, sizeof vals);
    Config cfg = {.index = r->index, .nknobs = in->nknobs, .vals = vals};
    if (in->nknobs > 0) space_get(t->opt->sp, r->index, &cfg);
    char err[256];
    if (log_append(t->log, t->task, &cfg, r, err, sizeof err)) return true;
    clear_live(t);
    fprintf(stderr, "tec: error: %s; stopping (the summary counts the logged trials)\n", err);
    t->stopping = t->log_failed = true;
    return false;
}

/* Queue a re-measurement of the config of b (its image copied); refill puts it behind the
 * trials in flight, so it falls in another moment of a machine whose speed drifts (--recheck). */
static void queue_recheck(Tune *t, const Built *b) {
    if (t->stopping || t->launched + t->nrechecks >= t->budget || !b->image) return;
    if (t->nrechecks == t->cap_rechecks) {
        t->cap_rechecks = t->cap_rechecks ? 2 * t->cap_rechecks : 4;
        t->rechecks = xrealloc(t->rechecks, sizeof *t->rechecks * (size_t)t->cap_rechecks);
    }
    Built copy = *b;
    copy.image = xmalloc(b->len ? b->len : 1);
    memcpy(copy.image, b->image, b->len);
    t->rechecks[t->nrechecks++] = copy;
}

/* The best so far is the config of lowest mean cost over its trials (tuner/log_pick.c). A trial
 * of config index just changed the means: take over b's image when index became the best. */
static void update_best(Tune *t, int64_t index, Built *b) {
    int64_t bi;
    double bc;
    if (!log_pick_best(t->pick, &bi, &bc)) return;
    bool same = bi == t->sum.best_index;
    t->sum.best_cost = bc;
    t->sum.best_gflops = bc > 0 ? t->flops / bc / 1e9 : 0;
    if (same) return;
    t->sum.best_index = bi;
    t->best_no = t->sum.trials;
    free(t->best.image);
    if (b && bi == index) {
        t->best = *b;
        b->image = NULL;
    } else {
        memset(&t->best, 0, sizeof t->best); /* rebuilt at the end if still the best */
    }
}

/* A trial is over (measured or failed): log it, print it, update best and tuner.
 * b: the built config when it reached the runner (its image may become the best's).
 * recheck: a re-measurement of a config measured before (the tuner has its first result). */
static void finish(Tune *t, int64_t index, int error_no, const double *costs, int ncosts,
                   double seconds, double timed, double warmup, const char *msg, Built *b,
                   int64_t calls, bool recheck) {
    LogResult r = {.index = index,
                   .error_no = error_no,
                   .all_cost = seconds,
                   .timestamp = log_timestamp_now(),
                   .error_msg = msg,
                   .calls = calls};
    if (error_no == ERR_NONE) {
        for (int i = 0; i < ncosts && i < LOG_MAX_COSTS; i++) r.costs[r.ncosts++] = costs[i];
    }
    if (!log_trial(t, &r)) return; /* not logged: not counted either */
    t->sum.trials++;
    if (recheck) t->sum.rechecks++;
    if (error_no == ERR_NONE && calls == 1) t->sum.cut_slow++;
    if (error_no >= 0 && error_no < ERR_COUNT)
        t->sum.errors[error_no]++;
    else
        t->sum.errors[ERR_UNKNOWN]++;
    double cost = error_no == ERR_NONE ? log_mean_cost(&r) : LOG_ERROR_COST;
    double gflops = error_no == ERR_NONE && cost > 0 ? t->flops / cost / 1e9 : 0;
    if (error_no == ERR_NONE) {
        int n = log_pick_add(t->pick, index, cost);
        update_best(t, index, b);
        /* a new best measured once: measure it again before trusting it */
        if (!recheck && n == 1 && t->sum.best_index == index)
            for (int k = 0; k < t->opt->recheck; k++) queue_recheck(t, &t->best);
    }
    print_trial(t, &r, gflops, entity_str(t, index));
    /* Overhead: the time this trial added to the run beyond its timed kernel calls. */
    double now = proc_now();
    if (t->noverheads == t->cap_overheads) {
        t->cap_overheads = t->cap_overheads ? t->cap_overheads * 2 : 256;
        t->overheads = xrealloc(t->overheads, sizeof *t->overheads * (size_t)t->cap_overheads);
        t->overheads_ex =
            xrealloc(t->overheads_ex, sizeof *t->overheads_ex * (size_t)t->cap_overheads);
    }
    t->overheads_ex[t->noverheads] = (now - t->last_done) - timed - warmup;
    t->overheads[t->noverheads++] = (now - t->last_done) - timed;
    t->last_done = now;
    t->sum.timed_total += timed;
    if (!recheck) t->batch[t->nbatch++] = (TrialResult){index, error_no, cost, gflops};
    if (t->nbatch == t->jobs) flush_batch(t);
    if (t->opt->early_stopping > 0 && t->sum.trials - t->best_no >= t->opt->early_stopping &&
        !t->stopping)
        t->stopping = t->sum.stopped_early = true;
}

/* ---- resume ---- */

static void visit_resumed(void *ctx, const LogResult *r) {
    Tune *t = ctx;
    if (r->index < 0 || r->index >= t->tuner->len) return;
    /* a config's later records are re-measurements (--recheck): they count as trials and join
       its mean, but the tuner learns of each config once */
    bool again = iset_has(&t->tuner->seen, r->index);
    if (!again) tuner_mark_seen(t->tuner, r->index);
    t->sum.resumed++;
    t->sum.trials++;
    t->sum.errors[r->error_no >= 0 && r->error_no < ERR_COUNT ? r->error_no : ERR_UNKNOWN]++;
    double cost = r->error_no == ERR_NONE ? log_mean_cost(r) : LOG_ERROR_COST;
    double gflops = r->error_no == ERR_NONE && cost > 0 ? t->flops / cost / 1e9 : 0;
    if (r->error_no == ERR_NONE) {
        log_pick_add(t->pick, r->index, cost);
        update_best(t, r->index, NULL);
    }
    if (again) return;
    TrialResult tr = {r->index, r->error_no, cost, gflops};
    tuner_update(t->tuner, &tr, 1);
}

/* ---- the loop ---- */

static int count_state(const Tune *t, SlotState st) {
    int n = 0;
    for (int i = 0; i < t->nslots; i++) n += t->slots[i].state == st;
    return n;
}

static Slot *find_slot(Tune *t, int64_t index, SlotState st) {
    for (int i = 0; i < t->nslots; i++)
        if (t->slots[i].state == st && t->slots[i].b.index == index) return &t->slots[i];
    return NULL;
}

static void refill(Tune *t) {
    if (t->nslots + t->nrechecks > t->cap_slots) {
        t->cap_slots = (t->nslots + t->nrechecks) * 2;
        t->slots = xrealloc(t->slots, sizeof *t->slots * (size_t)t->cap_slots);
    }
    for (int i = 0; i < t->nrechecks; i++) {
        if (t->stopping) {
            free(t->rechecks[i].image);
            continue;
        }
        t->slots[t->nslots++] = (Slot){SLOT_BUILT, t->rechecks[i], true};
        t->launched++;
    }
    t->nrechecks = 0;
    int in_flight = t->nslots;
    while (!t->stopping && t->launched < t->budget && in_flight < 2 * t->jobs) {
        int want = t->jobs;
        if (want > t->budget - t->launched) want = (int)(t->budget - t->launched);
        int64_t got_idx[64];
        double t0 = proc_now();
        int got = tuner_next_batch(t->tuner, got_idx, want); /* xgb fits and plans here */
        t->sum.tuner_total += proc_now() - t0;
        if (got <= 0) {
            t->budget = t->launched; /* the space is exhausted */
            break;
        }
        if (t->nslots + got > t->cap_slots) {
            t->cap_slots = (t->nslots + got) * 2;
            t->slots = xrealloc(t->slots, sizeof *t->slots * (size_t)t->cap_slots);
        }
        for (int i = 0; i < got; i++)
            t->slots[t->nslots++] = (Slot){SLOT_PENDING, {.index = got_idx[i]}, false};
        t->launched += got;
        in_flight += got;
    }
}

/* Forget finished slots at the front; with stop set, also trials not yet running. */
static void compact(Tune *t, bool stop) {
    int k = 0;
    for (int i = 0; i < t->nslots; i++) {
        Slot *s = &t->slots[i];
        bool drop =
            s->state == SLOT_DONE || (stop && (s->state == SLOT_PENDING || s->state == SLOT_BUILT ||
                                               s->state == SLOT_BUILDING));
        if (drop) {
            free(s->b.image);
            s->b.image = NULL;
        } else {
            t->slots[k++] = *s;
        }
    }
    t->nslots = k;
}

static void start_run(Tune *t) {
    if (t->has_running) return;
    Slot *s = NULL;
    for (int i = 0; i < t->nslots && !s; i++) {
        Slot *c = &t->slots[i];
        if (c->state == SLOT_DONE) continue;
        if (c->recheck && c->b.index != t->sum.best_index) {
            /* a config that lost the lead before its re-measurement came up: not worth a trial
               (the first plan's configs often beat each other in turn) */
            c->state = SLOT_DONE;
            t->launched--;
            continue;
        }
        s = c;
    }
    if (!s || s->state != SLOT_BUILT) return; /* the next trial in order is still building */
    RunResult failed;
    /* --cut-slow: a warm-up call this much slower than the best so far ends the trial */
    double cut =
        t->opt->cut_slow > 0 && t->sum.best_index >= 0 ? t->opt->cut_slow * t->sum.best_cost : 0;
    if (runner_submit(t->runner, s->b.index, s->b.image, s->b.len, cut, &failed)) {
        s->state = SLOT_RUNNING;
        t->has_running = true;
    } else {
        s->state = SLOT_DONE;
        finish(t, failed.index, failed.error_no, NULL, 0, s->b.build_seconds, 0, 0, failed.msg,
               NULL, 0, s->recheck);
    }
}

static void collect(Tune *t) {
    BuildResult br[64];
    int n = builder_collect(t->builder, br, 64);
    for (int i = 0; i < n; i++) {
        t->sum.build_total += br[i].seconds;
        Slot *s = find_slot(t, br[i].index, SLOT_BUILDING);
        if (!s) { /* dropped after a stop */
            free(br[i].image);
            continue;
        }
        if (br[i].error_no != ERR_NONE) {
            s->state = SLOT_DONE;
            finish(t, br[i].index, br[i].error_no, NULL, 0, br[i].seconds, 0, 0, br[i].msg, NULL, 0,
                   false);
        } else {
            s->state = SLOT_BUILT;
            s->b = (Built){br[i].index, br[i].image, br[i].len, br[i].uses_openmp, br[i].seconds};
        }
    }
    RunResult rr;
    if (t->has_running && runner_collect(t->runner, &rr)) {
        t->has_running = false;
        t->sum.warmup_total += rr.warmup;
        t->sum.load_total += rr.load;
        Slot *s = find_slot(t, rr.index, SLOT_RUNNING);
        if (s) {
            s->state = SLOT_DONE;
            finish(t, rr.index, rr.error_no, rr.costs, rr.ncosts, s->b.build_seconds + rr.seconds,
                   rr.timed, rr.warmup, rr.msg, &s->b, rr.calls, s->recheck);
        }
    }
}

static void wait_events(Tune *t) {
    struct pollfd fds[130];
    int n = t->stopping ? 0 : builder_pollfds(t->builder, fds, 128); /* after a stop builds no
                                                                        longer matter */
    double deadline = t->stopping ? INFINITY : builder_deadline(t->builder);
    if (t->has_running) {
        fds[n++] = (struct pollfd){.fd = runner_fd(t->runner), .events = POLLIN};
        if (runner_deadline(t->runner) < deadline) deadline = runner_deadline(t->runner);
    }
    if (n == 0) return;
    int ms = -1;
    if (!isinf(deadline)) {
        double left = deadline - proc_now();
        ms = left <= 0 ? 0 : (int)ceil(left * 1000);
    }
    poll(fds, (nfds_t)n, ms); /* EINTR: the caller checks interrupts */
}

static void abandon_running(Tune *t) {
    runner_abort(t->runner);
    t->has_running = false;
    for (int i = 0; i < t->nslots; i++)
        if (t->slots[i].state == SLOT_RUNNING) t->slots[i].state = SLOT_DONE;
}

static void loop(Tune *t) {
    int seen_interrupts = 0;
    for (;;) {
        if (interrupts != seen_interrupts) {
            seen_interrupts = interrupts;
            t->sum.interrupted = true;
            t->stopping = true;
            clear_live(t);
            if (seen_interrupts == 1 && t->has_running)
                fprintf(t->out, "interrupted: finishing the trial in flight (Ctrl-C again to "
                                "abandon it)\n");
            if (seen_interrupts >= 2 && t->has_running) abandon_running(t);
            fflush(t->out);
        }
        compact(t, t->stopping);
        refill(t);
        for (int i = 0; i < t->nslots && builder_idle(t->builder) > 0; i++) {
            Slot *s = &t->slots[i];
            if (s->state != SLOT_PENDING) continue;
            if (builder_submit(t->builder, s->b.index)) {
                s->state = SLOT_BUILDING;
            } else {
                /* No builder process could be (re)started for it: the trial fails. */
                s->state = SLOT_DONE;
                finish(t, s->b.index, ERR_COMPILE_HOST, NULL, 0, 0, 0, 0,
                       "no builder process could be started", NULL, 0, false);
            }
        }
        start_run(t);
        /* launched < budget: a dropped re-measurement handed its trial back to the tuner */
        bool busy =
            t->has_running ||
            (!t->stopping && (t->nslots > count_state(t, SLOT_DONE) || t->launched < t->budget));
        if (!busy) break;
        wait_events(t);
        collect(t);
    }
    compact(t, true);
    flush_batch(t);
}

/* ---- output ---- */

static bool write_best(Tune *t) {
    const SessionOptions *o = t->opt;
    if (!o->out_path || t->sum.best_index < 0) return true;
    if (!t->best.image) {
        /* The best came from the resumed log: build it now. */
        BuildResult br;
        if (!builder_build_one(t->builder, t->sum.best_index, &br) || br.error_no != ERR_NONE) {
            fprintf(stderr, "tec: error: cannot rebuild the best config %lld: %s\n",
                    (long long)t->sum.best_index, br.msg);
            free(br.image);
            return false;
        }
        t->best = (Built){br.index, br.image, br.len, br.uses_openmp, br.seconds};
    }
    char err[512], hpath[4096], desc[4096];
    if (!out_file_write(o->out_path, t->best.image, t->best.len, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        return false;
    }
    header_path_for(hpath, sizeof hpath, o->out_path);
    snprintf(desc, sizeof desc, "config %lld of %lld: %s (tuned: %.2f GFLOPS)",
             (long long)t->sum.best_index, (long long)t->tuner->len,
             entity_str(t, t->sum.best_index), t->sum.best_gflops);
    const char *triple, *slash = strrchr(o->out_path, '/');
    builder_target(t->builder, &triple, NULL);
    const char *base = slash ? slash + 1 : o->out_path;
    if (!header_write(hpath, o->in, o->in->nknobs ? desc : NULL, base, t->best.uses_openmp, triple,
                      err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        return false;
    }
    fprintf(t->out, "Wrote %s and %s\n", o->out_path, hpath);
    return true;
}

static void print_summary(Tune *t) {
    FILE *o = t->out;
    clear_live(t);
    SessionSummary *s = &t->sum;
    if (s->best_index >= 0)
        fprintf(o, "Best: index %lld %s: %.2f GFLOPS (%.6g s)\n", (long long)s->best_index,
                entity_str(t, s->best_index), s->best_gflops, s->best_cost);
    else
        fprintf(o, "Best: none (no config ran without error)\n");
    int64_t nerr = 0;
    for (int e = 1; e < ERR_COUNT; e++) nerr += s->errors[e];
    fprintf(o, "Trials: %lld", (long long)s->trials);
    if (s->resumed) fprintf(o, " (%lld resumed from the log)", (long long)s->resumed);
    fprintf(o, ", errors: %lld", (long long)nerr);
    if (nerr) {
        const char *sep = " (";
        for (int e = 1; e < ERR_COUNT; e++)
            if (s->errors[e]) {
                fprintf(o, "%s%s %lld", sep, log_err_label(e), (long long)s->errors[e]);
                sep = ", ";
            }
        fprintf(o, ")");
    }
    if (s->cut_slow)
        fprintf(o, "\nTimed after the warm-up call only (--cut-slow %g): %lld", t->opt->cut_slow,
                (long long)s->cut_slow);
    if (s->rechecks)
        fprintf(o, "\nRe-measured bests (--recheck %d): %lld", t->opt->recheck,
                (long long)s->rechecks);
    if (s->stopped_early)
        fprintf(o, "\nStopped early: no better config in the last %lld trials (--early-stopping)",
                (long long)t->opt->early_stopping);
    fprintf(o, "\nWall time: %.1f s%s (tuner: %.2f s)\n", s->wall,
            s->interrupted ? " (interrupted)" : "", s->tuner_total);
    fflush(o);
}

/* ---- setup ---- */

static int online_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static bool setup(Tune *t, char *err, size_t errlen) {
    const SessionOptions *o = t->opt;
    int64_t len = o->in->nknobs > 0 ? space_len(o->sp) : 1;
    t->tuner = tuner_new(o->tuner ? o->tuner : "random", o->sp, len, o->seed);
    if (!t->tuner) {
        snprintf(err, errlen, "unknown tuner '%s' (available: random, grid, ga, xgb)", o->tuner);
        return false;
    }
    bool xgb = strcmp(t->tuner->ops->name, "xgb") == 0;
    if (xgb) tuner_xgb_set_features(t->tuner, o->features);
    if (xgb && o->seed_walkers) tuner_xgb_set_seed_walkers(t->tuner, true);
    if (xgb && o->diversity) tuner_xgb_set_diversity(t->tuner, o->diversity);
    if (xgb && o->no_prior) tuner_xgb_set_prior(t->tuner, false);
    int64_t total = o->trials > 0 && o->trials < len ? o->trials : len;
    if (o->out_path) {
        /* Find out now, not after an hour of tuning, that the kernel cannot be written. */
        OutFile probe;
        if (!out_file_open(&probe, o->out_path, err, errlen)) return false;
        out_file_abort(&probe);
    }
    bool new_log = false;
    if (o->log_path) { /* likewise for the log, before any worker starts */
        new_log = access(o->log_path, F_OK) != 0;
        t->log = log_open(o->log_path, o->fsync_log, err, errlen);
        if (!t->log) return false;
    }
    Faults faults;
    fault_parse(&faults, getenv("TEC_TEST_FAULT"));
    /* the measurement options as given; the builder's below */
    RunSetup rs = {.in = o->in, .target = o->target, .faults = faults, .seed = o->seed};
    rs.number = o->number, rs.repeat = o->repeat, rs.min_repeat_ms = o->min_repeat_ms;
    rs.timeout = o->timeout, rs.flush_cache = o->flush_cache;
    rs.reference = o->reference, rs.reference_ctx = o->reference_ctx;
    t->runner = runner_new(&rs, err, errlen);
    if (!t->runner) return false;
    BuildSetup bs = {.in = o->in, .target = o->target, .faults = faults, .nice_inc = 10};
    bs.sp = o->sp, bs.src_path = o->src_path, bs.src = o->src, bs.srclen = o->srclen;
    bs.timeout = o->build_timeout;
    t->builder = builder_new(&bs, t->jobs, err, errlen);
    if (!t->builder) return false;
    const char *cpu;
    builder_target(t->builder, NULL, &cpu);
    log_target_string(t->target, sizeof t->target, o->target.triple, cpu);
    t->task = log_task_new(t->target, o->in, o->in->nknobs > 0 ? o->sp : NULL);
    if (o->ntransfer > 0 && xgb && o->in->nknobs > 0) {
        TransferSetup ts = {o->transfer, o->ntransfer, o->in,    o->src,
                            o->src_path, o->srclen,    t->target};
        long records;
        int tasks;
        double t0 = proc_now();
        bool loaded = transfer_load(t->tuner, &ts, stderr, &records, &tasks, err, errlen);
        t->sum.transfer_load = proc_now() - t0;
        if (!loaded) {
            if (new_log) unlink(o->log_path); /* nothing ran: leave no empty log behind */
            return false;
        }
        t->transferred = records;
        t->transfer_tasks = tasks;
    }
    if (o->log_path && o->resume) {
        if (!log_read(o->log_path, t->task, visit_resumed, t, stderr, err, errlen) &&
            errno != ENOENT)
            return false;
    }
    t->budget = total - t->sum.resumed;
    if (t->budget < 0) t->budget = 0;
    return true;
}

int session_run(const SessionOptions *opt, SessionSummary *sum_out) {
    Tune t = {.opt = opt, .out = opt->out ? opt->out : stdout};
    t.arena = arena_new();
    t.sum.best_index = -1;
    t.pick = log_pick_new();
    t.jobs = opt->jobs > 0 ? opt->jobs : online_cores();
    if (t.jobs > 64) t.jobs = 64;
    t.batch = xcalloc((size_t)t.jobs, sizeof *t.batch);
    t.flops = inst_flops(opt->in);
    bool tty = isatty(fileno(t.out));
    t.live =
        opt->progress == SESSION_PROGRESS_LIVE || (opt->progress == SESSION_PROGRESS_AUTO && tty);
    t.lines =
        opt->progress == SESSION_PROGRESS_LINES || (opt->progress == SESSION_PROGRESS_AUTO && !tty);
    t.start = t.last_done = proc_now();

    struct sigaction sa = {.sa_handler = on_interrupt}, old_int, old_term,
                     ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigemptyset(&sa.sa_mask); /* no SA_RESTART: poll returns at once on Ctrl-C */
    interrupts = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker's pipe is an error result, not death */

    int status = 0;
    char err[1024] = "";
    /* The space is printed once the log and workers are set up, so a bad --log path or -o
     * fails with the error alone. */
    if (!setup(&t, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s\n", err);
        status = 1;
    } else {
        if (opt->in->nknobs > 0) space_print(t.out, opt->sp);
        if (t.transferred)
            fprintf(t.out, "Transfer: trained on %ld records of %d earlier task%s\n", t.transferred,
                    t.transfer_tasks, t.transfer_tasks == 1 ? "" : "s");
        if (t.sum.resumed)
            fprintf(t.out, "Resumed %lld trials of this task from %s\n", (long long)t.sum.resumed,
                    opt->log_path);
        fflush(t.out);
        t.start = t.last_done = proc_now();
        loop(&t);
        t.sum.wall = proc_now() - t.start;
        print_summary(&t);
        if (!write_best(&t))
            status = 1;
        else if (t.sum.best_index < 0) {
            fprintf(stderr, "tec: error: no config ran without error%s\n",
                    t.sum.trials ? "" : " (no trials)");
            status = 1;
        }
        if (t.log_failed) status = 1;
        if (t.sum.interrupted && status == 0) status = 130;
    }
    if (t.noverheads > 0) {
        log_sort_costs(t.overheads, t.noverheads);
        t.sum.overhead_median = t.overheads[t.noverheads / 2];
        log_sort_costs(t.overheads_ex, t.noverheads);
        t.sum.overhead_median_ex_warmup = t.overheads_ex[t.noverheads / 2];
    }
    compact(&t, true);
    for (int i = 0; i < t.nslots; i++) free(t.slots[i].b.image);
    free(t.best.image);
    for (int i = 0; i < t.nrechecks; i++) free(t.rechecks[i].image);
    free(t.rechecks);
    log_pick_free(t.pick);
    free(t.slots);
    free(t.batch);
    free(t.overheads);
    free(t.overheads_ex);
    log_close(t.log);
    log_task_free(t.task);
    builder_free(t.builder);
    runner_free(t.runner);
    tuner_free(t.tuner);
    arena_free(t.arena);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    if (sum_out) *sum_out = t.sum;
    return status;
}
