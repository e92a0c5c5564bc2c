/* Test-only fault injection for the tuner's workers: TEC_TEST_FAULT="crash:IDX,hang:IDX,
 * wrong:IDX,buildcrash:IDX,buildhang:IDX,slow:IDX,lucky:IDX" names config indices at which a
 * worker crashes, hangs, corrupts an output, crashes while building, makes a slow (0.3 s) warm-up
 * call, or reports a lucky first timing and an unlucky one after. Always compiled in so the tests
 * exercise the shipped binary; documented as test-only (docs/tuning.md). */
#ifndef TEC_FAULT_H
#define TEC_FAULT_H
#include <stdbool.h>
#include <stdint.h>

typedef enum FaultKind {
    FAULT_CRASH,      /* runner: the kernel segfaults */
    FAULT_HANG,       /* runner: the kernel never returns */
    FAULT_WRONG,      /* runner: one output element is corrupted after each call */
    FAULT_BUILDCRASH, /* builder: the worker dies while compiling */
    FAULT_BUILDHANG,  /* builder: the worker never answers */
    FAULT_SLOW,       /* runner: the warm-up call takes 0.3 s longer (--cut-slow tests) */
    FAULT_LUCKY,      /* runner: the config's first timing reports 1000 times faster, later ones
                         1000 times slower (--recheck tests) */
    FAULT_NKINDS
} FaultKind;

#define FAULT_MAX 16
typedef struct Faults {
    int64_t idx[FAULT_NKINDS][FAULT_MAX];
    int n[FAULT_NKINDS];
} Faults;

/* Parse spec (NULL or "" gives no faults). Unknown kinds and malformed entries are ignored:
 * the variable is for tests only and must never stop a real run. */
void fault_parse(Faults *f, const char *spec);
bool fault_at(const Faults *f, FaultKind k, int64_t index);
#endif
