/* Schedule legality rules and their messages, owned here once: sema checks them on the source,
 * schedule replay (compiler/schedule.c) re-checks the ones a config's knob values decide. */
#ifndef TEC_SCHED_RULES_H
#define TEC_SCHED_RULES_H
#include "lang/inst.h"

/* Where a split factor came from, which names it in the message. */
typedef enum FactorSrc {
    FACTOR_SOURCE, /* an integer expression in the source */
    FACTOR_CONFIG, /* a list knob's value in a config: name is the split axis */
    FACTOR_SPLIT,  /* one output size of a split knob in a config: name is the knob */
} FactorSrc;

/* A split factor (or nparts) is at least 1. */
bool sched_rule_factor(Diag *d, Loc loc, FactorSrc src, const char *name, bool nparts, int64_t f);
/* fuse names at least two axes. */
bool sched_rule_fuse_count(Diag *d, Loc loc, int naxes);
/* A reorder lists each axis once: names[k] against names[0 .. k-1] (axes given by position). */
bool sched_rule_reorder_once(Diag *d, Loc loc, const int *axes, int k, const char *name);
/* Threads may not share a reduce axis: they would race on the accumulator. */
bool sched_rule_parallel(Diag *d, Loc loc, const char *axis, bool reduce);
/* A stage that cannot be computed inline: a reduction, or (once outputs are known) an output. */
bool sched_rule_inline(Diag *d, Loc loc, const Stage *s, const char *name, bool outputs_known);

/* reorder's meaning: the listed axes take, in the order listed, the positions they held.
 * slots[n] (the positions, any order) is sorted in place into the positions to fill. */
void sched_reorder_slots(int *slots, int n);
#endif
