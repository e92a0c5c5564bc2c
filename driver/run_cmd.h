/* `tec --run`: JIT a compiled kernel, run it on random inputs, check every output against the
 * reference evaluator, and time it. */
#ifndef TEC_RUN_CMD_H
#define TEC_RUN_CMD_H
#include "compiler/codegen.h"

/* JIT-loads mod (consumed), fills the inputs with random values, runs, checks every output
 * against the reference evaluator, times `repeat` runs and prints the median and GFLOPS.
 * False (with a message) if loading or a check failed. */
bool run_cmd(Cg *cg, CgModule *mod, const Inst *in, int repeat);
#endif
