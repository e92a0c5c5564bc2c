/* The tuning log: one JSON object per line in AutoTVM's v0.2 shape (input, config, result,
 * version), appended and flushed as each trial ends; and reading it back for --resume and for
 * `tec --log FILE` (the best record of a task), and every record for the log tools. */
#ifndef TEC_LOG_H
#define TEC_LOG_H
#include "compiler/config.h"
#include "lang/inst.h"
#include "tuner/space.h"
#include <stdio.h>

/* AutoTVM's MeasureErrorNo (WRONG_ANSWER is 5 there too). */
typedef enum MeasureErr {
    ERR_NONE = 0,
    ERR_INSTANTIATION = 1, /* lowering rejected the config */
    ERR_COMPILE_HOST = 2,  /* LLVM failed, or the builder process died */
    ERR_COMPILE_DEVICE = 3,
    ERR_RUNTIME_DEVICE = 4, /* the kernel crashed, or could not be loaded */
    ERR_WRONG_ANSWER = 5,   /* outputs differ from the reference */
    ERR_BUILD_TIMEOUT = 6,
    ERR_RUN_TIMEOUT = 7,
    ERR_UNKNOWN = 8,
    ERR_COUNT
} MeasureErr;
const char *log_err_name(int error_no);  /* "NO_ERROR", "WRONG_ANSWER", ... */
const char *log_err_label(int error_no); /* "no error", "wrong answer", ... */

/* Error records store costs [1e9], as AutoTVM does. */
#define LOG_ERROR_COST 1e9
#define LOG_MAX_COSTS 64
typedef struct LogResult {
    int64_t index;
    int error_no;
    double costs[LOG_MAX_COSTS]; /* seconds per repeat */
    int ncosts;
    double all_cost;       /* build + run wall time, seconds */
    double timestamp;      /* unix time at the end of the trial */
    const char *error_msg; /* written as an extra "error_msg" field when set; NULL on reading */
    int64_t calls;         /* kernel calls made (extra "calls" field when > 0; 0: unknown) */
} LogResult;
double log_mean_cost(const LogResult *r);
/* Sorts n costs (seconds) ascending; log_median_cost sorts them and gives their median. */
void log_sort_costs(double *v, int n);
double log_median_cost(double *v, int n);

/* What a record must match to belong to a task: target string, template name, and the bound
 * parameter values in declaration order (AutoTVM's args). With a space, a record's entity must
 * also equal the entity of its index in this space (else the template changed: ignored). */
typedef struct LogTask LogTask;
LogTask *log_task_new(const char *target, const Inst *in, const Space *sp);
void log_task_free(LogTask *t);

/* The log target string for a triple (NULL: the host) and a CPU: "llvm -mcpu=znver4", with
 * " -mtriple=T" after "llvm" when the triple was given. Writes into buf. */
void log_target_string(char *buf, size_t n, const char *triple, const char *cpu);

typedef struct LogWriter LogWriter;
/* Open for appending (created if missing). A file whose last byte is not '\n' (a torn last line)
 * gets one first, so the next record starts on its own line. */
LogWriter *log_open(const char *path, bool do_fsync, char *err, size_t errlen);
/* A record's "timestamp": unix time now, in seconds. */
double log_timestamp_now(void);

/* One record as one line, written with a single write(2), then fsync'ed if asked. A write that
 * fails part-way (disk full) is cut back, so the file keeps whole lines only. */
bool log_append(LogWriter *w, const LogTask *t, const Config *cfg, const LogResult *r, char *err,
                size_t errlen);
/* fdatasync what was appended (for writers opened without do_fsync that sync in groups: a task
 * list syncs once per round). False if it failed. */
bool log_sync(LogWriter *w);
void log_close(LogWriter *w);

/* Call fn for every record of task t in path, in file order. Lines that are empty or start with
 * '#' are skipped; malformed ones are skipped with "PATH:LINE: warning: ..." on warn (may be
 * NULL). Returns false with err set if the file cannot be read (errno kept: ENOENT = none). */
typedef void (*LogVisit)(void *ctx, const LogResult *r);
bool log_read(const char *path, const LogTask *t, LogVisit fn, void *ctx, FILE *warn, char *err,
              size_t errlen);

/* One well-formed record of any task, as log_scan gives it (valid during the visit only). The
 * task is (target, name, args), as log_task_new keys records. */
typedef struct LogRecord {
    const char *target, *name; /* input[0], input[1] */
    const char *args;          /* input[2] as compact JSON: [64,64,64,"float32"] */
    const char *entity;        /* config.entity as compact JSON ("[]" when absent) */
    const char *line;          /* the whole line, without its newline */
    long lineno;
    double flop; /* the record's "flop" (tec writes it; 0: absent, as in AutoTVM's logs) */
    LogResult r;
} LogRecord;
typedef void (*LogRecordVisit)(void *ctx, const LogRecord *rec);
/* Call fn for every well-formed record of path, of any task, in file order; skips and warns as
 * log_read does (torn lines included). */
bool log_scan(const char *path, LogRecordVisit fn, void *ctx, FILE *warn, char *err, size_t errlen);

/* The task's records of path in file order as arrays: config index, GFLOPS (flops / mean cost,
 * 0 for errors) and timestamp; warnings and errors as log_read. Free with log_trials_free. */
typedef struct LogTrials {
    int64_t *index;
    double *gflops, *timestamp;
    int n, cap;
    double flops;
} LogTrials;
bool log_trials(const char *path, const LogTask *t, double flops, LogTrials *out, FILE *warn,
                char *err, size_t errlen);
void log_trials_free(LogTrials *t);

/* Every distinct task input of a log (target, template name, args as text: integers in decimal,
 * dtypes by name), in order of first occurrence, with how many records have it: fn is called
 * once per input after the whole file is read. Unparseable lines are left to log_read to warn
 * about. False with err as log_read. */
typedef void (*LogInputVisit)(void *ctx, const char *target, const char *name,
                              const char *const *args, int nargs, long records);
bool log_inputs(const char *path, LogInputVisit fn, void *ctx, char *err, size_t errlen);

/* The best config of the task: the lowest mean cost over its error-free records (a config
 * re-measured by --recheck has several; tuner/log_pick.h), the first measured wins ties; *cost
 * gets that mean. False if the file cannot be read (err set) or holds no such record (err empty).
 */
bool log_best(const char *path, const LogTask *t, int64_t *index, double *cost, FILE *warn,
              char *err, size_t errlen);
#endif
