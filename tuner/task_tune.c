/* Tuning a task list: per task a tuner, its log key and its best; the scheduler picks the task of
 * each round; rounds go to the pool's idle slots (stations here, or MPI ranks); each trial is
 * logged as it ends, and each ended round is fed back to its tuner and to the scheduler. */
#include "tuner/task_tune.h"
#include "lang/xalloc.h"
#include "tuner/tuner.h"
#include "tuner/tuner_ml.h"
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A signal handler can only reach a static: SIGINT and SIGTERM stop new rounds. */
static volatile sig_atomic_t stop_signals;

static void on_stop(int sig) {
    (void)sig;
    stop_signals = stop_signals + 1;
}

typedef struct TaskRun {
    const TuneTask *t;
    Tuner *tuner;
    LogTask *key;
    double flops;
    int64_t cap;      /* trials this task may have in the log */
    int64_t inflight; /* configs in rounds not yet ended */
    TaskTuneResult *res;
} TaskRun;

typedef struct Slot {
    bool busy;
    int task;
    int n, got; /* configs of the round, outcomes received */
    int last;   /* the task of its last round, -1 none: a slot keeps its stations warm */
    TrialResult tr[STATION_MAX_BATCH]; /* the logged outcomes, for the tuner at the round's end */
} Slot;

/* The local pool: one slot, measured here. */
typedef struct Local {
    const TaskTuneOptions *o;
    StationCache *cache;
    Station *cur; /* the station of the round in flight */
} Local;

int task_tune_round_size(int64_t budget, int ntasks) {
    int64_t r = ntasks > 0 ? budget / ntasks : budget;
    return (int)(r < 1 ? 1 : r > STATION_MAX_BATCH ? STATION_MAX_BATCH : r);
}

static bool local_submit(void *ctx, int slot, int task, const int64_t *idx, int n, char *err,
                         size_t errlen) {
    (void)slot;
    Local *l = ctx;
    l->cur = station_cache_get(l->cache, task, &l->o->tasks[task].m, err, errlen);
    if (!l->cur) return false;
    station_start(l->cur, idx, n);
    return true;
}

static bool local_wait(void *ctx, int *slot, TrialOut *out, char *err, size_t errlen) {
    Local *l = ctx;
    *slot = 0;
    if (station_next(l->cur, out)) return true;
    snprintf(err, errlen, "internal error: a round ended short");
    return false;
}

/* One outcome of task r, measured now or read back from the log: counts it and keeps its best. */
static void account(TaskRun *r, int64_t index, int error_no, double cost, TrialResult *tr) {
    double gflops = error_no == ERR_NONE && cost > 0 ? r->flops / cost / 1e9 : 0;
    r->res->trials++;
    if (error_no == ERR_NONE && (r->res->best_index < 0 || cost < r->res->best_cost)) {
        r->res->best_index = index;
        r->res->best_cost = cost;
        r->res->best_gflops = gflops;
    }
    *tr = (TrialResult){index, error_no, error_no == ERR_NONE ? cost : LOG_ERROR_COST, gflops};
}

static void visit_resumed(void *ctx, const LogResult *lr) {
    TaskRun *r = ctx;
    if (lr->index < 0 || lr->index >= r->tuner->len || iset_has(&r->tuner->seen, lr->index))
        return; /* a duplicate record counts once */
    tuner_mark_seen(r->tuner, lr->index);
    r->res->resumed++;
    TrialResult tr;
    account(r, lr->index, lr->error_no, lr->error_no == ERR_NONE ? log_mean_cost(lr) : 0, &tr);
    tuner_update(r->tuner, &tr, 1);
}

static void print_table(FILE *f, const TaskRun *runs, int n, const char *title, bool final) {
    int wid = 6;
    for (int i = 0; i < n; i++)
        if ((int)strlen(runs[i].t->label) > wid) wid = (int)strlen(runs[i].t->label);
    fprintf(f, "%s\n  %-4s %-*s %8s %8s %12s %12s%s\n", title, "task", wid, "kernel", "weight",
            "trials", "GFLOPS", "latency ms", final ? "  re-measured ms" : "");
    double obj = 0, again = 0;
    bool all = true, all_again = final;
    for (int i = 0; i < n; i++) {
        const TaskTuneResult *r = runs[i].res;
        fprintf(f, "  %-4d %-*s %8g %8lld ", i + 1, wid, runs[i].t->label, runs[i].t->weight,
                (long long)r->trials);
        if (r->best_index >= 0) {
            fprintf(f, "%12.2f %12.4f", r->best_gflops, r->best_cost * 1e3);
            obj += runs[i].t->weight * r->best_cost;
        } else {
            fprintf(f, "%12s %12s", "-", "-");
            all = false;
        }
        if (final && r->final_cost > 0) {
            fprintf(f, " %16.4f", r->final_cost * 1e3);
            again += runs[i].t->weight * r->final_cost;
        } else if (final) {
            fprintf(f, " %16s", "-");
            all_again = false;
        }
        fprintf(f, "\n");
    }
    if (all) fprintf(f, "  weighted latency (sum of weight x latency): %.4f ms\n", obj * 1e3);
    if (all_again)
        fprintf(f, "  weighted latency, re-measured (sum of weight x latency): %.4f ms\n",
                again * 1e3);
    fflush(f);
}

/* One outcome of task k's round: logged and accounted. False when the record could not be
 * written (the run stops; the log keeps whole lines). */
static bool end_trial(TaskRun *r, LogWriter *log, const TrialOut *out, TrialResult *tr) {
    const Inst *in = r->t->m.in;
    LogResult lr = {.index = out->index,
                    .error_no = out->error_no,
                    .all_cost = out->seconds,
                    .timestamp = log_timestamp_now(),
                    .error_msg = out->error_no ? out->msg : NULL};
    for (int c = 0; c < out->ncosts && c < LOG_MAX_COSTS; c++)
        lr.costs[lr.ncosts++] = out->costs[c];
    KnobVal vals[in->nknobs > 0 ? in->nknobs : 1];
    memset(vals, 0, sizeof vals);
    Config cfg = {.index = lr.index, .nknobs = in->nknobs, .vals = vals};
    if (in->nknobs > 0) space_get(r->t->m.sp, lr.index, &cfg);
    char err[256];
    if (log && !log_append(log, r->key, &cfg, &lr, err, sizeof err)) {
        fprintf(stderr, "tec: error: %s; stopping\n", err);
        return false;
    }
    account(r, lr.index, lr.error_no, lr.error_no == ERR_NONE ? log_mean_cost(&lr) : 0, tr);
    return true;
}

/* Per task: tuner, log key, cap; with --resume, the task's records of the log. */
static bool setup_tasks(const TaskTuneOptions *o, TaskRun *runs, TaskTuneResult *res, char *err,
                        size_t errlen) {
    for (int i = 0; i < o->ntasks; i++) {
        const TuneTask *t = &o->tasks[i];
        TaskRun *r = &runs[i];
        int64_t len = t->m.in->nknobs > 0 ? space_len(t->m.sp) : 1;
        res[i] = (TaskTuneResult){.best_index = -1};
        r->t = t;
        r->res = &res[i];
        r->tuner = tuner_new(o->tuner ? o->tuner : "random", t->m.sp, len, o->seed + (uint64_t)i);
        if (!r->tuner) {
            snprintf(err, errlen, "unknown tuner '%s' (available: random, grid, ga, xgb)",
                     o->tuner);
            return false;
        }
        if (o->tuner && !strcmp(o->tuner, "xgb")) tuner_xgb_set_features(r->tuner, o->features);
        r->key = log_task_new(o->target, t->m.in, t->m.in->nknobs > 0 ? t->m.sp : NULL);
        r->flops = inst_flops(t->m.in);
        r->cap = o->trials > 0 && o->trials < len ? o->trials : len;
        if (o->log_path && o->resume &&
            !log_read(o->log_path, r->key, visit_resumed, r, stderr, err, errlen) &&
            errno != ENOENT)
            return false;
    }
    return true;
}

/* The idle slot for a round of task k: one whose last round was k's (its station for k is
 * started, the reference outputs computed), else one that never ran, else the first idle. */
static int pick_slot(const Slot *slots, int n, int k) {
    int fresh = -1, any = -1;
    for (int s = 0; s < n; s++) {
        if (slots[s].busy) continue;
        if (slots[s].last == k) return s;
        if (slots[s].last < 0 && fresh < 0) fresh = s;
        if (any < 0) any = s;
    }
    return fresh >= 0 ? fresh : any;
}

/* The loop: fill idle slots with rounds while budget is left, then wait for one to end. */
static int tune_loop(const TaskTuneOptions *o, TaskPool *pool, TaskRun *runs, TaskSched *sched,
                     LogWriter *log, int64_t budget, int round) {
    Slot *slots = xcalloc((size_t)pool->nslots, sizeof *slots);
    for (int s = 0; s < pool->nslots; s++) slots[s].last = -1;
    int64_t launched = 0, done = 0;
    int busy = 0, status = 0;
    char err[1024] = "";
    for (;;) {
        if (stop_signals && status == 0) {
            /* after the trial that just ended: the rest of the rounds in flight is dropped
             * (never logged, so a resumed run measures it) */
            fprintf(o->out, "interrupted: stopping after the trials in flight\n");
            fflush(o->out);
            status = 130;
            break;
        }
        while (busy < pool->nslots && status == 0 && launched < budget) {
            int k = -1, n = 0;
            int64_t idx[STATION_MAX_BATCH];
            while (n == 0 && (k = task_sched_next(sched)) >= 0) {
                TaskRun *r = &runs[k];
                int64_t want = r->cap - r->res->trials - r->inflight;
                if (want > round) want = round;
                if (want > budget - launched) want = budget - launched;
                n = want > 0 ? tuner_next_batch(r->tuner, idx, (int)want) : 0;
                if (n < want || r->res->trials + r->inflight + n >= r->cap)
                    task_sched_retire(sched, k); /* its space or its trials ran out */
            }
            if (k < 0) break;
            int s = pick_slot(slots, pool->nslots, k);
            if (!pool->submit(pool->ctx, s, k, idx, n, err, sizeof err)) {
                status = 1;
                break;
            }
            slots[s].busy = true, slots[s].task = slots[s].last = k;
            slots[s].n = n, slots[s].got = 0;
            runs[k].inflight += n;
            launched += n;
            busy++;
        }
        if (busy == 0) break;
        int s;
        TrialOut out;
        if (!pool->wait(pool->ctx, &s, &out, err, sizeof err)) {
            status = 1;
            break;
        }
        Slot *sl = &slots[s];
        int k = sl->task;
        TaskRun *r = &runs[k];
        bool logged = end_trial(r, log, &out, &sl->tr[sl->got]);
        if (logged)
            sl->got++, done++;
        else
            status = 1;
        if (logged && sl->got < sl->n && !stop_signals) continue;
        /* the round ended (or the run stops): its records reach the disk together (a record is
         * in the file, for readers and after a kill, as soon as it is appended; the sync is
         * for a machine crash, and once per round keeps it off rank 0's critical path) */
        if (o->fsync_log) log_sync(log);
        busy--;
        sl->busy = false;
        r->inflight -= sl->n;
        tuner_update(r->tuner, sl->tr, sl->got);
        task_sched_update(sched, k, r->res->best_index >= 0 ? r->res->best_cost : INFINITY);
        if (status == 1) break;
        fprintf(o->out, "[%lld/%lld] task %d %s: %lld trials, best ", (long long)done,
                (long long)budget, k + 1, r->t->label, (long long)r->res->trials);
        if (r->res->best_index >= 0)
            fprintf(o->out, "%.2f GFLOPS (%.4f ms)\n", r->res->best_gflops,
                    r->res->best_cost * 1e3);
        else
            fprintf(o->out, "none yet\n");
        fflush(o->out);
    }
    if (err[0]) fprintf(stderr, "tec: error: %s\n", err);
    if (o->fsync_log) log_sync(log);
    free(slots);
    return status;
}

/* Each task's best config measured REMEASURE_TIMES more times, not logged: the median of those
 * trials' mean costs (one noisy trial would bring back the selection's noise). False when a
 * measurement could not be made (the summary then shows the tuning's figures only). */
enum { REMEASURE_TIMES = 5 };

static bool remeasure(const TaskTuneOptions *o, TaskPool *pool, TaskRun *runs) {
    char err[1024] = "";
    fprintf(o->out, "Measuring each task's best config again (median of %d trials)...\n",
            REMEASURE_TIMES);
    fflush(o->out);
    for (int k = 0; k < o->ntasks && !stop_signals; k++) {
        TaskRun *r = &runs[k];
        if (r->res->best_index < 0) continue;
        double cost[REMEASURE_TIMES];
        int n = 0;
        for (int rep = 0; rep < REMEASURE_TIMES && !stop_signals; rep++) {
            int64_t idx = r->res->best_index;
            int s;
            TrialOut out;
            if (!pool->submit(pool->ctx, 0, k, &idx, 1, err, sizeof err) ||
                !pool->wait(pool->ctx, &s, &out, err, sizeof err)) {
                fprintf(stderr, "tec: warning: %s\n", err);
                return false;
            }
            LogResult lr = {.error_no = out.error_no};
            for (int c = 0; c < out.ncosts && c < LOG_MAX_COSTS; c++)
                lr.costs[lr.ncosts++] = out.costs[c];
            if (out.error_no == ERR_NONE && lr.ncosts > 0) cost[n++] = log_mean_cost(&lr);
        }
        if (n > 0) r->res->final_cost = log_median_cost(cost, n);
    }
    return !stop_signals;
}

int task_tune_signals(void) {
    return stop_signals;
}

int task_tune_run(const TaskTuneOptions *o, TaskTuneResult *res) {
    FILE *f = o->out ? o->out : stdout;
    TaskTuneOptions opt = *o;
    opt.out = f;
    TaskRun *runs = xcalloc((size_t)o->ntasks, sizeof *runs);
    char err[1024] = "";
    int status = 0;
    LogWriter *log = NULL;
    TaskSched *sched = NULL;
    Local local = {.o = &opt, .cache = o->pool ? NULL : station_cache_new(&o->measure)};
    TaskPool local_pool = {1, &local, local_submit, local_wait};
    TaskPool *pool = o->pool ? o->pool : &local_pool;
    struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term, ign = {.sa_handler = SIG_IGN},
                     old_pipe;
    sigemptyset(&sa.sa_mask);
    stop_signals = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker's pipe is an error result */
    if (!setup_tasks(o, runs, res, err, sizeof err) ||
        (o->log_path && !(log = log_open(o->log_path, false, err, sizeof err)))) {
        fprintf(stderr, "tec: error: %s\n", err);
        status = 1;
    } else {
        double *w = xcalloc((size_t)o->ntasks, sizeof *w),
               *fl = xcalloc((size_t)o->ntasks, sizeof *fl);
        int *group = xcalloc((size_t)o->ntasks, sizeof *group);
        int64_t total = 0, resumed = 0;
        for (int i = 0; i < o->ntasks; i++) {
            w[i] = o->tasks[i].weight, fl[i] = runs[i].flops;
            group[i] = i; /* tasks of one template share a group */
            for (int j = 0; j < i; j++)
                if (!strcmp(o->tasks[j].m.in->name, o->tasks[i].m.in->name)) {
                    group[i] = group[j];
                    break;
                }
            total += runs[i].cap;
            resumed += res[i].resumed;
        }
        TaskSchedParams p;
        task_sched_params_default(&p);
        sched = task_sched_new(o->sched, &p, o->ntasks, w, fl, group, o->seed);
        for (int i = 0; i < o->ntasks; i++) {
            if (res[i].trials >= runs[i].cap) task_sched_retire(sched, i);
            if (res[i].best_index >= 0) task_sched_update(sched, i, res[i].best_cost);
        }
        free(w), free(fl), free(group);
        int64_t budget = (o->budget > 0 ? o->budget : total) - resumed;
        if (budget < 0) budget = 0;
        /* Rounds from what this run measures over the tasks still open, so that each gets its
         * warm-up round within the budget, resumed or not. */
        int live = 0;
        for (int i = 0; i < o->ntasks; i++) live += !task_sched_retired(sched, i);
        int round = o->round_size > 0 ? o->round_size : task_tune_round_size(budget, live);
        if (round > STATION_MAX_BATCH) round = STATION_MAX_BATCH;
        fprintf(f, "Tuning %d tasks: %lld trials (%s scheduler, rounds of up to %d)", o->ntasks,
                (long long)budget, o->sched == TASK_SCHED_GRADIENT ? "gradient" : "round-robin",
                round);
        if (resumed) fprintf(f, ", %lld resumed from %s", (long long)resumed, o->log_path);
        fprintf(f, "\n");
        print_table(f, runs, o->ntasks, "Tasks:", false);
        status = tune_loop(&opt, pool, runs, sched, log, budget, round);
        bool again = status == 0 && remeasure(&opt, pool, runs);
        print_table(f, runs, o->ntasks, "Best:", again);
    }
    station_cache_free(local.cache);
    for (int i = 0; i < o->ntasks; i++) {
        tuner_free(runs[i].tuner);
        log_task_free(runs[i].key);
    }
    task_sched_free(sched);
    log_close(log);
    free(runs);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    return status;
}
