/* The runner: one long-lived worker process that measures one config at a time. It JIT-loads
 * the object image, runs one untimed warm-up call, checks every output against the reference,
 * then times `repeat` repeats of `number` calls (AutoTVM's min_repeat_ms growth rule, optional
 * cache flush before each repeat). Crashes and hangs of a kernel end only that trial: the parent
 * kills a hung worker after the timeout and starts a new one. */
#ifndef TEC_RUNNER_H
#define TEC_RUNNER_H
#include "compiler/codegen.h"
#include "lang/inst.h"
#include "tuner/fault.h"
#include "tuner/log.h"

typedef struct RunSetup {
    const Inst *in;
    CgTarget target;
    int number, repeat;   /* calls per repeat; repeats (<= LOG_MAX_COSTS) */
    double min_repeat_ms; /* grow number until a repeat takes this long */
    double timeout;       /* seconds per trial */
    bool flush_cache;     /* write a buffer larger than the LLC before each repeat */
    uint64_t seed;        /* for the random inputs */
    Faults faults;
    /* computes the reference outputs from the inputs (args as the kernel's) in place of the
       reference evaluator, e.g. a library call where the evaluator would take minutes; NULL:
       eval_run. Called once, in the parent, before any worker is forked. */
    bool (*reference)(void *ctx, void *const *args);
    void *reference_ctx;
} RunSetup;

typedef struct RunResult {
    int64_t index;
    int error_no; /* ERR_NONE, ERR_RUNTIME_DEVICE, ERR_WRONG_ANSWER, ERR_RUN_TIMEOUT */
    double costs[LOG_MAX_COSTS]; /* seconds per call, sorted, min and max dropped if > 2 */
    int ncosts;
    int64_t calls;  /* kernel calls made, the warm-up included */
    double timed;   /* total seconds inside timed calls (overhead = wall - timed) */
    double warmup;  /* seconds of the untimed warm-up call */
    double load;    /* seconds to JIT-load the image */
    double seconds; /* wall time from submission to result */
    char msg[512];
} RunResult;

typedef struct Runner Runner;
/* Generates the inputs (eval_fill_random from seed) and the reference outputs (eval_run) once,
 * then starts the worker. NULL with err on failure. */
Runner *runner_new(const RunSetup *s, char *err, size_t errlen);
void runner_free(Runner *r);
double runner_reference_seconds(const Runner *r); /* time the reference took */

bool runner_busy(const Runner *r);
/* Send one built config (image not kept). A warm-up call slower than cut_after seconds (> 0)
 * ends the measurement: the trial's one cost is that call (--cut-slow). False with a result in
 * *failed when the worker could not take it (then the trial is over: report *failed). */
bool runner_submit(Runner *r, int64_t index, const void *image, size_t len, double cut_after,
                   RunResult *failed);
int runner_fd(const Runner *r);          /* poll this while busy */
double runner_deadline(const Runner *r); /* INFINITY when idle */
/* Without blocking: true with *out when the trial in flight finished, died or timed out. */
bool runner_collect(Runner *r, RunResult *out);
/* Kill the trial in flight (second Ctrl-C); the worker is restarted on the next submit. */
void runner_abort(Runner *r);
#endif
