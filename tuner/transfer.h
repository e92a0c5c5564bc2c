/* --transfer: earlier runs' logs as history for the XGB tuner (AutoTVM's tuner.load_history).
 * Takes log paths and the template being tuned (its source, to bind it at other shapes); gives
 * the tuner one history group per earlier task, each record re-lowered at its own args for its
 * features. */
#ifndef TEC_TRANSFER_H
#define TEC_TRANSFER_H
#include "lang/inst.h"
#include "tuner/tuner.h"
#include <stdio.h>

typedef struct TransferSetup {
    const char *const *logs;
    int nlogs;
    const Inst *in;             /* the instance being tuned: its template name and parameters */
    const char *src, *src_path; /* its template file, re-bound at each record's args */
    size_t srclen;
    const char *target; /* the log target string of this run */
} TransferSetup;

/* Feeds every usable record to the XGB tuner t. Records of the tuned template at any args
 * are used; records for another target, and of other templates (whose file is unknown), are
 * skipped with one warning each on warn naming them. False with err when a log cannot be read
 * or the logs hold no usable record. *records and *tasks get what was used. */
bool transfer_load(Tuner *t, const TransferSetup *s, FILE *warn, long *records, int *tasks,
                   char *err, size_t errlen);
#endif
