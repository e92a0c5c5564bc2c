/* Reading whole tuning logs of any number of tasks, as AutoTVM's log readers do: takes a log
 * file; gives its records grouped by task (template, args, target), the best record of each
 * (`tec --log-best`, AutoTVM's pick_best) and a per-task summary (`tec --log-stats`). */
#ifndef TEC_LOG_TOOLS_H
#define TEC_LOG_TOOLS_H
#include "tuner/log.h"
#include <stdbool.h>
#include <stdio.h>

/* One trial of a task, in log order. */
typedef struct LogTrial {
    double cost;      /* mean seconds per run; LOG_ERROR_COST on error */
    double timestamp; /* unix time at the end of the trial */
    double all_cost;  /* build + run wall time, seconds */
    int error_no;
} LogTrial;

/* A task's records in one log. */
typedef struct LogTaskSummary {
    char *target, *name, *args; /* args as compact JSON */
    double flop;                /* from the records' "flop" (0: unknown) */
    LogTrial *trials;
    long ntrials, cap;
    long errors[ERR_COUNT]; /* by error_no; numbers out of range count as UNKNOWN_ERROR */
    bool has_best;          /* an error-free record exists */
    double best_cost;       /* the best config's mean cost over its records (log_best's rule) */
    int64_t best_index;
    long best_lineno; /* the best config's record: its latest while it led, else its first */
    char *best_entity, *best_line;
    struct LogPick *pick; /* while reading */
    int64_t line_index;   /* while reading: the config of best_line (not best_index: stale) */
} LogTaskSummary;

typedef struct LogSummary {
    const char *path;
    LogTaskSummary *tasks; /* in order of first appearance */
    int ntasks, cap;
} LogSummary;

/* Reads path (torn and malformed lines skipped with "PATH:LINE: warning: ..." on warn). False
 * with err set when it cannot be read. Free with log_summary_free. */
bool log_summary_read(const char *path, LogSummary *s, FILE *warn, char *err, size_t errlen);
void log_summary_free(LogSummary *s);

/* "matmul [64,64,64,"float32"] on llvm -mcpu=znver4", in buf. */
void log_task_title(char *buf, size_t n, const LogTaskSummary *t);

/* GFLOPS of a cost for the task, or 0 when its FLOPs are unknown or the cost is no time. */
double log_task_gflops(const LogTaskSummary *t, double cost);

/* --log-stats: per task the trials, the best record (GFLOPS when the log holds FLOPs, its time
 * and config) and the errors by kind. */
void log_summary_print(FILE *out, const LogSummary *s);

/* --log-best: the best record of each task of s, verbatim, in task order, written whole to out
 * (compiler/out_file.c). Tasks without an error-free record are left out (*nskipped of them).
 * False with err set when out cannot be written. */
bool log_summary_write_best(const LogSummary *s, const char *out, int *nskipped, char *err,
                            size_t errlen);
#endif
