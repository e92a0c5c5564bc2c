/* Lowering: a bound instance plus one config becomes a loop-nest IR function.
 * Replays the schedule statements as relations on axes, infers bounds, builds the nest, runs
 * the passes (see lower.c for the pipeline). */
#ifndef TEC_LOWER_H
#define TEC_LOWER_H
#include "compiler/config.h"
#include "compiler/ir_util.h" /* ir_has_parallel */
#include "compiler/schedule.h"

typedef struct LowerOptions {
    bool verify;            /* run ir_verify after every pass (tests turn this on) */
    const char *dump_after; /* print the IR to stderr after the pass of this name, or NULL */
    const char *stop_after; /* return the IR after the first pass of this name (or "build"), or
                               NULL: the tuner's loop features read the nest before unrolling */
} LowerOptions;

/* Returns NULL after reporting to d if the schedule cannot be applied with this config (errors
 * that sema could not see because they depend on knob values). cfg may be NULL only when the
 * instance has no knobs. */
IrFunc *lower(Arena *a, Diag *d, const Inst *in, const Config *cfg, const LowerOptions *opt);

/* True if name is a step after which LowerOptions.dump_after can print: "build" or a pass. */
bool lower_is_pass(const char *name);
/* Those names in pipeline order, each once: "build, unit_loops, ... or unswitch" (for messages). */
void lower_pass_names(char *buf, size_t size);

/* Schedule replay (sched_build), then bound inference: every axis extent set (attached stages
 * get the region their consumers read). For the tuner's features; lower() does the same on its
 * way. NULL after reporting to d. */
Sched *lower_sched(Arena *a, Diag *d, const Inst *in, const Config *cfg);
#endif
