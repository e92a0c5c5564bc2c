/* `tec --tune`: the tuning loop. Takes a bound instance, its space and the options; asks the
 * tuner for configs, builds them in parallel ahead of the runner, measures them one at a time,
 * logs every trial, prints progress and a summary, and writes the best kernel (object + header).
 * Ctrl-C stops after the trial in flight with a consistent log and the best kernel so far. */
#ifndef TEC_SESSION_H
#define TEC_SESSION_H
#include "compiler/codegen.h"
#include "lang/inst.h"
#include "tuner/features_loops.h"
#include "tuner/log.h"
#include "tuner/space.h"
#include <stdio.h>

typedef enum SessionProgress {
    SESSION_PROGRESS_AUTO,  /* live line on a terminal, else one line per trial */
    SESSION_PROGRESS_LINES, /* AutoTVM's "No: 7	GFLOPS: a/b	result: ..." per trial */
    SESSION_PROGRESS_LIVE,  /* one '\r'-updated line */
    SESSION_PROGRESS_QUIET, /* summary only */
} SessionProgress;

typedef struct SessionOptions {
    const Inst *in;
    const Space *sp;
    const char *src_path, *src; /* the .te file, for located lowering errors */
    size_t srclen;
    CgTarget target;             /* codegen target; the log's target string comes from it */
    const char *tuner;           /* "random" (default), "grid", "ga" or "xgb" */
    FeatureKind features;        /* xgb's features (default itervar) */
    bool seed_walkers;           /* xgb: some annealing walkers start from the best measured
                                    configs (tuner_xgb_set_seed_walkers; for comparisons) */
    int diversity;               /* xgb: AutoTVM's diversity_filter_ratio (0: off) */
    bool no_prior;               /* xgb: a random start instead of the analytic prior's plan and
                                    margin (tuner_xgb_set_prior; AutoTVM's way, for comparisons) */
    const char *const *transfer; /* xgb: logs of earlier runs to train on first (--transfer) */
    int ntransfer;
    double cut_slow; /* a config whose warm-up call is this many times slower than the best so
                        far is not timed further (0: off; default 10) */
    int64_t trials;  /* <= 0: the whole space; capped at the space length */
    int64_t early_stopping; /* stop after this many trials without a strictly better one; 0 off */
    int recheck;   /* re-measurements of each config that becomes the best, within the trial budget;
                      the best is the config of lowest mean over its trials (1; 0: AutoTVM's one) */
    uint64_t seed; /* tuner choices and random inputs */
    int number, repeat;   /* AutoTVM LocalRunner: 4, 3 */
    double min_repeat_ms; /* 0 */
    double timeout;       /* seconds per run, 10 */
    double build_timeout; /* seconds per build, 10 */
    bool flush_cache;
    int jobs;             /* builder processes; <= 0: the number of cores */
    const char *log_path; /* NULL: no log */
    bool resume;          /* skip and count the task's records already in log_path */
    bool fsync_log;       /* fdatasync after each record (see docs/tuning.md for the cost) */
    const char *out_path; /* best kernel object (header beside it); NULL: write nothing */
    FILE *out;            /* progress and summary; NULL: stdout */
    SessionProgress progress;
    /* reference outputs from another source than the reference evaluator (see RunSetup);
       NULL: the evaluator. Only for callers that hold a trusted implementation (bench/). */
    bool (*reference)(void *ctx, void *const *args);
    void *reference_ctx;
} SessionOptions;

typedef struct SessionSummary {
    int64_t best_index; /* -1 if no config ran without error */
    double best_cost;   /* seconds: the mean over the config's trials */
    double best_gflops;
    int64_t trials;   /* measured in this run plus resumed */
    int64_t resumed;  /* records of this task found in the log */
    int64_t cut_slow; /* trials measured by their warm-up call only (--cut-slow) */
    int64_t rechecks; /* trials that re-measured a best (--recheck), in trials */
    int64_t errors[ERR_COUNT];
    double wall;                      /* seconds */
    double overhead_median;           /* seconds per trial: time between trial completions minus the
                                         timed kernel time, median over this run's trials */
    double overhead_median_ex_warmup; /* the same without the runner's warm-up call */
    double timed_total;               /* seconds inside timed kernel calls */
    double warmup_total;  /* seconds in the runner's warm-up calls (part of the overhead) */
    double load_total;    /* seconds JIT-loading images in the runner */
    double build_total;   /* seconds from build submission to result, summed (parallel) */
    double tuner_total;   /* seconds in the tuner (proposals, updates, model fits, transfer
                             excluded), in the loop's own process: wall time nothing overlaps */
    double transfer_load; /* seconds reading and lowering the --transfer records, before the
                             wall time starts */
    bool interrupted;
    bool stopped_early; /* --early-stopping ended the run */
} SessionSummary;

/* AutoTVM's defaults (random tuner, number 4, repeat 3, timeout 10 s, ...). */
void session_options_default(SessionOptions *o);

/* Run the tuning. Returns the exit status: 0 done (best kernel written), 1 error or no config
 * without error, 130 interrupted (best so far still written). sum (may be NULL) gets the
 * outcome, best_index included. */
int session_run(const SessionOptions *opt, SessionSummary *sum);
#endif
