/* The records of a tuning log as the end-to-end tuning tests read them: every line must be a
 * record of the tests' matmul at 64^3 (target, name, arguments, version, a split-knob entity of
 * the given size, a four-field result); anything else counts as invalid. */
#ifndef TEC_TESTS_LOG_RECORDS_H
#define TEC_TESTS_LOG_RECORDS_H
#include <stdbool.h>
#include <stdint.h>

#define LOG_RECORDS_MAX 256
typedef struct LogRec {
    int64_t index;
    int error_no;
    double cost; /* mean of the costs; 1e9 (AutoTVM's error cost) for a record without any */
    int ncosts;
} LogRec;
typedef struct LogRecords {
    LogRec r[LOG_RECORDS_MAX];
    int n;
    int invalid; /* lines that are not records of the task, and records past the maximum */
} LogRecords;

/* Reads the log at path (a missing file reads as empty); nknobs is the entity's length. */
void log_records_read(const char *path, int nknobs, LogRecords *lg);

/* The config tec picks from the log: lowest mean cost over its error-free records, the first
 * measured of equal means (written here independently of tuner/log_pick.c); -1 if none. */
int64_t log_records_best(const LogRecords *lg);

/* --recheck's trace: a config's later records are re-measurements, allowed only for a config
 * that led (lowest mean) right after its first record, at most max_again times. *distinct gets
 * the configs, *again the re-measurements; false (with a message on stderr) if one was not. */
bool log_records_rechecks_ok(const LogRecords *lg, int max_again, int *distinct, int *again);
#endif
