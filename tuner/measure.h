/* One task's measurement station, for task lists and MPI worker ranks: a builder pool and one
 * runner for an instance. Takes a batch of config indices; gives one trial outcome per index:
 * the configs build in parallel and run one at a time, in the batch's order. */
#ifndef TEC_MEASURE_H
#define TEC_MEASURE_H
#include "compiler/codegen.h"
#include "lang/inst.h"
#include "tuner/log.h"
#include "tuner/space.h"

/* How trials are measured (the --tune options), the same for every task. */
typedef struct MeasureOptions {
    CgTarget target;
    int jobs;             /* builder processes (>= 1) */
    int number, repeat;   /* calls per repeat, repeats */
    double min_repeat_ms; /* grow number until a repeat takes this long */
    double timeout, build_timeout;
    bool flush_cache;
    uint64_t seed; /* random inputs */
} MeasureOptions;

/* What a task is to a station: its instance and space, and its source for located errors. */
typedef struct MeasureTask {
    const Inst *in;
    const Space *sp;
    const char *src_path, *src;
    size_t srclen;
} MeasureTask;

/* One trial's outcome. Plain data of fixed size: MPI ranks send it as bytes (every rank has the
 * same target, checked at start). */
typedef struct TrialOut {
    int64_t index;
    int32_t error_no, ncosts;
    double costs[LOG_MAX_COSTS]; /* seconds per call (ERR_NONE only) */
    double seconds;              /* build + run wall time */
    char msg[256];               /* why it failed */
} TrialOut;

typedef struct Station Station;
/* Starts the builders and the runner of task t. NULL with err on failure. */
Station *station_new(const MeasureTask *t, const MeasureOptions *o, char *err, size_t errlen);
void station_free(Station *s);
/* A batch: at most this many configs. */
enum { STATION_MAX_BATCH = 64 };
/* Start measuring n configs (the batch before must have returned every outcome). */
void station_start(Station *s, const int64_t *idx, int n);
/* Blocks until the next trial of the batch ends: true with its outcome (any order: a failed
 * build ends before the runs ahead of it); false once every outcome of the batch was returned. */
bool station_next(Station *s, TrialOut *out);

/* The stations of the last few tasks measured, kept alive between their rounds (each holds -j
 * builder processes and a runner, so not one per task of a long list). */
typedef struct StationCache StationCache;
StationCache *station_cache_new(const MeasureOptions *o);
void station_cache_free(StationCache *c);
/* The station of task number `task` (t describes it), started if not kept. NULL with err. */
Station *station_cache_get(StationCache *c, int task, const MeasureTask *t, char *err,
                           size_t errlen);
#endif
