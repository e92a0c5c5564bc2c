/* The records of a tuning log as the end-to-end tuning tests read them: every line must be a
 * record of the tests' matmul at 64^3 (target, name, arguments, version, a split-knob entity of
 * the given size, a four-field result); anything else counts as invalid. */
#ifndef TEC_TESTS_LOG_RECORDS_H
#define TEC_TESTS_LOG_RECORDS_H
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
#endif
