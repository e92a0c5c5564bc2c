/* tec's command line: one table of options, each with the modes that read it. Takes argv;
 * gives the Options of one run, or exits with a message naming the flag that is wrong. */
#ifndef TEC_OPTIONS_H
#define TEC_OPTIONS_H
#include "lang/inst.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum Mode {
    MODE_BUILD,
    MODE_CHECK,
    MODE_SPACE,
    MODE_RUN,
    MODE_TUNE,
    /* the log tools: their inputs are logs, not a template (driver/log_cmd.c) */
    MODE_LOG_BEST,
    MODE_LOG_STATS,
    MODE_PLOT,
    MODE_COUNT
} Mode;
#define MODE_IS_LOG_TOOL(m) ((m) >= MODE_LOG_BEST)

typedef struct Options {
    Mode mode;
    const char *file; /* the .te file (the log tools: the first log) */
    char **files;     /* the log tools: every input log, nfiles of them */
    int nfiles;
    const char *tname;        /* -t */
    const char *out;          /* -o (NULL: the mode's default) */
    const char *emit;         /* --emit obj|asm|llvm|loops (default obj) */
    const char *log;          /* --log: the log to read (build, run) or write (tune) */
    const char *triple, *cpu; /* --target, --mcpu (NULL: the host) */
    Define *defs;             /* -D NAME=VALUE, ndefs of them */
    int ndefs;
    int64_t config;         /* --config (-1: none given) */
    bool fallback, verify;  /* --fallback, --verify-ir */
    const char *dump_after; /* --dump-after PASS */
    int repeat;             /* --repeat (0: the mode's default) */
    /* --tune only (0 / NULL: not given, the tuner's default) */
    const char *tuner;     /* --tuner */
    const char *features;  /* --features */
    const char **transfer; /* --transfer LOG, ntransfer of them */
    int ntransfer;
    double cut_slow; /* --cut-slow (when cut_slow_given) */
    bool cut_slow_given;
    int recheck; /* --recheck (when recheck_given) */
    bool recheck_given;
    int64_t trials;         /* --trials (a task list: per task) */
    int64_t budget;         /* --budget: total trials of a task list */
    const char *task_sched; /* --task-scheduler */
    int64_t round_size;     /* --round-size: configs per round of a task list */
    int64_t early_stopping; /* --early-stopping */
    int number;             /* --number */
    double min_repeat_ms;   /* --min-repeat-ms */
    double timeout;         /* --timeout */
    double build_timeout;   /* --build-timeout */
    int jobs;               /* -j */
    uint64_t seed;          /* --seed */
    bool seed_given, resume, flush_cache;
} Options;

/* Parses argv into o (exits on -h, --version and any error). Free with options_free. */
void options_parse(int argc, char **argv, Options *o);
void options_free(Options *o);
#endif
