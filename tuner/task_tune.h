/* `tec --tune TASKS.txt`: tunes a list of tasks together. Takes the tasks, the options and where
 * to measure (here, or a pool of MPI ranks); the task scheduler picks the task of each round, the
 * task's tuner its configs; every trial goes to the one log; gives each task's best config. */
#ifndef TEC_TASK_TUNE_H
#define TEC_TASK_TUNE_H
#include "tuner/features_loops.h"
#include "tuner/measure.h"
#include "tuner/task_sched.h"
#include <stdio.h>

typedef struct TuneTask {
    MeasureTask m;
    double weight;     /* times the model runs it */
    const char *label; /* the task's kernel name, unique in the list (progress, summary) */
} TuneTask;

/* Where rounds are measured: nslots rounds at once, each slot one round at a time, one config at
 * a time. Outcomes come back trial by trial, so each is logged as soon as it ends. */
typedef struct TaskPool {
    int nslots;
    void *ctx;
    /* Start a round of task `task` (n <= STATION_MAX_BATCH configs) on idle slot `slot`. False
     * with err: the run stops. */
    bool (*submit)(void *ctx, int slot, int task, const int64_t *idx, int n, char *err,
                   size_t errlen);
    /* Block until a trial of a busy slot's round ends: *slot and its outcome. False with err
     * when a slot failed (an MPI rank died, or a signal stopped the wait): the run stops. */
    bool (*wait)(void *ctx, int *slot, TrialOut *out, char *err, size_t errlen);
} TaskPool;

typedef struct TaskTuneOptions {
    const TuneTask *tasks;
    int ntasks;
    const char *tuner;    /* per task, as --tuner */
    FeatureKind features; /* xgb's cost model, as --features */
    int64_t trials;       /* per task, with resumed records (<= 0: the whole space) */
    int64_t budget;       /* total over the tasks, with resumed records (<= 0: sum of trials) */
    TaskSchedKind sched;
    int round_size; /* configs per round (<= 0: task_tune_round_size) */
    uint64_t seed;
    MeasureOptions measure;
    const char *target; /* the log's target string */
    const char *log_path;
    bool resume;
    bool fsync_log; /* fdatasync the log at the end of each round */
    FILE *out;      /* progress and summary */
    TaskPool *pool; /* NULL: measure in this process */
} TaskTuneOptions;

typedef struct TaskTuneResult {
    int64_t best_index; /* -1: no config ran without error */
    double best_cost;   /* seconds */
    double best_gflops;
    int64_t trials;    /* in the log for this task: resumed + measured in this run */
    int64_t resumed;   /* found in the log at the start (--resume) */
    double final_cost; /* the best config measured again after the budget (seconds; 0: not) */
} TaskTuneResult;

/* Round size: Ansor's rule, min(64, budget / tasks), at least 1 (task_tune_run: the trials
 * this run measures over the tasks not yet done). */
int task_tune_round_size(int64_t budget, int ntasks);

/* Tune, then measure each task's best config again (5 trials, median; not logged): the best of
 * many noisy measurements is biased low, fresh ones are not. res has ntasks entries. Returns 0 when
 * done, 1 on an error (a log write, a dead rank, a station that cannot start), 130 when
 * interrupted. res is filled in every case. */
int task_tune_run(const TaskTuneOptions *o, TaskTuneResult *res);
/* Signals (SIGINT, SIGTERM) received during task_tune_run, for pools that wait. */
int task_tune_signals(void);
#endif
