/* An analytic cost prior for a lowered config, before anything is measured: takes the loop nest
 * (before unrolling) and a machine's vector width, registers and cache sizes; gives estimated
 * cycles, from the register tile's FMAs, loads, stores and accumulator latency and from each
 * cache level's refill traffic (tuner/cost_prior.c says how). Only its order matters. */
#ifndef TEC_COST_PRIOR_H
#define TEC_COST_PRIOR_H
#include "tuner/loop_walk.h"

typedef struct PriorMachine {
    int vec_bytes;   /* one vector register */
    int vec_regs;    /* vector registers */
    double cache[3]; /* L1d, L2, L3 bytes */
    int threads;     /* threads a parallel loop is shared by */
} PriorMachine;

/* This machine: vector width from the CPU's features, caches from sysconf (or typical sizes),
 * threads from OMP_NUM_THREADS or the online processors, as libgomp counts them. */
void prior_machine_host(PriorMachine *m);
/* Estimated cycles of a walked loop nest on m; w NULL (lowering failed): INFINITY. */
double cost_prior_cycles(const LoopWalk *w, const PriorMachine *m);
#endif
